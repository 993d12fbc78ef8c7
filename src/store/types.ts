// The storage contract every other part codes against. Implemented by src/store/prisma-store.ts on embedded
// PGlite or PostgreSQL. Every text field that could carry user input is redacted by the store itself before it is
// written (second line of defence; callers redact first).

export type ChatPlatform = 'slack' | 'discord'
export type IncidentSource = 'slash' | 'paste' | 'mention' | 'shortcut' | 'doctor'
export type FeedbackValue = 'fixed' | 'still_failing'
export const CREDENTIAL_EVENT_KINDS = [
  'key_rotated',
  'key_revoked',
  'user_removed',
  'user_added',
  'org_changed',
  'billing_changed',
  'policy_changed',
  'sso_changed',
  'other',
] as const
export type CredentialEventKind = (typeof CREDENTIAL_EVENT_KINDS)[number]
export type CredentialEventSource = 'command' | 'api' | 'auto'

/** A Slack workspace (team id) or a Discord server (guild id). */
export type WorkspaceRef = { platform: ChatPlatform; externalId: string; name?: string | null }

export type NewIncident = {
  /** optional caller-chosen UUID, so buttons can carry the id before the row is written (write-behind) */
  id?: string
  workspace: WorkspaceRef
  channelId?: string | null
  threadId?: string | null
  messageId?: string | null
  userId?: string | null
  cause: string
  symptom?: string | null
  confidence: number
  fingerprint?: string | null
  /** redacted excerpt of the pasted error; the store redacts it again and caps its length */
  excerpt: string
  os?: string | null
  source: IncidentSource
  /** defaults to the store's clock */
  createdAt?: Date
}

export type Incident = Omit<NewIncident, 'workspace' | 'createdAt' | 'id'> & {
  id: string
  workspaceId: string
  feedback: FeedbackValue | null
  resolved: boolean
  createdAt: Date
}

export type NewCredentialEvent = {
  workspace: WorkspaceRef
  kind: CredentialEventKind
  subject?: string | null
  note?: string | null
  actor?: string | null
  source: CredentialEventSource
  occurredAt?: Date
}

export type CredentialEvent = Omit<NewCredentialEvent, 'workspace' | 'occurredAt'> & {
  id: string
  workspaceId: string
  occurredAt: Date
  recordedAt: Date
}

/** Where the answer to a doctor upload goes: the thread where `/claude-auth doctor` was run. */
export type DoctorTokenTarget = {
  workspace: WorkspaceRef
  channelId: string
  threadId?: string | null
  userId?: string | null
}

export type DoctorTokenIssued = { code: string; expiresAt: Date }

export type DoctorTokenConsumed =
  | { ok: true; tokenId: string; target: DoctorTokenTarget }
  | { ok: false; reason: 'unknown' | 'expired' | 'used' }

export type NewDoctorReport = {
  tokenId: string
  workspace: WorkspaceRef
  userId?: string | null
  cause: string
  /** already redacted by the caller; redacted again by the store */
  report: unknown
  findings: unknown
}

export type Window = { since: Date; until?: Date }

export type RecurringSummary = {
  window: { since: Date; until: Date }
  total: number
  byCause: { cause: string; count: number; people: number }[]
  topFingerprints: { fingerprint: string; cause: string; count: number; people: number; lastSeen: Date; excerpt: string }[]
  repeatUsers: { userId: string; cause: string; count: number; lastSeen: Date }[]
  perDay: { day: string; cause: string; count: number }[]
  feedback: { fixed: number; stillFailing: number; none: number }
}

export type AdminIdentity = { platform: ChatPlatform; workspaceExternalId: string; userId: string }

export type PurgeResult = { incidents: number; credentialEvents: number; doctorTokens: number; doctorReports: number; processedEvents: number; adminLogins: number; adminSessions: number }

export interface Store {
  readonly backend: 'pglite' | 'postgres'
  /** resolves when the database answers a trivial query */
  ping(): Promise<void>
  close(): Promise<void>

  recordIncident(incident: NewIncident): Promise<Incident>
  /** null when the incident does not exist */
  setFeedback(incidentId: string, feedback: FeedbackValue, byUserId?: string | null): Promise<Incident | null>
  getIncident(incidentId: string): Promise<Incident | null>

  recordCredentialEvent(event: NewCredentialEvent): Promise<CredentialEvent>
  listCredentialEvents(workspace: WorkspaceRef, options?: { since?: Date; limit?: number }): Promise<CredentialEvent[]>

  issueDoctorToken(target: DoctorTokenTarget, ttlMs: number): Promise<DoctorTokenIssued>
  /** atomic: of two concurrent calls with the same code, exactly one gets ok:true */
  consumeDoctorToken(code: string): Promise<DoctorTokenConsumed>
  saveDoctorReport(report: NewDoctorReport): Promise<{ id: string }>

  /** true the first time (platform, eventId) is seen, false on every duplicate, across processes */
  claimEvent(platform: ChatPlatform, eventId: string): Promise<boolean>

  recurring(workspace: WorkspaceRef | null, window: Window, options?: { cause?: string; limit?: number }): Promise<RecurringSummary>
  /** distinct people who hit `cause` in the window */
  peopleWithCause(workspace: WorkspaceRef, cause: string, window: Window): Promise<number>
  /** false when an alert for this (workspace, cause, windowStart) was already recorded */
  claimSpikeAlert(workspace: WorkspaceRef, cause: string, windowStart: Date, people: number): Promise<boolean>

  issueAdminLogin(identity: AdminIdentity, ttlMs: number): Promise<{ token: string; expiresAt: Date }>
  /** single use: opens a session; null when the token is unknown, used or expired */
  consumeAdminLogin(token: string, sessionTtlMs: number): Promise<{ session: string; csrfToken: string; identity: AdminIdentity; expiresAt: Date } | null>
  getAdminSession(session: string): Promise<{ identity: AdminIdentity; csrfToken: string; expiresAt: Date } | null>
  deleteAdminSession(session: string): Promise<void>

  /** removes rows older than `days` days (incidents, events, tokens, reports, processed ids, admin links) */
  purgeOlderThan(days: number): Promise<PurgeResult>
}
