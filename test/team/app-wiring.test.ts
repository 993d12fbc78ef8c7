// The team features wired into the running service (startApp): the events API and the dashboard on the service's
// port, correlation in replies, and spike alerts from real diagnoses through the triage listener.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type App } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { createLogger } from '../../src/log.js'
import type { Reply } from '../../src/replies/types.js'
import type { DoctorTokenTarget, WorkspaceRef } from '../../src/store/types.js'
import { createTestStore, type TestStore } from '../support/test-store.js'

const TOKEN = 'evt_wiring_' + 'x7Q'.repeat(10)
const WS: WorkspaceRef = { platform: 'slack', externalId: 'T0WIRING' }
const INVALID_KEY = 'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}'

describe('team features in the running service', () => {
  let t: TestStore
  let app: App
  let base: string
  const posted: { target: DoctorTokenTarget; reply: Reply }[] = []
  let now = new Date('2026-03-10T12:00:00Z')
  beforeAll(async () => {
    t = await createTestStore('pglite', { now: () => now })
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      EVENTS_API_TOKEN: TOKEN,
      SLACK_ADMIN_CHANNEL: 'C0ALERTS',
      SPIKE_MIN_PEOPLE: '3',
      SPIKE_WINDOW_MINUTES: '60',
    })
    app = await startApp({ config, log: createLogger({ level: 'silent' }), store: t.store, clock: () => now })
    base = `http://127.0.0.1:${app.port}`
    // stands in for the Slack adapter's poster
    app.ctx.threadPosters.slack = async (target, reply) => {
      posted.push({ target, reply })
    }
  })
  afterAll(async () => {
    await app?.stop()
    await t?.cleanup()
  })

  it('GIVEN the service WHEN the admin dashboard is requested without a session THEN 401; the sign-in page answers', async () => {
    expect((await fetch(`${base}/admin`)).status).toBe(401)
    expect((await fetch(`${base}/admin/login?token=abc`)).status).toBe(200)
  })

  it('GIVEN a rotation posted to /api/events WHEN someone then pastes an invalid-key error THEN the reply mentions the rotation and how long ago', async () => {
    const res = await fetch(`${base}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ platform: 'slack', workspace: WS.externalId, kind: 'key_rotated', subject: 'team-key', occurredAt: '2026-03-10T10:00:00Z' }),
    })
    expect(res.status).toBe(201)
    const { reply } = await app.ctx.triage.diagnose({ text: INVALID_KEY, source: 'paste', mode: 'explicit', workspace: WS, userId: 'U0FIRST' })
    expect(reply.cause).toBe('invalid_api_key')
    expect(reply.eventNote).toMatch(/rotated/)
    expect(reply.eventNote).toMatch(/team-key/)
    expect(reply.eventNote).toMatch(/2 hours ago/)
  })

  it('GIVEN an unrelated cause WHEN diagnosed THEN the rotation is not mentioned', async () => {
    const { reply } = await app.ctx.triage.diagnose({ text: 'Error: connect ECONNREFUSED 127.0.0.1:443\nfetch failed', source: 'paste', mode: 'explicit', workspace: WS, userId: 'U0NET' })
    expect(reply.cause).toBe('network_blocked')
    expect(reply.eventNote).toBeNull()
  })

  it('GIVEN three people hitting invalid keys within the hour WHEN diagnosed THEN one spike alert in the admin channel naming the rotation', async () => {
    for (const [i, user] of ['U0SECOND', 'U0THIRD', 'U0FOURTH'].entries()) {
      now = new Date(Date.parse('2026-03-10T12:00:00Z') + (i + 1) * 60_000)
      await app.ctx.triage.diagnose({ text: INVALID_KEY, source: 'paste', mode: 'explicit', workspace: WS, userId: user })
    }
    await expect.poll(() => posted.length, { timeout: 10_000 }).toBe(1)
    await new Promise((r) => setTimeout(r, 300))
    expect(posted).toHaveLength(1)
    const [{ target, reply }] = posted as [{ target: DoctorTokenTarget; reply: Reply }]
    expect(target.channelId).toBe('C0ALERTS')
    // The alert fires when the third person crosses the threshold; the detector runs after the reply, so by then the
    // fourth person (also within the hour) may already be counted. Never fewer than the threshold, never a second alert.
    expect(reply.verdict).toMatch(/^[34] people hit "Invalid API key" in the last hour/)
    expect(reply.eventNote).toMatch(/Most likely related: API key rotated \(team-key\)/)
  })
})
