// /readyz follows the chat connection too: a bot in Slack Socket Mode whose connection drops (and cannot be reopened
// because apps.connections.open fails) is not ready (503, "slack": false) while /healthz stays 200; once Slack
// lets it reconnect, it is ready again. (The database side of /readyz is proven in database-outage.test.ts.)
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { FakeSlack } from '../fakes/fake-slack.js'
import { createTestDatabase } from '../support/test-store.js'
import { killAllBots, startBot, waitUntil, type BotProcess } from '../support/process-harness.js'
import { SlackFaults } from '../support/slack-faults.js'
import { BOT_TOKEN } from './lib/common.js'

describe('readiness follows the Slack connection (Socket Mode, bot process)', () => {
  const fake = new FakeSlack()
  const front = new SlackFaults(fake)
  let db: { url: string; drop(): Promise<void> }
  let bot: BotProcess

  beforeAll(async () => {
    await fake.start()
    await front.start()
    db = await createTestDatabase('pglite')
    bot = await startBot({
      name: 'socket',
      env: { DATABASE_URL: db.url, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-1-A1-4242-prod-proof-app-token', SLACK_API_URL: front.apiUrl.replace(/\/+$/, '') },
    })
  }, 120_000)

  afterAll(async () => {
    await killAllBots()
    await front.stop()
    await fake.stop()
    await db?.drop()
  })

  const ready = async () => {
    const r = await bot.request('/readyz')
    return { status: r.status, body: r.json() as { status: string; checks: Record<string, boolean> } }
  }

  it('GIVEN a connected Socket Mode bot WHEN the connection drops and cannot be reopened THEN /readyz is 503 naming slack and /healthz 200; WHEN Slack lets it reconnect THEN /readyz is 200 again', async () => {
    await waitUntil(async () => (await ready()).status === 200, 20_000, '/readyz 200 once connected')
    expect((await ready()).body.checks).toEqual({ database: true, slack: true })

    front.outage({ methods: ['apps.connections.open'], faults: [{ status: 500 }] })
    const opensBefore = front.seen.get('apps.connections.open') ?? 0
    for (const s of fake.openSockets()) s.terminate()
    const down = await waitUntil(async () => {
      const r = await ready()
      return r.status === 503 ? r : null
    }, 20_000, '/readyz 503 after the connection dropped')
    expect(down.body).toMatchObject({ status: 'not_ready', checks: { database: true, slack: false } })
    expect((await bot.request('/healthz')).status).toBe(200)
    // It is trying to come back, and Slack is refusing.
    await waitUntil(() => (front.seen.get('apps.connections.open') ?? 0) > opensBefore, 20_000, 'a reconnection attempt')

    front.recover()
    const t0 = Date.now()
    await waitUntil(async () => (await ready()).status === 200, 60_000, '/readyz 200 after reconnecting', 250)
    expect(fake.openSockets().length).toBeGreaterThan(0)
    console.log(`[readiness] socket dropped: /readyz 503 {slack:false}; reconnected and ready ${Date.now() - t0} ms after Slack accepted connections again`)
  }, 120_000)
})
