// End to end through the real Bolt: the whole service (startApp) with Slack on, against the fake Slack, in HTTP mode
// (signed POSTs to /slack/events on the service port) and in Socket Mode (envelopes over the fake's WebSocket), on a
// PGlite test database. Every entry point, the buttons, retries and duplicates, limits, rate limits, and secrets.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { decodeAction, encodeAction } from '../../../src/replies/action-ids.js'
import { buildReply } from '../../../src/replies/build-reply.js'
import { classify } from '../../../src/diagnosis/index.js'
import { FakeSlack, type ApiCall } from '../../fakes/fake-slack.js'
import { appMentionEvent, blockAction, messageEvent, messageShortcut, slashCommand } from '../../fakes/fake-slack-payloads.js'
import { createTestStore, type TestStore } from '../../support/test-store.js'
import { elementsOf, startHarness, verdictCause, type Harness, type Mode } from './harness.js'
import { CHATTER, FAKE_KEY, PASTE_401, PASTE_EXPIRED, eventually } from './fixtures.js'

const posts = (fake: FakeSlack, pred: (c: ApiCall) => boolean = () => true) => fake.callsTo('chat.postMessage').filter(pred)

describe.each<Mode>(['http', 'socket'])('Slack end to end, %s mode', (mode) => {
  const fake = new FakeSlack()
  let t: TestStore
  let h: Harness

  beforeAll(async () => {
    await fake.start()
    t = await createTestStore('pglite')
    h = await startHarness({ mode, store: t.store, fake })
  })
  afterAll(async () => {
    await h?.stop()
    await t?.cleanup()
    await fake.stop()
  })

  const incidents = (where: Record<string, unknown>) => t.store.prisma.incident.findMany({ where })

  // ---------- /claude-auth ----------

  it('GIVEN /claude-auth with a pasted 401 WHEN sent THEN an ephemeral diagnosis with a Share button arrives on the response_url and the incident is recorded as slash', async () => {
    const { payload, responseId } = slashCommand(fake, PASTE_401, { channel: 'C-slash' })
    await h.driver.command(payload)
    const post = await fake.waitForResponse(responseId)
    expect(post.body.response_type).toBe('ephemeral')
    const cause = verdictCause(post.body.blocks)
    expect(cause).toBe('invalid_api_key')
    const actions = elementsOf(post.body.blocks).map((e) => decodeAction(e.action_id)?.action)
    expect(actions).toEqual(expect.arrayContaining(['share', 'fixed', 'still_failing', 'pick_platform']))
    const rows = await eventually(async () => (await incidents({ channelId: 'C-slash' })).at(0), 10_000, 'incident')
    expect(rows).toMatchObject({ source: 'slash', cause: 'invalid_api_key', userId: 'U1' })
  })

  it('GIVEN /claude-auth alone or help THEN the usage is answered', async () => {
    for (const text of ['', 'help']) {
      const { payload, responseId } = slashCommand(fake, text)
      await h.driver.command(payload)
      const post = await fake.waitForResponse(responseId)
      expect(JSON.stringify(post.body)).toMatch(/checklist/)
      expect(JSON.stringify(post.body)).toMatch(/doctor/)
      expect(verdictCause(post.body.blocks)).toBeUndefined()
    }
  })

  it('GIVEN /claude-auth checklist macos THEN the quick-fix checklist for macOS is answered', async () => {
    const { payload, responseId } = slashCommand(fake, 'checklist macos')
    await h.driver.command(payload)
    const post = await fake.waitForResponse(responseId)
    expect(post.body.response_type).toBe('ephemeral')
    expect(JSON.stringify(post.body).toLowerCase()).toMatch(/macos|keychain/)
  })

  it('GIVEN /claude-auth doctor THEN a one-time upload code is issued, stored and shown', async () => {
    const { payload, responseId } = slashCommand(fake, 'doctor', { channel: 'C-doc', user: 'U-doc' })
    await h.driver.command(payload)
    const post = await fake.waitForResponse(responseId)
    const tokens = await t.store.prisma.doctorToken.findMany({ where: { channelId: 'C-doc' } })
    expect(tokens).toHaveLength(1)
    expect(JSON.stringify(post.body)).toMatch(/doctor/)
    expect(post.body.response_type).toBe('ephemeral')
  })

  it('GIVEN an admin command from someone who is not an admin THEN a clear refusal (issue #7; more in test/team/slack-e2e.test.ts)', async () => {
    const { payload, responseId } = slashCommand(fake, 'stats 7d')
    await h.driver.command(payload)
    const post = await fake.waitForResponse(responseId)
    expect(post.body.text).toMatch(/Only admins can/)
  })

  // ---------- pasted errors ----------

  it('GIVEN an error pasted in a channel THEN exactly one reply in its thread, with message metadata, and the incident is recorded as paste', async () => {
    const body = messageEvent(fake, PASTE_EXPIRED, { channel: 'C-paste' })
    await h.driver.event(body)
    const call = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-paste')
    expect(call.args.thread_ts).toBe(body.event.ts)
    expect(call.args.metadata).toMatchObject({ event_type: 'claude_auth_diagnosis', event_payload: { cause: 'expired_session' } })
    expect(call.args.metadata.event_payload.confidence).toBeGreaterThan(0)
    expect(verdictCause(call.args.blocks)).toBe('expired_session')
    await fake.settle(300)
    expect(posts(fake, (c) => c.args.channel === 'C-paste')).toHaveLength(1)
    const row = await eventually(async () => (await incidents({ channelId: 'C-paste' })).at(0))
    expect(row).toMatchObject({ source: 'paste', cause: 'expired_session', messageId: body.event.ts })
  })

  it('GIVEN ordinary chatter THEN the bot stays silent and records nothing', async () => {
    await h.driver.event(messageEvent(fake, CHATTER, { channel: 'C-chat' }))
    await fake.settle(400)
    expect(posts(fake, (c) => c.args.channel === 'C-chat')).toHaveLength(0)
    expect(await incidents({ channelId: 'C-chat' })).toHaveLength(0)
  })

  it('GIVEN an error pasted as a reply inside a thread THEN the answer goes to that same thread', async () => {
    const root = fake.addMessage('C-thread', { text: 'claude stopped working for me', user: 'U1' })
    const body = messageEvent(fake, PASTE_401, { channel: 'C-thread', thread_ts: root })
    await h.driver.event(body)
    const call = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-thread')
    expect(call.args.thread_ts).toBe(root)
  })

  it('GIVEN the same event delivered again as a retry THEN it is answered once', async () => {
    const body = messageEvent(fake, PASTE_401, { channel: 'C-retry' })
    await h.driver.event(body)
    await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-retry')
    await h.driver.event(body, { retryNum: 1 })
    await h.driver.event(body, { retryNum: 2 })
    await fake.settle(400)
    expect(posts(fake, (c) => c.args.channel === 'C-retry')).toHaveLength(1)
    expect(await incidents({ channelId: 'C-retry' })).toHaveLength(1)
  })

  it("GIVEN the bot's own message or another bot's message THEN it is ignored", async () => {
    await h.driver.event(messageEvent(fake, PASTE_401, { channel: 'C-bots', user: fake.botUserId, bot_id: fake.botId, subtype: 'bot_message' }))
    await h.driver.event(messageEvent(fake, PASTE_401, { channel: 'C-bots', user: 'UOTHERBOT', bot_id: 'BOTHER' }))
    await h.driver.event(messageEvent(fake, PASTE_401, { channel: 'C-bots', subtype: 'message_changed' }))
    await fake.settle(400)
    expect(posts(fake, (c) => c.args.channel === 'C-bots')).toHaveLength(0)
  })

  it('GIVEN a 40,000-character paste THEN the reply stays within Slack limits and still names the cause', async () => {
    const noise = Array.from({ length: 800 }, (_, i) => `    at handler (/app/node_modules/x/index.js:${i}:17) trace line`).join('\n')
    const text = `${PASTE_401}\n${noise}`.slice(0, 40_000)
    expect(text.length).toBe(40_000)
    await h.driver.event(messageEvent(fake, text, { channel: 'C-long' }))
    const call = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-long')
    const blocks = call.args.blocks as any[]
    expect(blocks.length).toBeLessThanOrEqual(50)
    for (const b of blocks) {
      if (b.text?.text) expect(b.text.text.length).toBeLessThanOrEqual(3_000)
      for (const e of b.elements ?? []) if (typeof e.text === 'string') expect(e.text.length).toBeLessThanOrEqual(3_000)
    }
    expect(verdictCause(blocks)).toBe('invalid_api_key')
  })

  it('GIVEN a paste with an API key of the real shape THEN the key appears in no Web API call and no response_url post', async () => {
    const paste = `$ export ANTHROPIC_API_KEY=${FAKE_KEY}\n${PASTE_401}`
    await h.driver.event(messageEvent(fake, paste, { channel: 'C-secret' }))
    await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-secret')
    const { payload, responseId } = slashCommand(fake, paste, { channel: 'C-secret' })
    await h.driver.command(payload)
    await fake.waitForResponse(responseId)
    const everything = [...fake.calls.map((c) => c.raw), ...fake.responsePosts.map((p) => p.raw)].join('\n')
    expect(everything).not.toContain(FAKE_KEY)
    expect(everything).not.toContain(FAKE_KEY.slice(14, 60))
    const rows = await eventually(async () => {
      const r = await incidents({ channelId: 'C-secret' })
      return r.length === 2 ? r : null
    })
    for (const r of rows) expect(r.excerpt).not.toContain(FAKE_KEY.slice(14, 60))
  })

  // ---------- mentions ----------

  it('GIVEN @bot with a pasted error THEN the diagnosis is posted in the thread and recorded as mention', async () => {
    const body = appMentionEvent(fake, PASTE_401, { channel: 'C-mention' })
    await h.driver.event(body)
    const call = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-mention')
    expect(call.args.thread_ts).toBe(body.event.ts)
    expect(verdictCause(call.args.blocks)).toBe('invalid_api_key')
    const row = await eventually(async () => (await incidents({ channelId: 'C-mention' })).at(0))
    expect(row.source).toBe('mention')
  })

  it("GIVEN @bot with no text inside a thread THEN the thread's parent message is diagnosed", async () => {
    const root = fake.addMessage('C-parent', { text: PASTE_EXPIRED, user: 'U7' })
    const body = appMentionEvent(fake, '', { channel: 'C-parent', thread_ts: root })
    await h.driver.event(body)
    const call = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-parent')
    expect(fake.callsTo('conversations.replies').some((c) => c.args.channel === 'C-parent' && c.args.ts === root)).toBe(true)
    expect(call.args.thread_ts).toBe(root)
    expect(verdictCause(call.args.blocks)).toBe('expired_session')
    const row = await eventually(async () => (await incidents({ channelId: 'C-parent' })).at(0))
    expect(row).toMatchObject({ source: 'mention', messageId: root })
  })

  it('GIVEN a paste that mentions the bot THEN it is answered once (as a mention), not twice', async () => {
    const mention = appMentionEvent(fake, PASTE_401, { channel: 'C-both' })
    const asMessage = messageEvent(fake, mention.event.text as string, { channel: 'C-both', ts: mention.event.ts as string })
    await h.driver.event(asMessage)
    await h.driver.event(mention)
    await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-both')
    await fake.settle(400)
    expect(posts(fake, (c) => c.args.channel === 'C-both')).toHaveLength(1)
  })

  // ---------- message shortcut ----------

  it('GIVEN "Diagnose this error" on a reply inside a thread THEN the answer goes to that thread and is recorded as shortcut', async () => {
    const root = fake.addMessage('C-sc', { text: 'help, claude is broken', user: 'U1' })
    const reply = fake.addMessage('C-sc', { text: PASTE_401, user: 'U1', thread_ts: root })
    const { payload } = messageShortcut(fake, { channel: 'C-sc', ts: reply, thread_ts: root, text: PASTE_401 })
    await h.driver.interaction(payload)
    const call = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-sc')
    expect(call.args.thread_ts).toBe(root)
    expect(call.args.metadata.event_payload.cause).toBe('invalid_api_key')
    const row = await eventually(async () => (await incidents({ channelId: 'C-sc' })).at(0))
    expect(row).toMatchObject({ source: 'shortcut', messageId: reply, userId: 'U2' })
  })

  it('GIVEN the shortcut in a channel the bot is not in THEN the answer comes privately on the response_url', async () => {
    fake.notInChannel.add('C-private')
    const { payload, responseId } = messageShortcut(fake, { channel: 'C-private', ts: fake.nextTs(), text: PASTE_EXPIRED })
    await h.driver.interaction(payload)
    const post = await fake.waitForResponse(responseId)
    expect(post.body.response_type).toBe('ephemeral')
    expect(verdictCause(post.body.blocks)).toBe('expired_session')
  })

  it('GIVEN a message the bot already answered THEN the shortcut points to the answer instead of answering twice', async () => {
    const body = messageEvent(fake, PASTE_401, { channel: 'C-twice' })
    await h.driver.event(body)
    await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-twice')
    const { payload, responseId } = messageShortcut(fake, { channel: 'C-twice', ts: body.event.ts, text: PASTE_401 })
    await h.driver.interaction(payload)
    const post = await fake.waitForResponse(responseId)
    expect(post.body.text).toMatch(/already answered/)
    expect(posts(fake, (c) => c.args.channel === 'C-twice')).toHaveLength(1)
  })

  // ---------- buttons ----------

  it('GIVEN a threaded reply WHEN another platform is picked THEN the same message is updated in place for that platform', async () => {
    await h.driver.event(messageEvent(fake, PASTE_401, { channel: 'C-pick' }))
    const call = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-pick')
    const posted = fake.messages.get('C-pick')!.at(-1)!
    const select = elementsOf(call.args.blocks).find((e) => decodeAction(e.action_id)?.action === 'pick_platform')
    expect(select).toBeTruthy()
    const { payload } = blockAction(fake, { type: 'static_select', action_id: select.action_id, selected: pickValue(select, 'windows') }, { channel: 'C-pick', ts: posted.ts, thread_ts: call.args.thread_ts, blocks: call.args.blocks })
    await h.driver.interaction(payload)
    const update = await fake.waitForCall('chat.update', (c) => c.args.channel === 'C-pick')
    expect(update.args.ts).toBe(posted.ts)
    expect(update.args.metadata.event_payload.platform).toBe('windows')
    expect(JSON.stringify(update.args.blocks)).toMatch(/PowerShell|\$env:/i)
    expect(posts(fake, (c) => c.args.channel === 'C-pick')).toHaveLength(1)
  })

  it('GIVEN an ephemeral /claude-auth reply WHEN a platform is picked THEN it is replaced in place through the response_url', async () => {
    const { payload, responseId } = slashCommand(fake, PASTE_401)
    await h.driver.command(payload)
    const first = await fake.waitForResponse(responseId)
    const select = elementsOf(first.body.blocks).find((e) => decodeAction(e.action_id)?.action === 'pick_platform')
    const click = blockAction(fake, { type: 'static_select', action_id: select.action_id, selected: pickValue(select, 'linux') }, { channel: 'C1', ephemeral: true })
    await h.driver.interaction(click.payload)
    const replaced = await fake.waitForResponse(click.responseId)
    expect(replaced.body.replace_original).toBe(true)
    expect(verdictCause(replaced.body.blocks)).toBe('invalid_api_key')
  })

  it('GIVEN "That fixed it" is clicked THEN the feedback is recorded on the incident', async () => {
    await h.driver.event(messageEvent(fake, PASTE_401, { channel: 'C-fixed' }))
    const call = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-fixed')
    const incidentId = call.args.metadata.event_payload.incident_id as string
    await eventually(() => t.store.getIncident(incidentId))
    const button = elementsOf(call.args.blocks).find((e) => decodeAction(e.action_id)?.action === 'fixed')
    const click = blockAction(fake, { type: 'button', action_id: button.action_id, value: button.value }, { channel: 'C-fixed', ts: fake.messages.get('C-fixed')!.at(-1)!.ts, blocks: call.args.blocks }, { user: 'U-happy' })
    await h.driver.interaction(click.payload)
    const row = await eventually(async () => {
      const i = await t.store.getIncident(incidentId)
      return i?.feedback ? i : null
    })
    expect(row).toMatchObject({ feedback: 'fixed', resolved: true })
    await fake.waitForResponse(click.responseId)
  })

  it('GIVEN "Still failing" is clicked THEN feedback is recorded and the next most likely cause is posted in the thread with the doctor offered', async () => {
    await h.driver.event(messageEvent(fake, PASTE_401, { channel: 'C-still' }))
    const call = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-still')
    const incidentId = call.args.metadata.event_payload.incident_id as string
    await eventually(() => t.store.getIncident(incidentId))
    const button = elementsOf(call.args.blocks).find((e) => decodeAction(e.action_id)?.action === 'still_failing')
    const ts = fake.messages.get('C-still')!.at(-1)!.ts
    const click = blockAction(fake, { type: 'button', action_id: button.action_id, value: button.value }, { channel: 'C-still', ts, thread_ts: call.args.thread_ts, blocks: call.args.blocks })
    await h.driver.interaction(click.payload)
    const next = await fake.waitFor(() => posts(fake, (c) => c.args.channel === 'C-still')[1], 10_000, 'the next-cause reply')
    expect(next.args.thread_ts).toBe(call.args.thread_ts)
    expect(next.args.metadata.event_payload.cause).not.toBe('invalid_api_key')
    expect(elementsOf(next.args.blocks).map((e) => decodeAction(e.action_id)?.action)).toContain('run_doctor')
    const row = await eventually(async () => {
      const i = await t.store.getIncident(incidentId)
      return i?.feedback ? i : null
    })
    expect(row.feedback).toBe('still_failing')
  })

  it('GIVEN "Run the doctor" is clicked THEN a one-time code for that thread is issued privately', async () => {
    await h.driver.event(messageEvent(fake, PASTE_401, { channel: 'C-rundoc' }))
    const call = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-rundoc')
    const still = elementsOf(call.args.blocks).find((e) => decodeAction(e.action_id)?.action === 'still_failing')
    const actionId = encodeAction({ ...decodeAction(still.action_id)!, action: 'run_doctor' })
    const click = blockAction(fake, { type: 'button', action_id: actionId }, { channel: 'C-rundoc', ts: fake.messages.get('C-rundoc')!.at(-1)!.ts, thread_ts: call.args.thread_ts })
    await h.driver.interaction(click.payload)
    const post = await fake.waitForResponse(click.responseId)
    expect(post.body.response_type).toBe('ephemeral')
    const tokens = await t.store.prisma.doctorToken.findMany({ where: { channelId: 'C-rundoc' } })
    expect(tokens).toHaveLength(1)
    expect(tokens[0]!.threadId).toBe(call.args.thread_ts)
  })

  it('GIVEN "Share in channel" on an ephemeral reply THEN the diagnosis is posted visibly with metadata and the ephemeral is removed', async () => {
    const { payload, responseId } = slashCommand(fake, PASTE_401, { channel: 'C-share' })
    await h.driver.command(payload)
    const first = await fake.waitForResponse(responseId)
    const share = elementsOf(first.body.blocks).find((e) => decodeAction(e.action_id)?.action === 'share')
    const click = blockAction(fake, { type: 'button', action_id: share.action_id, value: share.value }, { channel: 'C-share', ephemeral: true }, { user: 'U1' })
    await h.driver.interaction(click.payload)
    const shared = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-share')
    expect(verdictCause(shared.args.blocks)).toBe('invalid_api_key')
    expect(shared.args.metadata.event_payload.cause).toBe('invalid_api_key')
    expect(JSON.stringify(shared.args.blocks)).toMatch(/Shared by <@U1>/)
    expect(elementsOf(shared.args.blocks).map((e) => decodeAction(e.action_id)?.action)).not.toContain('share')
    const removed = await fake.waitForResponse(click.responseId)
    expect(removed.body.delete_original).toBe(true)
  })

  // ---------- the thread poster (doctor upload answers) ----------

  it('GIVEN a doctor report for a thread THEN the poster answers in that thread; GIVEN the bot is not in the channel THEN it answers the person directly', async () => {
    const poster = h.app.ctx.threadPosters.slack!
    const reply = buildReply(classify(PASTE_EXPIRED), { text: PASTE_EXPIRED, platform: 'macos', now: new Date() })
    const workspace = { platform: 'slack' as const, externalId: fake.teamId }
    await poster({ workspace, channelId: 'C-poster', threadId: '1700000000.000001', userId: 'U-doc' }, reply)
    const inThread = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-poster')
    expect(inThread.args.thread_ts).toBe('1700000000.000001')
    expect(inThread.args.metadata.event_payload.cause).toBe('expired_session')
    fake.notInChannel.add('C-poster-out')
    await poster({ workspace, channelId: 'C-poster-out', threadId: null, userId: 'U-doc' }, reply)
    const direct = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U-doc')
    expect(verdictCause(direct.args.blocks)).toBe('expired_session')
  })

  // ---------- rate limits ----------

  it('GIVEN chat.postMessage answers 429 with Retry-After THEN the reply is posted exactly once after the wait', async () => {
    fake.rateLimit('chat.postMessage', { times: 1, retryAfterSec: 1 })
    const t0 = Date.now()
    await h.driver.event(messageEvent(fake, PASTE_401, { channel: 'C-429' }))
    await fake.waitFor(() => fake.messages.get('C-429')?.length, 10_000, 'the reply after the rate limit')
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950)
    await fake.settle(200)
    expect(fake.messages.get('C-429')).toHaveLength(1)
    expect(posts(fake, (c) => c.args.channel === 'C-429')).toHaveLength(2) // the refused attempt and the delivered one
  })

  it('GIVEN the response_url answers 429 THEN the slash reply still arrives once', async () => {
    fake.rateLimit('response_url', { times: 1, retryAfterSec: 1 })
    const { payload, responseId } = slashCommand(fake, PASTE_401)
    await h.driver.command(payload)
    await fake.waitForResponse(responseId)
    await fake.settle(200)
    expect(fake.responsePosts.filter((p) => p.id === responseId)).toHaveLength(1)
  })

  it('THEN /readyz reports Slack ready', async () => {
    const res = await fetch(`http://127.0.0.1:${h.app.port}/readyz`)
    const body = (await res.json()) as { checks: Record<string, boolean> }
    expect(body.checks.slack).toBe(true)
  })
})

/** The option value the select uses for `platform` (raw platform id or an encoded action). */
function pickValue(select: any, platform: string): string {
  const options: any[] = select.options ?? select.option_groups?.flatMap((g: any) => g.options) ?? []
  const match = options.find((o) => o.value === platform || decodeAction(o.value)?.platform === platform)
  return match?.value ?? platform
}
