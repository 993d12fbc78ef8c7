// Credentials inside URLs: http://user:pass@proxy:8080 (HTTPS_PROXY), postgres://user:pass@db/..., and tokens used
// as the user part (https://<token>@github.com). The scheme and host stay: "http://[url-credentials]@proxy:8080".
import type { Detector, DetectorMatch } from '../types.js'
import { isReference, looksLikeSecret, placeholder } from '../util.js'

const SCHEME_CHAR = /[A-Za-z0-9+.-]/
const AUTHORITY_STOP = /[\s/?#'"<>\\`()[\]{}|,;]/
const KIND = 'url-credentials'

function find(text: string): DetectorMatch[] {
  const out: DetectorMatch[] = []
  if (!text.includes('@')) return out
  let from = 0
  for (;;) {
    const sep = text.indexOf('://', from)
    if (sep < 0) break
    from = sep + 3
    // scheme: up to 32 scheme characters to the left, starting with a letter
    let s = sep
    while (s > 0 && sep - s < 32 && SCHEME_CHAR.test(text[s - 1]!)) s--
    while (s < sep && !/[A-Za-z]/.test(text[s]!)) s++
    if (s === sep) continue
    // authority: up to the first delimiter (bounded), the user info ends at its last '@'
    const authStart = sep + 3
    const limit = Math.min(text.length, authStart + 2048)
    let e = authStart
    while (e < limit && !AUTHORITY_STOP.test(text[e]!)) e++
    let at = e - 1
    while (at >= authStart && text[at] !== '@') at--
    if (at < authStart) continue
    const userinfo = text.slice(authStart, at)
    if (!userinfo || userinfo.startsWith('[')) continue
    const colon = userinfo.indexOf(':')
    if (colon >= 0) {
      const user = userinfo.slice(0, colon)
      const pass = userinfo.slice(colon + 1)
      if (!pass || isReference(pass) || pass.startsWith('[')) {
        // only the user is literal: keep it unless it looks like a credential itself
        if (!looksLikeSecret(user, 16)) continue
      }
      if (isReference(user) && (!pass || isReference(pass))) continue
    } else if (!looksLikeSecret(userinfo, 16)) {
      continue // git@github.com, user@host: a name, not a credential
    }
    out.push({ start: authStart, end: at, kind: KIND, replacement: placeholder(KIND) })
    from = e
  }
  return out
}

export const urlCredentials: Detector = {
  id: 'url-credentials',
  kind: KIND,
  secret: true,
  description: 'user name and password (or a token) inside a URL; the host is kept',
  keywords: ['://'],
  find,
  truePositives: [
    { text: 'HTTPS_PROXY=http://alice:s3cr3t-Pa55@proxy.corp.example:8080', secret: 's3cr3t-Pa55' },
    { text: 'DATABASE_URL="postgresql://bot:hunter2hunter2@db.internal:5432/bot"', secret: 'hunter2hunter2' },
    { text: 'git clone https://x-access-token:0123456789abcdefTOKENabcdef@github.com/org/repo', secret: '0123456789abcdefTOKENabcdef' },
    { text: 'remote: https://9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c@gitlab.example.com/x.git', secret: '9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c' },
    { text: 'proxy http://bob:p@ss:w0rd@10.0.0.1:3128 refused', secret: 'p@ss:w0rd' },
  ],
  falsePositives: [
    'https://api.anthropic.com/v1/messages',
    'git@github.com:org/repo.git',
    'ssh://git@github.com/org/repo.git',
    'http://$PROXY_USER:$PROXY_PASS@proxy:8080',
    'npm install -g @anthropic-ai/claude-code@latest from https://registry.npmjs.org/',
  ],
}
