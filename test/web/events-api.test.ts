// POST /api/events through a real HTTP server and a real (PGlite, or PostgreSQL with TEST_DATABASE_URL) store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpServer, type HttpServer } from '../../src/web/server.js'
import { eventsApiRoutes, EVENTS_API_MAX_BYTES, bearerMatches } from '../../src/web/events-api.js'
import { createLogger } from '../../src/log.js'
import { createTestStore, testBackends, type TestStore } from '../support/test-store.js'

const TOKEN = 'evt_' + 'k3Y'.repeat(12)
const NOW = new Date('2026-03-10T12:00:00Z')
const FAKE_KEY = 'sk-ant-api03-' + 'Qw7'.repeat(31) + 'AA'
const log = createLogger({ level: 'silent' })

describe('bearer token comparison', () => {
  it('GIVEN headers WHEN compared THEN only the exact token (any case of "Bearer") matches', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true)
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true)
    expect(bearerMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false)
    expect(bearerMatches(`Bearer ${TOKEN.slice(0, -1)}`, TOKEN)).toBe(false)
    expect(bearerMatches(`Basic ${TOKEN}`, TOKEN)).toBe(false)
    expect(bearerMatches(TOKEN, TOKEN)).toBe(false)
    expect(bearerMatches(undefined, TOKEN)).toBe(false)
    expect(bearerMatches('Bearer ', TOKEN)).toBe(false)
  })
})

describe.each(testBackends())('POST /api/events on %s', (backend) => {
  let t: TestStore
  let http: HttpServer
  let base: string
  let off: HttpServer
  let offBase: string
  beforeAll(async () => {
    t = await createTestStore(backend, { now: () => NOW })
    http = createHttpServer({ log, routes: eventsApiRoutes({ store: t.store, token: TOKEN, log, clock: () => NOW }) })
    base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`
    off = createHttpServer({ log, routes: eventsApiRoutes({ store: t.store, token: null, log, clock: () => NOW }) })
    offBase = `http://127.0.0.1:${await off.listen(0, '127.0.0.1')}`
  })
  afterAll(async () => {
    await http?.close(100)
    await off?.close(100)
    await t?.cleanup()
  })

  const post = (body: unknown, headers: Record<string, string> = {}, url = base) =>
    fetch(`${url}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error

  it('GIVEN the token and a rotation WHEN posted THEN 201 with the stored event, and the store lists it as an API event', async () => {
    const res = await post({ platform: 'slack', workspace: 'T0API', kind: 'key_rotated', subject: 'ci-key', note: 'vault rotation', actor: 'vault', occurredAt: '2026-03-10T11:30:00Z' })
    expect(res.status).toBe(201)
    const { event } = (await res.json()) as { event: Record<string, string> }
    expect(event).toMatchObject({ kind: 'key_rotated', subject: 'ci-key', note: 'vault rotation', actor: 'vault', source: 'api', occurredAt: '2026-03-10T11:30:00.000Z' })
    const stored = await t.store.listCredentialEvents({ platform: 'slack', externalId: 'T0API' })
    expect(stored.map((e) => [e.id, e.kind, e.source])).toEqual([[event.id, 'key_rotated', 'api']])
  })

  it('GIVEN no occurredAt WHEN posted THEN the event happened now (server clock)', async () => {
    const res = await post({ platform: 'discord', workspace: '900000000000000001', kind: 'billing_changed' })
    expect(res.status).toBe(201)
    expect(((await res.json()) as { event: { occurredAt: string } }).event.occurredAt).toBe(NOW.toISOString())
  })

  it('GIVEN a secret in the note WHEN posted THEN it is redacted before it is stored or echoed', async () => {
    const res = await post({ platform: 'slack', workspace: 'T0SECRET', kind: 'key_revoked', note: `old key was ${FAKE_KEY}` })
    expect(res.status).toBe(201)
    expect(await res.text()).not.toContain(FAKE_KEY.slice(14, 50))
    const [stored] = await t.store.listCredentialEvents({ platform: 'slack', externalId: 'T0SECRET' })
    expect(stored!.note).not.toContain(FAKE_KEY.slice(14, 50))
  })

  it('GIVEN no Authorization header WHEN posted THEN 401 with a WWW-Authenticate challenge and nothing stored', async () => {
    const res = await post({ platform: 'slack', workspace: 'T0NOAUTH', kind: 'other' }, { authorization: '' })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/)
    expect((await errorOf(res)).code).toBe('UNAUTHORIZED')
    expect(await t.store.listCredentialEvents({ platform: 'slack', externalId: 'T0NOAUTH' })).toEqual([])
  })

  it('GIVEN a wrong token WHEN posted THEN 401 and nothing stored', async () => {
    const res = await post({ platform: 'slack', workspace: 'T0WRONG', kind: 'other' }, { authorization: `Bearer ${TOKEN}0` })
    expect(res.status).toBe(401)
    expect(await t.store.listCredentialEvents({ platform: 'slack', externalId: 'T0WRONG' })).toEqual([])
  })

  it('GIVEN EVENTS_API_TOKEN unset WHEN posted (even with a token) THEN 404 saying the API is off', async () => {
    const res = await post({ platform: 'slack', workspace: 'T0OFF', kind: 'other' }, {}, offBase)
    expect(res.status).toBe(404)
    const e = await errorOf(res)
    expect(e.code).toBe('EVENTS_API_DISABLED')
    expect(e.message).toMatch(/EVENTS_API_TOKEN/)
  })

  it.each([
    [{ workspace: 'T1', kind: 'other' }, /platform/],
    [{ platform: 'teams', workspace: 'T1', kind: 'other' }, /platform/],
    [{ platform: 'slack', kind: 'other' }, /workspace/],
    [{ platform: 'slack', workspace: '  ', kind: 'other' }, /workspace/],
    [{ platform: 'slack', workspace: 'T1', kind: 'key_stolen' }, /kind.*key_rotated/],
    [{ platform: 'slack', workspace: 'T1', kind: 'other', occurredAt: 'yesterday' }, /occurredAt/],
    [{ platform: 'slack', workspace: 'T1', kind: 'other', occurredAt: '2026-03-11T12:00:00Z' }, /future/],
    [{ platform: 'slack', workspace: 'T1', kind: 'other', subject: 42 }, /subject/],
    [{ platform: 'slack', workspace: 'T1', kind: 'other', note: 'x'.repeat(2001) }, /note/],
    [{ platform: 'slack', workspace: 'T1', kind: 'other', sujbect: 'typo' }, /sujbect|Unrecognized|unrecognized/],
  ])('GIVEN an invalid body %j WHEN posted THEN 400 naming the problem', async (body, pattern) => {
    const res = await post(body)
    expect(res.status).toBe(400)
    const e = await errorOf(res)
    expect(e.code).toBe('INVALID_BODY')
    expect(e.message).toMatch(pattern)
  })

  it('GIVEN malformed JSON WHEN posted THEN 400 MALFORMED_JSON', async () => {
    const res = await post('{"platform":')
    expect(res.status).toBe(400)
    expect((await errorOf(res)).code).toBe('MALFORMED_JSON')
  })

  it('GIVEN a form body WHEN posted THEN 415', async () => {
    const res = await post('platform=slack', { 'content-type': 'application/x-www-form-urlencoded' })
    expect(res.status).toBe(415)
  })

  it('GIVEN a body over the limit WHEN posted THEN 413 and nothing stored', async () => {
    const res = await post({ platform: 'slack', workspace: 'T0BIG', kind: 'other', note: 'x'.repeat(EVENTS_API_MAX_BYTES) })
    expect(res.status).toBe(413)
    expect(await t.store.listCredentialEvents({ platform: 'slack', externalId: 'T0BIG' })).toEqual([])
  })

  it('GIVEN a GET WHEN sent THEN 405', async () => {
    const res = await fetch(`${base}/api/events`)
    expect(res.status).toBe(405)
  })
})
