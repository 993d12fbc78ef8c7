// Ties a diagnosis to the team's recent credential-change events: which event kinds can explain which cause, the
// most recent relevant event, and how long ago it happened ("2 hours ago"). Pure: `now` is passed in.
import type { Verdict } from '../diagnosis/types.js'
import { redact } from '../redaction/index.js'
import type { RelatedEvent } from './types.js'

const RELEVANT: Record<Verdict, readonly string[]> = {
  expired_session: ['sso_changed', 'policy_changed', 'user_removed', 'org_changed'],
  invalid_api_key: ['key_rotated', 'key_revoked', 'org_changed'],
  missing_api_key: ['key_rotated', 'key_revoked'],
  corrupted_credentials: [],
  network_blocked: ['policy_changed'],
  multiple_installs: [],
  account_restricted: ['user_removed', 'billing_changed', 'org_changed', 'policy_changed'],
  ide_environment: ['key_rotated'],
  remote_login: ['sso_changed'],
  credential_conflict: ['key_rotated', 'key_revoked', 'sso_changed'],
  cloud_provider: ['key_rotated', 'key_revoked', 'policy_changed', 'sso_changed'],
  not_auth: [],
  none: [],
}

/** Credential-event kinds that can explain a cause (store kinds: key_rotated, user_removed, ...). */
export function relevantEventKinds(cause: Verdict): string[] {
  return [...RELEVANT[cause]]
}

/** Events up to this far in the future (clock skew between replicas) still count as "just now". */
const FUTURE_TOLERANCE_MS = 5 * 60_000

/** The most recent event relevant to the cause, not after `now` (when given); null when none. */
export function pickRelevantEvent(cause: Verdict, events: readonly RelatedEvent[], now?: Date): RelatedEvent | null {
  const kinds = RELEVANT[cause]
  let best: RelatedEvent | null = null
  for (const e of events) {
    if (!kinds.includes(e.kind)) continue
    const t = e.occurredAt.getTime()
    if (Number.isNaN(t)) continue
    if (now && t > now.getTime() + FUTURE_TOLERANCE_MS) continue
    if (!best || t > best.occurredAt.getTime()) best = e
  }
  return best
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`

/** "just now", "5 minutes ago", "2 hours ago", "3 days ago", "2 months ago" */
export function timeAgo(then: Date, now: Date): string {
  const seconds = Math.floor((now.getTime() - then.getTime()) / 1000)
  if (seconds < 60) return 'just now'
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${plural(minutes, 'minute')} ago`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return `${plural(hours, 'hour')} ago`
  const days = Math.floor(hours / 24)
  if (days < 60) return `${plural(days, 'day')} ago`
  return `${plural(Math.floor(days / 30), 'month')} ago`
}

const WHAT: Record<string, [happened: string, consequence: string]> = {
  key_rotated: ['an API key was rotated', 'Any machine still using the old key is refused until it gets the new one.'],
  key_revoked: ['an API key was revoked', 'A revoked key stops working everywhere at once.'],
  user_removed: ['a user was removed from the organization', 'If that was you, an admin has to add you back.'],
  user_added: ['a user was added to the organization', 'New members may need to sign out and in again to pick up access.'],
  org_changed: ['the organization was changed', 'That can change which keys and logins are accepted.'],
  billing_changed: ['billing was changed', 'Access can pause until billing is settled.'],
  policy_changed: ['an access policy was changed', 'That can change who may use Claude Code, and from where.'],
  sso_changed: ['single sign-on was changed', 'Existing logins often have to sign in again afterwards.'],
  other: ['a credential change was recorded', 'It may be related.'],
}

/** The sentence about a relevant team event, or null when none of the events fits the cause. */
export function eventNoteFor(cause: Verdict, events: readonly RelatedEvent[] | undefined, now?: Date): string | null {
  if (!events?.length) return null
  const e = pickRelevantEvent(cause, events, now)
  if (!e) return null
  const [happened, consequence] = WHAT[e.kind] ?? WHAT.other!
  const when = now ? timeAgo(e.occurredAt, now) : `on ${e.occurredAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`
  const subject = e.subject ? redact(e.subject).text.replace(/\s+/g, ' ').trim().slice(0, 80) : ''
  return `Your team recorded that ${happened}${subject ? ` (${subject})` : ''} ${when}. ${consequence}`
}
