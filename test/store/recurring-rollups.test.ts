// recurring() from the trigger-maintained rollups gives exactly what a recount of the raw rows gives: for windows
// with partial edge days, one workspace or all, with and without a cause, by both ways the query can take (all-time
// rollups minus the rows before the window; rows inside the window) — after inserts, feedback, deletes, raw updates,
// a retention purge, concurrent writers, a deleted workspace. PGlite always; PostgreSQL when TEST_DATABASE_URL is set.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src/errors.js'
import type { SqlRunner } from '../../src/store/connection.js'
import { DEFAULT_MIGRATION_PATHS, listMigrationNames } from '../../src/store/migrations.js'
import type { PrismaStore } from '../../src/store/open-store.js'
import { recurringSummary, ROLLUP_TABLES, type RecurringMode } from '../../src/store/recurring.js'
import type { NewIncident, WorkspaceRef } from '../../src/store/types.js'
import { prng } from '../production/lib/pastes.js'
import { createTestStore, testBackends, type TestStore } from '../support/test-store.js'
import { expectedRollups, expectedSummary, rawIncidents, storedRollups, type RawIncident } from './recurring-oracle.js'

const DAY = 86_400_000
const HOUR = 3_600_000
const D0 = Date.parse('2026-03-01T00:00:00.000Z')
const DATA_DAYS = 8
const CAUSES = ['expired_session', 'invalid_api_key', 'network_blocked', 'not_auth']

/** The same forced way through plain SQL on the store's own connection (what PrismaStore.recurring does, minus the choice). */
const sqlOf = (store: PrismaStore): SqlRunner => ({
  query: <T>(text: string, params: unknown[] = []) => store.prisma.$queryRawUnsafe<T[]>(text, ...params),
})

describe.each(testBackends())('recurring() rollups on %s', (backend) => {
  let t: TestStore
  let clock = new Date(D0 + 20 * DAY)
  const rnd = prng(20_261_124) // seeded: a failure can be replayed
  const workspaces: WorkspaceRef[] = [
    { platform: 'slack', externalId: 'T-rollup-a' },
    { platform: 'discord', externalId: 'G-rollup-b' },
    { platform: 'slack', externalId: 'T-rollup-c' },
  ]
  const ids: string[] = []
  const usedTimes = new Set<number>()
  let serial = 0

  /** A unique millisecond in [from, to): unique times keep "latest" unambiguous (excerpt, ranking ties). */
  const timeIn = (from: number, to: number): Date => {
    for (;;) {
      const ms = from + Math.floor(rnd() * (to - from))
      if (!usedTimes.has(ms)) {
        usedTimes.add(ms)
        return new Date(ms)
      }
    }
  }
  const skewed = (n: number) => Math.floor(n * rnd() ** 2)
  const incident = (from = D0, to = D0 + DATA_DAYS * DAY): NewIncident => ({
    workspace: workspaces[skewed(workspaces.length)]!,
    cause: CAUSES[skewed(CAUSES.length)]!,
    confidence: 0.8,
    userId: rnd() < 0.1 ? null : `u${String(skewed(15)).padStart(2, '0')}`,
    fingerprint: rnd() < 0.1 ? null : `fp-${skewed(10)}`,
    excerpt: `excerpt ${++serial}`,
    source: 'paste',
    createdAt: timeIn(from, to),
  })
  const workspaceIds = new Map<string, string>()
  const workspaceId = async (ws: WorkspaceRef) => {
    const key = `${ws.platform}:${ws.externalId}`
    const id =
      workspaceIds.get(key) ??
      (await t.store.prisma.workspace.findUniqueOrThrow({ where: { platform_externalId: { platform: ws.platform, externalId: ws.externalId } } })).id
    workspaceIds.set(key, id)
    return id
  }

  /** Rows through one raw multi-row INSERT (not the store's path), as a bulk load or another tool would write them. */
  const bulkInsert = async (rows: NewIncident[]) => {
    const cols: unknown[][] = Array.from({ length: 7 }, () => [])
    for (const r of rows) {
      ;[crypto.randomUUID(), await workspaceId(r.workspace), r.cause, r.fingerprint ?? null, r.userId ?? null, r.excerpt, r.createdAt!.toISOString()].forEach((v, k) =>
        cols[k]!.push(v),
      )
    }
    await t.store.prisma.$executeRawUnsafe(
      `INSERT INTO "Incident" ("id", "workspaceId", "cause", "fingerprint", "userId", "excerpt", "createdAt", "confidence", "source")
       SELECT a, b, c, d, e, f, g, 0.8, 'paste'
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[]) AS x(a, b, c, d, e, f, g)`,
      ...cols,
    )
  }

  /** Windows with partial days at both edges, on midnight, inside one day, past the data, ending before the newest rows. */
  const windows = (): { since: Date; until: Date }[] => {
    const newest = Math.max(...usedTimes)
    return [
      { since: new Date(D0 - DAY + 123), until: new Date(newest + 1) },
      { since: new Date(D0 + 1.5 * DAY + 777), until: new Date(D0 + 6.25 * DAY + 3) },
      { since: new Date(D0 + 2.3 * DAY + 11), until: new Date(newest + HOUR) },
      { since: new Date(D0 + 5 * DAY + 0.6 * HOUR), until: new Date(newest + 1) },
      { since: new Date(D0 + 3.1 * DAY), until: new Date(D0 + 3.9 * DAY) },
      { since: new Date(D0 + 2 * DAY), until: new Date(D0 + 7 * DAY) },
    ]
  }

  /** Every rollup row equals the recount, and every window, scope, cause and limit gives the recount by every way. */
  const expectExact = async () => {
    const raw: RawIncident[] = await rawIncidents(t.store)
    usedTimes.clear() // what is stored now (rows deleted, moved in time)
    for (const r of raw) usedTimes.add(r.createdAt.getTime())
    expect(await storedRollups(t.store)).toEqual(expectedRollups(raw))
    const scopes = [null, ...(await Promise.all(workspaces.slice(0, 2).map(workspaceId)))]
    let complementChecked = 0
    for (const w of windows()) {
      for (const scope of scopes) {
        for (const cause of [null, 'expired_session']) {
          for (const limit of [10, 2]) {
            const expected = expectedSummary(raw, { workspaceId: scope, cause, since: w.since, until: w.until, limit })
            const ref = scope ? workspaces[scopes.indexOf(scope) - 1]! : null
            const label = JSON.stringify({ ...w, scope, cause, limit })
            expect(await t.store.recurring(ref, w, { ...(cause ? { cause } : {}), limit }), label).toEqual(expected)
            const rowsAfter = raw.some((r) => r.createdAt.getTime() >= w.until.getTime() && (!scope || r.workspaceId === scope) && (!cause || r.cause === cause))
            const modes: RecurringMode[] = rowsAfter ? ['inside'] : ['inside', 'complement']
            for (const mode of modes) {
              const s = await recurringSummary(sqlOf(t.store), { workspaceId: scope, cause, since: w.since, until: w.until, limit, mode })
              expect(s, `${label} ${mode}`).toEqual(expected)
            }
            if (!rowsAfter) complementChecked++
          }
        }
      }
    }
    expect(complementChecked).toBeGreaterThan(0)
  }

  beforeAll(async () => {
    t = await createTestStore(backend, { now: () => clock })
    const first = Array.from({ length: 300 }, () => incident())
    const recs = await Promise.all(first.map((r) => t.store.recordIncident(r))) // batched multi-row INSERTs
    ids.push(...recs.map((r) => r.id))
    await bulkInsert(Array.from({ length: 150 }, () => incident()))
  }, 180_000)
  afterAll(async () => {
    await t?.cleanup()
  })

  it('GIVEN incidents over 8 days in 3 workspaces, by the store and by a raw bulk INSERT WHEN summarised THEN the rollups and every window equal the recount', async () => {
    await expectExact()
  }, 120_000)

  it('GIVEN feedback given, then changed WHEN summarised THEN feedback counts and everything else still equal the recount', async () => {
    for (const [i, id] of ids.slice(0, 60).entries()) await t.store.setFeedback(id, i % 3 ? 'fixed' : 'still_failing', 'u01')
    for (const id of ids.slice(0, 20)) await t.store.setFeedback(id, 'still_failing', 'u02')
    await expectExact()
  }, 120_000)

  it('GIVEN the newest incidents of users and fingerprints deleted and raw UPDATEs moving incidents to another user, cause, day and workspace WHEN summarised THEN lastSeen and counts equal the recount', async () => {
    const newest = await t.store.prisma.incident.findMany({ orderBy: { createdAt: 'desc' }, take: 15, select: { id: true } })
    await t.store.prisma.incident.deleteMany({ where: { id: { in: newest.map((r) => r.id) } } })
    const b = await workspaceId(workspaces[1]!)
    await t.store.prisma.$executeRawUnsafe(
      `UPDATE "Incident" SET "userId" = 'u99', "cause" = 'not_auth', "createdAt" = "createdAt" - interval '1 day 3 hours', "workspaceId" = $1::uuid
       WHERE "id" IN (SELECT "id" FROM "Incident" ORDER BY "createdAt" DESC LIMIT 10)`,
      b,
    )
    await t.store.prisma.$executeRawUnsafe(`UPDATE "Incident" SET "fingerprint" = NULL, "userId" = NULL WHERE "id" IN (SELECT "id" FROM "Incident" ORDER BY "createdAt" LIMIT 10)`)
    await expectExact()
  }, 120_000)

  it('GIVEN a retention purge whose cutoff falls inside a day WHEN summarised THEN the purged rows are gone from the rollups and every window equals the recount', async () => {
    clock = new Date(D0 + 10 * DAY + 5 * HOUR)
    const purged = await t.store.purgeOlderThan(6) // cutoff: day 4, 05:00
    expect(purged.incidents).toBeGreaterThan(0)
    if (backend === 'pglite') {
      // no autovacuum there: the purge analyzes the rollups itself (reltuples stays -1 until a table is analyzed)
      const stats = await t.store.prisma.$queryRawUnsafe<{ relname: string; reltuples: number }[]>(
        `SELECT relname, reltuples FROM pg_class WHERE relname = ANY($1::text[])`,
        [...ROLLUP_TABLES],
      )
      expect(stats.map((r) => r.relname).sort()).toEqual([...ROLLUP_TABLES].sort())
      for (const r of stats) expect(Number(r.reltuples), r.relname).toBeGreaterThan(0)
    }
    await expectExact()
  }, 120_000)

  it('GIVEN concurrent writers (batched inserts, raw bulk INSERTs, feedback and deletes at once) WHEN they finish THEN none failed (no deadlock) and everything equals the recount', async () => {
    const recent = (await t.store.prisma.incident.findMany({ select: { id: true }, take: 40 })).map((r) => r.id)
    const results = await Promise.allSettled([
      ...Array.from({ length: 120 }, () => t.store.recordIncident(incident(D0 + 4 * DAY, D0 + 9 * DAY))),
      ...Array.from({ length: 6 }, () => bulkInsert(Array.from({ length: 40 }, () => incident(D0 + 4 * DAY, D0 + 9 * DAY)))),
      ...recent.slice(0, 20).map((id, i) => t.store.setFeedback(id, i % 2 ? 'fixed' : 'still_failing')),
      t.store.prisma.incident.deleteMany({ where: { id: { in: recent.slice(20) } } }),
    ])
    expect(results.filter((r) => r.status === 'rejected')).toEqual([])
    await expectExact()
  }, 120_000)

  it('GIVEN a window ending before the newest incidents WHEN the complement way is forced THEN it refuses, and recurring() answers from the rows inside', async () => {
    const until = new Date(D0 + 6 * DAY)
    const q = { workspaceId: null, cause: null, since: new Date(D0), until, limit: 10 }
    await expect(recurringSummary(sqlOf(t.store), { ...q, mode: 'complement' })).rejects.toMatchObject({ code: 'RECURRING_MODE_INVALID' })
    await expect(recurringSummary(sqlOf(t.store), { ...q, mode: 'complement' })).rejects.toBeInstanceOf(AppError)
    expect(await t.store.recurring(null, { since: q.since, until })).toEqual(expectedSummary(await rawIncidents(t.store), q))
  })

  it('GIVEN a window with an invalid date WHEN summarised THEN INVALID_WINDOW is thrown', async () => {
    await expect(t.store.recurring(null, { since: new Date(Number.NaN) })).rejects.toMatchObject({ code: 'INVALID_WINDOW', status: 400 })
  })

  it('GIVEN a workspace deleted (its incidents cascade) WHEN summarised THEN its rollup rows are gone and the all-workspace rows equal the recount', async () => {
    const c = await workspaceId(workspaces[2]!)
    await t.store.prisma.workspace.delete({ where: { id: c } })
    workspaces.pop()
    const rollups = await storedRollups(t.store)
    expect(rollups.users.some((r) => r.workspaceId === c)).toBe(false)
    await expectExact()
  }, 120_000)

  it('GIVEN the rollups emptied WHEN the migration\'s backfill runs over the stored incidents THEN it builds the same rollups as the triggers did', async () => {
    const file = path.join(DEFAULT_MIGRATION_PATHS.migrationsDir, listMigrationNames().find((n) => n.endsWith('_incident_rollups'))!, 'migration.sql')
    const sql = fs.readFileSync(file, 'utf8')
    const backfill = sql.slice(sql.indexOf('-- Backfill from the incidents already stored.'))
    expect(backfill).toContain('INSERT INTO "IncidentFingerprintCount"')
    const p = t.store.prisma
    await p.$executeRawUnsafe(`TRUNCATE ${ROLLUP_TABLES.map((n) => `"${n}"`).join(', ')}`)
    expect((await storedRollups(t.store)).users).toEqual([])
    for (const statement of backfill.split(/;\s*\n/).filter((s) => s.replace(/--.*$/gm, '').trim())) await p.$executeRawUnsafe(statement)
    expect(await storedRollups(t.store)).toEqual(expectedRollups(await rawIncidents(t.store)))
  })

  it('GIVEN incidents WHEN "Incident" is truncated THEN the rollups are emptied too', async () => {
    await t.store.prisma.$executeRawUnsafe('TRUNCATE "Incident"')
    expect(await storedRollups(t.store)).toEqual({ days: [], users: [], causePeople: [], fingerprints: [], fingerprintUsers: [] })
  })
})
