// `npm run bench -- load`: the bot as `npm start` runs it (a child process: node dist/main.js, rebuilt first) on
// PostgreSQL (a scratch database cloned from the migrated template, dropped after), Slack in HTTP mode against the
// fake Slack running in this process. A steady 100 signed paste events per second for 60 s (after a short warm-up),
// each a pasted error the bot answers in its thread:
//   latency : event sent -> its chat.postMessage received by the fake (same process, performance.now())
//   RSS     : the child's VmRSS sampled every 250 ms (and VmHWM, which includes start-up)
//   errors  : deliveries not answered 200, replies missing 10 s after the last send, replies given up by the bot
//             (claude_auth_reply_errors_total), error-level log lines, duplicate replies
// Prints figures, then one JSON line. Targets: p99 <= 100 ms, RSS <= 150 MB, 0 errors. Not a test: nothing fails.
// Knobs: BENCH_LOAD_RATE (100), BENCH_LOAD_SECONDS (60), BENCH_LOAD_WARMUP (500 events at half the rate), BENCH_LOAD_NODE_ARGS
// (extra node flags for the bot, e.g. "--liftoff-only"), TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test).
import fs from 'node:fs'
import { FakeSlack } from '../fakes/fake-slack.js'
import { messageEvent } from '../fakes/fake-slack-payloads.js'
import { createTestDatabase } from '../support/test-store.js'
import { bundleServer } from '../../src/server-bundle.js'
import { startBot, readMemory, type BotProcess } from '../support/process-harness.js'
import { PasteGenerator } from '../production/lib/pastes.js'
import { answeredPassively, deliverEvent, metricSum, parseMetrics, percentile, pgQuery, slackHttpEnv, steady } from '../production/lib/common.js'

const TARGET = { p99Ms: 100, rssMb: 150, errors: 0 }

function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * (1000 / 100) // utime + stime in clock ticks (USER_HZ = 100)
}

export async function run(): Promise<void> {
  const rate = Number(process.env.BENCH_LOAD_RATE ?? 100)
  const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 60)
  const warmup = Number(process.env.BENCH_LOAD_WARMUP ?? 500)
  const nodeArgs = (process.env.BENCH_LOAD_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)
  const count = rate * seconds

  await bundleServer() // the bot runs what `npm start` runs: the bundle of the current sources
  const fake = await new FakeSlack({ pingIntervalMs: 30_000 }).start()
  let db: { url: string; drop(): Promise<void> }
  try {
    db = await createTestDatabase('postgres')
  } catch (err) {
    await fake.stop()
    console.error(`bench load needs PostgreSQL (TEST_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/test): ${(err as Error).message}`)
    process.exitCode = 1
    return
  }
  let bot: BotProcess | null = null
  try {
    const t0 = Date.now()
    bot = await startBot({ name: 'bench', env: slackHttpEnv(fake.apiUrl, db.url, { LOG_LEVEL: 'info' }), nodeArgs })
    const startMs = Date.now() - t0
    const idle = readMemory(bot.pid)
    console.log(`bot started in ${startMs} ms (pid ${bot.pid}${nodeArgs.length ? `, node ${nodeArgs.join(' ')}` : ''}); RSS after start ${idle?.rssMb.toFixed(0)} MB, peak so far ${idle?.peakMb.toFixed(0)} MB`)

    // Pastes the bot answers without being asked (the same classifier and threshold), generated once.
    const gen = new PasteGenerator(100_060)
    const pastes: string[] = []
    while (pastes.length < 500) {
      const p = gen.paste().text
      if (answeredPassively(p)) pastes.push(p)
    }

    const sentAt = new Map<string, number>()
    let failedDeliveries = 0
    const firstFailures: string[] = []
    const send = (channel: string, i: number) => {
      const body = messageEvent(fake, pastes[i % pastes.length]!, { channel })
      sentAt.set((body.event as { ts: string }).ts, performance.now())
      deliverEvent(bot!.url, body).then(
        (r) => {
          if (r.status !== 200) {
            failedDeliveries++
            if (firstFailures.length < 5) firstFailures.push(`HTTP ${r.status} ${r.text.slice(0, 120)}`)
          }
        },
        (err: Error) => {
          failedDeliveries++
          if (firstFailures.length < 5) firstFailures.push(`${err.message} ${(err.cause as Error | undefined)?.message ?? ''}`)
        },
      )
    }
    const replies = (channel: string) => fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel)

    // Warm-up (JIT, connection pool, query plans: a fresh process needs ~10 s of traffic), not measured.
    await steady(Math.max(1, Math.round(rate / 2)), warmup, (i) => send('C-warmup', i))
    await fake.waitFor(() => replies('C-warmup').length >= warmup, 60_000, 'the warm-up replies').catch(() => undefined)
    const metricsBefore = parseMetrics((await bot.request('/metrics')).text)

    // The measured run.
    const rss: number[] = []
    const sampler = setInterval(() => {
      const m = readMemory(bot!.pid)
      if (m) rss.push(m.rssMb)
    }, 250)
    const cpu0 = cpuMs(bot.pid)
    const run0 = performance.now()
    let lagMax = 0
    let lagAt = performance.now()
    const lag = setInterval(() => {
      const now = performance.now()
      lagMax = Math.max(lagMax, now - lagAt - 100)
      lagAt = now
    }, 100)
    await steady(rate, count, (i) => send('C-load', i))
    const sendMs = performance.now() - run0
    await fake.waitFor(() => replies('C-load').length >= count, 10_000).catch(() => undefined)
    clearInterval(sampler)
    clearInterval(lag)
    const cpu = cpuMs(bot.pid) - cpu0
    const wallMs = performance.now() - run0
    const mem = readMemory(bot.pid)
    const r1 = (x: number) => Math.round(x * 10) / 10
    const metricsAfter = parseMetrics((await bot.request('/metrics')).text)
    const errorLogs = bot.logs.filter((l) => l.level >= 50)
    const claimTimeouts = bot.logs.filter((l) => /could not claim/.test(l.msg)).length

    const latencies: number[] = []
    const seen = new Map<string, number>()
    for (const c of replies('C-load')) {
      const ts = String(c.args.thread_ts)
      seen.set(ts, (seen.get(ts) ?? 0) + 1)
      const t = sentAt.get(ts)
      if (t !== undefined && seen.get(ts) === 1) latencies.push(c.hr - t)
    }
    const duplicates = [...seen.values()].filter((n) => n > 1).length
    const lost = count - latencies.length
    const replyErrors = metricSum(metricsAfter, 'claude_auth_reply_errors_total') - metricSum(metricsBefore, 'claude_auth_reply_errors_total')
    const mb = (name: string) => r1(metricSum(metricsAfter, name) / 1e6)

    // SIGTERM: the write-behind queue is flushed; then count what reached the database.
    const exit = await bot.stop(30_000)
    const stored = Number((await pgQuery(db.url, `SELECT count(*)::int AS n FROM "Incident" WHERE "channelId" = 'C-load'`))[0].n)

    const sorted = latencies.sort((a, b) => a - b)
    const figures = {
      bench: 'load',
      rate,
      seconds,
      events: count,
      replies: latencies.length,
      p50Ms: r1(percentile(sorted, 50)),
      p90Ms: r1(percentile(sorted, 90)),
      p99Ms: r1(percentile(sorted, 99)),
      maxMs: r1(sorted.at(-1) ?? NaN),
      rssPeakMb: r1(Math.max(...rss, 0)),
      rssEndMb: r1(mem?.rssMb ?? NaN),
      rssHwmMb: r1(mem?.peakMb ?? NaN),
      heapUsedEndMb: mb('nodejs_heap_size_used_bytes'),
      heapTotalEndMb: mb('nodejs_heap_size_total_bytes'),
      externalEndMb: mb('nodejs_external_memory_bytes'),
      errors: failedDeliveries + lost + replyErrors + errorLogs.length + duplicates,
      failedDeliveries,
      lost,
      replyErrors,
      errorLogs: errorLogs.length,
      duplicates,
      claimTimeouts,
      incidentsStored: stored,
      cpuMsPerEvent: r1(cpu / count),
      botCores: r1(cpu / wallMs),
      sendMs: Math.round(sendMs),
      benchLoopLagMaxMs: Math.round(lagMax),
      startMs,
      exitCode: exit.code,
    }
    const ok = (b: boolean) => (b ? 'met' : 'NOT met')
    console.log(`load: ${rate} pastes/s for ${seconds} s (${count} events) against the fake Slack, bot on PostgreSQL`)
    console.log(`  replies        ${figures.replies}/${count}  (lost ${lost}, duplicates ${duplicates})`)
    console.log(`  latency        p50 ${figures.p50Ms} ms  p90 ${figures.p90Ms} ms  p99 ${figures.p99Ms} ms  max ${figures.maxMs} ms   target p99 <= ${TARGET.p99Ms} ms: ${ok(figures.p99Ms <= TARGET.p99Ms)}`)
    console.log(`  RSS            peak ${figures.rssPeakMb} MB during the run, ${figures.rssEndMb} MB at the end, high-water ${figures.rssHwmMb} MB (start-up included)   target <= ${TARGET.rssMb} MB: ${ok(figures.rssPeakMb <= TARGET.rssMb)}`)
    console.log(`  JS heap        ${figures.heapUsedEndMb} MB used of ${figures.heapTotalEndMb} MB at the end; external (buffers, WebAssembly) ${figures.externalEndMb} MB`)
    console.log(`  errors         ${figures.errors}  (deliveries ${failedDeliveries}, lost ${lost}, given up ${replyErrors}, error logs ${errorLogs.length}, duplicates ${duplicates})   target 0: ${ok(figures.errors === 0)}`)
    console.log(`  bot CPU        ${figures.cpuMsPerEvent} ms per event, ${figures.botCores} cores; claim timeouts ${claimTimeouts}; incidents stored ${stored}; bench loop lag max ${figures.benchLoopLagMaxMs} ms`)
    if (firstFailures.length) console.log(`  first delivery failures: ${firstFailures.join(' | ')}`)
    if (errorLogs.length) console.log(`  first error logs: ${errorLogs.slice(0, 3).map((l) => l.msg).join(' | ')}`)
    console.log(JSON.stringify(figures))
  } finally {
    if (bot) await bot.kill().catch(() => undefined)
    await fake.stop()
    await db.drop()
  }
}
