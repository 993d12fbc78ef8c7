// Proof: SIGKILL during load. The bot process is killed without warning while pastes are streaming in; every
// incident whose write the database had acknowledged (the process logs "incident recorded" with the id right after
// the commit) is in the database after a restart, on the embedded database (WAL recovery, a lock left by a dead
// process) and on PostgreSQL. Replies whose write was still queued in memory at the kill are the documented price of
// write-behind; they are counted and reported, not hidden.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { FakeSlack } from '../fakes/fake-slack.js'
import { messageEvent } from '../fakes/fake-slack-payloads.js'
import { createTestDatabase, testBackends, type TestBackend } from '../support/test-store.js'
import { killAllBots, startBot, waitUntil, type BotProcess } from '../support/process-harness.js'
import { openStore } from '../../src/store/open-store.js'
import { PasteGenerator } from './lib/pastes.js'
import { answeredPassively, deliverEvent, incidentIdOf, pgQuery, slackHttpEnv } from './lib/common.js'

/** pastes per second during the load */
const RATE = 20
/** kill once at least this many incidents are acknowledged */
const ACKED_BEFORE_KILL = 25

async function storedIncidentIds(backend: TestBackend, url: string): Promise<Set<string>> {
  if (backend === 'postgres') return new Set((await pgQuery(url, 'SELECT id FROM "Incident"')).map((r) => String(r.id)))
  const store = await openStore({ url, migrate: 'never' })
  try {
    return new Set((await store.prisma.incident.findMany({ select: { id: true } })).map((r) => r.id))
  } finally {
    await store.close()
  }
}

describe.each(testBackends())('SIGKILL during load (%s)', (backend) => {
  const fake = new FakeSlack()
  let db: { url: string; drop(): Promise<void> }
  const env = () => slackHttpEnv(fake.apiUrl, db.url, { LOG_LEVEL: 'debug' })

  beforeAll(async () => {
    await fake.start()
    db = await createTestDatabase(backend)
  })
  afterAll(async () => {
    await killAllBots()
    await fake.stop()
    await db?.drop()
  })

  it('GIVEN pastes streaming in WHEN the process is SIGKILLed and restarted THEN every acknowledged incident is in the database and the restarted bot answers', async () => {
    const bot = await startBot({ name: `crash-${backend}`, env: env() })
    const gen = new PasteGenerator(9_009)
    const acked = () => bot.logs.filter((l) => l.msg === 'incident recorded').map((l) => String(l.incidentId))
    let killed = false
    let sent = 0
    const sending = (async () => {
      const start = performance.now()
      for (let i = 0; !killed && i < RATE * 60; i++) {
        const wait = start + (i * 1000) / RATE - performance.now()
        if (wait > 1) await new Promise((r) => setTimeout(r, wait))
        if (!killed) send()
      }
    })()
    function send() {
      let text: string
      do text = gen.paste().text
      while (!answeredPassively(text))
      sent++
      // The kill cuts deliveries short: their errors are expected.
      void deliverEvent(bot.url, messageEvent(fake, text, { channel: `C-crash-${backend}` })).catch(() => undefined)
    }
    await waitUntil(() => acked().length >= ACKED_BEFORE_KILL, 60_000, `${ACKED_BEFORE_KILL} acknowledged incident writes`, 20)
    const exit = await bot.kill()
    killed = true
    await sending.catch(() => undefined)
    expect(exit.signal).toBe('SIGKILL')
    const acknowledged = new Set(acked())
    const replies = fake.callsTo('chat.postMessage').filter((c) => c.args.channel === `C-crash-${backend}`)
    const replyIds = replies.map(incidentIdOf).filter((id): id is string => Boolean(id))

    // Restart on the same database: starts (a stale lock is taken over, the embedded WAL is replayed) and answers.
    const t0 = Date.now()
    const again = await startBot({ name: `restart-${backend}`, env: env() })
    await waitUntil(async () => (await again.request('/readyz')).status === 200, 20_000, '/readyz 200 after restart')
    const restartMs = Date.now() - t0
    const probe = messageEvent(fake, 'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}', { channel: `C-after-${backend}` })
    expect((await deliverEvent(again.url, probe)).status).toBe(200)
    const answer = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === `C-after-${backend}`, 20_000)
    await again.waitForLog((l) => l.msg === 'incident recorded' && l.incidentId === incidentIdOf(answer), 20_000, 'the probe incident written')
    expect((await again.stop()).code).toBe(0)

    const stored = await storedIncidentIds(backend, db.url)
    const lostAcked = [...acknowledged].filter((id) => !stored.has(id))
    const answeredNotStored = replyIds.filter((id) => !stored.has(id)).length
    console.log(
      `[sigkill ${backend}] ${sent} pastes sent at ${RATE}/s, ${replies.length} answered before the kill; ` +
        `${acknowledged.size} writes acknowledged; after restart (${restartMs} ms to ready) ${stored.size - 1} incidents stored; ` +
        `acknowledged but missing: ${lostAcked.length}; answered but still queued at the kill (write-behind): ${answeredNotStored}; ` +
        `stored but not acknowledged (committed, killed before the log line): ${[...stored].filter((id) => !acknowledged.has(id)).length - 1}`,
    )
    expect(lostAcked).toEqual([])
    expect(stored.has(incidentIdOf(answer)!)).toBe(true)
  }, 150_000)
})
