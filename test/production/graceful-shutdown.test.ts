// Proof: graceful shutdown on SIGTERM. The bot stops taking work, finishes the reply in flight (here one waiting out
// a Slack rate limit), writes its incident, closes its connections and releases the embedded database's directory
// lock: a second process opens the same directory right after the first has exited.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { FakeSlack } from '../fakes/fake-slack.js'
import { messageEvent } from '../fakes/fake-slack-payloads.js'
import { createTestDatabase } from '../support/test-store.js'
import { killAllBots, startBot, waitUntil } from '../support/process-harness.js'
import { openStore } from '../../src/store/open-store.js'
import { deliverEvent, incidentIdOf, slackHttpEnv } from './lib/common.js'

const PASTE_401 = 'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}'

describe('graceful shutdown on SIGTERM (embedded database)', () => {
  const fake = new FakeSlack()
  let db: { url: string; drop(): Promise<void> }

  beforeAll(async () => {
    await fake.start()
    db = await createTestDatabase('pglite')
  })
  afterAll(async () => {
    await killAllBots()
    await fake.stop()
    await db?.drop()
  })

  it('GIVEN a reply in flight WHEN SIGTERM arrives THEN new work is refused, the reply still arrives, its incident is written, the process exits 0, and a second process opens the same directory at once', async () => {
    const bot = await startBot({ name: 'sigterm', env: slackHttpEnv(fake.apiUrl, db.url, { LOG_LEVEL: 'debug' }) })
    // Slack rate-limits the reply once (Retry-After: 2 s): the reply is in flight, waiting, when SIGTERM comes.
    fake.rateLimit('chat.postMessage', { times: 1, retryAfterSec: 2 })
    const body = messageEvent(fake, PASTE_401, { channel: 'C-term' })
    expect((await deliverEvent(bot.url, body)).status).toBe(200)
    // The first attempt has been answered 429 (the fake records it): the reply is now waiting out the rate limit.
    await fake.waitFor(() => fake.callsTo('chat.postMessage').some((c) => c.args.channel === 'C-term'), 20_000, 'the rate-limited first attempt')
    const termAt = Date.now()
    bot.child.kill('SIGTERM')
    await bot.waitForLog((l) => /shutting down/.test(l.msg), 10_000, 'the shutdown line')

    // Stop taking work: the listener is closed (connection refused) or the request is refused.
    const late = await deliverEvent(bot.url, messageEvent(fake, PASTE_401, { channel: 'C-late' })).then(
      (r) => r.status,
      () => 'refused' as const,
    )
    expect(late === 'refused' || late === 503).toBe(true)

    const exit = await bot.exited
    expect(exit.code).toBe(0)
    // The fake records every call: the first was answered 429, the second is the reply.
    const attempts = fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C-term')
    expect(attempts, 'the rate-limited attempt and the reply').toHaveLength(2)
    const reply = attempts[1]
    expect(reply!.at).toBeGreaterThan(termAt) // it was sent after SIGTERM: the process waited for it
    expect(reply!.at).toBeLessThanOrEqual(exit.at)
    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C-late')).toHaveLength(0)
    const id = incidentIdOf(reply!)
    await bot.waitForLog((l) => l.msg === 'incident recorded' && l.incidentId === id, 1_000, 'the in-flight incident written before exit')
    expect(bot.logs.some((l) => l.msg === 'stopped cleanly')).toBe(true)

    // The directory lock is released: open it right away, in this process and in a new bot process.
    const store = await openStore({ url: db.url, migrate: 'never' })
    try {
      expect(await store.getIncident(id!)).toMatchObject({ channelId: 'C-term', cause: 'invalid_api_key' })
    } finally {
      await store.close()
    }
    const next = await startBot({ name: 'sigterm-next', env: slackHttpEnv(fake.apiUrl, db.url) })
    await waitUntil(async () => (await next.request('/readyz')).status === 200, 20_000, 'the second process ready')
    expect((await next.stop()).code).toBe(0)
    console.log(`[sigterm] reply sent ${reply!.at - termAt} ms after SIGTERM; exit 0 ${exit.at - termAt} ms after SIGTERM; directory reopened by a second process`)
  }, 120_000)
})
