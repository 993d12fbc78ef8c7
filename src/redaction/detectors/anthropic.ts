// Anthropic credentials: API keys, admin keys, OAuth access and refresh tokens, and any other `sk-ant-` family
// (session keys, future prefixes). The typed prefix is specific enough that a short body still counts.
import type { Detector } from '../types.js'
import { regexFinder } from '../util.js'

const BODY = '[A-Za-z0-9_-]'
const KEY = 'EXAMPLEkeyBody0123456789abcdefGHIJKLmnopqrSTUVwxyz-_0123456789ABCDEFabcdefGHIJKLMNOPQRSTUVWXYZ0123AA'

function skAnt(id: string, type: string, description: string, fpExtra: string[]): Detector {
  const prefix = `sk-ant-${type}`
  return {
    id,
    kind: id,
    secret: true,
    description,
    keywords: ['sk-ant-'],
    find: regexFinder(new RegExp(`sk-ant-${type}\\d{2}-${BODY}{8,}`, 'g'), id),
    truePositives: [
      { text: `export ANTHROPIC_API_KEY=${prefix}01-${KEY}`, secret: KEY },
      { text: `"${prefix}03-${KEY.slice(0, 40)}"`, secret: KEY.slice(0, 40) },
      { text: `key:${prefix}99-Short_ab-12\nnext line`, secret: 'Short_ab-12' },
    ],
    falsePositives: [
      `keys start with ${prefix}03- followed by a long random body`,
      `${prefix}03-... (truncated)`,
      `${prefix}03-abc`,
      ...fpExtra,
    ],
  }
}

export const anthropicApiKey = skAnt('anthropic-api-key', 'api', 'Anthropic API key (sk-ant-apiNN-...)', [
  'the sk-ant prefix means an Anthropic key',
])
export const anthropicAdminKey = skAnt('anthropic-admin-key', 'admin', 'Anthropic Admin API key (sk-ant-adminNN-...)', [
  'sk-ant-admin keys manage the organization',
])
export const anthropicOAuthAccessToken = skAnt(
  'anthropic-oauth-access-token',
  'oat',
  'Claude OAuth access token (sk-ant-oatNN-...), e.g. CLAUDE_CODE_OAUTH_TOKEN',
  ['CLAUDE_CODE_OAUTH_TOKEN=$TOKEN'],
)
export const anthropicOAuthRefreshToken = skAnt(
  'anthropic-oauth-refresh-token',
  'ort',
  'Claude OAuth refresh token (sk-ant-ortNN-...) as stored in ~/.claude/.credentials.json',
  ['"refreshToken": null'],
)

/** Anything else in the family (sk-ant-sid01-..., new prefixes): runs after the typed detectors. */
export const anthropicOtherKey: Detector = {
  id: 'anthropic-key',
  kind: 'anthropic-key',
  secret: true,
  description: 'any other Anthropic credential with the sk-ant- prefix (session keys, unknown types)',
  keywords: ['sk-ant-'],
  find: regexFinder(new RegExp(`sk-ant-${BODY}{12,}`, 'g'), 'anthropic-key'),
  truePositives: [
    { text: `Cookie: sessionKey=sk-ant-sid01-${KEY}`, secret: KEY },
    { text: `token sk-ant-v7Qz_k9LmNpXr2sT4u`, secret: 'v7Qz_k9LmNpXr2sT4u' },
  ],
  falsePositives: ['sk-ant', 'an sk-ant key is what Claude Code expects', 'sk-ant-...', 'sk-ant-api03', 'prefix sk-ant-xx only'],
}
