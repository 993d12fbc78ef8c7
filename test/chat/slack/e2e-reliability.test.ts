// Reliability end to end: two app instances sharing one database answer once; a database that is down never blocks
// a reply; the service's /slack/events refuses forged, stale, future, mistyped and oversized requests; settings that
// change who gets answered (SLACK_CHANNELS, PASSIVE_MODE, SLACK_REPLY_VISIBILITY).
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { FakeSlack } from '../../fakes/fake-slack.js'
import { JSON_TYPE, appMentionEvent, formBody, messageEvent, postSigned, slashCommand } from '../../fakes/fake-slack-payloads.js'
import { createTestStore, testBackends, type TestStore } from '../../support/test-store.js'
import { openStore } from '../../../src/store/open-store.js'
import type { Store } from '../../../src/store/types.js'
import { failingStore, startHarness, SIGNING_SECRET, verdictCause, type Harness, type Mode } from './harness.js'
import { CHATTER, PASTE_401, PASTE_EXPIRED } from './fixtures.js'

describe.each(testBackends())('two app instances sharing one %s database', (backend) => {
  describe.each<Mode>(['http', 'socket'])('%s mode', (mode) => {
    const fake = new FakeSlack()
    let t: TestStore
    let second: Store
    let a: Harness
    let b: Harness

    beforeAll(async () => {
      await fake.start()
      t = await createTestStore(backend)
      // PGlite is one process, one handle: both instances share it. PostgreSQL: a second pool, like a second replica.
      second = backend === 'postgres' ? await openStore({ url: t.url, migrate: 'never' }) : t.store
      a = await startHarness({ mode, store: t.store, fake })
      b = await startHarness({ mode, store: second, fake })
    })
    afterAll(async () => {
      await a?.stop()
      await b?.stop()
      if (second && second !== t.store) await second.close()
      await t?.cleanup()
      await fake.stop()
    })

    it('GIVEN the same event delivered to both instances at once THEN exactly one reply and one incident', async () => {
      const body = messageEvent(fake, PASTE_401, { channel: 'C-two' })
      await Promise.all([a.driver.event(body), b.driver.event(body, { retryNum: 1 })])
      await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-two')
      await fake.settle(500)
      expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C-two')).toHaveLength(1)
      await fake.settle(200)
      expect(await t.store.prisma.incident.count({ where: { channelId: 'C-two' } })).toBe(1)
    })

    it('GIVEN a mention delivered to one instance and its retry to the other THEN one reply', async () => {
      const body = appMentionEvent(fake, PASTE_EXPIRED, { channel: 'C-two-m' })
      await a.driver.event(body)
      await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-two-m')
      await b.driver.event(body, { retryNum: 1 })
      await fake.settle(400)
      expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C-two-m')).toHaveLength(1)
    })

    it('GIVEN the same slash command delivered to both instances THEN one response', async () => {
      const { payload, responseId } = slashCommand(fake, PASTE_401)
      await Promise.all([a.driver.command(payload), b.driver.command(payload)])
      await fake.waitForResponse(responseId)
      await fake.settle(400)
      expect(fake.responsePosts.filter((p) => p.id === responseId)).toHaveLength(1)
    })
  })
})

describe.each<Mode>(['http', 'socket'])('the database is down (%s mode)', (mode) => {
  const fake = new FakeSlack()
  let h: Harness

  beforeAll(async () => {
    await fake.start()
    h = await startHarness({ mode, store: failingStore(), fake })
  })
  afterAll(async () => {
    await h?.stop()
    await fake.stop()
  })

  it('GIVEN every store call fails WHEN an error is pasted THEN the reply still goes out, once', async () => {
    const body = messageEvent(fake, PASTE_401, { channel: 'C-down' })
    const t0 = Date.now()
    await h.driver.event(body)
    const call = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-down')
    expect(Date.now() - t0).toBeLessThan(3_000)
    expect(verdictCause(call.args.blocks)).toBe('invalid_api_key')
    await h.driver.event(body, { retryNum: 1 })
    await fake.settle(300)
    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C-down')).toHaveLength(1)
  })

  it('GIVEN every store call fails WHEN /claude-auth runs THEN the diagnosis arrives; doctor says it cannot issue a code now', async () => {
    const cmd = slashCommand(fake, PASTE_401)
    await h.driver.command(cmd.payload)
    const post = await fake.waitForResponse(cmd.responseId)
    expect(verdictCause(post.body.blocks)).toBe('invalid_api_key')
    const doc = slashCommand(fake, 'doctor')
    await h.driver.command(doc.payload)
    const answer = await fake.waitForResponse(doc.responseId)
    expect(answer.body.text).toMatch(/could not create a doctor upload code/)
  })

  it('THEN the failed writes are counted, not hidden', async () => {
    const res = await fetch(`http://127.0.0.1:${h.app.port}/metrics`)
    expect(await res.text()).toMatch(/claude_auth_db_errors_total\{operation="claim_event"\} [1-9]/)
  })
})

describe('the service refuses bad requests on /slack/events', () => {
  const fake = new FakeSlack()
  let t: TestStore
  let h: Harness

  beforeAll(async () => {
    await fake.start()
    t = await createTestStore('pglite')
    h = await startHarness({ mode: 'http', store: t.store, fake })
  })
  afterAll(async () => {
    await h?.stop()
    await t?.cleanup()
    await fake.stop()
  })

  const event = () => JSON.stringify(messageEvent(fake, PASTE_401, { channel: 'C-sec' }))
  const now = () => Math.floor(Date.now() / 1000)

  it.each([
    { what: 'a forged signature', options: () => ({ secret: 'forged-secret' }), status: 401 },
    { what: 'no signature', options: () => ({ unsigned: true }), status: 401 },
    { what: 'a timestamp 6 minutes old', options: () => ({ ts: now() - 360 }), status: 401 },
    { what: 'a timestamp 6 minutes ahead', options: () => ({ ts: now() + 360 }), status: 401 },
    { what: 'a content type Slack never sends', options: () => ({ contentType: 'text/plain' }), status: 415 },
  ])('GIVEN $what THEN $status and nothing is posted', async ({ options, status }) => {
    const r = await postSigned(h.eventsUrl, SIGNING_SECRET, event(), { contentType: JSON_TYPE, ...options() })
    expect(r.status).toBe(status)
    await fake.settle(200)
    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C-sec')).toHaveLength(0)
  })

  it('GIVEN an oversized body THEN 413', async () => {
    const body = JSON.stringify(messageEvent(fake, 'x'.repeat(1_100_000)))
    const r = await postSigned(h.eventsUrl, SIGNING_SECRET, body, { contentType: JSON_TYPE })
    expect(r.status).toBe(413)
  })

  it('GIVEN a signed slash command THEN the HTTP answer (the ack) comes within the 3 s Slack allows, the reply after it', async () => {
    const { payload, responseId } = slashCommand(fake, PASTE_401)
    const r = await postSigned(h.eventsUrl, SIGNING_SECRET, formBody(payload))
    expect(r.status).toBe(200)
    expect(r.text).toBe('')
    expect(r.ms).toBeLessThan(3_000)
    await fake.waitForResponse(responseId)
  })
})

describe('settings: SLACK_CHANNELS, PASSIVE_MODE, SLACK_REPLY_VISIBILITY, direct messages', () => {
  const fake = new FakeSlack()
  let t: TestStore
  let limited: Harness
  let quiet: Harness

  beforeAll(async () => {
    await fake.start()
    t = await createTestStore('pglite')
    limited = await startHarness({ mode: 'http', store: t.store, fake, env: { SLACK_CHANNELS: 'C-watched', SLACK_REPLY_VISIBILITY: 'in_channel' } })
    quiet = await startHarness({ mode: 'http', store: t.store, fake, env: { PASSIVE_MODE: 'false' } })
  })
  afterAll(async () => {
    await limited?.stop()
    await quiet?.stop()
    await t?.cleanup()
    await fake.stop()
  })

  it('GIVEN SLACK_CHANNELS THEN pastes are answered only in the listed channels, mentions everywhere', async () => {
    await limited.driver.event(messageEvent(fake, PASTE_401, { channel: 'C-other' }))
    await limited.driver.event(messageEvent(fake, PASTE_401, { channel: 'C-watched' }))
    await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-watched')
    await limited.driver.event(appMentionEvent(fake, PASTE_401, { channel: 'C-other' }))
    await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-other')
    await fake.settle(300)
    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C-other')).toHaveLength(1)
  })

  it('GIVEN SLACK_REPLY_VISIBILITY=in_channel THEN /claude-auth answers visibly, without a Share button', async () => {
    const { payload, responseId } = slashCommand(fake, PASTE_401)
    await limited.driver.command(payload)
    const post = await fake.waitForResponse(responseId)
    expect(post.body.response_type).toBe('in_channel')
    expect(JSON.stringify(post.body.blocks)).not.toMatch(/\|share\|/)
  })

  it('GIVEN PASSIVE_MODE=false THEN channel pastes get nothing but a direct message is answered', async () => {
    await quiet.driver.event(messageEvent(fake, PASTE_401, { channel: 'C-quiet' }))
    await quiet.driver.event(messageEvent(fake, PASTE_EXPIRED, { channel: 'D-dm', channel_type: 'im' }))
    const dm = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D-dm')
    expect(verdictCause(dm.args.blocks)).toBe('expired_session')
    await fake.settle(300)
    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C-quiet')).toHaveLength(0)
  })

  it('GIVEN chatter in a direct message THEN the bot still answers (someone asked it directly)', async () => {
    await quiet.driver.event(messageEvent(fake, CHATTER, { channel: 'D-dm2', channel_type: 'im' }))
    const reply = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D-dm2')
    expect(verdictCause(reply.args.blocks)).toBe('none')
  })
})

describe('start-up with credentials Slack rejects', () => {
  const fake = new FakeSlack()
  beforeAll(() => fake.start())
  afterAll(() => fake.stop())

  it('GIVEN a bot token Slack rejects THEN start-up fails with a message naming SLACK_BOT_TOKEN', async () => {
    await expect(startHarness({ mode: 'http', store: failingStore(), fake, env: { SLACK_BOT_TOKEN: 'not-a-bot-token' } })).rejects.toMatchObject({
      code: 'SLACK_AUTH_FAILED',
      message: expect.stringMatching(/SLACK_BOT_TOKEN.*not_authed/),
    })
  })

  it('GIVEN an app token Slack rejects THEN Socket Mode start-up fails with a message naming SLACK_APP_TOKEN', async () => {
    await expect(startHarness({ mode: 'socket', store: failingStore(), fake, env: { SLACK_APP_TOKEN: 'not-an-app-token' } })).rejects.toMatchObject({
      code: 'SLACK_SOCKET_FAILED',
      message: expect.stringMatching(/invalid_auth.*SLACK_APP_TOKEN/),
    })
  })
})
