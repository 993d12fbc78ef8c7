// End-to-end, the settings and failures around the happy path: no MessageContent intent, a failing or slow
// database, two replicas on one Discord, a bad token, a disallowed intent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COMMAND_NAME, CONTEXT_MENU_NAME } from '../../../src/chat/discord/command-schema.js'
import { AppError } from '../../../src/errors.js'
import { FakeDiscord } from '../../fakes/fake-discord.js'
import { createTestStore, type TestStore } from '../../support/test-store.js'
import { actionsOf, backend, barrier, IDS, repliesTo, startBot, textOf, wrapStore, type Bot } from './harness.js'

const INVALID_KEY = 'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}'
const EXPIRED = 'OAuth token has expired. Please run /login to sign in again.'
const str = (name: string, value: string) => ({ name, type: 3, value })

// one database for the whole file (each test uses its own message ids); a fresh one costs seconds on a busy machine
let shared: TestStore
beforeAll(async () => {
  shared = await createTestStore(backend)
})
afterAll(() => shared?.cleanup())

describe('Discord without the MessageContent intent', () => {
  let bot: Bot
  beforeAll(async () => {
    bot = await startBot({ testStore: shared, env: { DISCORD_MESSAGE_CONTENT: 'false' }, setupFake: (f) => (f.grantedIntents = 0) })
  })
  afterAll(() => bot?.stop())

  it('GIVEN the intent is off WHEN connecting THEN it is not requested', () => {
    const identify = bot.fake.gatewayLog.find((e) => e.dir === 'in' && e.op === 2)!
    expect(identify.d.intents & (1 << 15)).toBe(0)
  })

  it('GIVEN a pasted error without a mention WHEN posted THEN the bot cannot read it and stays silent', async () => {
    const m = bot.fake.userMessage(INVALID_KEY)
    await barrier(bot.fake)
    expect(repliesTo(bot.fake, m.id)).toHaveLength(0)
  })

  it('GIVEN an @mention with a paste WHEN posted THEN it is diagnosed (Discord delivers mentions)', async () => {
    const m = bot.fake.userMessage(INVALID_KEY, { mentionBot: true })
    const reply = await bot.fake.waitFor(() => repliesTo(bot.fake, m.id)[0], 10_000, 'the reply')
    expect(actionsOf(reply.body).find((a) => a.ref!.action === 'fixed')!.ref!.cause).toBe('invalid_api_key')
  })

  it('GIVEN a bare @mention replying to a message WHEN posted THEN it explains how to use the menu instead', async () => {
    const original = bot.fake.userMessage(EXPIRED)
    const m = bot.fake.userMessage('', { mentionBot: true, replyTo: original.id })
    const reply = await bot.fake.waitFor(() => repliesTo(bot.fake, m.id)[0], 10_000, 'the reply')
    expect(textOf(reply.body)).toContain(CONTEXT_MENU_NAME)
  })

  it('GIVEN the context menu on a message WHEN run THEN it is diagnosed (the content comes with the interaction)', async () => {
    const target = bot.fake.message({ content: EXPIRED })
    bot.fake.messages.set(target.id, target)
    const msg = await bot.fake.waitForResponse(bot.fake.contextMenu(CONTEXT_MENU_NAME, target))
    expect(actionsOf(msg).find((a) => a.ref!.action === 'fixed')!.ref!.cause).toBe('expired_session')
  })

  it('GIVEN /claude-auth diagnose WHEN run THEN it is diagnosed', async () => {
    const msg = await bot.fake.waitForResponse(bot.fake.slash(COMMAND_NAME, 'diagnose', [str('text', EXPIRED)]))
    expect(actionsOf(msg).find((a) => a.ref!.action === 'fixed')!.ref!.cause).toBe('expired_session')
  })
})

describe('Discord with passive detection limited to one channel', () => {
  let bot: Bot
  beforeAll(async () => {
    bot = await startBot({ testStore: shared, env: { DISCORD_CHANNELS: IDS.channel2 } })
  })
  afterAll(() => bot?.stop())

  it('GIVEN DISCORD_CHANNELS=#ops WHEN errors are pasted in #general and #ops THEN only #ops gets a reply', async () => {
    const general = bot.fake.userMessage(INVALID_KEY, { channelId: IDS.channel })
    const ops = bot.fake.userMessage(INVALID_KEY, { channelId: IDS.channel2 })
    await bot.fake.waitFor(() => repliesTo(bot.fake, ops.id)[0], 10_000, 'the reply in #ops')
    await barrier(bot.fake, IDS.channel)
    expect(repliesTo(bot.fake, general.id)).toHaveLength(0)
  })

  it('GIVEN DISCORD_CHANNELS=#ops WHEN an error is pasted in a thread of #ops THEN it is answered in the thread', async () => {
    const thread = bot.fake.createThread('login trouble', IDS.channel2)
    const m = bot.fake.userMessage(INVALID_KEY, { channelId: thread.id })
    const reply = await bot.fake.waitFor(() => repliesTo(bot.fake, m.id)[0], 10_000, 'the reply in the thread')
    expect(reply.path).toBe(`/channels/${thread.id}/messages`)
  })
})

describe('Discord with PASSIVE_MODE=false', () => {
  let bot: Bot
  beforeAll(async () => {
    bot = await startBot({ testStore: shared, env: { PASSIVE_MODE: 'false' } })
  })
  afterAll(() => bot?.stop())

  it('GIVEN passive mode off WHEN an error is pasted THEN no reply, but mentions still work', async () => {
    const m = bot.fake.userMessage(INVALID_KEY)
    await barrier(bot.fake)
    expect(repliesTo(bot.fake, m.id)).toHaveLength(0)
  })
})

describe('Discord with a failing database', () => {
  const state = { failing: true }
  let bot: Bot
  beforeAll(async () => {
    bot = await startBot({ testStore: shared, wrapStore: wrapStore(state) })
  })
  afterAll(async () => {
    state.failing = false // let the write-behind queue drain so shutdown is quick
    await bot?.stop()
  })

  it('GIVEN every store method throws WHEN an error is pasted, mentioned or sent with /claude-auth THEN every reply is still sent', async () => {
    const p = bot.fake.userMessage(INVALID_KEY)
    const m = bot.fake.userMessage(EXPIRED, { mentionBot: true })
    const s = bot.fake.slash(COMMAND_NAME, 'diagnose', [str('text', INVALID_KEY)])
    await bot.fake.waitFor(() => repliesTo(bot.fake, p.id)[0] && repliesTo(bot.fake, m.id)[0], 10_000, 'the replies')
    const msg = await bot.fake.waitForResponse(s)
    expect(actionsOf(msg).length).toBeGreaterThan(0)
    expect(bot.app.ctx.metrics.dbErrors.get({ operation: 'claim_event' })).toBeGreaterThan(0)
  })

  it('GIVEN the database is down WHEN /claude-auth doctor THEN a clear note instead of a code', async () => {
    const msg = await bot.fake.waitForResponse(bot.fake.slash(COMMAND_NAME, 'doctor'))
    expect(textOf(msg)).toMatch(/could not create a doctor code/)
  })
})

describe('Discord with a slow database', () => {
  let bot: Bot
  beforeAll(async () => {
    bot = await startBot({ testStore: shared, wrapStore: wrapStore({ delayMs: { issueDoctorToken: 4_000 } }), setupFake: (f) => (f.interactionDeadlineMs = 3_000) })
  })
  afterAll(() => bot?.stop())

  it('GIVEN work longer than Discord\'s 3 s deadline (enforced by the fake) WHEN /claude-auth doctor THEN the reply is deferred in time, then edited with the code', async () => {
    const i = bot.fake.slash(COMMAND_NAME, 'doctor')
    const msg = await bot.fake.waitForResponse(i, 10_000)
    const calls = bot.fake.callsFor(i)
    expect(calls[0]!.body.type).toBe(5)
    expect(calls[0]!.body.data.flags).toBe(64)
    expect(calls[1]!.method).toBe('PATCH')
    expect(textOf(msg)).toContain('https://bot.example.test')
  })
})

describe('Discord with two replicas on one Discord and one database', () => {
  let a: Bot
  let b: Bot
  beforeAll(async () => {
    a = await startBot({ testStore: shared })
    b = await startBot({ fake: a.fake, testStore: shared })
  })
  afterAll(async () => {
    await b?.stop()
    await a?.stop()
  })

  it('GIVEN both replicas receive every event WHEN an error is pasted and a command run THEN one reply and one answer', async () => {
    const fake = a.fake
    expect(fake.sessions.filter((s) => !s.closed)).toHaveLength(2)
    const m = fake.userMessage(INVALID_KEY)
    const i = fake.slash(COMMAND_NAME, 'diagnose', [str('text', EXPIRED)])
    await fake.waitFor(() => repliesTo(fake, m.id)[0], 10_000, 'the reply')
    await fake.waitForResponse(i)
    await barrier(fake)
    expect(repliesTo(fake, m.id)).toHaveLength(1)
    expect(fake.callsFor(i).filter((c) => c.path.endsWith('/callback'))).toHaveLength(1)
    const dropped = a.app.ctx.metrics.duplicatesDropped.get({ platform: 'discord' }) + b.app.ctx.metrics.duplicatesDropped.get({ platform: 'discord' })
    expect(dropped).toBeGreaterThanOrEqual(2)
  })
})

describe('Discord start-up failures', () => {
  it('GIVEN a bad DISCORD_TOKEN WHEN the service starts THEN it fails with a clear error naming DISCORD_TOKEN', async () => {
    const fake = await new FakeDiscord().start()
    try {
      const started = startBot({ fake, testStore: shared, env: { DISCORD_TOKEN: 'not-the-token' } })
      await expect(started).rejects.toBeInstanceOf(AppError)
      await expect(started).rejects.toMatchObject({ code: 'DISCORD_TOKEN_INVALID', message: expect.stringContaining('DISCORD_TOKEN') })
      expect(fake.sessions).toHaveLength(0)
    } finally {
      await fake.stop()
    }
  })

  it('GIVEN DISCORD_MESSAGE_CONTENT=true but the intent is not enabled for the bot WHEN starting THEN a clear error naming the setting', async () => {
    const fake = new FakeDiscord()
    fake.grantedIntents = 0
    await fake.start()
    try {
      await expect(startBot({ fake, testStore: shared })).rejects.toMatchObject({ code: 'DISCORD_INTENT_DISALLOWED', message: expect.stringContaining('DISCORD_MESSAGE_CONTENT') })
    } finally {
      await fake.stop()
    }
  })

  it('GIVEN nothing listens at DISCORD_API_URL WHEN starting THEN a clear error naming DISCORD_API_URL', async () => {
    const fake = await new FakeDiscord().start()
    const api = fake.api
    await fake.stop()
    await expect(startBot({ testStore: shared, env: { DISCORD_API_URL: api } })).rejects.toMatchObject({ code: 'DISCORD_UNREACHABLE', message: expect.stringContaining('DISCORD_API_URL') })
  })
})
