// `npm run bench -- store`: incidents recorded per second (one at a time, and concurrently) and the recurring-issues
// query with 100,000 incidents stored (spread over the 180-day default retention), on embedded PGlite and on PostgreSQL (TEST_DATABASE_URL, or the local server's `test`
// database; a scratch database is created from a migrated template and dropped afterwards).
// Targets: >= 1,000 incidents/s; recurring query <= 100 ms at 100k incidents.
import crypto from 'node:crypto'
import os from 'node:os'
import pg from 'pg'
import type { NewIncident, WorkspaceRef } from '../../src/store/types.js'
import { createTestStore, DEFAULT_TEST_DATABASE_URL, type TestBackend, type TestStore } from '../support/test-store.js'

const SINGLE = 2_000
const CONCURRENT = 4_000
const CONCURRENCY = 16
const BULK = 100_000
const QUERY_RUNS = 15
const RETENTION_DAYS = 180
const DAY = 86_400_000

const CAUSES = ['expired_session', 'invalid_api_key', 'missing_api_key', 'corrupted_credentials', 'network_blocked', 'multiple_installs', 'account_restricted', 'ide_environment', 'remote_login', 'credential_conflict', 'cloud_provider', 'not_auth']
const EXCERPT = 'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"OAuth token has expired. Please obtain a new token or refresh your existing token."}} · Please run /login'

type Figures = {
  backend: TestBackend
  singleInsertsPerSec: number
  concurrentInsertsPerSec: number
  bulkLoadMs: number
  /** the window holds all 100k incidents */
  recurring100kMedianMs: number
  recurring100kP95Ms: number
  recurringWorkspaceAllMedianMs: number
  recurringWorkspace30dMedianMs: number
  recurringWorkspace30dIncidents: number
  recurringWorkspace90dMedianMs: number
  recurringWorkspace90dIncidents: number
  recurringWorkspace7dMedianMs: number
  peopleWithCauseMedianMs: number
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn() // warm-up (plan cache, buffers)
  const out: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await fn()
    out.push(performance.now() - t0)
  }
  return out
}

function incidentAt(ws: WorkspaceRef, i: number, createdAt: Date): NewIncident {
  // a skewed distribution: a few causes, fingerprints and people recur a lot, as in real teams
  const skew = (n: number) => Math.floor(n * Math.random() ** 2)
  return {
    workspace: ws,
    cause: CAUSES[skew(CAUSES.length)]!,
    confidence: 0.8,
    fingerprint: `fp-${skew(500)}`,
    userId: `U${skew(2_000)}`,
    channelId: `C${i % 40}`,
    excerpt: EXCERPT,
    source: 'paste',
    createdAt,
  }
}

async function benchBackend(backend: TestBackend, now: Date): Promise<Figures> {
  const t: TestStore = await createTestStore(backend, { now: () => now })
  try {
    const { store } = t
    const ws: WorkspaceRef = { platform: 'slack', externalId: 'T-bench' }
    await store.recordIncident(incidentAt(ws, 0, now)) // workspace row and connections warm

    let t0 = performance.now()
    for (let i = 0; i < SINGLE; i++) await store.recordIncident(incidentAt(ws, i, now))
    const singleInsertsPerSec = SINGLE / ((performance.now() - t0) / 1000)

    t0 = performance.now()
    let next = 0
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CONCURRENT) {
          const i = next++
          await store.recordIncident(incidentAt(ws, i, now))
        }
      }),
    )
    const concurrentInsertsPerSec = CONCURRENT / ((performance.now() - t0) / 1000)
    console.log(`  ${backend}: ${round(singleInsertsPerSec, 0)} incidents/s one at a time, ${round(concurrentInsertsPerSec, 0)}/s with ${CONCURRENCY} concurrent writers`)

    // bulk-load up to BULK incidents spread over the 180-day default retention, 20% in three other workspaces
    const have = await store.prisma.incident.count()
    const workspaceId = (await store.prisma.workspace.findFirstOrThrow({ where: { externalId: 'T-bench' } })).id
    const others = await Promise.all([1, 2, 3].map((k) => store.prisma.workspace.create({ data: { id: crypto.randomUUID(), platform: 'discord', externalId: `G-bench-${k}` } })))
    t0 = performance.now()
    const BATCH = 5_000
    for (let done = have; done < BULK; done += BATCH) {
      const n = Math.min(BATCH, BULK - done)
      const cols: unknown[][] = Array.from({ length: 9 }, () => [])
      for (let j = 0; j < n; j++) {
        const i = done + j
        const x = incidentAt(ws, i, now)
        const r = Math.random()
        const row = [
          crypto.randomUUID(),
          i % 5 === 0 ? others[i % 3]!.id : workspaceId,
          x.cause,
          x.fingerprint,
          x.userId,
          x.channelId,
          x.excerpt,
          r < 0.07 ? 'fixed' : r < 0.1 ? 'still_failing' : null,
          new Date(now.getTime() - Math.floor(Math.random() * RETENTION_DAYS * DAY)).toISOString(),
        ]
        row.forEach((v, k) => cols[k]!.push(v))
      }
      // one statement per 5,000 rows: arrays unnested server-side (COPY-like)
      await store.prisma.$executeRawUnsafe(
        `INSERT INTO "Incident" ("id", "workspaceId", "cause", "fingerprint", "userId", "channelId", "excerpt", "feedback", "resolved", "createdAt", "confidence", "source")
         SELECT a, b, c, d, e, f, g, h::"Feedback", coalesce(h = 'fixed', false), i, 0.8, 'paste'
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[]) AS t(a, b, c, d, e, f, g, h, i)`,
        ...cols,
      )
    }
    const bulkLoadMs = performance.now() - t0
    await store.prisma.$executeRawUnsafe('ANALYZE') // incidents and their rollups, as autovacuum (or the embedded purge job) would
    const total = await store.prisma.incident.count()
    console.log(`  ${backend}: bulk-loaded to ${total} incidents in ${round(bulkLoadMs / 1000, 2)} s`)

    const until = new Date(now.getTime() + 1)
    const everything = new Date(now.getTime() - (RETENTION_DAYS + 1) * DAY)
    const month = new Date(now.getTime() - 30 * DAY)
    const quarter = new Date(now.getTime() - 90 * DAY)
    const week = new Date(now.getTime() - 7 * DAY)
    const allRuns = await timeRuns(QUERY_RUNS, () => store.recurring(null, { since: everything, until }))
    const wsAllRuns = await timeRuns(QUERY_RUNS, () => store.recurring(ws, { since: everything, until }))
    const monthRuns = await timeRuns(QUERY_RUNS, () => store.recurring(ws, { since: month, until }))
    const quarterRuns = await timeRuns(QUERY_RUNS, () => store.recurring(ws, { since: quarter, until }))
    const weekRuns = await timeRuns(QUERY_RUNS, () => store.recurring(ws, { since: week, until }))
    const people = await timeRuns(QUERY_RUNS, () => store.peopleWithCause(ws, 'expired_session', { since: new Date(now.getTime() - 3600_000), until }))
    const counts = {
      all: (await store.recurring(null, { since: everything, until })).total,
      ws: (await store.recurring(ws, { since: everything, until })).total,
      month: (await store.recurring(ws, { since: month, until })).total,
      quarter: (await store.recurring(ws, { since: quarter, until })).total,
      week: (await store.recurring(ws, { since: week, until })).total,
    }
    const ms = (xs: number[]) => `${round(percentile(xs, 50))} ms (p95 ${round(percentile(xs, 95))})`
    console.log(`  ${backend}: recurring() median, window holding all ${counts.all} incidents (every workspace): ${ms(allRuns)}`)
    console.log(`  ${backend}: recurring() median, one workspace, all its ${counts.ws} incidents: ${ms(wsAllRuns)}`)
    console.log(`  ${backend}: recurring() median, one workspace, last 90 days (${counts.quarter} incidents): ${ms(quarterRuns)}`)
    console.log(`  ${backend}: recurring() median, one workspace, last 30 days (${counts.month} incidents): ${ms(monthRuns)}`)
    console.log(`  ${backend}: recurring() median, one workspace, last 7 days (${counts.week} incidents): ${ms(weekRuns)}`)
    console.log(`  ${backend}: peopleWithCause() median, last hour: ${round(percentile(people, 50), 2)} ms`)
    return {
      backend,
      singleInsertsPerSec: round(singleInsertsPerSec, 0),
      concurrentInsertsPerSec: round(concurrentInsertsPerSec, 0),
      bulkLoadMs: round(bulkLoadMs, 0),
      recurring100kMedianMs: round(percentile(allRuns, 50)),
      recurring100kP95Ms: round(percentile(allRuns, 95)),
      recurringWorkspaceAllMedianMs: round(percentile(wsAllRuns, 50)),
      recurringWorkspace30dMedianMs: round(percentile(monthRuns, 50)),
      recurringWorkspace30dIncidents: counts.month,
      recurringWorkspace90dMedianMs: round(percentile(quarterRuns, 50)),
      recurringWorkspace90dIncidents: counts.quarter,
      recurringWorkspace7dMedianMs: round(percentile(weekRuns, 50)),
      peopleWithCauseMedianMs: round(percentile(people, 50), 2),
    }
  } finally {
    await t.cleanup()
  }
}

async function postgresReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL, connectionTimeoutMillis: 2_000 })
  try {
    await c.connect()
    await c.query('SELECT 1')
    return true
  } catch {
    return false
  } finally {
    await c.end().catch(() => undefined)
  }
}

export async function run(): Promise<void> {
  const now = new Date()
  console.log(`  ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => round(x, 2)).join(' ')} (figures from a busy machine are lower bounds)`)
  const backends: TestBackend[] = ['pglite']
  if (await postgresReachable()) backends.push('postgres')
  else console.log(`  postgres: skipped (no server at ${process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : DEFAULT_TEST_DATABASE_URL})`)
  const results: Figures[] = []
  for (const b of backends) results.push(await benchBackend(b, now))
  const targets = { insertsPerSec: 1_000, recurringMs: 100 }
  for (const r of results) {
    const okInsert = r.singleInsertsPerSec >= targets.insertsPerSec || r.concurrentInsertsPerSec >= targets.insertsPerSec
    console.log(`  ${r.backend}: inserts ${okInsert ? 'meet' : 'MISS'} the ${targets.insertsPerSec}/s target; recurring over 100k ${r.recurring100kMedianMs <= targets.recurringMs ? 'meets' : 'MISSES'} the ${targets.recurringMs} ms target (last 30 days of one workspace: ${r.recurringWorkspace30dMedianMs} ms)`)
  }
  console.log(JSON.stringify({ section: 'store', incidents: BULK, cpus: os.cpus().length, loadAverage: os.loadavg().map((x) => round(x, 2)), targets, results }))
}
