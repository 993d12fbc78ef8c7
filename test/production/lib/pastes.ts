// Generated pastes for the proofs: realistic Claude Code error output with fake secrets of real shapes planted in
// it, from a seeded PRNG (the same seed gives the same 10,000 pastes), and a fast scanner that finds any planted
// secret body in large amounts of text (database dumps, logs, recorded Slack calls).
//
// Scanner: every planted secret body is cut into its runs of [A-Za-z0-9] (the characters no encoding changes:
// JSON, form-urlencoding, Slack escaping all leave them alone) and every WINDOW-character slice of those runs goes
// into a Set. Scanning text = taking its alphanumeric runs of at least WINDOW characters and looking each slice up:
// linear in the text, and any leak of WINDOW or more consecutive characters of a secret is found. Bodies too short
// for a window, and e-mail addresses, are matched whole.

/** mulberry32: small, fast, good enough for test data; deterministic per seed */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const UPPER_NUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const B64URL = ALNUM + '-_'
const B64 = ALNUM + '+/'
const HEX = '0123456789abcdef'

export type Planted = {
  shape: string
  /** the text as planted */
  text: string
  /** the parts that must never leave the bot unredacted */
  bodies: string[]
}

export type Paste = { text: string; planted: Planted[] }

export class PasteGenerator {
  private readonly rand: () => number
  constructor(seed: number) {
    this.rand = prng(seed)
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.rand() * (max - min + 1))
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)]!
  }
  chance(p: number): boolean {
    return this.rand() < p
  }
  chars(alphabet: string, n: number): string {
    let s = ''
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.rand() * alphabet.length)]
    return s
  }
  /** random, but surely with a letter and a digit early (never a word) */
  mixed(alphabet: string, n: number): string {
    return `${this.pick(['Q', 'Z', 'x', 'k'])}${this.int(2, 9)}${this.chars(alphabet, n - 2)}`
  }

  // ---------- secrets of real shapes ----------

  readonly secretShapes: Record<string, () => Planted> = {
    'anthropic-api-key': () => {
      const body = this.mixed(B64URL, 93)
      return { shape: 'anthropic-api-key', text: `sk-ant-api03-${body}AA`, bodies: [body] }
    },
    'anthropic-oauth-token': () => {
      const body = this.mixed(B64URL, this.int(60, 100))
      return { shape: 'anthropic-oauth-token', text: `sk-ant-oat01-${body}`, bodies: [body] }
    },
    'anthropic-refresh-token': () => {
      const body = this.mixed(B64URL, this.int(60, 100))
      return { shape: 'anthropic-refresh-token', text: `sk-ant-ort01-${body}`, bodies: [body] }
    },
    'anthropic-admin-key': () => {
      const body = this.mixed(B64URL, 93)
      return { shape: 'anthropic-admin-key', text: `sk-ant-admin01-${body}AA`, bodies: [body] }
    },
    bearer: () => {
      const body = this.mixed(B64URL + '.', this.int(24, 64))
      return { shape: 'bearer', text: `Authorization: Bearer ${body}`, bodies: [body] }
    },
    'aws-keys': () => {
      const id = this.chars(UPPER_NUM, 16)
      const secret = this.mixed(B64, 40)
      return { shape: 'aws-keys', text: `AWS_ACCESS_KEY_ID=AKIA${id}\nAWS_SECRET_ACCESS_KEY=${secret}`, bodies: [id, secret] }
    },
    'github-token': () => {
      if (this.chance(0.5)) {
        const body = this.mixed(ALNUM, 36)
        return { shape: 'github-token', text: `ghp_${body}`, bodies: [body] }
      }
      const body = this.mixed(ALNUM + '_', 82)
      return { shape: 'github-token', text: `github_pat_${body}`, bodies: [body] }
    },
    'proxy-password': () => {
      const user = this.pick(['jdoe', 'svc-build', 'alice', 'proxyuser'])
      const pass = this.mixed(ALNUM, this.int(14, 22))
      const scheme = this.pick(['http', 'https', 'socks5'])
      return { shape: 'proxy-password', text: `${this.pick(['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'ALL_PROXY'])}=${scheme}://${user}:${pass}@proxy.corp.example.com:${this.pick([3128, 8080, 1080])}`, bodies: [pass] }
    },
    jwt: () => {
      const header = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9'
      const payload = `eyJ${this.chars(B64URL, this.int(40, 120))}`
      const sig = this.mixed(B64URL, this.int(43, 86))
      return { shape: 'jwt', text: `${header}.${payload}.${sig}`, bodies: [payload.slice(3), sig] }
    },
    email: () => {
      const name = `${this.pick(['jane', 'omar', 'li', 'maria', 'sven', 'priya'])}.${this.pick(['doe', 'khan', 'wei', 'garcia', 'berg', 'nair'])}${this.int(10, 99999)}`
      const email = `${name}@${this.pick(['example.com', 'corp.example.org', 'mail.example.net'])}`
      return { shape: 'email', text: email, bodies: [email] }
    },
    'api-key-header': () => {
      const key = `sk-ant-api03-${this.mixed(B64URL, 93)}AA`
      return { shape: 'api-key-header', text: `curl https://api.anthropic.com/v1/messages -H "x-api-key: ${key}"`, bodies: [key.slice('sk-ant-api03-'.length, -2)] }
    },
  }

  secret(): Planted {
    return this.pick(Object.values(this.secretShapes))()
  }

  /** one secret of every shape (for the examples that must cover each) */
  everyShape(): Planted[] {
    return Object.values(this.secretShapes).map((make) => make())
  }

  // ---------- error text ----------

  private readonly errors: ((s: () => Planted, planted: Planted[]) => string)[] = [
    (s, p) => {
      const key = this.plant(p, this.secretShapes['anthropic-api-key']!())
      return `$ export ANTHROPIC_API_KEY=${key}\n$ claude\nAPI Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}\n${this.maybe(s, p)}`
    },
    (s, p) =>
      `OAuth token has expired. Please obtain a new token or refresh your existing token.\n  ⎿  API Error: 401 · Please run /login\n${this.maybe(s, p)}\nCLAUDE_CODE_OAUTH_TOKEN=${this.plant(p, this.secretShapes['anthropic-oauth-token']!())}`,
    (s, p) =>
      `Error: connect ETIMEDOUT 160.79.104.10:443\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)\nUnable to connect to API: fetch failed\n${this.plant(p, this.secretShapes['proxy-password']!())}\n${this.maybe(s, p)}`,
    (s, p) =>
      `Invalid API key · Fix external API key\nANTHROPIC_API_KEY is set in your environment but differs from the login\n{"apiKey":"${this.plant(p, this.secretShapes['anthropic-api-key']!())}","owner":"${this.plant(p, this.secretShapes.email!())}"}`,
    (s, p) =>
      `API Error: 403 {"type":"error","error":{"type":"permission_error","message":"Your credit balance is too low to access the Anthropic API."}}\nadmin key used: ${this.plant(p, this.secretShapes['anthropic-admin-key']!())}\n${this.maybe(s, p)}`,
    (s, p) =>
      `Error: SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain\n    at TLSSocket.onConnectSecure (node:_tls_wrap:1674:34)\n${this.plant(p, this.secretShapes['proxy-password']!())}\nNODE_EXTRA_CA_CERTS is not set\n${this.maybe(s, p)}`,
    (s, p) =>
      `API Error (us.anthropic.claude-sonnet-4-20250514-v1:0): 403 The security token included in the request is invalid.\n${this.plant(p, this.secretShapes['aws-keys']!())}\nCLAUDE_CODE_USE_BEDROCK=1\n${this.maybe(s, p)}`,
    (s, p) =>
      `Failed to authenticate. API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"Invalid bearer token"}}\n> ${this.plant(p, this.secretShapes.bearer!())}\n${this.maybe(s, p)}`,
    (s, p) =>
      `Auth conflict: Both a token (ANTHROPIC_AUTH_TOKEN) and an API key (ANTHROPIC_API_KEY) are set. This may lead to unexpected behavior.\nANTHROPIC_AUTH_TOKEN=${this.plant(p, this.secretShapes['anthropic-oauth-token']!())}\n${this.maybe(s, p)}`,
    (s, p) =>
      `Error: Token validation failed\n~/.claude/.credentials.json: {"claudeAiOauth":{"accessToken":"${this.plant(p, this.secretShapes['anthropic-oauth-token']!())}","refreshToken":"${this.plant(p, this.secretShapes['anthropic-refresh-token']!())}","expiresAt":1735689600000}}\n${this.maybe(s, p)}`,
    (s, p) =>
      `Warning: Multiple installations found\n- npm-global at /usr/local/lib/node_modules/@anthropic-ai/claude-code\n- native at ~/.local/bin/claude\ngit remote: https://x-access-token:${this.plant(p, this.secretShapes['github-token']!())}@github.com/acme/app.git\n${this.maybe(s, p)}`,
    (s, p) =>
      `${this.plant(p, this.secretShapes['api-key-header']!())}\n{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_${this.chars(ALNUM, 24)}"}\n${this.maybe(s, p)}`,
    (s, p) =>
      `Login failed: the browser callback could not reach http://localhost:54545/callback (running over SSH)\nid_token=${this.plant(p, this.secretShapes.jwt!())}\ncontact: ${this.plant(p, this.secretShapes.email!())}\n${this.maybe(s, p)}`,
    (s, p) =>
      `API Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization"}}\n${this.maybe(s, p)}`,
  ]

  private plant(planted: Planted[], secret: Planted): string {
    planted.push(secret)
    return secret.text
  }

  /** sometimes another random secret on its own line */
  private maybe(make: () => Planted, planted: Planted[]): string {
    return this.chance(0.6) ? this.plant(planted, make()) : `(session ${this.chars(HEX, 8)})`
  }

  paste(): Paste {
    const planted: Planted[] = []
    const template = this.pick(this.errors)
    let text = template(() => this.secret(), planted)
    if (this.chance(0.3)) text = `${this.pick(['help pls', 'anyone seen this?', 'claude is broken again:', 'after the key rotation today:', 'from my teammate'])} ${this.plant(planted, this.secretShapes.email!())}\n${text}`
    if (this.chance(0.2)) text = '```\n' + text + '\n```'
    return { text, planted }
  }
}

// ---------- scanning ----------

export const WINDOW = 12
const RUN = new RegExp(`[A-Za-z0-9]{${WINDOW},}`, 'g')
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g

export type Leak = { where: string; shape: string; found: string; context: string }

export class SecretScanner {
  private windows = new Map<string, string>()
  private whole = new Map<string, string>()
  private emails = new Map<string, string>()
  planted = 0

  add(planted: Planted): void {
    this.planted++
    for (const body of planted.bodies) {
      if (planted.shape === 'email' || /@/.test(body)) {
        this.emails.set(body.toLowerCase(), planted.shape)
        continue
      }
      let any = false
      for (const m of body.matchAll(RUN)) {
        const run = m[0]
        for (let i = 0; i + WINDOW <= run.length; i++) this.windows.set(run.slice(i, i + WINDOW), planted.shape)
        any = true
      }
      if (!any) this.whole.set(body, planted.shape)
    }
  }

  get size(): number {
    return this.windows.size + this.whole.size + this.emails.size
  }

  /** every leak in `text` (`where` names the source in the report) */
  scan(where: string, text: string, limit = 20): Leak[] {
    const leaks: Leak[] = []
    const context = (i: number) => text.slice(Math.max(0, i - 60), i + 80).replace(/\s+/g, ' ')
    for (const m of text.matchAll(RUN)) {
      const run = m[0]
      for (let i = 0; i + WINDOW <= run.length; i++) {
        const shape = this.windows.get(run.slice(i, i + WINDOW))
        if (shape) {
          leaks.push({ where, shape, found: run, context: context(m.index!) })
          break
        }
      }
      if (leaks.length >= limit) return leaks
    }
    if (this.emails.size && text.includes('@')) {
      for (const m of text.matchAll(EMAIL)) {
        const shape = this.emails.get(m[0].toLowerCase())
        if (shape) leaks.push({ where, shape, found: m[0], context: context(m.index!) })
        if (leaks.length >= limit) return leaks
      }
    }
    for (const [body, shape] of this.whole) {
      const i = text.indexOf(body)
      if (i >= 0) leaks.push({ where, shape, found: body, context: context(i) })
      if (leaks.length >= limit) return leaks
    }
    return leaks
  }
}
