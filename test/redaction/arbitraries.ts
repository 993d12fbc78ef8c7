// fast-check generators for every secret shape the detectors support, and for harmless text.
import fc from 'fast-check'

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const UPPER_NUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const B64URL = ALNUM + '-_'
const B64 = ALNUM + '+/'

export const chars = (alphabet: string, minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength })

/** a random body that surely holds a letter and a digit (so it never reads as a word or a stop value) */
const mixed = (alphabet: string, min: number, max: number) =>
  chars(alphabet, min, max).map((s) => `Q7${s}`)

export type SecretSample = {
  shape: string
  /** the text to embed */
  secret: string
  /** the part that must never appear in redacted output */
  body: string
  /** 'nonword': the detector needs a non-word character before the secret (like gitleaks' \b) */
  boundary: 'any' | 'nonword'
}

const sample = (shape: string, boundary: SecretSample['boundary'], arb: fc.Arbitrary<[string, string]>) =>
  arb.map(([secret, body]): SecretSample => ({ shape, secret, body, boundary }))

const prefixed = (shape: string, prefix: string, body: fc.Arbitrary<string>, boundary: SecretSample['boundary'] = 'any') =>
  sample(shape, boundary, body.map((b) => [prefix + b, b]))

export const secretSamples: Record<string, fc.Arbitrary<SecretSample>> = {
  'anthropic-api-key': prefixed('anthropic-api-key', 'sk-ant-api03-', chars(B64URL, 20, 110)),
  'anthropic-admin-key': prefixed('anthropic-admin-key', 'sk-ant-admin01-', chars(B64URL, 20, 110)),
  'anthropic-oauth-access-token': prefixed('anthropic-oauth-access-token', 'sk-ant-oat01-', chars(B64URL, 20, 110)),
  'anthropic-oauth-refresh-token': prefixed('anthropic-oauth-refresh-token', 'sk-ant-ort01-', chars(B64URL, 20, 110)),
  'anthropic-other': prefixed('anthropic-other', 'sk-ant-sid01-', chars(B64URL, 20, 110)),
  'openai-project': prefixed('openai-project', 'sk-proj-', chars(B64URL, 20, 80), 'nonword'),
  'openai-legacy': prefixed('openai-legacy', 'sk-', chars(ALNUM, 48, 48), 'nonword'),
  'aws-access-key-id': sample(
    'aws-access-key-id',
    'nonword',
    fc.tuple(fc.constantFrom('AKIA', 'ASIA'), chars(UPPER_NUM, 16, 16)).map(([p, b]) => [p + b, b]),
  ),
  'aws-secret-access-key': sample(
    'aws-secret-access-key',
    'any',
    fc
      .tuple(fc.constantFrom('aws_secret_access_key = ', 'AWS_SECRET_ACCESS_KEY=', '"SecretAccessKey": "'), chars(B64, 40, 40))
      .map(([p, b]) => [p + b, b]),
  ),
  'aws-session-token': prefixed('aws-session-token', 'IQoJb3JpZ2lu', chars(B64, 100, 300)),
  'github-classic': prefixed('github-classic', 'ghp_', chars(ALNUM, 36, 36)),
  'github-fine-grained': prefixed('github-fine-grained', 'github_pat_', chars(ALNUM + '_', 82, 82)),
  'slack-bot': sample(
    'slack-bot',
    'any',
    fc.tuple(chars('0123456789', 10, 12), chars('0123456789', 13, 13), chars(ALNUM, 24, 24)).map(([a, b, c]) => {
      const body = `${a}-${b}-${c}`
      return [`xoxb-${body}`, body]
    }),
  ),
  'slack-app': prefixed('slack-app', 'xapp-1-', chars(UPPER_NUM, 20, 40)),
  'google-api-key': prefixed('google-api-key', 'AIza', chars(B64URL, 35, 35)),
  'stripe-live': prefixed('stripe-live', 'sk_live_', chars(ALNUM, 24, 99)),
  'npm-token': prefixed('npm-token', 'npm_', chars(ALNUM, 36, 36)),
  jwt: sample(
    'jwt',
    'nonword',
    fc.tuple(chars(B64URL, 10, 40), chars(B64URL, 10, 120), chars(B64URL, 16, 86)).map(([h, p, s]) => {
      const token = `eyJ${h}.eyJ${p}.${s}`
      return [token, token]
    }),
  ),
  bearer: sample('bearer', 'nonword', mixed(B64URL + '.~+/', 16, 60).map((t) => [`Bearer ${t}`, t])),
  'authorization-basic': sample('authorization-basic', 'any', mixed(B64, 12, 60).map((t) => [`Authorization: Basic ${t}==`, t])),
  'x-api-key': sample('x-api-key', 'any', mixed(ALNUM, 16, 60).map((t) => [`x-api-key: ${t}`, t])),
  'url-credentials': sample(
    'url-credentials',
    'any',
    fc
      .tuple(fc.constantFrom('http', 'https', 'socks5', 'postgresql'), chars(ALNUM, 3, 12), mixed(ALNUM + '!$%^*~+=-_.', 6, 24))
      .map(([scheme, user, pass]) => [`${scheme}://${user}:${pass}@proxy.example.com:8080`, `${user}:${pass}`]),
  ),
  'named-password': sample(
    'named-password',
    'any',
    fc
      .tuple(fc.constantFrom('password=', 'DB_PASSWORD=', 'client_secret=', '"password": "', "ANTHROPIC_AUTH_TOKEN='"), mixed(ALNUM + '!#%*+-_~', 8, 30))
      .map(([p, v]) => [p + v, v]),
  ),
  'cli-flag': sample('cli-flag', 'any', mixed(ALNUM, 8, 30).map((v) => [`--token ${v}`, v])),
  'private-key': sample(
    'private-key',
    'any',
    fc.array(chars(B64, 64, 64), { minLength: 2, maxLength: 8 }).map((lines) => {
      const body = lines.join('\n')
      return [`-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`, lines[0]!]
    }),
  ),
}

export const anySecret = fc.oneof(...Object.values(secretSamples))

/** noise around a secret: unicode, emoji, line breaks, quotes, = and : */
const NOISE_UNITS = [
  ...'abcxyz XYZ 0189 \n\r\t"\'`=:;,.!?()[]{}<>/\\|-_~#@%&*+',
  'é', 'ß', 'Ж', '中', '文', 'ø', '\u00a0', '\u200b', '🙂', '🚀', '🔑', '👩‍💻',
]
export const noise = fc.string({ unit: fc.constantFrom(...NOISE_UNITS), maxLength: 40 })

/** a character right next to the secret; word characters only where the detector allows them */
export const adjacent = (boundary: SecretSample['boundary']) =>
  fc.constantFrom(...(boundary === 'any' ? ['', 'x', '9', '_', ' ', '\n', '"', "'", '=', ':', '🙂', 'é'] : ['', ' ', '\n', '"', "'", '=', ':', '🙂', 'é', '(', ',']))

/** a secret inside random text */
export const embeddedSecret = anySecret.chain((s) =>
  fc
    .tuple(noise, adjacent(s.boundary), adjacent('nonword'), noise)
    .map(([before, l, r, after]) => {
      const guard = s.boundary === 'nonword' && l === '' && /[A-Za-z0-9_-]$/.test(before) ? ' ' : ''
      return { sample: s, text: `${before}${guard}${l}${s.secret}${r}${after}` }
    }),
)

/** text that holds no secret: prose, versions, SHAs, UUIDs, request ids, safe paths, emoji */
const WORDS = [
  'Claude', 'Code', 'failed', 'to', 'start', 'the', 'login', 'expired', 'please', 'run', '/login', 'error', 'API',
  'Error:', '401', '403', '429', '529', 'Unauthorized', 'Forbidden', 'overloaded', 'v2.0.14', '1.0.3', 'node', 'v20.11.1',
  'macOS', 'Windows', 'WSL2', 'Docker', 'VS', 'sk-ant', 'ghp_', 'xoxb', 'eyJ', 'AKIA', 'https://api.anthropic.com/v1/messages',
  '~/.claude/.credentials.json', '~/.zshrc', 'C:\\Program Files\\nodejs', '/usr/local/bin/claude', '/opt/homebrew/bin',
  'req_011CUkzR9kS8x3bqZ5mVvWqT', 'ECONNREFUSED', 'ETIMEDOUT', 'SELF_SIGNED_CERT_IN_CHAIN', '@anthropic-ai/claude-code',
  'café', 'naïve', 'Straße', 'Привет', '你好', '🙂', '🚀', '✅', 'x-api-key', 'authentication_error', '{"type":"error"}',
]
const hex = (min: number, max: number) => chars('0123456789abcdef', min, max)
const uuid = fc.uuid()
const word = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: hex(7, 40) },
  { weight: 1, arbitrary: uuid },
  { weight: 1, arbitrary: fc.tuple(fc.nat(30), fc.nat(30), fc.nat(300)).map(([a, b, c]) => `${a}.${b}.${c}`) },
)
const sep = fc.constantFrom(' ', ' ', ' ', '\n', ', ', '. ', ' - ', ' (', ') ', ' | ')
export const harmlessText = fc
  .array(fc.tuple(word, sep), { maxLength: 60 })
  .map((parts) => parts.map(([w, s]) => w + s).join(''))
