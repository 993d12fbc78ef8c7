// Generic secrets by name: `password=...`, `DB_PASSWORD: "..."`, `"token": "..."`, `client_secret=...`,
// `API_KEY=...`, and command-line flags (`--password ...`, `--token=...`). The name stays, the value becomes a
// placeholder named after it. Runs after every shaped detector, so values already replaced are skipped.
import type { Detector, DetectorMatch } from '../types.js'
import { isReference, isStopValue, looksLikeSecret, placeholder, readValue } from '../util.js'

const NAME_RE =
  /(pass(?:word|wd|phrase)|client[_-]?secret|secret[_-]?key|secret|access[_-]?token|refresh[_-]?token|auth[_-]?token|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?)(["']?)[ \t]{0,8}([:=])[ \t]{0,8}/gi
const FLAG_RE =
  /--(pass(?:word|wd|phrase)|client-secret|secret|access-token|refresh-token|auth-token|token|api-key|apikey)(?:[ \t]{0,4}=[ \t]{0,4}|[ \t]{1,4})/gi

export function kindForName(name: string): string {
  const n = name.toLowerCase().replace(/[_-]/g, '')
  if (n.startsWith('pass')) return 'password'
  if (n.includes('secret') || n.startsWith('credential')) return 'secret'
  if (n.endsWith('token')) return 'token'
  if (n === 'privatekey') return 'private-key'
  return 'api-key'
}

/** is this value, read after a secret's name, worth hiding? */
function isSecretValue(value: string, quoted: boolean, strongContext: boolean): boolean {
  if (!value || value.startsWith('[') || isReference(value) || isStopValue(value)) return false
  if (/^(?:https?:\/\/|\/|~\/|\.\/)/.test(value)) return false // a path or URL: a file holding the secret, not it
  if (quoted || strongContext) return value.length >= 4
  return looksLikeSecret(value, 8)
}

function finder(re: RegExp, strong: (m: RegExpExecArray) => boolean) {
  return (text: string): DetectorMatch[] => {
    const out: DetectorMatch[] = []
    let lastEnd = 0
    let lastQuoted = false
    for (const m of text.matchAll(re)) {
      // a name inside a bare value ends where that value ends: nothing new to read
      if (m.index < lastEnd && !lastQuoted) continue
      const from = m.index + m[0].length
      const v = readValue(text, from)
      if (!v || v.end <= lastEnd) continue
      const value = text.slice(v.start, v.end)
      if (!isSecretValue(value, v.quoted, strong(m))) continue
      const prev = out[out.length - 1]
      if (prev && v.start < lastEnd) {
        // this name sat inside the previous (quoted) value and its own value runs past it: hide both as one
        prev.end = v.end
      } else {
        const kind = kindForName(m[1]!)
        out.push({ start: v.start, end: v.end, kind, replacement: placeholder(kind) })
      }
      lastEnd = v.end
      lastQuoted = v.quoted
    }
    return out
  }
}

export const namedSecret: Detector = {
  id: 'named-secret',
  kind: 'secret',
  secret: true,
  description: 'a value assigned to a name such as password, secret, token, api_key, client_secret',
  keywords: ['pass', 'secret', 'token', 'key', 'credential'],
  // "=" (code, env, query strings) or a quoted key (JSON, YAML) is strong context; "Password: ..." in prose is not
  find: finder(NAME_RE, (m) => m[3] === '=' || m[2] !== ''),
  truePositives: [
    { text: 'DB_PASSWORD=hunter2hunter2', secret: 'hunter2hunter2' },
    { text: '{"client_secret": "abc-def-ghi-jkl"}', secret: 'abc-def-ghi-jkl' },
    { text: "ANTHROPIC_AUTH_TOKEN='Tk9ZcmVhbGx5YVRva2Vu'", secret: 'Tk9ZcmVhbGx5YVRva2Vu' },
    { text: 'password: Corr3ct-Horse', secret: 'Corr3ct-Horse' },
    { text: 'https://example.com/cb?code=1&access_token=q8W2e4R6t8Y0u2I4&x=1', secret: 'q8W2e4R6t8Y0u2I4' },
    { text: 'apiKey = "mysecretvalue"', secret: 'mysecretvalue' },
    { text: 'ANTHROPIC_API_KEY=not-a-real-key-but-secret', secret: 'not-a-real-key-but-secret' },
  ],
  falsePositives: [
    'Token: expired',
    'password: incorrect',
    '"refreshToken": null',
    'max_tokens=1024',
    'export ANTHROPIC_API_KEY="your-key"',
    'ANTHROPIC_API_KEY=$ANTHROPIC_API_KEY',
    'token=********',
    '"apiKeyHelper": "~/bin/get-key.sh"',
    'The secret: keep calm and log in again',
    'credentials: ~/.claude/.credentials.json',
    'OAuth token has expired. Please run /login',
    'set ANTHROPIC_API_KEY=sk-ant-api03-... in your environment',
    'token=ghp_...',
  ],
}

export const cliFlagSecret: Detector = {
  id: 'cli-flag-secret',
  kind: 'secret',
  secret: true,
  description: 'a secret given as a command-line flag (--password, --token, --api-key, ...)',
  keywords: ['--pass', '--secret', '--token', '--api-key', '--apikey', '--client-secret', '--access-token', '--refresh-token', '--auth-token'],
  find: finder(FLAG_RE, (m) => m[0].includes('=')),
  truePositives: [
    { text: 'mytool login --password Sup3rS3cretPw', secret: 'Sup3rS3cretPw' },
    { text: 'deploy --token=abcd1234efgh5678', secret: 'abcd1234efgh5678' },
  ],
  falsePositives: ['use --token to pass a token', '--api-key $ANTHROPIC_API_KEY', '--password-file ~/.pw'],
}
