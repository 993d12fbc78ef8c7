// Human names for remark kinds, for sentences such as "I hid 1 Anthropic API key and 2 email addresses".
import type { RedactionRemark } from './types.js'

const LABELS: Record<string, [singular: string, plural: string]> = {
  'anthropic-api-key': ['Anthropic API key', 'Anthropic API keys'],
  'anthropic-admin-key': ['Anthropic admin key', 'Anthropic admin keys'],
  'anthropic-oauth-access-token': ['Claude OAuth access token', 'Claude OAuth access tokens'],
  'anthropic-oauth-refresh-token': ['Claude OAuth refresh token', 'Claude OAuth refresh tokens'],
  'anthropic-key': ['Anthropic credential', 'Anthropic credentials'],
  'openai-api-key': ['OpenAI API key', 'OpenAI API keys'],
  'aws-access-key-id': ['AWS access key id', 'AWS access key ids'],
  'aws-secret-access-key': ['AWS secret access key', 'AWS secret access keys'],
  'aws-session-token': ['AWS session token', 'AWS session tokens'],
  'github-token': ['GitHub token', 'GitHub tokens'],
  'slack-token': ['Slack token', 'Slack tokens'],
  'slack-webhook': ['Slack webhook URL', 'Slack webhook URLs'],
  'google-api-key': ['Google API key', 'Google API keys'],
  'google-oauth-token': ['Google OAuth token', 'Google OAuth tokens'],
  'stripe-key': ['Stripe key', 'Stripe keys'],
  'npm-token': ['npm token', 'npm tokens'],
  jwt: ['JSON Web Token', 'JSON Web Tokens'],
  'url-credentials': ['set of credentials in a URL', 'sets of credentials in URLs'],
  'bearer-token': ['bearer token', 'bearer tokens'],
  'basic-auth': ['Basic auth credential', 'Basic auth credentials'],
  'auth-token': ['authorization value', 'authorization values'],
  'api-key': ['API key', 'API keys'],
  password: ['password', 'passwords'],
  secret: ['secret', 'secrets'],
  token: ['token', 'tokens'],
  cookie: ['cookie', 'cookies'],
  'private-key': ['private key', 'private keys'],
  email: ['email address', 'email addresses'],
  user: ['user name', 'user names'],
}

/** Kinds that are personal data rather than credentials. */
export const PERSONAL_KINDS: ReadonlySet<string> = new Set(['email', 'user'])

export const isSecretKind = (kind: string) => !PERSONAL_KINDS.has(kind)

/** "1 Anthropic API key", "2 email addresses"; unknown kinds read as "3 x-y values". */
export function describeKind(kind: string, count: number): string {
  const label = LABELS[kind]
  const name = label ? label[count === 1 ? 0 : 1] : `${kind.replace(/-/g, ' ')} ${count === 1 ? 'value' : 'values'}`
  return `${count} ${name}`
}

/** "1 Anthropic API key, 1 password and 2 email addresses" (secrets first), or "" when nothing was hidden. */
export function describeRemarks(remarks: readonly RedactionRemark[]): string {
  const sorted = [...remarks].filter((r) => r.count > 0).sort((a, b) => Number(isSecretKind(b.kind)) - Number(isSecretKind(a.kind)))
  const parts = sorted.map((r) => describeKind(r.kind, r.count))
  if (parts.length <= 1) return parts[0] ?? ''
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`
}

export const KNOWN_KINDS: readonly string[] = Object.keys(LABELS)
