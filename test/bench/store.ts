// `npm run bench -- store`: incidents recorded per second (one at a time, and concurrently) and the recurring-issues
// query over 100,000 incidents, on embedded PGlite and on PostgreSQL (TEST_DATABASE_URL, or the local server's `test`
// database; a scratch database is created from a migrated template and dropped afterwards).
// Targets: >= 1,000 incidents/s; recurring query <= 100 ms at 100k incidents.
import crypto from 'node:crypto'
import pg from 'pg'
import type { NewIncident, WorkspaceRef } from '../../src/store/types.js'
import { createTestStore, DEFAULT_TEST_DATABASE_URL, type TestBackend, type TestStore } from '../support/test-store.js'

const SINGLE = 2_000
const CONCURRENT = 4_000
const CONCURRENCY = 16
const BULK = 100_000
const QUERY_RUNS = 15

const CAUSES = ['expired_session', 'invalid_api_key', 'missing_api_key', 'corrupted_credentials', 'network_blocked', 'multiple_installs', 'account_restricted', 'ide_environment', 'remote_login', 'credential_conflict', 'cloud_provider', 'not_auth']
const EXCERPT = 'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"OAuth token has expired. Please obtain a new token or refresh your existing token."}} · Please run /login'

type Figures = {
  backend: TestBackend
  singleInsertsPerSec: number
  concurrentInsertsPerSec: number
  bulkLoadMs: number
  recurringMedianMs: number
  recurringP95Ms: number
  recurringAllWorkspacesMedianMs: number
  recurringLast7DaysMedianMs: number
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

    // bulk-load up to BULK incidents over the last 30 days, in other workspaces too (20%)
    const have = await store.prisma.incident.count()
    const workspaceId = (await store.prisma.workspace.findFirstOrThrow({ where: { externalId: 'T-bench' } })).id
    const others = await Promise.all([1, 2, 3].map((k) => store.prisma.workspace.create({ data: { id: crypto.randomUUID(), platform: 'discord', externalId: `G-bench-${k}` } })))
    t0 = performance.now()
    const BATCH = 5_000
    for (let done = have; done < BULK; done += BATCH) {
      const n = Math.min(BATCH, BULK - done)
      const data = Array.from({ length: n }, (_, j) => {
        const i = done + j
        const createdAt = new Date(now.getTime() - Math.floor(Math.random() * 30 * 86_400_000))
        const x = incidentAt(ws, i, createdAt)
        const r = Math.random()
        return {
          id: crypto.randomUUID(),
          workspaceId: i % 5 === 0 ? others[i % 3]!.id : workspaceId,
          cause: x.cause,
          confidence: x.confidence,
          fingerprint: x.fingerprint ?? null,
          userId: x.userId ?? null,
          channelId: x.channelId ?? null,
          excerpt: x.excerpt,
          source: x.source,
          feedback: r < 0.07 ? ('fixed' as const) : r < 0.1 ? ('still_failing' as const) : null,
          resolved: r < 0.07,
          createdAt,
        }
      })
      await store.prisma.incident.createMany({ data })
    }
    const bulkLoadMs = performance.now() - t0
    await store.prisma.$executeRawUnsafe('ANALYZE "Incident"')
    const total = await store.prisma.incident.count()
    console.log(`  ${backend}: bulk-loaded to ${total} incidents in ${round(bulkLoadMs / 1000, 2)} s`)

    const since = new Date(now.getTime() - 31 * 86_400_000)
    const until = new Date(now.getTime() + 1)
    const one = await timeRuns(QUERY_RUNS, () => store.recurring(ws, { since, until }))
    const all = await timeRuns(QUERY_RUNS, () => store.recurring(null, { since, until }))
    const week = await timeRuns(QUERY_RUNS, () => store.recurring(ws, { since: new Date(now.getTime() - 7 * 86_400_000), until }))
    const people = await timeRuns(QUERY_RUNS, () => store.peopleWithCause(ws, 'expired_session', { since: new Date(now.getTime() - 3600_000), until }))
    const summary = await store.recurring(null, { since, until })
    console.log(
      `  ${backend}: recurring() over ${summary.total} incidents: median ${round(percentile(one, 50))} ms for one workspace (${round(percentile(one, 95))} ms p95), ` +
        `${round(percentile(all, 50))} ms for all workspaces, ${round(percentile(week, 50))} ms for the last 7 days; peopleWithCause ${round(percentile(people, 50), 2)} ms`,
    )
    return {
      backend,
      singleInsertsPerSec: round(singleInsertsPerSec, 0),
      concurrentInsertsPerSec: round(concurrentInsertsPerSec, 0),
      bulkLoadMs: round(bulkLoadMs, 0),
      recurringMedianMs: round(percentile(one, 50)),
      recurringP95Ms: round(percentile(one, 95)),
      recurringAllWorkspacesMedianMs: round(percentile(all, 50)),
      recurringLast7DaysMedianMs: round(percentile(week, 50)),
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
  const backends: TestBackend[] = ['pglite']
  if (await postgresReachable()) backends.push('postgres')
  else console.log(`  postgres: skipped (no server at ${process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : DEFAULT_TEST_DATABASE_URL})`)
  const results: Figures[] = []
  for (const b of backends) results.push(await benchBackend(b, now))
  const targets = { insertsPerSec: 1_000, recurringMs: 100 }
  for (const r of results) {
    const okInsert = r.singleInsertsPerSec >= targets.insertsPerSec || r.concurrentInsertsPerSec >= targets.insertsPerSec
    console.log(`  ${r.backend}: inserts ${okInsert ? 'meet' : 'MISS'} the ${targets.insertsPerSec}/s target; recurring ${r.recurringMedianMs <= targets.recurringMs ? 'meets' : 'MISSES'} the ${targets.recurringMs} ms target`)
  }
  console.log(JSON.stringify({ section: 'store', incidents: BULK, targets, results }))
}
