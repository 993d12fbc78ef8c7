// `x-api-key: <key>` headers (curl -H, HTTP dumps, JSON). The header name stays; the value becomes `[api-key]`.
import type { Detector } from '../types.js'
import { groupRange, isReference, isStopValue, looksLikeSecret, regexFinder } from '../util.js'

const RE = /x-api-key(["']?[ \t]{0,8}[:=][ \t]{0,8}["']?)([^\s"',;]+)/dgi

export const xApiKeyHeader: Detector = {
  id: 'x-api-key-header',
  kind: 'api-key',
  secret: true,
  description: 'the value of an x-api-key header',
  keywords: ['x-api-key'],
  find: regexFinder(RE, 'api-key', (m) => {
    const value = m[2]!
    if (isReference(value) || isStopValue(value)) return null
    if (!(looksLikeSecret(value, 8) || value.length >= 16)) return null
    const [start, end] = groupRange(m, 2)!
    return { start, end }
  }),
  truePositives: [
    { text: 'curl -H "x-api-key: 3kF9xQ2mP7vL0wZ8rT5y" https://api.anthropic.com/v1/messages', secret: '3kF9xQ2mP7vL0wZ8rT5y' },
    { text: '{"X-Api-Key":"abcdefghijklmnopqrstuv"}', secret: 'abcdefghijklmnopqrstuv' },
  ],
  falsePositives: [
    'invalid x-api-key',
    '{"type":"authentication_error","message":"invalid x-api-key"}',
    '-H "x-api-key: $ANTHROPIC_API_KEY"',
    "-H 'x-api-key: your-key'",
    'x-api-key: ${{ secrets.ANTHROPIC_API_KEY }}',
  ],
}
