// `npm run bench -- slack`: the whole service (startApp, Slack on) against the fake Slack, database on PGlite.
// Two runs at a steady 50 requests/s for 20 s each:
//   slash : `/claude-auth <paste>` (signed POST /slack/events, or a Socket Mode envelope)  ->  the reply on the response_url
//   paste : a pasted error (Events API)                                                   ->  the chat.postMessage reply
// The fake Slack and the load generator run in a child process (as Slack is not inside the bot's process), so the
// service's event loop is measured alone. Latency: from sending the request to the fake receiving the reply, both
// timed in the child. Target p99 <= 100 ms.
// Knobs: BENCH_SLACK_RATE (50), BENCH_SLACK_SECONDS (20), BENCH_SLACK_MODES=http,socket (http),
// BENCH_SLACK_DB=file,memory (file: a PGlite data directory, what `npm start` uses by default; memory: PGlite in memory).
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { createLogger } from '../../src/log.js'
import { openStore } from '../../src/store/open-store.js'
import { FakeSlack } from '../fakes/fake-slack.js'
import { JSON_TYPE, formBody, messageEvent, postSigned, slashCommand } from '../fakes/fake-slack-payloads.js'
import { createTestStore } from '../support/test-store.js'

const SECRET = 'bench-signing-secret'
const TARGET_P99_MS = 100

const PASTES = [
  'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
  'OAuth token has expired. Please obtain a new token or refresh your existing token.\n  ⎿  API Error: 401 · Please run /login',
  'Error: connect ETIMEDOUT 160.79.104.10:443\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)\nUnable to connect to API: fetch failed',
  'Invalid API key · Fix external API key\nANTHROPIC_API_KEY is set in your environment but differs from the login',
]

type Mode = 'http' | 'socket'
type Figures = { n: number; delivered: number; lost: number; p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number; meanMs: number }
type RunRequest = { type: 'run'; mode: Mode; appUrl: string; rate: number; seconds: number }
type DriverMessage = { type: 'ready'; apiUrl: string } | { type: 'result'; slash: Figures; paste: Figures; requestErrors: number } | { type: 'error'; message: string }

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

function figures(n: number, latencies: number[]): Figures {
  const s = [...latencies].sort((a, b) => a - b)
  const r = (x: number) => Math.round(x * 10) / 10
  return {
    n,
    delivered: s.length,
    lost: n - s.length,
    p50Ms: r(percentile(s, 50)),
    p90Ms: r(percentile(s, 90)),
    p99Ms: r(percentile(s, 99)),
    maxMs: r(s.at(-1) ?? NaN),
    meanMs: r(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)),
  }
}

/** Fires `count` requests at `rate`/s on a fixed schedule, never waiting for answers (no coordinated omission). */
async function steady(rate: number, count: number, fire: (i: number) => void): Promise<void> {
  const start = performance.now()
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / rate - performance.now()
    if (wait > 1) await new Promise((r) => setTimeout(r, wait))
    fire(i)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// child process: the fake Slack and the load generator

async function driver(): Promise<void> {
  const fake = await new FakeSlack({ pingIntervalMs: 5_000 }).start()
  const send = (msg: DriverMessage) => process.send!(msg)
  send({ type: 'ready', apiUrl: fake.apiUrl })
  process.on('message', (raw: RunRequest | { type: 'exit' }) => {
    if (raw.type === 'exit') {
      void fake.stop().finally(() => process.exit(0))
      return
    }
    measure(fake, raw).then(
      (result) => send({ type: 'result', ...result }),
      (err: Error) => send({ type: 'error', message: err.message }),
    )
  })
}

async function measure(fake: FakeSlack, req: RunRequest) {
  const { mode, appUrl, rate, seconds } = req
  if (mode === 'socket') await fake.waitFor(() => fake.openSockets()[0], 10_000, 'the socket-mode connection')
  const count = rate * seconds
  const errors: string[] = []
  const deliver = (kind: 'command' | 'event', body: object) => {
    if (mode === 'socket') {
      fake.sendEnvelope(kind === 'command' ? 'slash_commands' : 'events_api', body)
      return
    }
    const raw = kind === 'command' ? formBody(body as Record<string, string>) : JSON.stringify(body)
    postSigned(appUrl, SECRET, raw, kind === 'command' ? {} : { contentType: JSON_TYPE }).then(
      (r) => r.status !== 200 && errors.push(`HTTP ${r.status}`),
      (e: Error) => errors.push(e.message),
    )
  }

  // warm-up, not measured: 5 s of both kinds at the target rate (JIT, first database pages, connection pools)
  const warm = rate * 5
  await steady(rate, warm, (i) => {
    if (i % 2) deliver('command', slashCommand(fake, PASTES[i % PASTES.length]!, { id: `warm-${i}` }).payload)
    else deliver('event', messageEvent(fake, PASTES[i % PASTES.length]!, { channel: `CW${i}` }))
  })
  const warmDone = () =>
    fake.responsePosts.filter((p) => p.id.startsWith('warm-')).length + fake.callsTo('chat.postMessage').filter((c) => String(c.args.channel).startsWith('CW')).length
  await fake.waitFor(() => warmDone() >= warm, 60_000, 'warm-up')
  await new Promise((r) => setTimeout(r, 2_000))

  const slashSent = new Map<string, number>()
  await steady(rate, count, (i) => {
    const { payload, responseId } = slashCommand(fake, PASTES[i % PASTES.length]!, { id: `bench-${i}`, channel: `CB${i % 20}` })
    slashSent.set(responseId, performance.now())
    deliver('command', payload)
  })
  await fake.waitFor(() => fake.responsePosts.filter((p) => slashSent.has(p.id)).length >= count, 30_000, 'slash replies').catch(() => undefined)
  const slash = figures(count, fake.responsePosts.filter((p) => slashSent.has(p.id)).map((p) => p.hr - slashSent.get(p.id)!))
  if (process.env.BENCH_SLACK_TRACE) {
    const perSecond = new Map<number, number[]>()
    for (const p of fake.responsePosts.filter((x) => slashSent.has(x.id))) {
      const i = Number(p.id.slice('bench-'.length))
      const sec = Math.floor(i / rate)
      if (!perSecond.has(sec)) perSecond.set(sec, [])
      perSecond.get(sec)!.push(p.hr - slashSent.get(p.id)!)
    }
    console.log('slash max per second:', [...perSecond].sort((a, b) => a[0] - b[0]).map(([, v]) => Math.round(Math.max(...v))).join(' '))
  }

  const pasteSent = new Map<string, number>()
  await steady(rate, count, (i) => {
    const channel = `CP${i}`
    pasteSent.set(channel, performance.now())
    deliver('event', messageEvent(fake, PASTES[i % PASTES.length]!, { channel }))
  })
  const replies = () => fake.callsTo('chat.postMessage').filter((c) => pasteSent.has(c.args.channel))
  await fake.waitFor(() => replies().length >= count, 30_000, 'paste replies').catch(() => undefined)
  const paste = figures(count, replies().map((c) => c.hr - pasteSent.get(c.args.channel)!))
  return { slash, paste, requestErrors: errors.length }
}

// ---------------------------------------------------------------------------------------------------------------
// parent: the service

function nextMessage(child: ChildProcess): Promise<DriverMessage> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`bench driver exited (${code})`))
    child.once('exit', onExit)
    child.once('message', (m) => {
      child.off('exit', onExit)
      resolve(m as DriverMessage)
    })
  })
}

async function runOne(mode: Mode, dbKind: 'file' | 'memory', rate: number, seconds: number) {
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, BENCH_SLACK_ROLE: 'driver' }, stdio: 'inherit' })
  const ready = await nextMessage(child)
  if (ready.type !== 'ready') throw new Error('bench driver did not start')
  const db =
    dbKind === 'memory'
      ? await (async () => {
          const store = await openStore({ url: 'pglite:memory', migrate: 'always' })
          return { store, url: 'pglite:memory', cleanup: () => store.close() }
        })()
      : await createTestStore('pglite')
  const level = process.env.BENCH_LOG_LEVEL ?? 'silent'
  const config = loadConfig({
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: level,
    DATABASE_URL: db.url,
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_API_URL: ready.apiUrl,
    ...(mode === 'socket' ? { SLACK_APP_TOKEN: 'xapp-1-bench' } : { SLACK_SIGNING_SECRET: SECRET }),
  })
  const app = await startApp({ config, log: createLogger({ level }), store: db.store })
  try {
    console.log(`[${mode}, pglite:${dbKind}] warm-up, then slash and paste at ${rate}/s for ${seconds} s each …`)
    child.send({ type: 'run', mode, appUrl: `http://127.0.0.1:${app.port}/slack/events`, rate, seconds } satisfies RunRequest)
    const result = await nextMessage(child)
    if (result.type !== 'result') throw new Error(`bench driver failed: ${result.type === 'error' ? result.message : result.type}`)
    return { mode, database: `pglite:${dbKind}`, slash: result.slash, paste: result.paste, requestErrors: result.requestErrors }
  } finally {
    child.send({ type: 'exit' })
    await app.stop()
    await db.cleanup()
  }
}

export async function run(): Promise<void> {
  const rate = Number(process.env.BENCH_SLACK_RATE ?? 50)
  const seconds = Number(process.env.BENCH_SLACK_SECONDS ?? 20)
  const modes = (process.env.BENCH_SLACK_MODES ?? 'http').split(',').map((m) => m.trim()) as Mode[]
  const dbs = (process.env.BENCH_SLACK_DB ?? 'file').split(',').map((m) => m.trim()) as ('file' | 'memory')[]
  const results = []
  for (const mode of modes) {
    for (const dbKind of dbs) {
      const r = await runOne(mode, dbKind, rate, seconds)
      results.push(r)
      const tag = `[${mode}, ${r.database}]`
      for (const [name, f] of [['slash -> response_url', r.slash], ['paste -> chat.postMessage', r.paste]] as const) {
        console.log(`${tag} ${name.padEnd(26)} n=${f.n} delivered=${f.delivered} lost=${f.lost}  p50=${f.p50Ms} ms  p90=${f.p90Ms} ms  p99=${f.p99Ms} ms  max=${f.maxMs} ms  mean=${f.meanMs} ms`)
      }
      if (r.requestErrors) console.log(`${tag} request errors: ${r.requestErrors}`)
    }
  }
  const ok = results.every((r) => r.slash.lost === 0 && r.paste.lost === 0 && r.slash.p99Ms <= TARGET_P99_MS && r.paste.p99Ms <= TARGET_P99_MS)
  console.log(`target p99 <= ${TARGET_P99_MS} ms: ${ok ? 'met' : 'NOT met'}`)
  console.log(JSON.stringify({ section: 'slack', rate, seconds, targetP99Ms: TARGET_P99_MS, ok, results }))
}

if (process.env.BENCH_SLACK_ROLE === 'driver') await driver()
