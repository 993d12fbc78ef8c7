// End-to-end: the whole service (startApp, loadConfig) with the real discord.js against the fake Discord and a
// fresh test database. Every entry point, the buttons, and the reliability rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeAction } from '../../../src/replies/action-ids.js'
import { COMMAND_NAME, CONTEXT_MENU_NAME, PASTE_MODAL } from '../../../src/chat/discord/command-schema.js'
import { DISCORD_LIMITS, validateMessage } from '../../fakes/fake-discord.js'
import { actionId, actionsOf, barrier, eventually, fakeAnthropicKey, IDS, repliesTo, startBot, textOf, type Bot } from './harness.js'

const INVALID_KEY = [
  '> claude -p "hello"',
  'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
  '· Please run /login',
].join('\n')
const EXPIRED = 'OAuth token has expired. Please run /login to sign in again.'
const CHATTER = 'anyone up for lunch at noon? the new place downstairs looks good'

const str = (name: string, value: string) => ({ name, type: 3, value })
const EPHEMERAL = 64

describe('Discord, with the MessageContent intent', () => {
  let bot: Bot
  beforeAll(async () => {
    bot = await startBot()
  })
  afterAll(async () => {
    await bot?.stop()
    // clean shutdown: the gateway connection is closed
    expect(bot.fake.sessions.every((s) => s.closed)).toBe(true)
  })

  it('GIVEN the service started WHEN asked THEN Discord is connected and ready with the configured intents', () => {
    const discord = bot.app.integrations.find((i) => i.name === 'discord')!
    expect(discord.ready()).toBe(true)
    const identify = bot.fake.gatewayLog.find((e) => e.dir === 'in' && e.op === 2)!
    expect(identify.d.intents).toBe((1 << 0) | (1 << 9) | (1 << 15))
    expect(bot.app.ctx.threadPosters.discord).toBeTypeOf('function')
  })

  it('GIVEN /claude-auth diagnose with text WHEN run THEN a private reply with embeds and buttons carrying the cause, and the incident recorded', async () => {
    const i = bot.fake.slash(COMMAND_NAME, 'diagnose', [str('text', INVALID_KEY)])
    const msg = await bot.fake.waitForResponse(i)
    const cb = bot.fake.callsFor(i)[0]!
    expect(cb.body.type).toBe(4)
    expect(msg.flags & EPHEMERAL).toBe(EPHEMERAL)
    expect(msg.embeds.length).toBeGreaterThan(0)
    const actions = actionsOf(msg)
    expect(actions.length).toBeGreaterThan(0)
    expect(actions.every((a) => a.ref && a.id.length <= 100)).toBe(true)
    const fixed = actions.find((a) => a.ref!.action === 'fixed')!.ref!
    expect(fixed.cause).toBe('invalid_api_key')
    expect(actions.some((a) => a.ref!.action === 'share')).toBe(true)
    const incident = await eventually(() => bot.store.getIncident(fixed.incidentId!), 10_000, 'the incident')
    expect(incident).toMatchObject({ cause: 'invalid_api_key', source: 'slash', channelId: IDS.channel, userId: IDS.user })
  })

  it('GIVEN /claude-auth paste WHEN run THEN the paste modal opens, and its submission (two boxes + platform) is diagnosed privately', async () => {
    const i = bot.fake.slash(COMMAND_NAME, 'paste')
    const { modal } = await bot.fake.waitForResponse(i)
    expect(modal.custom_id).toBe(PASTE_MODAL.id)
    const s = bot.fake.submitModal(PASTE_MODAL.id, { [PASTE_MODAL.text]: 'x'.repeat(3_900), [PASTE_MODAL.more]: INVALID_KEY }, { [PASTE_MODAL.platform]: ['windows'] })
    const msg = await bot.fake.waitForResponse(s)
    expect(msg.flags & EPHEMERAL).toBe(EPHEMERAL)
    const ref = actionsOf(msg).find((a) => a.ref!.action === 'fixed')!.ref!
    expect(ref.cause).toBe('invalid_api_key')
    const incident = await eventually(() => bot.store.getIncident(ref.incidentId!), 10_000, 'the incident')
    expect(incident).toMatchObject({ source: 'slash', os: 'windows' })
  })

  it('GIVEN /claude-auth diagnose without text WHEN run THEN the paste modal opens', async () => {
    const i = bot.fake.slash(COMMAND_NAME, 'diagnose')
    const { modal } = await bot.fake.waitForResponse(i)
    expect(modal.custom_id).toBe(PASTE_MODAL.id)
  })

  it('GIVEN /claude-auth help WHEN run THEN a private help answer names the entry points', async () => {
    const i = bot.fake.slash(COMMAND_NAME, 'help')
    const msg = await bot.fake.waitForResponse(i)
    expect(msg.flags & EPHEMERAL).toBe(EPHEMERAL)
    expect(textOf(msg)).toMatch(/claude-auth/)
  })

  it('GIVEN /claude-auth checklist platform:windows WHEN run THEN a private checklist for Windows', async () => {
    const i = bot.fake.slash(COMMAND_NAME, 'checklist', [str('platform', 'windows')])
    const msg = await bot.fake.waitForResponse(i)
    expect(msg.flags & EPHEMERAL).toBe(EPHEMERAL)
    expect(textOf(msg)).toMatch(/PowerShell|Windows|\$env:/i)
  })

  it('GIVEN /claude-auth doctor WHEN run THEN a private one-time code, stored hashed, that consumes once for this channel', async () => {
    const i = bot.fake.slash(COMMAND_NAME, 'doctor', [str('platform', 'linux')])
    const msg = await bot.fake.waitForResponse(i)
    expect(msg.flags & EPHEMERAL).toBe(EPHEMERAL)
    const text = textOf(msg)
    expect(text).toContain('https://bot.example.test')
    const rows = await (bot.testStore.store as any).prisma.doctorToken.findMany()
    expect(rows.length).toBeGreaterThan(0)
    // find the code in the text: the one that the store accepts
    const candidates = [...new Set(text.match(/[A-Za-z0-9][A-Za-z0-9_-]{5,}/g) ?? [])]
    let consumed: any = null
    for (const c of candidates) {
      if (rows.some((r: any) => r.tokenHash === c)) throw new Error('the code is stored in clear')
      const res = await bot.store.consumeDoctorToken(c)
      if (res.ok) {
        consumed = { code: c, res }
        break
      }
    }
    expect(consumed?.res.target).toMatchObject({ channelId: IDS.channel, userId: IDS.user, workspace: { platform: 'discord', externalId: IDS.guild } })
    expect(await bot.store.consumeDoctorToken(consumed.code)).toEqual({ ok: false, reason: 'used' })
  })

  it.each(['event', 'events', 'stats', 'admin'])('GIVEN /claude-auth %s (issue #7) from a member without Manage Server WHEN run THEN a private refusal (more in test/team/discord-e2e.test.ts)', async (sub) => {
    const opts = sub === 'event' ? [str('kind', 'key_rotated')] : []
    const i = bot.fake.slash(COMMAND_NAME, sub, opts, { userId: IDS.user2 })
    const msg = await bot.fake.waitForResponse(i)
    expect(msg.flags & EPHEMERAL).toBe(EPHEMERAL)
    expect(textOf(msg)).toMatch(/Only admins can/)
  })

  it('GIVEN the "Diagnose auth error" menu on a message WHEN run THEN a public answer linking the message, recorded as a shortcut', async () => {
    const target = bot.fake.message({ content: EXPIRED, author: bot.fake.humanUser(IDS.user2) })
    bot.fake.messages.set(target.id, target)
    const i = bot.fake.contextMenu(CONTEXT_MENU_NAME, target)
    const msg = await bot.fake.waitForResponse(i)
    expect(msg.flags & EPHEMERAL).toBe(0)
    expect(msg.content).toContain(`/${IDS.channel}/${target.id}`)
    const ref = actionsOf(msg).find((a) => a.ref!.action === 'fixed')!.ref!
    expect(ref.cause).toBe('expired_session')
    const incident = await eventually(() => bot.store.getIncident(ref.incidentId!), 10_000, 'the incident')
    expect(incident).toMatchObject({ source: 'shortcut', messageId: target.id })
  })

  it('GIVEN an @mention with a paste WHEN posted THEN one public reply to that message, recorded as a mention', async () => {
    const m = bot.fake.userMessage(INVALID_KEY, { mentionBot: true })
    const reply = await bot.fake.waitFor(() => repliesTo(bot.fake, m.id)[0], 10_000, 'the reply')
    const ref = actionsOf(reply.body).find((a) => a.ref!.action === 'fixed')!.ref!
    expect(ref.cause).toBe('invalid_api_key')
    expect(reply.body.allowed_mentions.parse).toEqual([])
    const incident = await eventually(() => bot.store.getIncident(ref.incidentId!), 10_000, 'the incident')
    expect(incident).toMatchObject({ source: 'mention', messageId: m.id })
  })

  it('GIVEN a bare @mention replying to a message WHEN posted THEN the replied-to message is fetched and diagnosed', async () => {
    const original2 = bot.fake.message({ content: EXPIRED, author: bot.fake.humanUser(IDS.user2) })
    bot.fake.messages.set(original2.id, original2) // posted before the bot joined: never delivered, so fetched
    const m = bot.fake.userMessage('', { mentionBot: true, replyTo: original2.id, withReferencedMessage: false })
    const reply = await bot.fake.waitFor(() => repliesTo(bot.fake, m.id)[0], 10_000, 'the reply')
    expect(bot.fake.calls.some((c) => c.method === 'GET' && c.path === `/channels/${IDS.channel}/messages/${original2.id}`)).toBe(true)
    const ref = actionsOf(reply.body).find((a) => a.ref!.action === 'fixed')!.ref!
    expect(ref.cause).toBe('expired_session')
    const incident = await eventually(() => bot.store.getIncident(ref.incidentId!), 10_000, 'the incident')
    expect(incident).toMatchObject({ source: 'mention', messageId: original2.id, userId: IDS.user2 })
  })

  it('GIVEN a bare @mention inside a thread WHEN posted THEN the thread\'s first message is diagnosed and the answer stays in the thread', async () => {
    const thread = bot.fake.createThread(INVALID_KEY, IDS.channel, bot.fake.humanUser(IDS.user2))
    const m = bot.fake.userMessage('', { mentionBot: true, channelId: thread.id })
    const reply = await bot.fake.waitFor(() => repliesTo(bot.fake, m.id)[0], 10_000, 'the reply')
    expect(reply.path).toBe(`/channels/${thread.id}/messages`)
    expect(bot.fake.calls.some((c) => c.method === 'GET' && c.path === `/channels/${IDS.channel}/messages/${thread.id}`)).toBe(true)
    const ref = actionsOf(reply.body).find((a) => a.ref!.action === 'fixed')!.ref!
    expect(ref.cause).toBe('invalid_api_key')
    const incident = await eventually(() => bot.store.getIncident(ref.incidentId!), 10_000, 'the incident')
    expect(incident).toMatchObject({ source: 'mention', channelId: IDS.channel, threadId: thread.id, messageId: thread.id, userId: IDS.user2 })
  })

  it('GIVEN a bare @mention with nothing to diagnose WHEN posted THEN it explains how to ask', async () => {
    const m = bot.fake.userMessage('', { mentionBot: true })
    const reply = await bot.fake.waitFor(() => repliesTo(bot.fake, m.id)[0], 10_000, 'the reply')
    expect(textOf(reply.body)).toContain(CONTEXT_MENU_NAME)
  })

  it('GIVEN "@bot checklist macos" WHEN posted THEN the same command as /claude-auth checklist, in public', async () => {
    const m = bot.fake.userMessage('checklist macos', { mentionBot: true })
    const reply = await bot.fake.waitFor(() => repliesTo(bot.fake, m.id)[0], 10_000, 'the reply')
    expect(textOf(reply.body)).toMatch(/macOS/)
  })

  it('GIVEN "@bot doctor" WHEN posted THEN no code in public: it points to the private command', async () => {
    const m = bot.fake.userMessage('doctor', { mentionBot: true })
    const reply = await bot.fake.waitFor(() => repliesTo(bot.fake, m.id)[0], 10_000, 'the reply')
    expect(textOf(reply.body)).toContain(`/${COMMAND_NAME} doctor`)
    expect(textOf(reply.body)).not.toContain('--upload')
  })

  it('GIVEN a bare @mention replying to a message already answered WHEN posted THEN it says so instead of answering twice', async () => {
    const original = bot.fake.userMessage(EXPIRED)
    await bot.fake.waitFor(() => repliesTo(bot.fake, original.id)[0], 10_000, 'the passive reply')
    const m = bot.fake.userMessage('', { mentionBot: true, replyTo: original.id })
    const reply = await bot.fake.waitFor(() => repliesTo(bot.fake, m.id)[0], 10_000, 'the note')
    expect(textOf(reply.body)).toMatch(/already answered/)
    expect(repliesTo(bot.fake, original.id)).toHaveLength(1)
  })

  it('GIVEN a pasted error (passive) and chatter WHEN posted THEN exactly one reply to the error and nothing for the chatter', async () => {
    const err = bot.fake.userMessage(INVALID_KEY)
    const chat = bot.fake.userMessage(CHATTER)
    await bot.fake.waitFor(() => repliesTo(bot.fake, err.id)[0], 10_000, 'the reply')
    await barrier(bot.fake)
    expect(repliesTo(bot.fake, err.id)).toHaveLength(1)
    expect(repliesTo(bot.fake, chat.id)).toHaveLength(0)
    const ref = actionsOf(repliesTo(bot.fake, err.id)[0]!.body).find((a) => a.ref!.action === 'fixed')!.ref!
    const incident = await eventually(() => bot.store.getIncident(ref.incidentId!), 10_000, 'the incident')
    expect(incident).toMatchObject({ source: 'paste' })
    expect(incident.excerpt).toContain('invalid x-api-key')
  })

  it('GIVEN another bot posts an error WHEN delivered THEN it is ignored', async () => {
    const m = bot.fake.userMessage(INVALID_KEY, { bot: true })
    await barrier(bot.fake)
    expect(repliesTo(bot.fake, m.id)).toHaveLength(0)
  })

  it('GIVEN the same MESSAGE_CREATE delivered twice WHEN handled THEN one reply', async () => {
    // (discord.js itself drops a MESSAGE_CREATE for a message still in its cache; the claim covers evictions,
    // restarts and replicas: see the two-replica test)
    const m = bot.fake.userMessage(EXPIRED)
    bot.fake.deliverMessage(m)
    await bot.fake.waitFor(() => repliesTo(bot.fake, m.id)[0], 10_000, 'the reply')
    bot.fake.deliverMessage(m)
    await barrier(bot.fake)
    expect(repliesTo(bot.fake, m.id)).toHaveLength(1)
  })

  it('GIVEN a message already claimed (answered by another replica or before a restart) WHEN delivered THEN no reply', async () => {
    const before = bot.app.ctx.metrics.duplicatesDropped.get({ platform: 'discord' })
    const m = bot.fake.message({ content: EXPIRED })
    bot.fake.messages.set(m.id, m)
    expect(await bot.store.claimEvent('discord', `msg:${m.id}`)).toBe(true)
    bot.fake.deliverMessage(m)
    await barrier(bot.fake)
    expect(repliesTo(bot.fake, m.id)).toHaveLength(0)
    expect(bot.app.ctx.metrics.duplicatesDropped.get({ platform: 'discord' })).toBe(before + 1)
  })

  it('GIVEN Discord answers the reply with 429 and Retry-After WHEN replying THEN it waits and sends exactly one reply', async () => {
    bot.fake.rateLimitNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/ }, 0.3)
    const m = bot.fake.userMessage(INVALID_KEY, { mentionBot: true })
    await bot.fake.waitFor(() => repliesTo(bot.fake, m.id)[0], 10_000, 'the reply')
    const attempts = bot.fake.calls.filter((c) => c.method === 'POST' && c.body?.message_reference?.message_id === m.id)
    expect(attempts.map((c) => c.status)).toEqual([429, 200])
  })

  it('GIVEN a 40,000-character paste WHEN mentioned THEN the reply fits every Discord limit', async () => {
    const noise = Array.from({ length: 800 }, (_, n) => `    at Object.<anonymous> (/app/node_modules/lib/file${n}.js:${n}:17)`).join('\n')
    const text = (noise + '\n' + INVALID_KEY + '\n' + noise).slice(0, 40_000)
    const m = bot.fake.userMessage(text.length < 40_000 ? text.padEnd(40_000, ' x') : text, { mentionBot: true })
    const reply = await bot.fake.waitFor(() => repliesTo(bot.fake, m.id)[0], 10_000, 'the reply')
    expect(validateMessage(reply.body)).toEqual([])
    expect((reply.body.content ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.content)
    expect(bot.fake.violations).toEqual([])
  })

  it('GIVEN a paste with an API key WHEN diagnosed through every entry point THEN the key is in no REST call and no log line', async () => {
    const key = fakeAnthropicKey()
    const paste = `export ANTHROPIC_API_KEY=${key}\n${INVALID_KEY}`
    const s = bot.fake.slash(COMMAND_NAME, 'diagnose', [str('text', paste)])
    const m = bot.fake.userMessage(paste, { mentionBot: true })
    const p = bot.fake.userMessage(paste)
    const target = bot.fake.message({ content: paste })
    bot.fake.messages.set(target.id, target)
    const c = bot.fake.contextMenu(CONTEXT_MENU_NAME, target)
    const sMsg = await bot.fake.waitForResponse(s)
    await bot.fake.waitForResponse(c)
    await bot.fake.waitFor(() => repliesTo(bot.fake, m.id)[0] && repliesTo(bot.fake, p.id)[0], 10_000, 'the replies')
    // and the buttons: platform picker, share, still failing
    const sel = bot.fake.selectMenu(sMsg, actionId(sMsg, 'pick_platform'), ['linux'])
    await bot.fake.waitForResponse(sel)
    const sh = bot.fake.clickButton(sMsg, actionId(sMsg, 'share'))
    await bot.fake.waitForResponse(sh)
    const ref = decodeAction(actionId(sMsg, 'fixed'))!
    await eventually(() => bot.store.getIncident(ref.incidentId!), 10_000, 'the incident')
    for (const call of bot.fake.calls) expect(call.rawBody).not.toContain(key)
    for (const line of bot.logs) expect(line).not.toContain(key)
    expect(bot.logs.join('\n')).not.toContain(key.slice(0, 30))
    const incidents = await (bot.testStore.store as any).prisma.incident.findMany()
    expect(JSON.stringify(incidents)).not.toContain(key)
  })

  it('GIVEN a custom_id this version cannot decode WHEN clicked THEN a private note instead of a failed interaction', async () => {
    const old = bot.fake.message({ author: bot.fake.botUser(), content: 'old reply' })
    bot.fake.messages.set(old.id, old)
    const msg = await bot.fake.waitForResponse(bot.fake.clickButton(old, 'ca|retired_action|invalid_api_key|-|-'))
    expect(msg.flags & EPHEMERAL).toBe(EPHEMERAL)
    expect(textOf(msg)).toMatch(/older reply/)
  })

  describe('buttons', () => {
    let reply: any
    let incidentId: string
    beforeAll(async () => {
      const m = bot.fake.userMessage(INVALID_KEY, { mentionBot: true })
      await bot.fake.waitFor(() => repliesTo(bot.fake, m.id)[0], 10_000, 'the reply')
      reply = postedReplyTo(bot, m.id)
      incidentId = decodeAction(actionId(reply, 'fixed'))!.incidentId!
      await eventually(() => bot.store.getIncident(incidentId), 10_000, 'the incident')
    })

    it('GIVEN a reply WHEN a platform is picked THEN the same message is edited in place for that platform', async () => {
      const i = bot.fake.selectMenu(reply, actionId(reply, 'pick_platform'), ['windows'])
      const updated = await bot.fake.waitForResponse(i)
      const cb = bot.fake.callsFor(i)[0]!
      expect(cb.body.type).toBe(7)
      expect(updated.id).toBe(reply.id)
      expect(actionsOf(updated).every((a) => a.ref!.incidentId === incidentId)).toBe(true)
      expect(textOf(updated)).toMatch(/PowerShell|\$env:/)
      expect(validateMessage(cb.body.data)).toEqual([])
    })

    it('GIVEN a reply WHEN "That fixed it" is clicked THEN the feedback is recorded and acknowledged privately', async () => {
      const i = bot.fake.clickButton(reply, actionId(reply, 'fixed'), { userId: IDS.user2 })
      const ack = await bot.fake.waitForResponse(i)
      expect(ack.flags & EPHEMERAL).toBe(EPHEMERAL)
      await eventually(async () => (await bot.store.getIncident(incidentId))?.feedback === 'fixed', 10_000, 'the feedback')
    })

    it('GIVEN a reply WHEN "Still failing" is clicked THEN the feedback is recorded and the next cause and the doctor are offered', async () => {
      const i = bot.fake.clickButton(reply, actionId(reply, 'still_failing'))
      const next = await bot.fake.waitForResponse(i)
      await eventually(async () => (await bot.store.getIncident(incidentId))?.feedback === 'still_failing', 10_000, 'the feedback')
      expect(actionsOf(next).some((a) => a.ref!.action === 'run_doctor')).toBe(true)
      expect(textOf(next)).toMatch(/Still failing/)
    })

    it('GIVEN a reply WHEN "Run the doctor" is clicked THEN a private one-time code', async () => {
      const i = bot.fake.clickButton(reply, actionId(reply, 'run_doctor'))
      const msg = await bot.fake.waitForResponse(i)
      expect(msg.flags & EPHEMERAL).toBe(EPHEMERAL)
      expect(textOf(msg)).toContain('https://bot.example.test')
    })
  })

  it('GIVEN a doctor upload answer WHEN the thread poster is called THEN it posts in the channel mentioning the person', async () => {
    const result = await bot.app.ctx.triage.diagnose({ text: EXPIRED, source: 'doctor', mode: 'explicit', workspace: { platform: 'discord', externalId: IDS.guild } })
    const before = bot.fake.channelPosts(IDS.channel2).length
    await bot.app.ctx.threadPosters.discord!({ workspace: { platform: 'discord', externalId: IDS.guild }, channelId: IDS.channel2, userId: IDS.user }, result.reply)
    const post = bot.fake.channelPosts(IDS.channel2)[before]!
    expect(post.body.content).toContain(`<@${IDS.user}>`)
    expect(post.body.allowed_mentions).toEqual({ parse: [], users: [IDS.user] })
    expect(validateMessage(post.body)).toEqual([])
    // a doctor code issued in a thread is answered in the thread
    const thread = bot.fake.createThread('starter', IDS.channel)
    await bot.app.ctx.threadPosters.discord!({ workspace: { platform: 'discord', externalId: IDS.guild }, channelId: IDS.channel, threadId: thread.id, userId: IDS.user }, result.reply)
    expect(bot.fake.channelPosts(thread.id)).toHaveLength(1)
  })
})

/** the bot's message (as the fake stores it) that replies to message `id` */
function postedReplyTo(bot: Bot, id: string) {
  return [...bot.fake.messages.values()].find((m) => m.author.id === IDS.bot && m.message_reference?.message_id === id)!
}
