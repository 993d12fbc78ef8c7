// The team sub-commands (event, events, stats, admin) through the shared handlers both chat adapters call, on the
// real store: who may run them, what is stored, what the answer says.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { randomUUID } from 'node:crypto'
import { createTeamCommands, isTeamCommand, type TeamCommandConfig, type TeamRequest } from '../../src/team/commands.js'
import { parseCommand } from '../../src/chat/command-parser.js'
import { renderPlainText, renderSlackText, renderDiscordText, type TeamMessage } from '../../src/team/message.js'
import { recordMemberRemoved } from '../../src/team/auto-events.js'
import { buildSlackHomeView } from '../../src/team/slack-home.js'
import { createLogger } from '../../src/log.js'
import type { Store, WorkspaceRef } from '../../src/store/types.js'
import { createTestStore, testBackends, type TestStore } from '../support/test-store.js'

const log = createLogger({ level: 'silent' })
const NOW = new Date('2026-03-10T12:00:00Z')
const config: TeamCommandConfig = { ADMIN_USER_IDS: ['U0LISTED', 'discord:111111111111111111'], ADMIN_LINK_TTL_MINUTES: 10, EVENT_LOOKBACK_DAYS: 14, publicUrl: 'https://bot.example.com' }

const text = (m: TeamMessage) => renderPlainText(m)

describe.each(testBackends())('team commands on %s', (backend) => {
  let t: TestStore
  let now = NOW
  beforeAll(async () => {
    t = await createTestStore(backend, { now: () => now })
  })
  afterAll(() => t?.cleanup())

  let ws: WorkspaceRef
  beforeEach(() => {
    now = NOW
    ws = { platform: 'slack', externalId: `T${randomUUID().slice(0, 8).toUpperCase()}` }
  })
  const handlers = () => createTeamCommands({ store: t.store, config, log, clock: () => now })
  const admin = (): TeamRequest => ({ workspace: ws, userId: 'U0LISTED' })
  const member = (): TeamRequest => ({ workspace: ws, userId: 'U0MEMBER', adminFacts: { platform: 'slack', isAdmin: false, isOwner: false } })
  const parsed = <K extends 'event' | 'events' | 'stats' | 'admin'>(raw: string, kind: K) => {
    const c = parseCommand(raw)
    expect(c.kind).toBe(kind)
    if (!isTeamCommand(c)) throw new Error('not a team command')
    return c as Extract<typeof c, { kind: K }>
  }

  it.each(['event key_rotated ci-key', 'events', 'stats 7d', 'admin'])('GIVEN a member who is not an admin WHEN they run "%s" THEN a clear refusal and nothing stored', async (raw) => {
    const h = handlers()
    const c = parseCommand(raw)
    if (!isTeamCommand(c)) throw new Error('not a team command')
    const answer = await (h[c.kind] as (r: TeamRequest, c: unknown) => Promise<TeamMessage>)(member(), c)
    expect(answer.ok).toBe(false)
    expect(answer.ephemeral).toBe(true)
    expect(text(answer)).toMatch(/Only admins can/)
    expect(await t.store.listCredentialEvents(ws)).toEqual([])
  })

  it('GIVEN a listed admin WHEN they record "event key_rotated ci-key rotated after the leak" THEN it is stored as a command event by them, and the answer says which replies will mention it', async () => {
    const answer = await handlers().event(admin(), parsed('event key_rotated ci-key rotated after the leak', 'event'))
    expect(answer.ok).toBe(true)
    const [e] = await t.store.listCredentialEvents(ws)
    expect(e).toMatchObject({ kind: 'key_rotated', subject: 'ci-key', note: 'rotated after the leak', actor: 'U0LISTED', source: 'command' })
    expect(e!.occurredAt.toISOString()).toBe(NOW.toISOString())
    expect(answer.title).toMatch(/Recorded: API key rotated/)
    expect(text(answer)).toMatch(/invalid api key/i)
    expect(text(answer)).toMatch(/14 days/)
  })

  it('GIVEN a Slack workspace admin (users.info is_admin) WHEN they record an event THEN allowed; the lookup only runs for unlisted users', async () => {
    const lookup = vi.fn(async () => ({ platform: 'slack' as const, isAdmin: true }))
    const answer = await handlers().event({ workspace: ws, userId: 'U0WSADMIN', adminFacts: lookup }, parsed('event billing_changed', 'event'))
    expect(answer.ok).toBe(true)
    expect(lookup).toHaveBeenCalledTimes(1)
    const listed = vi.fn(async () => null)
    await handlers().events({ workspace: ws, userId: 'U0LISTED', adminFacts: listed }, parsed('events', 'events'))
    expect(listed).not.toHaveBeenCalled()
  })

  it('GIVEN a Discord member with Manage Server WHEN they record an event THEN allowed; without it, refused', async () => {
    const guild: WorkspaceRef = { platform: 'discord', externalId: `9${Date.now()}` }
    const ok = await handlers().event({ workspace: guild, userId: '222222222222222222', adminFacts: { platform: 'discord', permissions: String(1n << 5n) } }, parsed('event user_removed 333', 'event'))
    expect(ok.ok).toBe(true)
    const no = await handlers().event({ workspace: guild, userId: '444444444444444444', adminFacts: { platform: 'discord', permissions: '2048' } }, parsed('event user_removed 555', 'event'))
    expect(no.ok).toBe(false)
    expect(text(no)).toMatch(/Manage Server/)
    expect((await t.store.listCredentialEvents(guild)).map((e) => e.subject)).toEqual(['333'])
  })

  it('GIVEN an admin lookup that fails (Slack API down) WHEN asked THEN refused, not crashed', async () => {
    const answer = await handlers().stats({ workspace: ws, userId: 'U0X', adminFacts: async () => { throw new Error('ratelimited') } }, parsed('stats', 'stats'))
    expect(answer.ok).toBe(false)
  })

  it('GIVEN events recorded from chat, the API and automatically WHEN "events" is run THEN all three are listed, newest first, with their source', async () => {
    await t.store.recordCredentialEvent({ workspace: ws, kind: 'key_rotated', subject: 'ci-key', source: 'api', actor: 'vault', occurredAt: new Date(NOW.getTime() - 3 * 86_400_000) })
    await t.store.recordCredentialEvent({ workspace: ws, kind: 'billing_changed', source: 'command', actor: 'U0LISTED', occurredAt: new Date(NOW.getTime() - 2 * 3_600_000) })
    await recordMemberRemoved({ store: t.store, log, clock: () => now, lookbackDays: 14 }, { workspace: ws, userId: 'U0GONE', name: 'Gone Person', how: 'deactivated in Slack' })
    await t.store.recordCredentialEvent({ workspace: ws, kind: 'other', source: 'command', occurredAt: new Date(NOW.getTime() - 40 * 86_400_000) }) // too old
    const answer = await handlers().events(admin(), parsed('events', 'events'))
    const lines = text(answer).split('\n').filter((l) => l.startsWith('•'))
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/Member removed U0GONE just now \(automatic\): Gone Person, deactivated in Slack/)
    expect(lines[1]).toMatch(/Billing changed 2 hours ago by U0LISTED/)
    expect(lines[2]).toMatch(/API key rotated ci-key 3 days ago by vault \(API\)/)
    expect(renderSlackText(answer)).toContain('<@U0LISTED>')
  })

  it('GIVEN the same Slack user deactivated twice (user_change repeats) WHEN recorded automatically THEN one user_removed event', async () => {
    const deps = { store: t.store, log, clock: () => now, lookbackDays: 14 }
    expect(await recordMemberRemoved(deps, { workspace: ws, userId: 'U0TWICE' })).not.toBeNull()
    expect(await recordMemberRemoved(deps, { workspace: ws, userId: 'U0TWICE' })).toBeNull()
    const events = await t.store.listCredentialEvents(ws)
    expect(events.map((e) => [e.kind, e.subject, e.source])).toEqual([['user_removed', 'U0TWICE', 'auto']])
  })

  it('GIVEN incidents and feedback WHEN "stats 7d" is run THEN the numbers match the store: total, causes with people, fix rate, recurring errors, repeat people', async () => {
    const day = 86_400_000
    const add = async (userId: string, cause: string, fingerprint: string, ago: number, feedback?: 'fixed' | 'still_failing') => {
      const inc = await t.store.recordIncident({ workspace: ws, userId, cause, confidence: 0.9, fingerprint, excerpt: `error ${fingerprint}`, source: 'paste', createdAt: new Date(NOW.getTime() - ago) })
      if (feedback) await t.store.setFeedback(inc.id, feedback, userId)
    }
    await add('U1', 'invalid_api_key', 'fp-key', 1 * day, 'fixed')
    await add('U2', 'invalid_api_key', 'fp-key', 2 * day, 'fixed')
    await add('U1', 'invalid_api_key', 'fp-key', 3 * day, 'still_failing')
    await add('U3', 'expired_session', 'fp-login', 4 * day)
    await add('U4', 'expired_session', 'fp-login', 20 * day) // outside 7 days
    const answer = await handlers().stats(admin(), parsed('stats 7d', 'stats'))
    const out = text(answer)
    expect(answer.title).toMatch(/last 7 days/)
    expect(out).toMatch(/^4 incidents in the last 7 days\.$/m)
    expect(out).toMatch(/Fix rate: 67% \(2 of 3 answers/)
    expect(out).toMatch(/Invalid API key: 3 \(2 people\)/)
    expect(out).toMatch(/Expired login session: 1 \(1 person\)/)
    expect(out).toMatch(/error fp-key ×3, 2 people/)
    expect(out).toMatch(/U1: Invalid API key ×2/)
    expect(out).toMatch(/https:\/\/bot\.example\.com\/admin/)
    const thirty = text(await handlers().stats(admin(), parsed('stats 30d', 'stats')))
    expect(thirty).toMatch(/^5 incidents in the last 30 days\.$/m)
  })

  it('GIVEN an admin WHEN "admin" is run THEN a private single-use link that opens exactly one session for that admin', async () => {
    const answer = await handlers().admin(admin(), parsed('admin', 'admin'))
    expect(answer.ephemeral).toBe(true)
    const url = /https:\/\/bot\.example\.com\/admin\/login\?token=([A-Za-z0-9_%-]+)/.exec(text(answer))
    expect(url).not.toBeNull()
    const token = decodeURIComponent(url![1]!)
    expect(text(answer)).toMatch(/Single use, valid for 10 minutes/)
    const opened = await t.store.consumeAdminLogin(token, 3_600_000)
    expect(opened?.identity).toEqual({ platform: 'slack', workspaceExternalId: ws.externalId, userId: 'U0LISTED' })
    expect(await t.store.consumeAdminLogin(token, 3_600_000)).toBeNull()
    // the link renders as a link on both platforms
    expect(renderSlackText(answer)).toMatch(/<https:\/\/bot\.example\.com\/admin\/login\?token=[^|>]+\|Open the dashboard>/)
    expect(renderDiscordText(answer)).toMatch(/\[Open the dashboard\]\(https:\/\/bot\.example\.com\/admin\/login\?token=/)
  })

  it('GIVEN a database that fails WHEN an admin runs a command THEN an answer saying so, never an exception', async () => {
    const broken = Object.assign(Object.create(t.store) as Store, {
      recordCredentialEvent: () => Promise.reject(new Error('ECONNREFUSED')),
      recurring: () => Promise.reject(new Error('ECONNREFUSED')),
    })
    const h = createTeamCommands({ store: broken, config, log, clock: () => now })
    const a = await h.event(admin(), parsed('event other', 'event'))
    expect(a.ok).toBe(false)
    expect(text(a)).toMatch(/database did not answer/)
    expect((await h.stats(admin(), parsed('stats', 'stats'))).ok).toBe(false)
  })

  it('GIVEN the App Home tab WHEN an admin opens it THEN the 7-day summary; a member gets the how-to only', async () => {
    await t.store.recordIncident({ workspace: ws, userId: 'U1', cause: 'missing_api_key', confidence: 0.9, excerpt: 'x', source: 'paste', createdAt: new Date(NOW.getTime() - 3_600_000) })
    const deps = { store: t.store, config, log, clock: () => now }
    const adminView = JSON.stringify(await buildSlackHomeView(deps, admin()))
    expect(adminView).toMatch(/last 7 days/)
    expect(adminView).toMatch(/Missing API key: 1/)
    const memberView = await buildSlackHomeView(deps, member())
    expect(memberView.type).toBe('home')
    expect(JSON.stringify(memberView)).not.toMatch(/Missing API key|incident/)
    expect(JSON.stringify(memberView)).toMatch(/Paste a Claude Code error/)
  })
})
