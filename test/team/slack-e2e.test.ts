// The team features through the real Slack adapter (Bolt, HTTP mode) against the fake Slack: the admin commands,
// the sign-in link followed to the dashboard on the same port, members removed from the workspace, the App Home tab
// and the spike alert posted in the admin channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { FakeSlack, type ApiCall } from '../fakes/fake-slack.js'
import { messageEvent, slashCommand } from '../fakes/fake-slack-payloads.js'
import { createTestStore, type TestStore } from '../support/test-store.js'
import { startHarness, type Harness } from '../chat/slack/harness.js'

const PASTE_401 = 'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}'

/** The fake answers unknown methods with ok:false; this scripts users.info for one user (its scripts are private). */
function usersInfo(fake: FakeSlack, userId: string, user: Record<string, unknown>, times = 10) {
  ;(fake as unknown as { scripts: unknown[] }).scripts.push({
    target: 'users.info',
    times,
    when: (args: Record<string, unknown>) => args.user === userId,
    reply: { status: 200, body: { ok: true, user: { id: userId, ...user } } },
  })
}

function eventCallback(fake: FakeSlack, event: Record<string, unknown>) {
  return {
    token: 'deprecated-verification-token',
    team_id: fake.teamId,
    api_app_id: 'A1',
    event,
    type: 'event_callback',
    event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: fake.teamId, user_id: fake.botUserId, is_bot: true, is_enterprise_install: false }],
  }
}

async function until<T>(fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, ms = 5_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v as T
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('team features through the Slack adapter', () => {
  const fake = new FakeSlack()
  let t: TestStore
  let h: Harness
  let base: string
  const ws = () => ({ platform: 'slack' as const, externalId: fake.teamId })

  beforeAll(async () => {
    await fake.start()
    t = await createTestStore('pglite')
    h = await startHarness({
      mode: 'http',
      store: t.store,
      fake,
      env: { ADMIN_USER_IDS: 'U0LISTED', SLACK_ADMIN_CHANNEL: 'C-admins', SPIKE_MIN_PEOPLE: '2', SPIKE_WINDOW_MINUTES: '60' },
    })
    base = `http://127.0.0.1:${h.app.port}`
    usersInfo(fake, 'U0WSADMIN', { is_admin: true, is_owner: false }, 100)
    usersInfo(fake, 'U0MEMBER', { is_admin: false, is_owner: false }, 100)
  })
  afterAll(async () => {
    await h?.stop()
    await t?.cleanup()
    await fake.stop()
  })

  it('GIVEN an admin listed in ADMIN_USER_IDS WHEN they run /claude-auth event key_rotated ci-key rotated after the leak THEN it is stored as theirs and confirmed privately', async () => {
    const { payload, responseId } = slashCommand(fake, 'event key_rotated ci-key rotated after the leak', { user: 'U0LISTED' })
    await h.driver.command(payload)
    const post = await fake.waitForResponse(responseId)
    expect(post.body.response_type).toBe('ephemeral')
    expect(post.body.text).toMatch(/Recorded: API key rotated/)
    const events = await t.store.listCredentialEvents(ws())
    expect(events.find((e) => e.subject === 'ci-key')).toMatchObject({ kind: 'key_rotated', note: 'rotated after the leak', actor: 'U0LISTED', source: 'command' })
  })

  it('GIVEN a Slack workspace admin (users.info is_admin) WHEN they run /claude-auth stats 30d THEN the summary; users.info was asked about them', async () => {
    const { payload, responseId } = slashCommand(fake, 'stats 30d', { user: 'U0WSADMIN' })
    await h.driver.command(payload)
    const post = await fake.waitForResponse(responseId)
    expect(post.body.text).toMatch(/last 30 days/)
    expect(JSON.stringify(post.body.blocks)).toMatch(/ci-key/)
    expect(fake.callsTo('users.info').some((c) => c.args.user === 'U0WSADMIN')).toBe(true)
  })

  it('GIVEN a member WHEN they run /claude-auth event or admin THEN refused and nothing stored', async () => {
    for (const text of ['event key_revoked sneaky', 'admin']) {
      const { payload, responseId } = slashCommand(fake, text, { user: 'U0MEMBER' })
      await h.driver.command(payload)
      const post = await fake.waitForResponse(responseId)
      expect(post.body.text).toMatch(/Only admins can/)
    }
    expect((await t.store.listCredentialEvents(ws())).some((e) => e.subject === 'sneaky')).toBe(false)
    expect(await t.store.prisma.adminLogin.count({ where: { userId: 'U0MEMBER' } })).toBe(0)
  })

  it('GIVEN /claude-auth events WHEN run by an admin THEN the recorded changes are listed', async () => {
    const { payload, responseId } = slashCommand(fake, 'events', { user: 'U0LISTED' })
    await h.driver.command(payload)
    const post = await fake.waitForResponse(responseId)
    expect(post.body.text).toMatch(/API key rotated `ci-key`/)
    expect(post.body.text).toContain('<@U0LISTED>')
  })

  it('GIVEN /claude-auth admin WHEN the admin follows the link THEN the dashboard of their workspace opens, once', async () => {
    const { payload, responseId } = slashCommand(fake, 'admin', { user: 'U0LISTED' })
    await h.driver.command(payload)
    const post = await fake.waitForResponse(responseId)
    expect(post.body.response_type).toBe('ephemeral')
    const url = /<(http:\/\/localhost:0\/admin\/login\?token=[^|>]+)\|/.exec(post.body.text)?.[1]
    expect(url, post.body.text).toBeTruthy()
    const token = new URL(url!).searchParams.get('token')!
    const signIn = () => fetch(`${base}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }) })
    const res = await signIn()
    expect(res.status).toBe(303)
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!
    const page = await fetch(`${base}/admin/events`, { headers: { cookie } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('ci-key')
    expect((await signIn()).status).toBe(401)
  })

  it('GIVEN a member deactivated in Slack WHEN user_change (deleted) arrives, twice THEN one automatic user_removed event', async () => {
    const change = () => eventCallback(fake, { type: 'user_change', user: { id: 'U0GONE', team_id: fake.teamId, deleted: true, name: 'gone', profile: { display_name: 'Gone Person' } }, event_ts: String(Date.now() / 1000) })
    await h.driver.event(change())
    await h.driver.event(change())
    await h.driver.event(eventCallback(fake, { type: 'user_change', user: { id: 'U0STAYS', team_id: fake.teamId, deleted: false, name: 'stays' }, event_ts: String(Date.now() / 1000) }))
    const removed = await until(async () => {
      const e = (await t.store.listCredentialEvents(ws())).filter((x) => x.kind === 'user_removed')
      return e.length ? e : null
    })
    await new Promise((r) => setTimeout(r, 300))
    const all = (await t.store.listCredentialEvents(ws())).filter((x) => x.kind === 'user_removed')
    expect(all).toHaveLength(1)
    expect(removed[0]).toMatchObject({ subject: 'U0GONE', source: 'auto' })
    expect(removed[0]!.note).toMatch(/Gone Person/)
  })

  it('GIVEN the App Home tab WHEN an admin opens it THEN views.publish shows the team summary; a member gets the how-to', async () => {
    await h.driver.event(eventCallback(fake, { type: 'app_home_opened', user: 'U0WSADMIN', channel: 'D1', tab: 'home', event_ts: String(Date.now() / 1000) }))
    const adminCall = await fake.waitForCall('views.publish', (c: ApiCall) => c.args.user_id === 'U0WSADMIN')
    const view = typeof adminCall.args.view === 'string' ? JSON.parse(adminCall.args.view) : adminCall.args.view
    expect(view.type).toBe('home')
    expect(JSON.stringify(view)).toMatch(/last 7 days/)
    await h.driver.event(eventCallback(fake, { type: 'app_home_opened', user: 'U0MEMBER', channel: 'D2', tab: 'home', event_ts: String(Date.now() / 1000) }))
    const memberCall = await fake.waitForCall('views.publish', (c: ApiCall) => c.args.user_id === 'U0MEMBER')
    const memberView = JSON.stringify(memberCall.args.view)
    expect(memberView).toMatch(/Paste a Claude Code error/)
    expect(memberView).not.toMatch(/last 7 days|ci-key/)
  })

  it('GIVEN two people pasting invalid-key errors within the hour (threshold 2) THEN one spike alert in the admin channel naming the rotation', async () => {
    await h.driver.event(messageEvent(fake, PASTE_401, { channel: 'C-team', user: 'U0P1' }))
    await h.driver.event(messageEvent(fake, PASTE_401, { channel: 'C-team', user: 'U0P2' }))
    await h.driver.event(messageEvent(fake, PASTE_401, { channel: 'C-team', user: 'U0P3' }))
    const alert = await fake.waitForCall('chat.postMessage', (c: ApiCall) => c.args.channel === 'C-admins', 10_000)
    const text = JSON.stringify(alert.args)
    expect(text).toMatch(/Spike: Invalid API key/)
    expect(text).toMatch(/2 people/)
    expect(text).toMatch(/ci-key/)
    await new Promise((r) => setTimeout(r, 1_000))
    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C-admins')).toHaveLength(1)
  })
})
