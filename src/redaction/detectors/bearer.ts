// `Bearer <token>` anywhere (error messages, logs, code), outside an Authorization header.
import type { Detector } from '../types.js'
import { groupRange, isWordChar, looksLikeSecret, regexFinder } from '../util.js'

const RE = /bearer[ \t]{1,8}([A-Za-z0-9._~+/-]+=*)/dgi

export const bearerToken: Detector = {
  id: 'bearer-token',
  kind: 'bearer-token',
  secret: true,
  description: 'a bearer token following the word Bearer',
  keywords: ['bearer'],
  find: regexFinder(RE, 'bearer-token', (m, text) => {
    if (isWordChar(text[m.index - 1])) return null
    if (!looksLikeSecret(m[1]!, 8)) return null
    const [start, end] = groupRange(m, 1)!
    return { start, end }
  }),
  truePositives: [
    { text: 'sent Bearer ya0Q8rT3zX9mB2nC7vL1kJ4h', secret: 'ya0Q8rT3zX9mB2nC7vL1kJ4h' },
    { text: "headers={'x': 'bearer 8d9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b'}", secret: '8d9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b' },
    { text: 'Bearer abc.DEF-ghi_123~456/789+xyz==', secret: 'abc.DEF-ghi_123~456/789+xyz==' },
  ],
  falsePositives: [
    'Invalid bearer token',
    'the Bearer authentication scheme',
    'Bearer token expired, please log in again',
    'forebearer1234567890abc is a word',
    'Bearer $ANTHROPIC_AUTH_TOKEN',
  ],
}
