// `Authorization:` / `Proxy-Authorization:` header values (Bearer, Basic, Token, Bot or scheme-less), in curl
// commands, HTTP dumps and JSON. The header name and scheme stay; the credential becomes a placeholder.
import type { Detector } from '../types.js'
import { groupRange, isReference, isStopValue, looksLikeSecret, regexFinder } from '../util.js'

// the value stops at the first character a token cannot hold, so "Basic dXNlcjpwYXNz=é" still hides the base64
const RE = /authorization(["']?[ \t]{0,8}[:=][ \t]{0,8}["']?)(?:(bearer|basic|token|bot)[ \t]{1,8})?([$<{[%]?[A-Za-z0-9+/._~-]+=*)/dgi

export const authorizationHeader: Detector = {
  id: 'authorization-header',
  kind: 'bearer-token',
  secret: true,
  description: 'credential in an Authorization or Proxy-Authorization header',
  keywords: ['authorization'],
  find: regexFinder(RE, 'bearer-token', (m) => {
    const scheme = m[2]?.toLowerCase()
    const value = m[3]!
    const range = groupRange(m, 3)!
    if (isReference(value) || isStopValue(value)) return null
    if (scheme === 'basic') {
      if (value.length < 4) return null
      return { start: range[0], end: range[1], kind: 'basic-auth' }
    }
    if (!scheme && /^(?:bearer|basic|token|bot)$/i.test(value)) return null
    if (!looksLikeSecret(value, 8)) return null
    return { start: range[0], end: range[1], kind: scheme ? 'bearer-token' : 'auth-token' }
  }),
  truePositives: [
    { text: 'curl -H "Authorization: Bearer abcDEF123456ghiJKL789" https://example.com', secret: 'abcDEF123456ghiJKL789' },
    { text: 'Proxy-Authorization: Basic YWxpY2U6aHVudGVyMg==', secret: 'YWxpY2U6aHVudGVyMg==' },
    { text: '{"authorization":"Token 9f8e7d6c5b4a39281706f5e4"}', secret: '9f8e7d6c5b4a39281706f5e4' },
    { text: 'authorization: Zx81Kq0pLmN3vB7c', secret: 'Zx81Kq0pLmN3vB7c' },
  ],
  falsePositives: [
    'Authorization failed for this request',
    'authorization: required',
    'Authorization: Bearer $ANTHROPIC_AUTH_TOKEN',
    'Authorization: Bearer ${TOKEN}',
    'authorization: Bearer <token>',
    'OAuth authorization code flow',
  ],
}
