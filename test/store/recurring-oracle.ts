// The reference for recurring() and its rollups, computed in plain TypeScript from every "Incident" row: what the
// rollup tables must hold and what the summary must say, by the definitions in src/store/types.ts.
import { ALL_WORKSPACES } from '../../src/store/recurring.js'
import type { PrismaStore } from '../../src/store/open-store.js'
import type { RecurringSummary } from '../../src/store/types.js'

export type RawIncident = {
  workspaceId: string
  cause: string
  userId: string | null
  fingerprint: string | null
  excerpt: string
  feedback: 'fixed' | 'still_failing' | null
  createdAt: Date
}

export async function rawIncidents(store: PrismaStore): Promise<RawIncident[]> {
  return store.prisma.incident.findMany({
    select: { workspaceId: true, cause: true, userId: true, fingerprint: true, excerpt: true, feedback: true, createdAt: true },
  })
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const utcDay = (d: Date) => d.toISOString().slice(0, 10)
const latest = (a: Date | undefined, b: Date) => (a && a.getTime() >= b.getTime() ? a : b)

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>()
  for (const x of xs) {
    const k = key(x)
    const list = m.get(k)
    if (list) list.push(x)
    else m.set(k, [x])
  }
  return m
}

const people = (rows: RawIncident[]) => new Set(rows.filter((r) => r.userId !== null).map((r) => `${r.workspaceId}|${r.userId}`)).size
const lastOf = (rows: RawIncident[]) => rows.reduce<Date | undefined>((m, r) => latest(m, r.createdAt), undefined)!

export function expectedSummary(
  all: RawIncident[],
  q: { workspaceId: string | null; cause?: string | null; since: Date; until: Date; limit?: number },
): RecurringSummary {
  const limit = q.limit ?? 10
  const rows = all.filter(
    (r) =>
      r.createdAt.getTime() >= q.since.getTime() &&
      r.createdAt.getTime() < q.until.getTime() &&
      (q.workspaceId === null || r.workspaceId === q.workspaceId) &&
      (q.cause == null || r.cause === q.cause),
  )
  const byCause = [...groupBy(rows, (r) => r.cause)]
    .map(([cause, rs]) => ({ cause, count: rs.length, people: people(rs) }))
    .sort((a, b) => b.count - a.count || cmp(a.cause, b.cause))
  const topFingerprints = [...groupBy(rows.filter((r) => r.fingerprint !== null), (r) => `${r.fingerprint}|${r.cause}`).values()]
    .map((rs) => {
      const newest = rs.reduce((m, r) => (r.createdAt.getTime() > m.createdAt.getTime() ? r : m))
      return { fingerprint: rs[0]!.fingerprint!, cause: rs[0]!.cause, count: rs.length, people: people(rs), lastSeen: newest.createdAt, excerpt: newest.excerpt }
    })
    .sort((a, b) => b.count - a.count || b.lastSeen.getTime() - a.lastSeen.getTime() || cmp(a.fingerprint, b.fingerprint))
    .slice(0, limit)
  const repeatUsers = [...groupBy(rows.filter((r) => r.userId !== null), (r) => `${r.userId}|${r.cause}`).values()]
    .filter((rs) => rs.length > 1)
    .map((rs) => ({ userId: rs[0]!.userId!, cause: rs[0]!.cause, count: rs.length, lastSeen: lastOf(rs) }))
    .sort((a, b) => b.count - a.count || b.lastSeen.getTime() - a.lastSeen.getTime() || cmp(a.userId, b.userId))
    .slice(0, limit)
  const perDay = [...groupBy(rows, (r) => `${utcDay(r.createdAt)}|${r.cause}`).values()]
    .map((rs) => ({ day: utcDay(rs[0]!.createdAt), cause: rs[0]!.cause, count: rs.length }))
    .sort((a, b) => cmp(a.day, b.day) || cmp(a.cause, b.cause))
  const fixed = rows.filter((r) => r.feedback === 'fixed').length
  const stillFailing = rows.filter((r) => r.feedback === 'still_failing').length
  return {
    window: { since: q.since, until: q.until },
    total: rows.length,
    byCause,
    topFingerprints,
    repeatUsers,
    perDay,
    feedback: { fixed, stillFailing, none: rows.length - fixed - stillFailing },
  }
}

export type Rollups = {
  days: { workspaceId: string; day: string; cause: string; count: number; fixed: number; stillFailing: number }[]
  users: { workspaceId: string; cause: string; userId: string; count: number; lastSeen: string }[]
  causePeople: { workspaceId: string; cause: string; people: number }[]
  fingerprints: { workspaceId: string; cause: string; fingerprint: string; count: number; people: number; lastSeen: string }[]
  fingerprintUsers: { workspaceId: string; cause: string; fingerprint: string; userId: string; count: number }[]
}

/** Each workspace's rows, then every row under the all-workspaces id. */
function scoped<T>(rows: RawIncident[], fn: (workspaceId: string, rows: RawIncident[]) => T[]): T[] {
  return [...[...groupBy(rows, (r) => r.workspaceId)].flatMap(([ws, rs]) => fn(ws, rs)), ...fn(ALL_WORKSPACES, rows)]
}

const sortRows = <T extends Record<string, unknown>>(rows: T[]): T[] => rows.sort((a, b) => cmp(JSON.stringify(a), JSON.stringify(b)))

export function expectedRollups(all: RawIncident[]): Rollups {
  const withUser = all.filter((r) => r.userId !== null)
  const withFp = all.filter((r) => r.fingerprint !== null)
  return {
    days: sortRows(
      scoped(all, (workspaceId, rs) =>
        [...groupBy(rs, (r) => `${utcDay(r.createdAt)}|${r.cause}`).values()].map((g) => ({
          workspaceId,
          day: utcDay(g[0]!.createdAt),
          cause: g[0]!.cause,
          count: g.length,
          fixed: g.filter((r) => r.feedback === 'fixed').length,
          stillFailing: g.filter((r) => r.feedback === 'still_failing').length,
        })),
      ),
    ),
    users: sortRows(
      scoped(withUser, (workspaceId, rs) =>
        [...groupBy(rs, (r) => `${r.cause}|${r.userId}`).values()].map((g) => ({
          workspaceId,
          cause: g[0]!.cause,
          userId: g[0]!.userId!,
          count: g.length,
          lastSeen: lastOf(g).toISOString(),
        })),
      ),
    ),
    causePeople: sortRows(scoped(withUser, (workspaceId, rs) => [...groupBy(rs, (r) => r.cause)].map(([cause, g]) => ({ workspaceId, cause, people: people(g) })))),
    fingerprints: sortRows(
      scoped(withFp, (workspaceId, rs) =>
        [...groupBy(rs, (r) => `${r.cause}|${r.fingerprint}`).values()].map((g) => ({
          workspaceId,
          cause: g[0]!.cause,
          fingerprint: g[0]!.fingerprint!,
          count: g.length,
          people: people(g),
          lastSeen: lastOf(g).toISOString(),
        })),
      ),
    ),
    fingerprintUsers: sortRows(
      [...groupBy(withFp.filter((r) => r.userId !== null), (r) => `${r.workspaceId}|${r.cause}|${r.fingerprint}|${r.userId}`).values()].map((g) => ({
        workspaceId: g[0]!.workspaceId,
        cause: g[0]!.cause,
        fingerprint: g[0]!.fingerprint!,
        userId: g[0]!.userId!,
        count: g.length,
      })),
    ),
  }
}

/** The rollup tables as stored, in the shape of expectedRollups. */
export async function storedRollups(store: PrismaStore): Promise<Rollups> {
  const p = store.prisma
  return {
    days: sortRows((await p.incidentDayCount.findMany()).map((r) => ({ ...r, day: r.day.toISOString().slice(0, 10) }))),
    users: sortRows((await p.incidentUserCount.findMany()).map((r) => ({ ...r, lastSeen: r.lastSeen.toISOString() }))),
    causePeople: sortRows(await p.incidentCausePeople.findMany()),
    fingerprints: sortRows((await p.incidentFingerprintCount.findMany()).map((r) => ({ ...r, lastSeen: r.lastSeen.toISOString() }))),
    fingerprintUsers: sortRows(await p.incidentFingerprintUserCount.findMany()),
  }
}
