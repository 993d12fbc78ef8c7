// Spike detection on the real store: thresholds, one alert per spike (also across two detectors sharing the
// database, like two replicas), the most likely related event, and failures that never escape.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { SpikeDetector, type SpikeConfig } from '../../src/team/spike-detector.js'
import { Metrics } from '../../src/metrics.js'
import { createLogger } from '../../src/log.js'
import type { ThreadPoster } from '../../src/app-context.js'
import type { RecordedIncident } from '../../src/chat/triage.js'
import type { Reply } from '../../src/replies/types.js'
import type { DoctorTokenTarget, WorkspaceRef } from '../../src/store/types.js'
import { createTestStore, testBackends, type TestStore } from '../support/test-store.js'

const log = createLogger({ level: 'silent' })
const HOUR = 3_600_000
// 10:00 UTC: the start of an hour bucket
const T0 = Date.parse('2026-03-10T10:00:00Z')

const config = (over: Partial<SpikeConfig> = {}): SpikeConfig => ({
  SPIKE_MIN_PEOPLE: 3,
  SPIKE_WINDOW_MINUTES: 60,
  SLACK_ADMIN_CHANNEL: 'C0ADMINS',
  DISCORD_ADMIN_CHANNEL: '700000000000000001',
  EVENT_LOOKBACK_DAYS: 14,
  publicUrl: 'https://bot.example.com',
  ...over,
})

describe.each(testBackends())('spike detector on %s', (backend) => {
  let t: TestStore
  let now = T0
  beforeAll(async () => {
    t = await createTestStore(backend, { now: () => new Date(now) })
  })
  afterAll(() => t?.cleanup())

  let ws: WorkspaceRef
  let posted: { target: DoctorTokenTarget; reply: Reply }[]
  let metrics: Metrics
  const poster: ThreadPoster = async (target, reply) => {
    posted.push({ target, reply })
  }
  beforeEach(() => {
    // a fresh workspace per test: no state leaks between them
    ws = { platform: 'slack', externalId: `T${randomUUID().slice(0, 8).toUpperCase()}` }
    posted = []
    metrics = new Metrics()
  })

  const detector = (over: Partial<SpikeConfig> = {}, posters: Record<string, ThreadPoster> = { slack: poster, discord: poster }) =>
    new SpikeDetector({ store: t.store, log, metrics, clock: () => new Date(now), config: config(over), posters })

  /** records an incident at T0 + offset and runs the detector on it, like the triage listener does */
  async function hit(d: SpikeDetector, userId: string, offsetMs: number, cause = 'invalid_api_key', workspace = ws) {
    now = T0 + offsetMs
    const incident: RecordedIncident = {
      id: randomUUID(),
      workspace,
      userId,
      cause,
      confidence: 0.9,
      excerpt: 'API Error: 401 invalid x-api-key',
      source: 'paste',
      createdAt: new Date(now),
    }
    await t.store.recordIncident(incident)
    d.onIncident(incident)
    await d.idle()
  }

  it('GIVEN 2 people (threshold 3) WHEN a third distinct person hits the same cause THEN exactly one alert, in the admin channel, with the counts', async () => {
    const d = detector()
    await hit(d, 'U1', 1 * 60_000)
    await hit(d, 'U2', 5 * 60_000)
    await hit(d, 'U1', 6 * 60_000) // the same person again: still 2 people
    expect(posted).toHaveLength(0)
    await hit(d, 'U3', 10 * 60_000)
    expect(posted).toHaveLength(1)
    const [{ target, reply }] = posted as [{ target: DoctorTokenTarget; reply: Reply }]
    expect(target).toMatchObject({ workspace: ws, channelId: 'C0ADMINS' })
    expect(reply.title).toMatch(/Invalid API key/)
    expect(reply.verdict).toMatch(/3 people/)
    expect(reply.verdict).toMatch(/4 incidents/)
    expect(reply.verdict).toMatch(/in the last hour/)
    expect(metrics.spikeAlerts.get({ platform: 'slack' })).toBe(1)
  })

  it('GIVEN an alert for this spike WHEN more people hit it in the same window THEN no second alert', async () => {
    const d = detector()
    for (const [i, u] of ['U1', 'U2', 'U3', 'U4', 'U5'].entries()) await hit(d, u, (i + 1) * 60_000)
    expect(posted).toHaveLength(1)
  })

  it('GIVEN a spike that goes on into the next window WHEN the threshold is crossed again there THEN it is the same spike: no new alert', async () => {
    const d = detector()
    await hit(d, 'U1', 20 * 60_000)
    await hit(d, 'U2', 30 * 60_000)
    await hit(d, 'U3', 40 * 60_000)
    expect(posted).toHaveLength(1)
    await hit(d, 'U4', HOUR + 5 * 60_000)
    await hit(d, 'U5', HOUR + 10 * 60_000)
    await hit(d, 'U6', HOUR + 15 * 60_000)
    expect(posted).toHaveLength(1)
  })

  it('GIVEN a spike that crosses a window boundary WHEN people are counted THEN the sliding window catches it once', async () => {
    const d = detector()
    await hit(d, 'U1', 50 * 60_000)
    await hit(d, 'U2', 55 * 60_000)
    await hit(d, 'U3', HOUR + 2 * 60_000) // 3 people within 12 minutes, across 11:00
    expect(posted).toHaveLength(1)
    await hit(d, 'U4', HOUR + 3 * 60_000)
    expect(posted).toHaveLength(1)
  })

  it('GIVEN a quiet window after a spike WHEN a new burst comes THEN a new alert', async () => {
    const d = detector()
    for (const [i, u] of ['U1', 'U2', 'U3'].entries()) await hit(d, u, (i + 1) * 60_000)
    for (const [i, u] of ['U4', 'U5', 'U6'].entries()) await hit(d, u, 3 * HOUR + (i + 1) * 60_000)
    expect(posted).toHaveLength(2)
  })

  it('GIVEN people spread wider than the window WHEN counted THEN below the threshold: no alert', async () => {
    const d = detector()
    await hit(d, 'U1', 0)
    await hit(d, 'U2', 40 * 60_000)
    await hit(d, 'U3', 90 * 60_000) // U1 is out of the 60-minute window by now
    expect(posted).toHaveLength(0)
  })

  it('GIVEN SPIKE_MIN_PEOPLE=2 and a 10-minute window WHEN 2 people hit within 10 minutes THEN an alert; 2 people 15 minutes apart do not make one', async () => {
    const d = detector({ SPIKE_MIN_PEOPLE: 2, SPIKE_WINDOW_MINUTES: 10 })
    await hit(d, 'U1', 0, 'expired_session')
    await hit(d, 'U2', 15 * 60_000, 'expired_session')
    expect(posted).toHaveLength(0)
    await hit(d, 'U3', 17 * 60_000, 'expired_session')
    expect(posted).toHaveLength(1)
    expect(posted[0]!.reply.verdict).toMatch(/2 people.*10 minutes/)
  })

  it('GIVEN different causes WHEN 3 people hit 3 different causes THEN no spike', async () => {
    const d = detector()
    await hit(d, 'U1', 60_000, 'invalid_api_key')
    await hit(d, 'U2', 2 * 60_000, 'expired_session')
    await hit(d, 'U3', 3 * 60_000, 'network_blocked')
    expect(posted).toHaveLength(0)
  })

  it('GIVEN two detectors on the same database (two replicas) WHEN both see the threshold crossed at once THEN one alert in all', async () => {
    const a = detector()
    const b = detector()
    for (const [i, u] of ['U1', 'U2'].entries()) await hit(a, u, (i + 1) * 60_000)
    now = T0 + 3 * 60_000
    const incident: RecordedIncident = { id: randomUUID(), workspace: ws, userId: 'U3', cause: 'invalid_api_key', confidence: 0.9, excerpt: 'x', source: 'paste', createdAt: new Date(now) }
    await t.store.recordIncident(incident)
    const results = await Promise.all([a.check(incident), b.check(incident), a.check(incident), b.check(incident)])
    expect(results.filter((r) => r.alerted)).toHaveLength(1)
    expect(posted).toHaveLength(1)
  })

  it('GIVEN recent credential changes WHEN a spike of invalid keys is alerted THEN the note names the most recent relevant one, not an unrelated or later one', async () => {
    now = T0
    await t.store.recordCredentialEvent({ workspace: ws, kind: 'key_rotated', subject: 'team-key', source: 'command', actor: 'U0ADMIN', occurredAt: new Date(T0 - 2 * HOUR) })
    await t.store.recordCredentialEvent({ workspace: ws, kind: 'key_rotated', subject: 'old-rotation', source: 'api', occurredAt: new Date(T0 - 5 * 86_400_000) })
    await t.store.recordCredentialEvent({ workspace: ws, kind: 'user_added', subject: 'newbie', source: 'command', occurredAt: new Date(T0 - 30 * 60_000) })
    const d = detector()
    for (const [i, u] of ['U1', 'U2', 'U3'].entries()) await hit(d, u, (i + 1) * 60_000)
    expect(posted).toHaveLength(1)
    const note = posted[0]!.reply.eventNote ?? ''
    expect(note).toMatch(/Most likely related/)
    expect(note).toMatch(/team-key/)
    expect(note).toMatch(/2 hours ago/)
    expect(note).not.toMatch(/newbie|old-rotation/)
  })

  it('GIVEN no relevant change recorded WHEN alerted THEN the note says so and how to record one', async () => {
    const d = detector()
    for (const [i, u] of ['U1', 'U2', 'U3'].entries()) await hit(d, u, (i + 1) * 60_000)
    expect(posted[0]!.reply.eventNote).toMatch(/No related credential change.*\/claude-auth event/)
  })

  it('GIVEN a Discord server WHEN it spikes THEN the alert goes to DISCORD_ADMIN_CHANNEL', async () => {
    const d = detector()
    const guild: WorkspaceRef = { platform: 'discord', externalId: String(900000000000000000n + BigInt(Math.floor(Math.random() * 1e9))) }
    for (const [i, u] of ['1001', '1002', '1003'].entries()) await hit(d, u, (i + 1) * 60_000, 'expired_session', guild)
    expect(posted.map((p) => [p.target.workspace.platform, p.target.channelId])).toEqual([['discord', '700000000000000001']])
  })

  it('GIVEN no admin channel for the platform WHEN a spike happens THEN nothing is posted nor claimed (a later configured channel still gets it)', async () => {
    const d = detector({ SLACK_ADMIN_CHANNEL: null })
    for (const [i, u] of ['U1', 'U2', 'U3'].entries()) await hit(d, u, (i + 1) * 60_000)
    expect(posted).toHaveLength(0)
    await hit(detector(), 'U4', 4 * 60_000)
    expect(posted).toHaveLength(1)
  })

  it('GIVEN not_auth errors and incidents without a user WHEN many arrive THEN they never make a spike', async () => {
    const d = detector()
    for (const [i, u] of ['U1', 'U2', 'U3', 'U4'].entries()) await hit(d, u, (i + 1) * 60_000, 'not_auth')
    expect(posted).toHaveLength(0)
    expect((await d.check({ workspace: ws, cause: 'invalid_api_key', userId: null, createdAt: new Date(now) })).alerted).toBe(false)
  })

  it('GIVEN a poster that fails WHEN the alert is sent THEN the listener neither throws nor hangs, and the failure is contained', async () => {
    const failing: ThreadPoster = async () => {
      throw new Error('channel_not_found')
    }
    const d = detector({}, { slack: failing })
    for (const [i, u] of ['U1', 'U2', 'U3'].entries()) await hit(d, u, (i + 1) * 60_000)
    expect(metrics.spikeAlerts.get({ platform: 'slack' })).toBe(0)
  })

  it('GIVEN a database that fails WHEN the listener runs THEN it neither throws nor blocks the caller', async () => {
    const broken = new SpikeDetector({
      store: Object.assign(Object.create(t.store) as TestStore['store'], { peopleWithCause: () => Promise.reject(new Error('ECONNREFUSED')) }),
      log,
      metrics,
      clock: () => new Date(now),
      config: config(),
      posters: { slack: poster },
    })
    const incident: RecordedIncident = { id: randomUUID(), workspace: ws, userId: 'U1', cause: 'invalid_api_key', confidence: 1, excerpt: 'x', source: 'paste', createdAt: new Date(now) }
    const started = Date.now()
    expect(() => broken.onIncident(incident)).not.toThrow()
    expect(Date.now() - started).toBeLessThan(50)
    await broken.idle()
    expect(posted).toHaveLength(0)
  })
})
