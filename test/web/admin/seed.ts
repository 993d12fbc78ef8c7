// Deterministic dashboard data: 30 days of incidents in one Slack workspace (several causes, recurring errors,
// repeat people, feedback), credential changes from all three sources, and a second workspace whose data must never
// show. Used by the route tests and the browser test.
import { randomUUID } from 'node:crypto'
import type { Store, WorkspaceRef } from '../../../src/store/types.js'

export const SEED_NOW = new Date('2026-03-20T15:00:00Z')
export const WS: WorkspaceRef = { platform: 'slack', externalId: 'T0DASHBOARD' }
export const OTHER: WorkspaceRef = { platform: 'slack', externalId: 'T0OTHERTEAM' }
export const ADMIN = { platform: 'slack' as const, workspaceExternalId: WS.externalId, userId: 'U0ADMIN' }
/** a secret that is pasted in one incident and must never be rendered */
export const PASTED_KEY = 'sk-ant-api03-' + 'Vb4'.repeat(31) + 'AA'
/** text only the other workspace has */
export const OTHER_MARKER = 'other-team-secret-project'

const DAY = 86_400_000
const HOUR = 3_600_000

type Seed = { user: string; cause: string; fp: string; daysAgo: number; hour: number; feedback?: 'fixed' | 'still_failing'; excerpt?: string }

const EXCERPTS: Record<string, string> = {
  'fp-401': 'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
  'fp-login': 'OAuth token has expired. Please run /login',
  'fp-missing': 'Error: Could not resolve authentication method. Expected ANTHROPIC_API_KEY',
  'fp-proxy': 'Error: unable to get local issuer certificate',
  'fp-403': 'API Error: 403 {"type":"error","error":{"type":"permission_error","message":"Your credit balance is too low"}}',
  'fp-csv': '=HYPERLINK("http://evil.example","click") <script>alert(1)</script>',
}

export function seedRows(): Seed[] {
  const rows: Seed[] = []
  // a spike of invalid keys 2 days after a key rotation (5 days ago)
  for (const [i, u] of ['U01', 'U02', 'U03', 'U04', 'U05'].entries()) rows.push({ user: u, cause: 'invalid_api_key', fp: 'fp-401', daysAgo: 3, hour: 9 + i, feedback: i < 3 ? 'fixed' : undefined })
  rows.push({ user: 'U01', cause: 'invalid_api_key', fp: 'fp-401', daysAgo: 2, hour: 10, feedback: 'still_failing' })
  rows.push({ user: 'U01', cause: 'invalid_api_key', fp: 'fp-401', daysAgo: 1, hour: 11, feedback: 'fixed' })
  // expired sessions spread over the month
  for (const d of [28, 21, 14, 12, 7, 6, 2, 0]) rows.push({ user: d % 2 ? 'U06' : 'U07', cause: 'expired_session', fp: 'fp-login', daysAgo: d, hour: 8, feedback: d < 10 ? 'fixed' : undefined })
  // missing keys and the proxy, a couple of each
  rows.push({ user: 'U08', cause: 'missing_api_key', fp: 'fp-missing', daysAgo: 10, hour: 14, feedback: 'still_failing' })
  rows.push({ user: 'U09', cause: 'missing_api_key', fp: 'fp-missing', daysAgo: 9, hour: 15 })
  rows.push({ user: 'U10', cause: 'network_blocked', fp: 'fp-proxy', daysAgo: 15, hour: 12 })
  rows.push({ user: 'U10', cause: 'network_blocked', fp: 'fp-proxy', daysAgo: 15, hour: 13 })
  rows.push({ user: 'U11', cause: 'account_restricted', fp: 'fp-403', daysAgo: 4, hour: 16 })
  // hostile text in an excerpt: escaped in HTML, neutralised in CSV
  rows.push({ user: 'U12', cause: 'credential_conflict', fp: 'fp-csv', daysAgo: 0, hour: 9 })
  // a pasted key (the store redacts it)
  rows.push({ user: 'U13', cause: 'invalid_api_key', fp: 'fp-key', daysAgo: 0, hour: 10, excerpt: `export ANTHROPIC_API_KEY=${PASTED_KEY}\nError: 401 invalid x-api-key` })
  // older than 30 days: only in the 90-day window
  rows.push({ user: 'U14', cause: 'cloud_provider', fp: 'fp-old', daysAgo: 45, hour: 12, excerpt: 'The security token included in the request is expired' })
  return rows
}

export async function seedDashboard(store: Store): Promise<void> {
  const today = Date.UTC(SEED_NOW.getUTCFullYear(), SEED_NOW.getUTCMonth(), SEED_NOW.getUTCDate())
  for (const r of seedRows()) {
    const createdAt = new Date(Math.min(today - r.daysAgo * DAY + r.hour * HOUR, SEED_NOW.getTime() - 60_000))
    const inc = await store.recordIncident({
      id: randomUUID(),
      workspace: WS,
      userId: r.user,
      cause: r.cause,
      confidence: 0.9,
      fingerprint: r.fp,
      excerpt: r.excerpt ?? EXCERPTS[r.fp] ?? r.fp,
      source: 'paste',
      createdAt,
    })
    if (r.feedback) await store.setFeedback(inc.id, r.feedback, r.user)
  }
  await store.recordCredentialEvent({ workspace: WS, kind: 'key_rotated', subject: 'team-api-key', note: 'quarterly rotation', actor: 'vault-rotator', source: 'api', occurredAt: new Date(today - 5 * DAY + 17 * HOUR) })
  await store.recordCredentialEvent({ workspace: WS, kind: 'billing_changed', subject: 'plan', note: 'moved to Team plan', actor: 'U0ADMIN', source: 'command', occurredAt: new Date(today - 4 * DAY + 10 * HOUR) })
  await store.recordCredentialEvent({ workspace: WS, kind: 'user_removed', subject: 'U0LEFT', note: 'deactivated in Slack', source: 'auto', occurredAt: new Date(today - 12 * DAY + 9 * HOUR) })
  await store.recordCredentialEvent({ workspace: WS, kind: 'sso_changed', subject: '@SUM(1+1)', note: '-2+3 formula-looking note', actor: 'U0ADMIN', source: 'command', occurredAt: new Date(today - 20 * DAY + 9 * HOUR) })
  // the other team
  for (const u of ['UX1', 'UX2', 'UX3']) {
    await store.recordIncident({ workspace: OTHER, userId: u, cause: 'remote_login', confidence: 0.9, fingerprint: 'fp-other', excerpt: OTHER_MARKER, source: 'paste', createdAt: new Date(SEED_NOW.getTime() - 2 * HOUR) })
  }
  await store.recordCredentialEvent({ workspace: OTHER, kind: 'key_revoked', subject: OTHER_MARKER, source: 'api', occurredAt: new Date(SEED_NOW.getTime() - HOUR) })
}
