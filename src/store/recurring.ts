// The recurring-issues summary (Store.recurring), exact for any window, read from the rollups that triggers keep on
// "Incident" (prisma/migrations/*_incident_rollups) plus as few raw rows as possible:
//   - total, feedback, per day and the count per cause: IncidentDayCount for the whole UTC days inside the window,
//     raw rows for the partial days at its edges;
//   - people per cause, repeat users and top fingerprints, one of two ways:
//       'complement': the all-time rollups minus the raw rows before `since`, when nothing lies at or after `until`
//                     (windows ending now, as every caller asks) and the rows before cost less than the rows inside
//                     would; a window holding all the data reads no raw row at all;
//       'inside':     aggregated from the raw rows inside the window (short windows).
//   Either way costs about one raw row read per incident it has to read: windows of a few months over a long history
//   are the slowest (on the bench's data, 90 of 180 days: ~40,000 rows, ~110-170 ms on PGlite).
// Each way is one statement, so rollups and raw rows come from the same snapshot.
import { AppError } from '../errors.js'
import type { SqlRunner } from './connection.js'
import type { RecurringSummary } from './types.js'

/** The rollups' workspaceId for sums over every workspace (no workspace row has it). */
export const ALL_WORKSPACES = '00000000-0000-0000-0000-000000000000'

/** The tables the triggers on "Incident" maintain. */
export const ROLLUP_TABLES = ['IncidentDayCount', 'IncidentUserCount', 'IncidentCausePeople', 'IncidentFingerprintCount', 'IncidentFingerprintUserCount'] as const

export type RecurringMode = 'complement' | 'inside'

export type RecurringQuery = {
  /** null = every workspace */
  workspaceId: string | null
  cause: string | null
  since: Date
  until: Date
  limit: number
  /** forces one way (tests compare them); default: the cheaper one */
  mode?: RecurringMode
}

const DAY_MS = 86_400_000

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/**
 * The window as whole UTC days [dayFrom, dayTo) plus the raw time ranges left at its edges (empty ranges when an
 * edge falls on midnight; the whole window when no full day fits in it).
 */
export function splitWindow(since: Date, until: Date): { dayFrom: string; dayTo: string; edges: [Date, Date][] } {
  const s = since.getTime()
  const u = until.getTime()
  const firstMidnight = Math.ceil(s / DAY_MS) * DAY_MS
  const lastMidnight = Math.floor(u / DAY_MS) * DAY_MS
  if (firstMidnight >= lastMidnight) return { dayFrom: isoDay(firstMidnight), dayTo: isoDay(firstMidnight), edges: [[since, until]] }
  return {
    dayFrom: isoDay(firstMidnight),
    dayTo: isoDay(lastMidnight),
    edges: [
      [since, new Date(firstMidnight)],
      [new Date(lastMidnight), until],
    ],
  }
}

/** Positional parameters for plain SQL: `p(value, 'uuid')` returns `$n::uuid`. */
class Params {
  readonly values: unknown[] = []
  p(value: unknown, type: string): string {
    this.values.push(value)
    return `$${this.values.length}::${type}`
  }
}

type Filters = { workspaceId: string | null; cause: string | null }

/** `AND` conditions on a raw "Incident" alias for the workspace and cause filters. */
function rawFilter(params: Params, alias: string, f: Filters): string {
  return (
    (f.workspaceId ? ` AND ${alias}."workspaceId" = ${params.p(f.workspaceId, 'uuid')}` : '') +
    (f.cause !== null ? ` AND ${alias}."cause" = ${params.p(f.cause, 'text')}` : '')
  )
}

/** A raw "Incident" alias inside the window [since, until), with the workspace and cause filters. */
function rawWindow(params: Params, alias: string, q: RecurringQuery): string {
  return `${alias}."createdAt" >= ${params.p(q.since, 'timestamptz')} AND ${alias}."createdAt" < ${params.p(q.until, 'timestamptz')}${rawFilter(params, alias, q)}`
}

/** `AND` conditions on a rollup alias: its scope (one workspace or all) and the cause filter. */
function rollupFilter(params: Params, alias: string, f: Filters): string {
  return (
    `${alias}."workspaceId" = ${params.p(f.workspaceId ?? ALL_WORKSPACES, 'uuid')}` +
    (f.cause !== null ? ` AND ${alias}."cause" = ${params.p(f.cause, 'text')}` : '')
  )
}

/** Rows before, inside and after the window's days, from the day rollup: decides which way is cheaper. */
async function chooseMode(sql: SqlRunner, q: RecurringQuery): Promise<RecurringMode> {
  const params = new Params()
  const sinceDay = params.p(isoDay(q.since.getTime()), 'date')
  const untilDay = params.p(isoDay(q.until.getTime()), 'date')
  const rows = await sql.query<{ before: number; inside: number; after: number }>(
    `SELECT coalesce(sum(d."count") FILTER (WHERE d."day" < ${sinceDay}), 0)::int AS "before",
            coalesce(sum(d."count") FILTER (WHERE d."day" >= ${sinceDay} AND d."day" <= ${untilDay}), 0)::int AS "inside",
            coalesce(sum(d."count") FILTER (WHERE d."day" > ${untilDay}), 0)::int AS "after"
     FROM "IncidentDayCount" d WHERE ${rollupFilter(params, 'd', q)}`,
    params.values,
  )
  const r = rows[0]
  // a row before the window costs the complement about 1.5 times what a row inside costs the other way (measured)
  return r && Number(r.after) === 0 && 3 * Number(r.before) < 2 * Number(r.inside) ? 'complement' : 'inside'
}

/** CTEs `people`, `repeat_users` and `top` from the raw rows inside the window (read once, narrow). */
function insideParts(params: Params, q: RecurringQuery, limit: string): string {
  // within one workspace, (cause, workspace, user) rows are already per (user, cause): no second grouping
  const repeatUsers = q.workspaceId
    ? `SELECT "userId", "cause", "n" AS "count", "lastSeen" FROM pc WHERE "n" > 1`
    : `SELECT "userId", "cause", sum("n")::int AS "count", max("lastSeen") AS "lastSeen" FROM pc GROUP BY 1, 2 HAVING sum("n") > 1`
  return `
    w AS MATERIALIZED (
      SELECT i."cause", i."fingerprint", i."workspaceId", i."userId", i."createdAt"
      FROM "Incident" i
      WHERE ${rawWindow(params, 'i', q)}
    ),
    pc AS MATERIALIZED (
      SELECT "cause", "workspaceId", "userId", count(*)::int AS "n", max("createdAt") AS "lastSeen"
      FROM w WHERE "userId" IS NOT NULL
      GROUP BY 1, 2, 3
    ),
    people AS (SELECT "cause", count(*)::int AS "people" FROM pc GROUP BY 1),
    repeat_users AS (${repeatUsers} ORDER BY 3 DESC, 4 DESC, 1 LIMIT ${limit}),
    top_counts AS MATERIALIZED (
      SELECT "fingerprint", "cause", count(*)::int AS "count", max("createdAt") AS "lastSeen"
      FROM w WHERE "fingerprint" IS NOT NULL
      GROUP BY 1, 2
      ORDER BY 3 DESC, 4 DESC, 1 LIMIT ${limit}
    ),
    top AS (
      SELECT t.*, (SELECT count(DISTINCT (x."workspaceId", x."userId"))::int FROM "Incident" x
                   WHERE x."fingerprint" = t."fingerprint" AND x."cause" = t."cause" AND x."userId" IS NOT NULL
                     AND ${rawWindow(params, 'x', q)}) AS "people"
      FROM top_counts t
    )`
}

/**
 * CTEs `people`, `repeat_users` and `top` from the all-time rollups minus the raw rows before `since` (valid while no
 * row lies at or after `until`: `after` tells, and the caller falls back to 'inside').
 */
function complementParts(params: Params, q: RecurringQuery, limit: string): string {
  return `
    before AS MATERIALIZED (
      SELECT i."workspaceId" AS "ws", i."cause", i."userId" AS "usr", i."fingerprint" AS "fp"
      FROM "Incident" i WHERE i."createdAt" < ${params.p(q.since, 'timestamptz')}${rawFilter(params, 'i', q)}
    ),
    before_users AS MATERIALIZED (
      SELECT "ws", "cause", "usr", count(*)::int AS "n" FROM before WHERE "usr" IS NOT NULL GROUP BY 1, 2, 3
    ),
    -- (workspace, cause, user) rows with no incident left once the rows before the window are taken away
    people_gone AS (
      SELECT b."cause", count(*)::int AS "gone"
      FROM before_users b
      JOIN "IncidentUserCount" u ON u."workspaceId" = b."ws" AND u."cause" = b."cause" AND u."userId" = b."usr" AND u."count" = b."n"
      GROUP BY 1
    ),
    people AS (
      SELECT p."cause", p."people" - coalesce(g."gone", 0) AS "people"
      FROM "IncidentCausePeople" p LEFT JOIN people_gone g USING ("cause")
      WHERE ${rollupFilter(params, 'p', q)}
    ),
    repeat_users AS (
      SELECT u."userId", u."cause", u."count" - coalesce(b."n", 0) AS "count", u."lastSeen"
      FROM "IncidentUserCount" u
      LEFT JOIN (SELECT "cause", "usr", sum("n")::int AS "n" FROM before_users GROUP BY 1, 2) b
        ON b."cause" = u."cause" AND b."usr" = u."userId"
      WHERE ${rollupFilter(params, 'u', q)} AND u."count" - coalesce(b."n", 0) > 1
      ORDER BY 3 DESC, 4 DESC, 1 LIMIT ${limit}
    ),
    top_counts AS MATERIALIZED (
      SELECT f."fingerprint", f."cause", f."count" - coalesce(b."n", 0) AS "count", f."lastSeen", f."people"
      FROM "IncidentFingerprintCount" f
      LEFT JOIN (SELECT "cause", "fp", count(*)::int AS "n" FROM before WHERE "fp" IS NOT NULL GROUP BY 1, 2) b
        ON b."cause" = f."cause" AND b."fp" = f."fingerprint"
      WHERE ${rollupFilter(params, 'f', q)} AND f."count" - coalesce(b."n", 0) > 0
      ORDER BY 3 DESC, 4 DESC, 1 LIMIT ${limit}
    ),
    top_people_gone AS (
      SELECT b."cause", b."fp", count(*)::int AS "gone"
      FROM (SELECT x."ws", x."cause", x."fp", x."usr", count(*)::int AS "n"
            FROM before x JOIN top_counts t ON t."fingerprint" = x."fp" AND t."cause" = x."cause"
            WHERE x."usr" IS NOT NULL GROUP BY 1, 2, 3, 4) b
      JOIN "IncidentFingerprintUserCount" fu
        ON fu."workspaceId" = b."ws" AND fu."cause" = b."cause" AND fu."fingerprint" = b."fp" AND fu."userId" = b."usr" AND fu."count" = b."n"
      GROUP BY 1, 2
    ),
    top AS (
      SELECT t."fingerprint", t."cause", t."count", t."lastSeen", t."people" - coalesce(g."gone", 0) AS "people"
      FROM top_counts t LEFT JOIN top_people_gone g ON g."cause" = t."cause" AND g."fp" = t."fingerprint"
    ),
    after AS (
      SELECT EXISTS (SELECT 1 FROM "Incident" i WHERE i."createdAt" >= ${params.p(q.until, 'timestamptz')}${rawFilter(params, 'i', q)}) AS "any"
    )`
}

type Row = { total: number; fixed: number; still_failing: number; by_cause: string; top: string; repeat_users: string; per_day: string; after: boolean }

function statement(q: RecurringQuery, mode: RecurringMode): { text: string; values: unknown[] } {
  const params = new Params()
  const limit = params.p(q.limit, 'int')
  const { dayFrom, dayTo, edges } = splitWindow(q.since, q.until)
  const edgeRanges = edges
    .map(([from, to]) => `(i."createdAt" >= ${params.p(from, 'timestamptz')} AND i."createdAt" < ${params.p(to, 'timestamptz')})`)
    .join(' OR ')
  const text = `
    WITH days AS (
      SELECT d."day", d."cause", d."count", d."fixed", d."stillFailing"
      FROM "IncidentDayCount" d
      WHERE ${rollupFilter(params, 'd', q)} AND d."day" >= ${params.p(dayFrom, 'date')} AND d."day" < ${params.p(dayTo, 'date')}
      UNION ALL
      SELECT (i."createdAt" AT TIME ZONE 'UTC')::date, i."cause", 1,
             (i."feedback" = 'fixed' IS TRUE)::int, (i."feedback" = 'still_failing' IS TRUE)::int
      FROM "Incident" i WHERE (${edgeRanges})${rawFilter(params, 'i', q)}
    ),
    per_day AS MATERIALIZED (
      SELECT "day", "cause", sum("count")::int AS "count", sum("fixed")::int AS "fixed", sum("stillFailing")::int AS "failing"
      FROM days GROUP BY 1, 2
    ),
    ${mode === 'inside' ? insideParts(params, q, limit) : complementParts(params, q, limit)}
    SELECT
      (SELECT coalesce(sum("count"), 0)::int FROM per_day) AS "total",
      (SELECT coalesce(sum("fixed"), 0)::int FROM per_day) AS "fixed",
      (SELECT coalesce(sum("failing"), 0)::int FROM per_day) AS "still_failing",
      (SELECT coalesce(json_agg(b ORDER BY b."count" DESC, b."cause"), '[]')::text FROM (
         SELECT c."cause", c."count", coalesce(p."people", 0) AS "people"
         FROM (SELECT "cause", sum("count")::int AS "count" FROM per_day GROUP BY 1) c LEFT JOIN people p USING ("cause")) b) AS "by_cause",
      (SELECT coalesce(json_agg(t ORDER BY t."count" DESC, t."lastSeen" DESC, t."fingerprint"), '[]')::text FROM (
         SELECT top."fingerprint", top."cause", top."count", top."people", top."lastSeen",
                (SELECT x."excerpt" FROM "Incident" x
                 WHERE x."fingerprint" = top."fingerprint" AND x."cause" = top."cause"
                   AND ${rawWindow(params, 'x', q)}
                 ORDER BY x."createdAt" DESC LIMIT 1) AS "excerpt"
         FROM top) t) AS "top",
      (SELECT coalesce(json_agg(r ORDER BY r."count" DESC, r."lastSeen" DESC, r."userId"), '[]')::text FROM repeat_users r) AS "repeat_users",
      (SELECT coalesce(json_agg(d ORDER BY d."day", d."cause"), '[]')::text FROM (
         SELECT to_char("day", 'YYYY-MM-DD') AS "day", "cause", "count" FROM per_day) d) AS "per_day",
      ${mode === 'complement' ? '(SELECT "any" FROM after)' : 'false'} AS "after"`
  return { text, values: params.values }
}

type Top = { fingerprint: string; cause: string; count: number; people: number; lastSeen: string; excerpt: string | null }
type Repeat = { userId: string; cause: string; count: number; lastSeen: string }

export async function recurringSummary(sql: SqlRunner, q: RecurringQuery): Promise<RecurringSummary> {
  const run = async (mode: RecurringMode) => {
    const { text, values } = statement(q, mode)
    const row = (await sql.query<Row>(text, values))[0]
    if (!row) throw new AppError('STORE_FAILED', 'The recurring-issues query returned no row')
    return row
  }
  const mode = q.mode ?? (await chooseMode(sql, q))
  let r = await run(mode)
  if (r.after) {
    // a row at or after `until` (a window ending in the past, a writer's clock ahead): the all-time rollups hold it
    if (q.mode) throw new AppError('RECURRING_MODE_INVALID', 'Incidents exist at or after the end of the window: only the inside way applies')
    r = await run('inside')
  }
  const total = Number(r.total)
  const fixed = Number(r.fixed)
  const stillFailing = Number(r.still_failing)
  return {
    window: { since: q.since, until: q.until },
    total,
    byCause: JSON.parse(r.by_cause) as RecurringSummary['byCause'],
    topFingerprints: (JSON.parse(r.top) as Top[]).map((t) => ({
      fingerprint: t.fingerprint,
      cause: t.cause,
      count: t.count,
      people: t.people,
      lastSeen: new Date(t.lastSeen),
      excerpt: t.excerpt ?? '',
    })),
    repeatUsers: (JSON.parse(r.repeat_users) as Repeat[]).map((u) => ({ ...u, lastSeen: new Date(u.lastSeen) })),
    perDay: JSON.parse(r.per_day) as RecurringSummary['perDay'],
    feedback: { fixed, stillFailing, none: total - fixed - stillFailing },
  }
}
