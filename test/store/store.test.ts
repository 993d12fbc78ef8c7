// The Store contract on every available backend (PGlite always; PostgreSQL when TEST_DATABASE_URL is set).
import crypto from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src/errors.js'
import { CODE_ALPHABET, CODE_LENGTH } from '../../src/store/secrets.js'
import { EXCERPT_MAX_CHARS } from '../../src/store/prisma-store.js'
import { openStore } from '../../src/store/open-store.js'
import type { NewIncident, WorkspaceRef } from '../../src/store/types.js'
import { createTestStore, testBackends, type TestStore } from '../support/test-store.js'

const T0 = new Date('2026-03-02T10:00:00.000Z')
const MIN = 60_000
const DAY = 86_400_000

describe.each(testBackends())('Store on %s', (backend) => {
  let t: TestStore
  let clock = T0
  let n = 0
  /** a workspace no other test touches */
  const freshWorkspace = (): WorkspaceRef => ({ platform: n % 2 ? 'discord' : 'slack', externalId: `W-${backend}-${++n}-${crypto.randomUUID().slice(0, 8)}` })
  const incident = (ws: WorkspaceRef, over: Partial<NewIncident> = {}): NewIncident => ({
    workspace: ws,
    cause: 'invalid_api_key',
    confidence: 0.9,
    excerpt: 'Error: 401 {"type":"authentication_error","message":"invalid x-api-key"}',
    source: 'paste',
    ...over,
  })

  beforeAll(async () => {
    t = await createTestStore(backend, { now: () => clock })
  }, 180_000)
  afterAll(async () => {
    await t?.cleanup()
  })
  beforeEach(() => {
    clock = T0
  })

  it(`GIVEN a store on ${backend} WHEN it is pinged THEN it answers and names its backend`, async () => {
    await expect(t.store.ping()).resolves.toBeUndefined()
    expect(t.store.backend).toBe(backend)
  })

  describe('incidents', () => {
    it('GIVEN a caller-chosen id WHEN the incident is recorded THEN it is stored under that id with the store clock time', async () => {
      const ws = freshWorkspace()
      const id = crypto.randomUUID()
      const rec = await t.store.recordIncident(incident(ws, { id, userId: 'U1', channelId: 'C1', threadId: '1.2', messageId: 'm1', symptom: 'unauthorized_401', fingerprint: 'fp-a', os: 'macos' }))
      expect(rec).toMatchObject({ id, cause: 'invalid_api_key', symptom: 'unauthorized_401', userId: 'U1', channelId: 'C1', threadId: '1.2', messageId: 'm1', fingerprint: 'fp-a', os: 'macos', source: 'paste', feedback: null, resolved: false })
      expect(rec.createdAt.toISOString()).toBe(T0.toISOString())
      expect(await t.store.getIncident(id)).toEqual(rec)
    })

    it('GIVEN an incident already recorded WHEN the same id is recorded again (a retried write) THEN the first row is returned, not an error', async () => {
      const ws = freshWorkspace()
      const id = crypto.randomUUID()
      const first = await t.store.recordIncident(incident(ws, { id, excerpt: 'first' }))
      const again = await t.store.recordIncident(incident(ws, { id, excerpt: 'second' }))
      expect(again).toEqual(first)
    })

    it('GIVEN the same caller-chosen id WHEN five writes of it race THEN one row exists and every caller gets it', async () => {
      const ws = freshWorkspace()
      const id = crypto.randomUUID()
      const recs = await Promise.all([1, 2, 3, 4, 5].map((k) => t.store.recordIncident(incident(ws, { id, excerpt: `try ${k}` }))))
      expect(new Set(recs.map((r) => r.excerpt)).size).toBe(1)
      expect(await t.store.prisma.incident.count({ where: { id } })).toBe(1)
    })

    it('GIVEN an id that is not a UUID WHEN an incident is recorded THEN an AppError says so', async () => {
      await expect(t.store.recordIncident(incident(freshWorkspace(), { id: 'not-a-uuid' }))).rejects.toBeInstanceOf(AppError)
    })

    it('GIVEN a huge pasted excerpt with a key in it WHEN recorded THEN the stored excerpt is redacted and capped', async () => {
      const key = 'sk-ant-api03-' + 'Q'.repeat(93) + 'AA'
      const rec = await t.store.recordIncident(incident(freshWorkspace(), { excerpt: `x-api-key: ${key}\n` + 'y'.repeat(10_000) }))
      expect(rec.excerpt.length).toBe(EXCERPT_MAX_CHARS)
      expect(rec.excerpt).not.toContain('sk-ant-api03')
      expect(rec.excerpt).toContain('[anthropic-api-key]')
    })

    it('GIVEN text with NUL characters WHEN recorded THEN it is stored without them', async () => {
      const rec = await t.store.recordIncident(incident(freshWorkspace(), { excerpt: 'a\u0000b' }))
      expect(rec.excerpt).toBe('ab')
    })

    it('GIVEN an unknown incident id WHEN it is read THEN null is returned', async () => {
      expect(await t.store.getIncident(crypto.randomUUID())).toBeNull()
      expect(await t.store.getIncident('nope')).toBeNull()
    })

    it('GIVEN an incident WHEN someone says "fixed" THEN feedback is stored and it is resolved; "still failing" unresolves it', async () => {
      const rec = await t.store.recordIncident(incident(freshWorkspace()))
      const fixed = await t.store.setFeedback(rec.id, 'fixed', 'U9')
      expect(fixed).toMatchObject({ id: rec.id, feedback: 'fixed', resolved: true })
      const failing = await t.store.setFeedback(rec.id, 'still_failing', 'U9')
      expect(failing).toMatchObject({ feedback: 'still_failing', resolved: false })
      expect(await t.store.getIncident(rec.id)).toMatchObject({ feedback: 'still_failing', resolved: false })
    })

    it('GIVEN no such incident WHEN feedback is given THEN null is returned', async () => {
      expect(await t.store.setFeedback(crypto.randomUUID(), 'fixed', 'U1')).toBeNull()
    })

    it('GIVEN concurrent writers WHEN 50 incidents are recorded at once for a new workspace THEN all are stored in one workspace', async () => {
      const ws = freshWorkspace()
      const recs = await Promise.all(Array.from({ length: 50 }, (_, i) => t.store.recordIncident(incident(ws, { userId: `U${i}` }))))
      expect(new Set(recs.map((r) => r.workspaceId)).size).toBe(1)
      expect((await t.store.recurring(ws, { since: T0, until: new Date(T0.getTime() + 1) })).total).toBe(50)
    })
  })

  describe('credential events', () => {
    it('GIVEN events WHEN listed THEN newest first, filtered by since, limited, and scoped to the workspace', async () => {
      const ws = freshWorkspace()
      const other = freshWorkspace()
      for (let i = 0; i < 5; i++) {
        await t.store.recordCredentialEvent({ workspace: ws, kind: 'key_rotated', subject: `key ${i}`, note: 'rotated by ops', actor: 'U1', source: 'command', occurredAt: new Date(T0.getTime() - i * DAY) })
      }
      await t.store.recordCredentialEvent({ workspace: other, kind: 'user_removed', source: 'api' })
      const all = await t.store.listCredentialEvents(ws)
      expect(all.map((e) => e.subject)).toEqual(['key 0', 'key 1', 'key 2', 'key 3', 'key 4'])
      expect(all[0]).toMatchObject({ kind: 'key_rotated', note: 'rotated by ops', actor: 'U1', source: 'command' })
      expect(all[0]!.recordedAt.toISOString()).toBe(T0.toISOString())
      const recent = await t.store.listCredentialEvents(ws, { since: new Date(T0.getTime() - 2 * DAY) })
      expect(recent.map((e) => e.subject)).toEqual(['key 0', 'key 1', 'key 2'])
      expect(await t.store.listCredentialEvents(ws, { limit: 2 })).toHaveLength(2)
    })

    it('GIVEN a workspace never seen WHEN its events are listed THEN the list is empty and no workspace is created', async () => {
      const ws = freshWorkspace()
      expect(await t.store.listCredentialEvents(ws)).toEqual([])
      expect(await t.store.prisma.workspace.count({ where: { externalId: ws.externalId } })).toBe(0)
    })

    it('GIVEN an unknown kind WHEN an event is recorded THEN an AppError is thrown', async () => {
      await expect(t.store.recordCredentialEvent({ workspace: freshWorkspace(), kind: 'exploded' as never, source: 'api' })).rejects.toBeInstanceOf(AppError)
    })
  })

  describe('doctor codes', () => {
    it('GIVEN an issued code WHEN inspected THEN it is made of the unambiguous alphabet and only its hash is stored', async () => {
      const issued = await t.store.issueDoctorToken({ workspace: freshWorkspace(), channelId: 'C1' }, 30 * MIN)
      const bare = issued.code.replace(/-/g, '')
      expect(bare).toHaveLength(CODE_LENGTH)
      for (const ch of bare) expect(CODE_ALPHABET).toContain(ch)
      expect(issued.expiresAt.getTime()).toBe(T0.getTime() + 30 * MIN)
      const rows = await t.store.prisma.doctorToken.findMany()
      expect(rows.some((r) => r.tokenHash === crypto.createHash('sha256').update(bare).digest('hex'))).toBe(true)
      expect(JSON.stringify(rows)).not.toContain(bare)
    })

    it('GIVEN an issued code WHEN it is consumed (typed in lower case with spaces) THEN the target comes back, and a second use says "used"', async () => {
      const ws = { ...freshWorkspace(), name: 'Acme' }
      const issued = await t.store.issueDoctorToken({ workspace: ws, channelId: 'C7', threadId: '171.5', userId: 'U3' }, 30 * MIN)
      const typed = ` ${issued.code.toLowerCase().replace('-', ' ')} `
      const first = await t.store.consumeDoctorToken(typed)
      expect(first).toMatchObject({ ok: true, target: { workspace: { platform: ws.platform, externalId: ws.externalId, name: 'Acme' }, channelId: 'C7', threadId: '171.5', userId: 'U3' } })
      expect(await t.store.consumeDoctorToken(issued.code)).toEqual({ ok: false, reason: 'used' })
    })

    it('GIVEN an issued code WHEN the clock passes its expiry THEN consuming it says "expired"', async () => {
      const issued = await t.store.issueDoctorToken({ workspace: freshWorkspace(), channelId: 'C1' }, 30 * MIN)
      clock = new Date(T0.getTime() + 30 * MIN)
      expect(await t.store.consumeDoctorToken(issued.code)).toEqual({ ok: false, reason: 'expired' })
    })

    it('GIVEN a code never issued or malformed WHEN consumed THEN it says "unknown"', async () => {
      expect(await t.store.consumeDoctorToken('AAAAA-AAAAA')).toEqual({ ok: false, reason: 'unknown' })
      expect(await t.store.consumeDoctorToken('0000')).toEqual({ ok: false, reason: 'unknown' })
      expect(await t.store.consumeDoctorToken('')).toEqual({ ok: false, reason: 'unknown' })
    })

    it('GIVEN one code WHEN 10 uploads race to consume it THEN exactly one wins and the others are told "used"', async () => {
      const issued = await t.store.issueDoctorToken({ workspace: freshWorkspace(), channelId: 'C1' }, 30 * MIN)
      const results = await Promise.all(Array.from({ length: 10 }, () => t.store.consumeDoctorToken(issued.code)))
      expect(results.filter((r) => r.ok)).toHaveLength(1)
      expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'used')).toBe(true)
    })

    it('GIVEN a consumed code WHEN its report is saved twice THEN the first is kept and the second is refused', async () => {
      const ws = freshWorkspace()
      const issued = await t.store.issueDoctorToken({ workspace: ws, channelId: 'C1' }, 30 * MIN)
      const consumed = await t.store.consumeDoctorToken(issued.code)
      if (!consumed.ok) throw new Error('expected ok')
      const saved = await t.store.saveDoctorReport({ tokenId: consumed.tokenId, workspace: ws, userId: 'U1', cause: 'missing_api_key', report: { checks: [{ id: 'env', state: 'error' }] }, findings: [{ cause: 'missing_api_key' }] })
      const row = await t.store.prisma.doctorReport.findUnique({ where: { id: saved.id } })
      expect(row).toMatchObject({ cause: 'missing_api_key', report: { checks: [{ id: 'env', state: 'error' }] }, findings: [{ cause: 'missing_api_key' }] })
      await expect(t.store.saveDoctorReport({ tokenId: consumed.tokenId, workspace: ws, cause: 'x', report: {}, findings: [] })).rejects.toMatchObject({ code: 'DOCTOR_REPORT_EXISTS' })
    })

    it('GIVEN a report with NULs, a bigint, a Date and a cycle WHEN saved THEN it is stored as plain JSON', async () => {
      const ws = freshWorkspace()
      const issued = await t.store.issueDoctorToken({ workspace: ws, channelId: 'C1' }, 30 * MIN)
      const consumed = await t.store.consumeDoctorToken(issued.code)
      if (!consumed.ok) throw new Error('expected ok')
      const report: Record<string, unknown> = { text: 'a\u0000b', big: 12345678901234567890n, at: new Date('2026-01-01T00:00:00Z') }
      report.self = report
      const saved = await t.store.saveDoctorReport({ tokenId: consumed.tokenId, workspace: ws, cause: 'none', report, findings: null })
      const row = await t.store.prisma.doctorReport.findUnique({ where: { id: saved.id } })
      expect(row?.report).toEqual({ text: 'ab', big: '12345678901234567890', at: '2026-01-01T00:00:00.000Z', self: '[circular]' })
      expect(row?.findings).toBeNull()
    })
  })

  describe('de-duplication', () => {
    it('GIVEN an event id WHEN it is claimed twice THEN only the first claim wins', async () => {
      const id = `Ev-${crypto.randomUUID()}`
      expect(await t.store.claimEvent('slack', id)).toBe(true)
      expect(await t.store.claimEvent('slack', id)).toBe(false)
      expect(await t.store.claimEvent('discord', id)).toBe(true)
    })

    it('GIVEN 20 concurrent deliveries of one event WHEN they all claim it THEN exactly one wins', async () => {
      const id = `Ev-${crypto.randomUUID()}`
      const wins = await Promise.all(Array.from({ length: 20 }, () => t.store.claimEvent('discord', id)))
      expect(wins.filter(Boolean)).toHaveLength(1)
    })

    it.runIf(backend === 'postgres')('GIVEN two replicas (separate stores and pools) WHEN both claim the same 30 events at once THEN each event is won exactly once', async () => {
      const other = await openStore({ url: t.url, migrate: 'never', poolSize: 4 })
      try {
        const ids = Array.from({ length: 30 }, () => `Ev-${crypto.randomUUID()}`)
        const results = await Promise.all(ids.flatMap((id) => [t.store.claimEvent('slack', id), other.claimEvent('slack', id)]))
        for (let i = 0; i < ids.length; i++) expect(Number(results[2 * i]) + Number(results[2 * i + 1])).toBe(1)
      } finally {
        await other.close()
      }
    })

    it('GIVEN a spike alert recorded WHEN the same spike is claimed again THEN it is refused; another window is accepted', async () => {
      const ws = freshWorkspace()
      const start = new Date('2026-03-02T09:00:00Z')
      expect(await t.store.claimSpikeAlert(ws, 'expired_session', start, 4)).toBe(true)
      expect(await t.store.claimSpikeAlert(ws, 'expired_session', start, 5)).toBe(false)
      expect(await t.store.claimSpikeAlert(ws, 'expired_session', new Date(start.getTime() + 3600_000), 5)).toBe(true)
      expect(await t.store.claimSpikeAlert(ws, 'invalid_api_key', start, 5)).toBe(true)
    })
  })

  describe('recurring issues', () => {
    const ws: WorkspaceRef = { platform: 'slack', externalId: `W-recurring-${crypto.randomUUID().slice(0, 8)}` }
    const other: WorkspaceRef = { platform: 'discord', externalId: `W-recurring-other-${crypto.randomUUID().slice(0, 8)}` }
    const since = new Date('2026-03-01T00:00:00Z')
    const until = new Date('2026-03-03T00:00:00Z')
    const at = (h: number) => new Date(since.getTime() + h * 3600_000)

    beforeAll(async () => {
      const rows: NewIncident[] = [
        // expired_session: 3 people, 4 incidents, fingerprint fp-exp; U1 twice
        incident(ws, { cause: 'expired_session', userId: 'U1', fingerprint: 'fp-exp', excerpt: 'old excerpt', createdAt: at(1) }),
        incident(ws, { cause: 'expired_session', userId: 'U1', fingerprint: 'fp-exp', excerpt: 'newest excerpt', createdAt: at(30) }),
        incident(ws, { cause: 'expired_session', userId: 'U2', fingerprint: 'fp-exp', excerpt: 'middle', createdAt: at(5) }),
        incident(ws, { cause: 'expired_session', userId: 'U3', fingerprint: null, createdAt: at(6) }),
        // invalid_api_key: 2 incidents, 1 person (U4 twice), fingerprint fp-key
        incident(ws, { cause: 'invalid_api_key', userId: 'U4', fingerprint: 'fp-key', excerpt: 'key one', createdAt: at(2) }),
        incident(ws, { cause: 'invalid_api_key', userId: 'U4', fingerprint: 'fp-key', excerpt: 'key two', createdAt: at(3) }),
        // no user
        incident(ws, { cause: 'network_blocked', userId: null, fingerprint: 'fp-net', createdAt: at(40) }),
        // outside the window
        incident(ws, { cause: 'expired_session', userId: 'U9', fingerprint: 'fp-exp', createdAt: new Date(since.getTime() - 1) }),
        incident(ws, { cause: 'expired_session', userId: 'U9', fingerprint: 'fp-exp', createdAt: until }),
        // another workspace, same user id U1
        incident(other, { cause: 'expired_session', userId: 'U1', fingerprint: 'fp-exp', createdAt: at(4) }),
      ]
      const recs = []
      for (const r of rows) recs.push(await t.store.recordIncident(r))
      await t.store.setFeedback(recs[0]!.id, 'fixed', 'U1')
      await t.store.setFeedback(recs[4]!.id, 'still_failing', 'U4')
      await t.store.setFeedback(recs[5]!.id, 'fixed', 'U4')
    }, 180_000)

    it('GIVEN incidents in and out of a window WHEN summarised for one workspace THEN counts, people, fingerprints, repeats, days and feedback are right', async () => {
      const s = await t.store.recurring(ws, { since, until })
      expect(s.window).toEqual({ since, until })
      expect(s.total).toBe(7)
      expect(s.byCause).toEqual([
        { cause: 'expired_session', count: 4, people: 3 },
        { cause: 'invalid_api_key', count: 2, people: 1 },
        { cause: 'network_blocked', count: 1, people: 0 },
      ])
      expect(s.topFingerprints.map((f) => [f.fingerprint, f.cause, f.count, f.people])).toEqual([
        ['fp-exp', 'expired_session', 3, 2],
        ['fp-key', 'invalid_api_key', 2, 1],
        ['fp-net', 'network_blocked', 1, 0],
      ])
      expect(s.topFingerprints[0]!.excerpt).toBe('newest excerpt')
      expect(s.topFingerprints[0]!.lastSeen.toISOString()).toBe(at(30).toISOString())
      expect(s.repeatUsers.map((u) => [u.userId, u.cause, u.count])).toEqual([
        ['U1', 'expired_session', 2],
        ['U4', 'invalid_api_key', 2],
      ])
      expect(s.repeatUsers[0]!.lastSeen).toBeInstanceOf(Date)
      expect(s.perDay).toEqual([
        { day: '2026-03-01', cause: 'expired_session', count: 3 },
        { day: '2026-03-01', cause: 'invalid_api_key', count: 2 },
        { day: '2026-03-02', cause: 'expired_session', count: 1 },
        { day: '2026-03-02', cause: 'network_blocked', count: 1 },
      ])
      expect(s.feedback).toEqual({ fixed: 2, stillFailing: 1, none: 4 })
    })

    it('GIVEN a cause filter and a limit WHEN summarised THEN only that cause is counted and lists are cut', async () => {
      const s = await t.store.recurring(ws, { since, until }, { cause: 'expired_session', limit: 1 })
      expect(s.total).toBe(4)
      expect(s.byCause).toEqual([{ cause: 'expired_session', count: 4, people: 3 }])
      expect(s.topFingerprints).toHaveLength(1)
      expect(s.repeatUsers).toHaveLength(1)
    })

    it('GIVEN no workspace WHEN summarised THEN every workspace counts and the same user id in two workspaces is two people', async () => {
      const s = await t.store.recurring(null, { since, until }, { cause: 'expired_session' })
      expect(s.total).toBeGreaterThanOrEqual(5)
      const fp = s.topFingerprints.find((f) => f.fingerprint === 'fp-exp')!
      expect(fp.people).toBeGreaterThanOrEqual(3)
    })

    it('GIVEN a workspace never seen WHEN summarised THEN the summary is empty', async () => {
      const s = await t.store.recurring(freshWorkspace(), { since, until })
      expect(s).toMatchObject({ total: 0, byCause: [], topFingerprints: [], repeatUsers: [], perDay: [], feedback: { fixed: 0, stillFailing: 0, none: 0 } })
    })

    it('GIVEN a window WHEN people with a cause are counted THEN distinct users in that workspace and window are counted', async () => {
      expect(await t.store.peopleWithCause(ws, 'expired_session', { since, until })).toBe(3)
      expect(await t.store.peopleWithCause(ws, 'expired_session', { since: at(6), until })).toBe(2)
      expect(await t.store.peopleWithCause(ws, 'invalid_api_key', { since, until })).toBe(1)
      expect(await t.store.peopleWithCause(freshWorkspace(), 'invalid_api_key', { since, until })).toBe(0)
    })

    it('GIVEN no "until" WHEN summarised THEN the window ends at the store clock', async () => {
      clock = at(10)
      const s = await t.store.recurring(ws, { since })
      expect(s.window.until.toISOString()).toBe(at(10).toISOString())
      expect(s.total).toBe(5) // at 1, 2, 3, 5, 6 hours; the one at 10 h is not before "until"
    })
  })

  describe('admin sign-in', () => {
    const identity = { platform: 'slack' as const, workspaceExternalId: 'T-admin', userId: 'U-admin' }

    it('GIVEN a sign-in link WHEN it is used THEN a session opens once; the link cannot be used again', async () => {
      const link = await t.store.issueAdminLogin(identity, 10 * MIN)
      expect(link.expiresAt.getTime()).toBe(T0.getTime() + 10 * MIN)
      const opened = await t.store.consumeAdminLogin(link.token, 8 * 3600_000)
      expect(opened).toMatchObject({ identity, expiresAt: new Date(T0.getTime() + 8 * 3600_000) })
      expect(await t.store.consumeAdminLogin(link.token, 8 * 3600_000)).toBeNull()
      const session = await t.store.getAdminSession(opened!.session)
      expect(session).toEqual({ identity, csrfToken: opened!.csrfToken, expiresAt: opened!.expiresAt })
      const stored = JSON.stringify([await t.store.prisma.adminLogin.findMany(), await t.store.prisma.adminSession.findMany()])
      expect(stored).not.toContain(link.token)
      expect(stored).not.toContain(opened!.session)
    })

    it('GIVEN a sign-in link WHEN the clock passes its expiry THEN it opens nothing', async () => {
      const link = await t.store.issueAdminLogin(identity, 10 * MIN)
      clock = new Date(T0.getTime() + 10 * MIN + 1)
      expect(await t.store.consumeAdminLogin(link.token, 3600_000)).toBeNull()
    })

    it('GIVEN a session WHEN it expires or is deleted THEN it is no longer found', async () => {
      const link = await t.store.issueAdminLogin(identity, 10 * MIN)
      const opened = (await t.store.consumeAdminLogin(link.token, 3600_000))!
      clock = new Date(T0.getTime() + 3600_000)
      expect(await t.store.getAdminSession(opened.session)).toBeNull()
      clock = T0
      expect(await t.store.getAdminSession(opened.session)).not.toBeNull()
      await t.store.deleteAdminSession(opened.session)
      expect(await t.store.getAdminSession(opened.session)).toBeNull()
      expect(await t.store.getAdminSession('made-up')).toBeNull()
    })

    it('GIVEN one link WHEN two browsers race to use it THEN exactly one session opens', async () => {
      const link = await t.store.issueAdminLogin(identity, 10 * MIN)
      const results = await Promise.all([1, 2, 3, 4].map(() => t.store.consumeAdminLogin(link.token, 3600_000)))
      expect(results.filter(Boolean)).toHaveLength(1)
    })
  })

  describe('retention', () => {
    it('GIVEN old and new rows WHEN rows older than 30 days are purged THEN only the old ones go, and they are counted', async () => {
      const s = await createTestStore(backend, { now: () => clock })
      try {
        const ws = freshWorkspace()
        const old = new Date(T0.getTime() - 31 * DAY)
        clock = old
        await s.store.recordIncident(incident(ws))
        await s.store.recordCredentialEvent({ workspace: ws, kind: 'other', source: 'api' })
        const tok = await s.store.issueDoctorToken({ workspace: ws, channelId: 'C' }, MIN)
        const consumed = await s.store.consumeDoctorToken(tok.code)
        if (!consumed.ok) throw new Error('expected ok')
        await s.store.saveDoctorReport({ tokenId: consumed.tokenId, workspace: ws, cause: 'none', report: {}, findings: [] })
        await s.store.claimEvent('slack', 'old-event')
        const link = await s.store.issueAdminLogin({ platform: 'slack', workspaceExternalId: 'T', userId: 'U' }, MIN)
        await s.store.consumeAdminLogin(link.token, MIN)
        clock = T0
        const fresh = await s.store.recordIncident(incident(ws))
        await s.store.claimEvent('slack', 'new-event')
        const result = await s.store.purgeOlderThan(30)
        expect(result).toEqual({ incidents: 1, credentialEvents: 1, doctorTokens: 1, doctorReports: 1, processedEvents: 1, adminLogins: 1, adminSessions: 1 })
        expect(await s.store.getIncident(fresh.id)).not.toBeNull()
        expect(await s.store.claimEvent('slack', 'new-event')).toBe(false)
        expect(await s.store.claimEvent('slack', 'old-event')).toBe(true)
      } finally {
        await s.cleanup()
      }
    })
  })
})
