// Proof: Slack answers 429 (with Retry-After) and 500 for a while. A thin front between the bot process and the fake
// Slack answers chat.postMessage with 429 and 500 without posting anything; then Slack recovers. Every paste sent
// during the trouble gets its reply once Slack is back, and none gets two.
//
// Delivery (src/chat/slack/delivery.ts) waits out Retry-After and backs off through 5xx for up to 5 minutes, so an
// outage of this length loses nothing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { FakeSlack } from '../fakes/fake-slack.js'
import { messageEvent } from '../fakes/fake-slack-payloads.js'
import { createTestDatabase, testBackends } from '../support/test-store.js'
import { killAllBots, startBot, waitUntil, type BotProcess } from '../support/process-harness.js'
import { SlackFaults } from '../support/slack-faults.js'
import { PasteGenerator } from './lib/pastes.js'
import { answeredPassively, deliverEvent, metricSum, parseMetrics, slackHttpEnv } from './lib/common.js'

/** how long Slack misbehaves */
const OUTAGE_MS = Number(process.env.PROOF_SLACK_OUTAGE_MS ?? 6_000)
const PASTES = 30

describe('Slack answers 429 and 500 for a while (bot process)', () => {
  const fake = new FakeSlack()
  const front = new SlackFaults(fake)
  let db: { url: string; drop(): Promise<void> }
  let bot: BotProcess

  beforeAll(async () => {
    await fake.start()
    await front.start()
    // PostgreSQL when available (as in production with replicas), the embedded database otherwise: Slack's trouble
    // does not depend on it.
    db = await createTestDatabase(testBackends().at(-1)!)
    bot = await startBot({ name: 'slack-outage', env: slackHttpEnv(front.apiUrl, db.url) })
    const warm = messageEvent(fake, 'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}', { channel: 'C-warm' })
    expect((await deliverEvent(bot.url, warm)).status).toBe(200)
    await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-warm', 20_000)
  }, 120_000)

  afterAll(async () => {
    await killAllBots()
    await front.stop()
    await fake.stop()
    await db?.drop()
  })

  const plannedPastes = (seed: number, channel: string) => {
    const gen = new PasteGenerator(seed)
    return Array.from({ length: PASTES }, () => {
      let text: string
      do text = gen.paste().text
      while (!answeredPassively(text))
      return messageEvent(fake, text, { channel })
    })
  }
  const posted = (channel: string) => fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel)

  it(`GIVEN every reply's first attempts answered 429 (Retry-After 1 s), then 500, then 500 WHEN ${PASTES} errors are pasted THEN each gets exactly one reply`, async () => {
    const planned = plannedPastes(429, 'C-flaky')
    front.perMessage([{ status: 429, retryAfterSec: 1 }, { status: 500 }, { status: 500 }])
    const start = Date.now()
    try {
      for (const body of planned) expect((await deliverEvent(bot.url, body)).status).toBe(200)
      const threads = planned.map((b) => (b.event as { ts: string }).ts)
      await fake.waitFor(() => threads.every((ts) => posted('C-flaky').some((c) => c.args.thread_ts === ts)), 30_000).catch(() => undefined)
      const allMs = Date.now() - start
      await fake.settle(1_500)
      const perThread = threads.map((ts) => posted('C-flaky').filter((c) => c.args.thread_ts === ts).length)
      const metrics = parseMetrics((await bot.request('/metrics')).text)
      console.log(
        `[slack-flaky] each reply: 429, 500, 500, then ok; injected ${front.injected[429] ?? 0}x 429, ${front.injected[500] ?? 0}x 500; ` +
          `all ${PASTES} answered after ${allMs} ms; per paste ${JSON.stringify(countBy(perThread))}`,
      )
      expect(front.injected[429]).toBe(PASTES)
      expect(front.injected[500]).toBe(2 * PASTES)
      expect(perThread.filter((n) => n !== 1)).toEqual([])
      expect(metricSum(metrics, 'claude_auth_reply_errors_total')).toBe(0)
    } finally {
      front.recover()
      front.injected = {}
    }
  }, 90_000)

  it(`GIVEN chat.postMessage answering 429 and 500 in turn for ${OUTAGE_MS / 1000} s WHEN ${PASTES} errors are pasted meanwhile THEN each gets exactly one reply after Slack recovers`, async () => {
    const planned = plannedPastes(500, 'C-trouble')
    front.outage({ faults: [{ status: 429, retryAfterSec: 1 }, { status: 500 }] })
    const start = Date.now()
    // Spread over the first half of the outage; each delivery is acknowledged at once whatever Slack's Web API does.
    for (const [i, body] of planned.entries()) {
      const r = await deliverEvent(bot.url, body)
      expect(r.status, `delivery ${i}`).toBe(200)
      await waitUntil(() => Date.now() - start >= ((i + 1) * OUTAGE_MS) / 2 / PASTES, OUTAGE_MS, 'the next send slot', 10)
    }
    await waitUntil(() => Date.now() - start >= OUTAGE_MS, OUTAGE_MS * 2, 'the end of the outage', 50)
    const delivered = posted('C-trouble').length
    front.recover()
    const recoveredAt = Date.now()

    const threads = planned.map((b) => (b.event as { ts: string }).ts)
    // Until every paste's fate is known (answered, or given up and counted), bounded; the assertions say which.
    const givenUp = async () => metricSum(parseMetrics((await bot.request('/metrics')).text), 'claude_auth_reply_errors_total')
    await waitUntil(async () => new Set(posted('C-trouble').map((c) => c.args.thread_ts)).size + (await givenUp()) >= PASTES, 30_000, 'every paste answered or given up', 250).catch(() => undefined)
    const allMs = Date.now() - recoveredAt
    await fake.settle(1_500)
    const perThread = threads.map((ts) => posted('C-trouble').filter((c) => c.args.thread_ts === ts).length)
    const metrics = parseMetrics((await bot.request('/metrics')).text)
    console.log(
      `[slack-outage] ${OUTAGE_MS} ms of trouble: injected ${front.injected[429] ?? 0}x 429 and ${front.injected[500] ?? 0}x 500; ` +
        `replies during it ${delivered}; waited ${allMs} ms after recovery; per paste: ${JSON.stringify(countBy(perThread))} ` +
        `(replies given up: ${metricSum(metrics, 'claude_auth_reply_errors_total')})`,
    )
    expect(front.injected[429]).toBeGreaterThan(0)
    expect(front.injected[500]).toBeGreaterThan(0)
    expect(delivered).toBe(0) // nothing got through while Slack was failing
    expect(perThread.filter((n) => n !== 1)).toEqual([])
  }, 90_000)
})

function countBy(values: number[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const v of values) out[`${v} repl${v === 1 ? 'y' : 'ies'}`] = (out[`${v} repl${v === 1 ? 'y' : 'ies'}`] ?? 0) + 1
  return out
}
