// The Store on Prisma (embedded PGlite or PostgreSQL). Second line of defence for secrets: every string that reaches
// a row goes through `redact` (JSON through `redactDeep`) here, whatever the caller did before. Time comes from the
// injected clock, never from the database, so tests control expiry.
import crypto from 'node:crypto'
import { AppError } from '../errors.js'
import type { Logger } from '../log.js'
import { Prisma } from '../generated/prisma/client.js'
import type { PrismaClient } from '../generated/prisma/client.js'
import { redact, redactDeep } from '../redaction/index.js'
import type { PrismaHandle } from './connection.js'
import { Batcher } from './batcher.js'
import { recurringSummary, ROLLUP_TABLES } from './recurring.js'
import { newDoctorCode, newToken, normaliseDoctorCode, sha256Hex } from './secrets.js'
import {
  CREDENTIAL_EVENT_KINDS,
  type AdminIdentity,
  type ChatPlatform,
  type CredentialEvent,
  type DoctorTokenConsumed,
  type DoctorTokenIssued,
  type DoctorTokenTarget,
  type FeedbackValue,
  type Incident,
  type IncidentSource,
  type NewCredentialEvent,
  type NewDoctorReport,
  type NewIncident,
  type PurgeResult,
  type RecurringSummary,
  type Store,
  type Window,
  type WorkspaceRef,
} from './types.js'

/** Longest stored excerpt of a pasted error, in characters (after redaction). */
export const EXCERPT_MAX_CHARS = 2_000

const LIMITS = {
  id: 256,
  label: 64,
  fingerprint: 128,
  subject: 500,
  note: 2_000,
  name: 200,
} as const

const PLATFORMS: readonly ChatPlatform[] = ['slack', 'discord']
const SOURCES: readonly IncidentSource[] = ['slash', 'paste', 'mention', 'shortcut', 'doctor']

/** The Incident columns as the model reads them (enums and uuids as text, for both adapters). */
const INCIDENT_COLUMNS =
  '"id"::text AS "id", "workspaceId"::text AS "workspaceId", "channelId", "threadId", "messageId", "userId", "cause", "symptom", "confidence", "fingerprint", "excerpt", "os", "source"::text AS "source", "feedback"::text AS "feedback", "feedbackBy", "feedbackAt", "resolved", "createdAt"'

type IncidentInsert = {
  id: string
  workspaceId: string
  channelId: string | null
  threadId: string | null
  messageId: string | null
  userId: string | null
  cause: string
  symptom: string | null
  confidence: number
  fingerprint: string | null
  excerpt: string
  os: string | null
  source: IncidentSource
  createdAt: Date
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export type PrismaStoreOptions = {
  now?: () => Date
  log?: Logger
  /** incident INSERT statements running at once; calls beyond it are batched (default: 1 on PGlite, 4 on PostgreSQL) */
  maxConcurrentWrites?: number
}

/** Cuts `s` to `max` UTF-16 units without leaving half a surrogate pair. */
function cap(s: string, max: number): string {
  if (s.length <= max) return s
  let cut = s.slice(0, max)
  const last = cut.charCodeAt(cut.length - 1)
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1)
  return cut
}

// PostgreSQL text and jsonb cannot hold U+0000.
const NUL = /\u0000/g

/** Redacted, NUL-free, capped text. */
function clean(text: string, max: number): string {
  return cap(redact(text.replace(NUL, '')).text, max)
}

function cleanOpt(text: string | null | undefined, max: number): string | null {
  if (text === null || text === undefined) return null
  if (typeof text !== 'string') text = String(text)
  return clean(text, max)
}

/** Redacted JSON with every string (keys included) free of NUL. */
function cleanJson(value: unknown): Prisma.InputJsonValue {
  const stripped = stripNul(value === undefined ? null : value)
  const { value: redacted } = redactDeep(stripped)
  // round-trip: drops functions/undefined, turns Dates into strings, fails loudly on cycles
  const json = JSON.stringify(redacted ?? null)
  return JSON.parse(json) as Prisma.InputJsonValue
}

function stripNul(value: unknown, ancestors: object[] = []): unknown {
  if (typeof value === 'string') return value.replace(NUL, '')
  if (typeof value === 'bigint') return value.toString() // JSON has no bigint
  if (!value || typeof value !== 'object' || value instanceof Date) return value
  if (ancestors.includes(value)) return '[circular]'
  if (ancestors.length > 64) return '[too deep]'
  const path = [...ancestors, value]
  if (Array.isArray(value)) return value.map((v) => stripNul(v, path))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k.replace(NUL, '')] = stripNul(v, path)
  return out
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002'
}

type IncidentRow = Prisma.IncidentGetPayload<object>

function toIncident(r: IncidentRow): Incident {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    channelId: r.channelId,
    threadId: r.threadId,
    messageId: r.messageId,
    userId: r.userId,
    cause: r.cause,
    symptom: r.symptom,
    confidence: r.confidence,
    fingerprint: r.fingerprint,
    excerpt: r.excerpt,
    os: r.os,
    source: r.source,
    feedback: r.feedback,
    resolved: r.resolved,
    createdAt: r.createdAt,
  }
}

type CredentialEventRow = Prisma.CredentialEventGetPayload<object>

function toCredentialEvent(r: CredentialEventRow): CredentialEvent {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    kind: r.kind,
    subject: r.subject,
    note: r.note,
    actor: r.actor,
    source: r.source,
    occurredAt: r.occurredAt,
    recordedAt: r.recordedAt,
  }
}

type WorkspaceKey = { platform: ChatPlatform; externalId: string }

export class PrismaStore implements Store {
  readonly backend: 'pglite' | 'postgres'
  readonly prisma: PrismaClient
  private readonly now: () => Date
  private readonly log: Logger | undefined
  /** `${platform}:${externalId}` -> workspace row id and name (rows are never deleted while the store runs) */
  private readonly workspaces = new Map<string, { id: string; name: string | null }>()
  private readonly incidentWriter: Batcher<IncidentInsert, Incident>
  private closed = false

  constructor(
    private readonly handle: PrismaHandle,
    options: PrismaStoreOptions = {},
  ) {
    this.backend = handle.backend
    this.prisma = handle.prisma
    this.now = options.now ?? (() => new Date())
    this.log = options.log
    // PGlite runs one statement at a time anyway; PostgreSQL keeps pool connections free for reads
    this.incidentWriter = new Batcher((rows) => this.insertIncidents(rows), {
      maxInFlight: options.maxConcurrentWrites ?? (handle.backend === 'pglite' ? 1 : 4),
      maxBatch: 500,
    })
  }

  async ping(): Promise<void> {
    await this.prisma.$queryRaw`SELECT 1`
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.incidentWriter.drain() // writes already asked for are finished, not cut off
    await this.handle.close()
  }

  // ---- workspaces -------------------------------------------------------------------------------------------------

  private key(ref: WorkspaceRef): WorkspaceKey {
    if (!PLATFORMS.includes(ref.platform)) throw new AppError('INVALID_WORKSPACE', `Unknown chat platform ${JSON.stringify(ref.platform)}`, 400)
    if (typeof ref.externalId !== 'string' || !ref.externalId.trim()) throw new AppError('INVALID_WORKSPACE', 'A workspace needs its team or server id', 400)
    return { platform: ref.platform, externalId: clean(ref.externalId, LIMITS.id) }
  }

  /** The workspace row id, creating the row the first time (safe against concurrent replicas). */
  private async workspaceId(ref: WorkspaceRef): Promise<string> {
    const k = this.key(ref)
    const cacheKey = `${k.platform}:${k.externalId}`
    const name = cleanOpt(ref.name, LIMITS.name)
    const cached = this.workspaces.get(cacheKey)
    if (cached && (name === null || name === cached.name)) return cached.id
    const rows = await this.prisma.$queryRaw<{ id: string; name: string | null }[]>`
      INSERT INTO "Workspace" ("id", "platform", "externalId", "name", "createdAt")
      VALUES (${crypto.randomUUID()}::uuid, ${k.platform}::"ChatPlatform", ${k.externalId}, ${name}, ${this.now()})
      ON CONFLICT ("platform", "externalId") DO UPDATE SET "name" = COALESCE(EXCLUDED."name", "Workspace"."name")
      RETURNING "id"::text AS "id", "name"`
    const row = rows[0]
    if (!row) throw new AppError('STORE_FAILED', 'Could not record the workspace')
    this.workspaces.set(cacheKey, { id: row.id, name: row.name })
    return row.id
  }

  /** The workspace row id, or null when the workspace was never seen (reads never create rows). */
  private async findWorkspaceId(ref: WorkspaceRef): Promise<string | null> {
    const k = this.key(ref)
    const cached = this.workspaces.get(`${k.platform}:${k.externalId}`)
    if (cached) return cached.id
    const row = await this.prisma.workspace.findUnique({ where: { platform_externalId: k }, select: { id: true, name: true } })
    if (!row) return null
    this.workspaces.set(`${k.platform}:${k.externalId}`, row)
    return row.id
  }

  // ---- incidents ------------------------------------------------------------------------------------------------

  async recordIncident(incident: NewIncident): Promise<Incident> {
    if (incident.id !== undefined && !UUID.test(incident.id)) {
      throw new AppError('INVALID_INCIDENT', `An incident id must be a UUID (got ${JSON.stringify(cap(String(incident.id), 40))})`, 400)
    }
    if (typeof incident.confidence !== 'number' || !Number.isFinite(incident.confidence)) {
      throw new AppError('INVALID_INCIDENT', 'An incident needs a finite confidence', 400)
    }
    if (!SOURCES.includes(incident.source)) throw new AppError('INVALID_INCIDENT', `Unknown incident source ${JSON.stringify(incident.source)}`, 400)
    const createdAt = incident.createdAt ?? this.now()
    if (!(createdAt instanceof Date) || Number.isNaN(createdAt.getTime())) throw new AppError('INVALID_INCIDENT', 'An incident needs a valid date', 400)
    const workspaceId = await this.workspaceId(incident.workspace)
    return this.incidentWriter.add({
      id: (incident.id ?? crypto.randomUUID()).toLowerCase(),
      workspaceId,
      channelId: cleanOpt(incident.channelId, LIMITS.id),
      threadId: cleanOpt(incident.threadId, LIMITS.id),
      messageId: cleanOpt(incident.messageId, LIMITS.id),
      userId: cleanOpt(incident.userId, LIMITS.id),
      cause: clean(incident.cause ?? '', LIMITS.label),
      symptom: cleanOpt(incident.symptom, LIMITS.label),
      confidence: Math.min(1, Math.max(0, incident.confidence)),
      fingerprint: cleanOpt(incident.fingerprint, LIMITS.fingerprint),
      excerpt: clean(incident.excerpt ?? '', EXCERPT_MAX_CHARS),
      os: cleanOpt(incident.os, LIMITS.label),
      source: incident.source,
      createdAt,
    })
  }

  /**
   * One multi-row INSERT for a batch of incidents (PostgreSQL allows 65,535 parameters: 500 rows use 7,000). An id that already exists (a retried write whose first answer was
   * lost) is not an error: the stored row is returned for it.
   */
  private async insertIncidents(rows: IncidentInsert[]): Promise<Incident[]> {
    // plain SQL (the hottest statement: Prisma's raw-query path costs more than the INSERT itself)
    const params: unknown[] = []
    const values = rows.map((r) => {
      const b = params.length
      params.push(r.id, r.workspaceId, r.channelId, r.threadId, r.messageId, r.userId, r.cause, r.symptom, r.confidence, r.fingerprint, r.excerpt, r.os, r.source, r.createdAt)
      const p = (k: number) => `$${b + k}`
      return `(${p(1)}::uuid, ${p(2)}::uuid, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}::float8, ${p(10)}, ${p(11)}, ${p(12)}, ${p(13)}::"IncidentSource", ${p(14)}::timestamptz)`
    })
    const inserted = await this.handle.sql.query<IncidentRow>(
      `INSERT INTO "Incident" ("id", "workspaceId", "channelId", "threadId", "messageId", "userId", "cause", "symptom", "confidence", "fingerprint", "excerpt", "os", "source", "createdAt")
       VALUES ${values.join(', ')}
       ON CONFLICT ("id") DO NOTHING
       RETURNING ${INCIDENT_COLUMNS}`,
      params,
    )
    const byId = new Map(inserted.map((r) => [r.id, r]))
    const missing = rows.filter((r) => !byId.has(r.id)).map((r) => r.id)
    if (missing.length) {
      for (const r of await this.prisma.incident.findMany({ where: { id: { in: missing } } })) byId.set(r.id, r)
    }
    return rows.map((r) => {
      const row = byId.get(r.id)
      if (!row) throw new AppError('STORE_FAILED', `Incident ${r.id} was neither inserted nor found`)
      return toIncident(row)
    })
  }

  async setFeedback(incidentId: string, feedback: FeedbackValue, byUserId?: string | null): Promise<Incident | null> {
    if (!UUID.test(incidentId)) return null
    if (feedback !== 'fixed' && feedback !== 'still_failing') throw new AppError('INVALID_FEEDBACK', `Unknown feedback ${JSON.stringify(feedback)}`, 400)
    const rows = await this.prisma.incident.updateManyAndReturn({
      where: { id: incidentId },
      data: { feedback, feedbackBy: cleanOpt(byUserId, LIMITS.id), feedbackAt: this.now(), resolved: feedback === 'fixed' },
    })
    return rows[0] ? toIncident(rows[0]) : null
  }

  async getIncident(incidentId: string): Promise<Incident | null> {
    if (!UUID.test(incidentId)) return null
    const row = await this.prisma.incident.findUnique({ where: { id: incidentId } })
    return row ? toIncident(row) : null
  }

  // ---- credential events ----------------------------------------------------------------------------------------

  async recordCredentialEvent(event: NewCredentialEvent): Promise<CredentialEvent> {
    if (!(CREDENTIAL_EVENT_KINDS as readonly string[]).includes(event.kind)) {
      throw new AppError('INVALID_CREDENTIAL_EVENT', `Unknown credential event kind ${JSON.stringify(event.kind)}; one of ${CREDENTIAL_EVENT_KINDS.join(', ')}`, 400)
    }
    const workspaceId = await this.workspaceId(event.workspace)
    const now = this.now()
    const row = await this.prisma.credentialEvent.create({
      data: {
        id: crypto.randomUUID(),
        workspaceId,
        kind: event.kind,
        subject: cleanOpt(event.subject, LIMITS.subject),
        note: cleanOpt(event.note, LIMITS.note),
        actor: cleanOpt(event.actor, LIMITS.id),
        source: event.source,
        occurredAt: event.occurredAt ?? now,
        recordedAt: now,
      },
    })
    return toCredentialEvent(row)
  }

  async listCredentialEvents(workspace: WorkspaceRef, options: { since?: Date; limit?: number } = {}): Promise<CredentialEvent[]> {
    const workspaceId = await this.findWorkspaceId(workspace)
    if (!workspaceId) return []
    const rows = await this.prisma.credentialEvent.findMany({
      where: { workspaceId, ...(options.since ? { occurredAt: { gte: options.since } } : {}) },
      orderBy: [{ occurredAt: 'desc' }, { recordedAt: 'desc' }],
      take: Math.min(Math.max(1, Math.floor(options.limit ?? 50)), 1_000),
    })
    return rows.map(toCredentialEvent)
  }

  // ---- doctor ---------------------------------------------------------------------------------------------------

  async issueDoctorToken(target: DoctorTokenTarget, ttlMs: number): Promise<DoctorTokenIssued> {
    if (!(ttlMs > 0)) throw new AppError('INVALID_TTL', 'A doctor code needs a positive lifetime', 400)
    const workspaceId = await this.workspaceId(target.workspace)
    const now = this.now()
    const expiresAt = new Date(now.getTime() + ttlMs)
    for (let attempt = 0; ; attempt++) {
      const code = newDoctorCode()
      try {
        await this.prisma.doctorToken.create({
          data: {
            id: crypto.randomUUID(),
            tokenHash: sha256Hex(normaliseDoctorCode(code)!),
            workspaceId,
            channelId: clean(target.channelId ?? '', LIMITS.id),
            threadId: cleanOpt(target.threadId, LIMITS.id),
            userId: cleanOpt(target.userId, LIMITS.id),
            expiresAt,
            createdAt: now,
          },
        })
        return { code, expiresAt }
      } catch (e) {
        if (!isUniqueViolation(e) || attempt >= 3) throw e
      }
    }
  }

  async consumeDoctorToken(code: string): Promise<DoctorTokenConsumed> {
    const normal = typeof code === 'string' ? normaliseDoctorCode(code) : null
    if (!normal) return { ok: false, reason: 'unknown' }
    const tokenHash = sha256Hex(normal)
    const now = this.now()
    // one conditional UPDATE: of two concurrent consumers exactly one matches the row
    const rows = await this.prisma.doctorToken.updateManyAndReturn({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
      include: { workspace: true },
    })
    const row = rows[0]
    if (row) {
      return {
        ok: true,
        tokenId: row.id,
        target: {
          workspace: { platform: row.workspace.platform, externalId: row.workspace.externalId, name: row.workspace.name },
          channelId: row.channelId,
          threadId: row.threadId,
          userId: row.userId,
        },
      }
    }
    const existing = await this.prisma.doctorToken.findUnique({ where: { tokenHash }, select: { usedAt: true } })
    if (!existing) return { ok: false, reason: 'unknown' }
    return { ok: false, reason: existing.usedAt ? 'used' : 'expired' }
  }

  async saveDoctorReport(report: NewDoctorReport): Promise<{ id: string }> {
    if (!UUID.test(report.tokenId)) throw new AppError('INVALID_DOCTOR_REPORT', 'A doctor report needs the id of the consumed code', 400)
    const workspaceId = await this.workspaceId(report.workspace)
    const id = crypto.randomUUID()
    try {
      await this.prisma.doctorReport.create({
        data: {
          id,
          workspaceId,
          tokenId: report.tokenId,
          userId: cleanOpt(report.userId, LIMITS.id),
          cause: clean(report.cause ?? '', LIMITS.label),
          report: cleanJson(report.report),
          findings: cleanJson(report.findings),
          createdAt: this.now(),
        },
      })
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError('DOCTOR_REPORT_EXISTS', 'A report was already uploaded with this code', 409)
      throw e
    }
    return { id }
  }

  // ---- de-duplication -----------------------------------------------------------------------------------------

  async claimEvent(platform: ChatPlatform, eventId: string): Promise<boolean> {
    if (!PLATFORMS.includes(platform)) throw new AppError('INVALID_EVENT', `Unknown chat platform ${JSON.stringify(platform)}`, 400)
    if (typeof eventId !== 'string' || !eventId) throw new AppError('INVALID_EVENT', 'An event id is required', 400)
    // INSERT … ON CONFLICT DO NOTHING: the primary key decides, across processes and replicas. Raw SQL because it
    // is on every message's hot path and Prisma's createMany({ skipDuplicates }) costs several times more here.
    const count = await this.prisma.$executeRaw`
      INSERT INTO "ProcessedEvent" ("platform", "eventId", "processedAt")
      VALUES (${platform}::"ChatPlatform", ${clean(eventId, LIMITS.id)}, ${this.now()})
      ON CONFLICT DO NOTHING`
    return count === 1
  }

  async claimSpikeAlert(workspace: WorkspaceRef, cause: string, windowStart: Date, people: number): Promise<boolean> {
    const workspaceId = await this.workspaceId(workspace)
    const { count } = await this.prisma.spikeAlert.createMany({
      data: [
        {
          id: crypto.randomUUID(),
          workspaceId,
          cause: clean(cause, LIMITS.label),
          windowStart,
          people: Math.max(0, Math.floor(people)),
          createdAt: this.now(),
        },
      ],
      skipDuplicates: true,
    })
    return count === 1
  }

  // ---- reporting ------------------------------------------------------------------------------------------------

  async peopleWithCause(workspace: WorkspaceRef, cause: string, window: Window): Promise<number> {
    const workspaceId = await this.findWorkspaceId(workspace)
    if (!workspaceId) return 0
    const until = window.until ?? this.now()
    const rows = await this.prisma.$queryRaw<{ people: number }[]>`
      SELECT count(DISTINCT "userId")::int AS "people" FROM "Incident"
      WHERE "workspaceId" = ${workspaceId}::uuid AND "cause" = ${clean(cause, LIMITS.label)}
        AND "createdAt" >= ${window.since} AND "createdAt" < ${until}`
    return Number(rows[0]?.people ?? 0)
  }

  async recurring(workspace: WorkspaceRef | null, window: Window, options: { cause?: string; limit?: number } = {}): Promise<RecurringSummary> {
    const until = window.until ?? this.now()
    const since = window.since
    const limit = Math.min(Math.max(1, Math.floor(options.limit ?? 10)), 100)
    if (!(since instanceof Date) || Number.isNaN(since.getTime()) || !(until instanceof Date) || Number.isNaN(until.getTime())) {
      throw new AppError('INVALID_WINDOW', 'A window needs valid since and until dates', 400)
    }
    let workspaceId: string | null = null
    if (workspace) {
      workspaceId = await this.findWorkspaceId(workspace)
      if (!workspaceId) {
        return { window: { since, until }, total: 0, byCause: [], topFingerprints: [], repeatUsers: [], perDay: [], feedback: { fixed: 0, stillFailing: 0, none: 0 } }
      }
    }
    const cause = options.cause === undefined ? null : clean(options.cause, LIMITS.label)
    // People are (workspace, user) pairs, so the same user id in two workspaces counts as two people.
    return recurringSummary(this.handle.sql, { workspaceId, cause, since, until, limit })
  }

  // ---- admin sign-in --------------------------------------------------------------------------------------------

  private identityData(identity: AdminIdentity) {
    if (!PLATFORMS.includes(identity.platform)) throw new AppError('INVALID_IDENTITY', `Unknown chat platform ${JSON.stringify(identity.platform)}`, 400)
    return {
      platform: identity.platform,
      workspaceExternalId: clean(identity.workspaceExternalId ?? '', LIMITS.id),
      userId: clean(identity.userId ?? '', LIMITS.id),
    }
  }

  async issueAdminLogin(identity: AdminIdentity, ttlMs: number): Promise<{ token: string; expiresAt: Date }> {
    if (!(ttlMs > 0)) throw new AppError('INVALID_TTL', 'A sign-in link needs a positive lifetime', 400)
    const now = this.now()
    const token = newToken()
    const expiresAt = new Date(now.getTime() + ttlMs)
    await this.prisma.adminLogin.create({
      data: { id: crypto.randomUUID(), tokenHash: sha256Hex(token), ...this.identityData(identity), expiresAt, createdAt: now },
    })
    return { token, expiresAt }
  }

  async consumeAdminLogin(
    token: string,
    sessionTtlMs: number,
  ): Promise<{ session: string; csrfToken: string; identity: AdminIdentity; expiresAt: Date } | null> {
    if (typeof token !== 'string' || !token) return null
    const now = this.now()
    const used = await this.prisma.adminLogin.updateManyAndReturn({
      where: { tokenHash: sha256Hex(token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    })
    const login = used[0]
    if (!login) return null
    const session = newToken()
    const csrfToken = newToken()
    const expiresAt = new Date(now.getTime() + Math.max(1, sessionTtlMs))
    const identity: AdminIdentity = { platform: login.platform, workspaceExternalId: login.workspaceExternalId, userId: login.userId }
    await this.prisma.adminSession.create({
      data: { id: crypto.randomUUID(), sessionHash: sha256Hex(session), ...identity, csrfToken, expiresAt, createdAt: now },
    })
    return { session, csrfToken, identity, expiresAt }
  }

  async getAdminSession(session: string): Promise<{ identity: AdminIdentity; csrfToken: string; expiresAt: Date } | null> {
    if (typeof session !== 'string' || !session) return null
    const row = await this.prisma.adminSession.findUnique({ where: { sessionHash: sha256Hex(session) } })
    if (!row || row.expiresAt.getTime() <= this.now().getTime()) return null
    return {
      identity: { platform: row.platform, workspaceExternalId: row.workspaceExternalId, userId: row.userId },
      csrfToken: row.csrfToken,
      expiresAt: row.expiresAt,
    }
  }

  async deleteAdminSession(session: string): Promise<void> {
    if (typeof session !== 'string' || !session) return
    await this.prisma.adminSession.deleteMany({ where: { sessionHash: sha256Hex(session) } })
  }

  // ---- retention ------------------------------------------------------------------------------------------------

  async purgeOlderThan(days: number): Promise<PurgeResult> {
    if (!(days >= 0) || !Number.isFinite(days)) throw new AppError('INVALID_RETENTION', 'Retention must be a number of days', 400)
    const now = this.now()
    const cutoff = new Date(now.getTime() - days * 86_400_000)
    const p = this.prisma
    const incidents = await p.incident.deleteMany({ where: { createdAt: { lt: cutoff } } })
    const credentialEvents = await p.credentialEvent.deleteMany({ where: { occurredAt: { lt: cutoff } } })
    const doctorReports = await p.doctorReport.deleteMany({ where: { createdAt: { lt: cutoff } } })
    const doctorTokens = await p.doctorToken.deleteMany({ where: { createdAt: { lt: cutoff } } })
    const processedEvents = await p.processedEvent.deleteMany({ where: { processedAt: { lt: cutoff } } })
    const adminLogins = await p.adminLogin.deleteMany({ where: { createdAt: { lt: cutoff } } })
    const adminSessions = await p.adminSession.deleteMany({ where: { OR: [{ createdAt: { lt: cutoff } }, { expiresAt: { lte: now } }] } })
    await p.spikeAlert.deleteMany({ where: { createdAt: { lt: cutoff } } })
    const result: PurgeResult = {
      incidents: incidents.count,
      credentialEvents: credentialEvents.count,
      doctorTokens: doctorTokens.count,
      doctorReports: doctorReports.count,
      processedEvents: processedEvents.count,
      adminLogins: adminLogins.count,
      adminSessions: adminSessions.count,
    }
    if (this.backend === 'pglite') await this.tidyEmbedded()
    this.log?.info({ days, ...result }, 'old rows purged')
    return result
  }

  /** PGlite has no autovacuum: after a purge, reclaim the rollups' dead row versions and refresh planner statistics. */
  private async tidyEmbedded(): Promise<void> {
    for (const table of ROLLUP_TABLES) await this.prisma.$executeRawUnsafe(`VACUUM (ANALYZE) "${table}"`)
    await this.prisma.$executeRawUnsafe('ANALYZE "Incident"')
  }
}
