// The team features through the real Discord adapter (discord.js against the fake Discord): the admin commands
// with Discord's own admin facts (server owner, Manage Server), the sign-in link followed to the dashboard, and
// members leaving the server recorded as user_removed (GuildMembers intent, DISCORD_MEMBER_EVENTS).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COMMAND_NAME } from '../../src/chat/discord/command-schema.js'
import { INTENTS } from '../fakes/fake-discord.js'
import { eventually, IDS, startBot, textOf, type Bot } from '../chat/discord/harness.js'

const str = (name: string, value: string) => ({ name, type: 3, value })
const EPHEMERAL = 64
const MANAGE_GUILD = 1n << 5n
const MODERATOR = '1400000000000000077'

describe('team features through the Discord adapter', () => {
  let bot: Bot
  let base: string
  const guild = { platform: 'discord' as const, externalId: IDS.guild }
  beforeAll(async () => {
    bot = await startBot({
      env: { DISCORD_MEMBER_EVENTS: 'true' },
      setupFake: (fake) => {
        fake.grantedIntents |= INTENTS.GuildMembers
        // MODERATOR has Manage Server; everyone else the fake's default permissions (without it)
        const member = fake.member.bind(fake)
        fake.member = (user) => ({ ...member(user), ...(user.id === MODERATOR ? { permissions: String(BigInt('2248473465835073') | MANAGE_GUILD) } : {}) })
      },
    })
    base = `http://127.0.0.1:${bot.app.port}`
  })
  afterAll(async () => {
    await bot?.stop()
  })

  const run = async (sub: string, opts: unknown[] = [], userId: string = IDS.user) => {
    const i = bot.fake.slash(COMMAND_NAME, sub, opts as never, { userId })
    const msg = await bot.fake.waitForResponse(i)
    expect(msg.flags & EPHEMERAL, 'team answers are private').toBe(EPHEMERAL)
    return msg
  }

  it('GIVEN the server owner WHEN they run /claude-auth event key_rotated with a subject and note THEN it is stored as theirs and confirmed', async () => {
    const msg = await run('event', [str('kind', 'key_rotated'), str('subject', 'ci-key'), str('note', 'after the leak')])
    expect(textOf(msg)).toMatch(/Recorded: API key rotated/)
    const [e] = await bot.store.listCredentialEvents(guild)
    expect(e).toMatchObject({ kind: 'key_rotated', subject: 'ci-key', note: 'after the leak', actor: IDS.user, source: 'command' })
  })

  it('GIVEN a member with Manage Server WHEN they run /claude-auth events and stats THEN the list and the summary', async () => {
    expect(textOf(await run('events', [], MODERATOR))).toMatch(/API key rotated/)
    expect(textOf(await run('stats', [{ name: 'days', type: 4, value: 30 }], MODERATOR))).toMatch(/last 30 days/)
  })

  it('GIVEN a member without Manage Server WHEN they run /claude-auth event THEN refused, nothing stored', async () => {
    const msg = await run('event', [str('kind', 'key_revoked'), str('subject', 'sneaky')], IDS.user2)
    expect(textOf(msg)).toMatch(/Only admins can.*|Manage Server/s)
    expect((await bot.store.listCredentialEvents(guild)).some((e) => e.subject === 'sneaky')).toBe(false)
  })

  it('GIVEN /claude-auth admin WHEN the owner follows the link THEN the dashboard of this server opens, once', async () => {
    const text = textOf(await run('admin'))
    const url = /\((https:\/\/bot\.example\.test\/admin\/login\?token=[^)\s]+)\)/.exec(text)?.[1]
    expect(url, text).toBeTruthy()
    const token = new URL(url!).searchParams.get('token')!
    const signIn = () => fetch(`${base}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }) })
    const res = await signIn()
    expect(res.status).toBe(303)
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-claude_auth_admin=.*; Secure$/) // PUBLIC_URL is https
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!
    const page = await fetch(`${base}/admin/events`, { headers: { cookie } })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('ci-key')
    expect(html).toContain(`Discord ${IDS.guild}`)
    expect((await signIn()).status).toBe(401)
  })

  it('GIVEN the GuildMembers intent WHEN the bot identifies THEN it asks for it; WHEN a member leaves THEN one automatic user_removed event', async () => {
    const identify = bot.fake.gatewayLog.find((e) => e.dir === 'in' && e.op === 2)!
    expect(identify.d.intents & INTENTS.GuildMembers).toBe(INTENTS.GuildMembers)
    const leaver = { id: '1400000000000000099', username: 'carol', discriminator: '0', global_name: 'Carol', avatar: null }
    bot.fake.dispatch('GUILD_MEMBER_REMOVE', { guild_id: IDS.guild, user: leaver })
    bot.fake.dispatch('GUILD_MEMBER_REMOVE', { guild_id: IDS.guild, user: leaver })
    bot.fake.dispatch('GUILD_MEMBER_REMOVE', { guild_id: IDS.guild, user: { ...bot.fake.otherBotUser() } })
    const removed = await eventually(async () => (await bot.store.listCredentialEvents(guild)).find((e) => e.kind === 'user_removed'), 5_000, 'user_removed')
    expect(removed).toMatchObject({ subject: leaver.id, source: 'auto' })
    expect(removed.note).toMatch(/Carol/)
    await new Promise((r) => setTimeout(r, 300))
    expect((await bot.store.listCredentialEvents(guild)).filter((e) => e.kind === 'user_removed')).toHaveLength(1)
  })
})

describe('Discord member events without the intent granted', () => {
  it('GIVEN DISCORD_MEMBER_EVENTS=true but Server Members Intent off WHEN starting THEN a clear error naming the setting', async () => {
    await expect(startBot({ env: { DISCORD_MEMBER_EVENTS: 'true', DISCORD_MESSAGE_CONTENT: 'false' } })).rejects.toThrow(/Server Members Intent.*DISCORD_MEMBER_EVENTS=false/s)
  })
})
