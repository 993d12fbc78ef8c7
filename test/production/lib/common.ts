// Shared pieces of the production proofs: the bot's settings for Slack HTTP mode against the fake, signed delivery,
// Prometheus text parsing, the database helpers (fresh PostgreSQL database per test, table dumps).
import pg from 'pg'
import { classify } from '../../../src/diagnosis/index.js'
import type { FakeSlack, ApiCall } from '../../fakes/fake-slack.js'
import { JSON_TYPE, postSigned, type PostResult } from '../../fakes/fake-slack-payloads.js'

export const SIGNING_SECRET = 'prod-proof-signing-secret-5f1c2a'
export const BOT_TOKEN = 'xoxb-4242-4242-prod-proof-bot-token'

/** PostgreSQL is available (CI always sets it); the proofs that need two processes on one database skip without it. */
export const POSTGRES_URL = process.env.TEST_DATABASE_URL || null
export const NO_POSTGRES_REASON = 'TEST_DATABASE_URL is not set: this proof needs PostgreSQL (two processes cannot share one embedded database); CI sets it'

/** The environment of a bot in Slack HTTP mode talking to `apiUrl` (the fake, or a faulty front of it). */
export function slackHttpEnv(apiUrl: string, databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: apiUrl.replace(/\/+$/, ''),
    LOG_LEVEL: 'info',
    ...extra,
  }
}

/** Posts an Events API body to /slack/events, signed as Slack signs it; `retryNum` adds X-Slack-Retry-Num. */
export function deliverEvent(baseUrl: string, body: object, retryNum?: number): Promise<PostResult> {
  return postSigned(`${baseUrl}/slack/events`, SIGNING_SECRET, JSON.stringify(body), { contentType: JSON_TYPE, retryNum })
}

/** true when the bot answers this paste without being asked (the same pure classifier and default threshold) */
export function answeredPassively(text: string, threshold = 0.6): boolean {
  const d = classify(text)
  return d.cause !== 'none' && d.confidence >= threshold
}

/** chat.postMessage calls, grouped by "channel thread_ts" */
export function repliesByThread(fake: FakeSlack): Map<string, ApiCall[]> {
  const out = new Map<string, ApiCall[]>()
  for (const c of fake.callsTo('chat.postMessage')) {
    const key = `${c.args.channel} ${c.args.thread_ts ?? ''}`
    const list = out.get(key)
    if (list) list.push(c)
    else out.set(key, [c])
  }
  return out
}

/** the incident id carried in a diagnosis reply's message metadata */
export function incidentIdOf(call: ApiCall): string | null {
  const id = call.args.metadata?.event_payload?.incident_id
  return typeof id === 'string' && id ? id : null
}

// ---------- Prometheus ----------

export type Series = { name: string; labels: Record<string, string>; value: number }

export function parseMetrics(text: string): Series[] {
  const out: Series[] = []
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line)
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`)
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!
    out.push({ name: m[1]!, labels, value: Number(m[3]) })
  }
  return out
}

/** the sum of every sample of `name` whose labels include `where` */
export function metricSum(series: Series[], name: string, where: Record<string, string> = {}): number {
  return series
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0)
}

// ---------- database ----------

export async function pgQuery<T extends pg.QueryResultRow = any>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(sql, params)).rows
  } finally {
    await client.end()
  }
}

/** every row of every table in the public schema, as JSON text (for secret scans) */
export async function dumpTables(query: (sql: string) => Promise<any[]>): Promise<{ table: string; rows: string[] }[]> {
  const tables = (await query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`)).map(
    (r) => String(r.table_name),
  )
  const out: { table: string; rows: string[] }[] = []
  for (const table of tables) {
    const rows = await query(`SELECT row_to_json(t)::text AS j FROM "${table}" t`)
    out.push({ table, rows: rows.map((r) => String(r.j)) })
  }
  return out
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}

/** Runs `tasks` with at most `limit` at a time; returns their results in order. */
export async function pool<T>(count: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const i = next++
        results[i] = await task(i)
      }
    }),
  )
  return results
}

/** Calls `fire(i)` for i < count at `rate` per second on a fixed schedule (never waits for answers). */
export async function steady(rate: number, count: number, fire: (i: number) => void): Promise<void> {
  const start = performance.now()
  const interval = 1000 / rate
  for (let i = 0; i < count; i++) {
    const wait = start + i * interval - performance.now()
    if (wait > 1) await new Promise((r) => setTimeout(r, wait))
    fire(i)
  }
}
