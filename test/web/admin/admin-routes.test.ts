// The admin dashboard over HTTP on the real store: sign-in links (single use, expiry), sessions, the crawl of every
// admin route without a valid session, CSRF, security headers, workspace scope, numbers, filters and CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpServer, type HttpServer } from '../../../src/web/server.js'
import { adminRoutes, type AdminRoutesDeps } from '../../../src/web/admin/routes.js'
import { sessionCookie } from '../../../src/web/admin/session.js'
import { createLogger } from '../../../src/log.js'
import type { Route } from '../../../src/web/http.js'
import { createTestStore, testBackends, type TestStore } from '../../support/test-store.js'
import { ADMIN, OTHER_MARKER, PASTED_KEY, SEED_NOW, WS, seedDashboard } from './seed.js'

const log = createLogger({ level: 'silent' })
const SESSION_HOURS = 8
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

describe.each(testBackends())('admin dashboard routes on %s', (backend) => {
  let t: TestStore
  let now = SEED_NOW
  let http: HttpServer
  let base: string
  let routes: Route[]
  beforeAll(async () => {
    t = await createTestStore(backend, { now: () => now })
    await seedDashboard(t.store)
    const deps: AdminRoutesDeps = { store: t.store, log, clock: () => now, publicUrl: 'http://bot.internal:3000', sessionHours: SESSION_HOURS }
    routes = adminRoutes(deps)
    http = createHttpServer({ log, routes })
    base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`
  })
  afterAll(async () => {
    await http?.close(100)
    await t?.cleanup()
  })

  const get = (path: string, cookie?: string) => fetch(`${base}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} })
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', redirect: 'manual', headers: { ...FORM, ...headers }, body: new URLSearchParams(form) })

  async function link(identity = ADMIN, ttlMs = 10 * 60_000) {
    return (await t.store.issueAdminLogin(identity, ttlMs)).token
  }
  /** signs in through a real link; returns the cookie pair to send back */
  async function signIn(identity = ADMIN): Promise<string> {
    const res = await post('/admin/login', { token: await link(identity) })
    expect(res.status).toBe(303)
    return res.headers.get('set-cookie')!.split(';')[0]!
  }
  const csrfOf = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)![1]!
  /** text that only a signed-in page of this workspace shows */
  const SEEDED = ['team-api-key', 'invalid x-api-key', 'U01', 'fp-login', 'quarterly rotation']

  describe('sign-in links', () => {
    it('GIVEN a fresh link WHEN opened (GET) THEN a page with a button, the token not yet spent; the POST opens a session with a safe cookie', async () => {
      const token = await link()
      for (let i = 0; i < 2; i++) {
        const page = await get(`/admin/login?token=${encodeURIComponent(token)}`)
        expect(page.status).toBe(200)
        const html = await page.text()
        expect(html).toMatch(/<form method="post" action="\/admin\/login">/)
        expect(page.headers.get('set-cookie')).toBeNull()
      }
      const res = await post('/admin/login', { token })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe('/admin')
      const cookie = res.headers.get('set-cookie')!
      expect(cookie).toMatch(/^claude_auth_admin=[^;]{20,};/)
      expect(cookie).toMatch(/; HttpOnly/)
      expect(cookie).toMatch(/; SameSite=Lax/)
      expect(cookie).toMatch(/; Path=\//)
      expect(cookie).toMatch(new RegExp(`; Max-Age=${SESSION_HOURS * 3600}`))
      expect(cookie).not.toMatch(/Secure/) // PUBLIC_URL is http here
      const dash = await get('/admin', cookie.split(';')[0])
      expect(dash.status).toBe(200)
    })

    it('GIVEN a link already used WHEN posted again THEN refused (401) and no cookie', async () => {
      const token = await link()
      expect((await post('/admin/login', { token })).status).toBe(303)
      const again = await post('/admin/login', { token })
      expect(again.status).toBe(401)
      expect(again.headers.get('set-cookie')).toBeNull()
      expect(await again.text()).toMatch(/expired or was already used/)
    })

    it('GIVEN a link past its lifetime WHEN posted THEN refused (401)', async () => {
      const token = await link(ADMIN, 10 * 60_000)
      now = new Date(SEED_NOW.getTime() + 11 * 60_000)
      try {
        const res = await post('/admin/login', { token })
        expect(res.status).toBe(401)
        expect(res.headers.get('set-cookie')).toBeNull()
      } finally {
        now = SEED_NOW
      }
    })

    it('GIVEN a made-up or missing token WHEN used THEN refused', async () => {
      expect((await post('/admin/login', { token: 'not-a-real-token' })).status).toBe(401)
      expect((await post('/admin/login', {})).status).toBe(401)
      expect((await get('/admin/login')).status).toBe(400)
    })

    it('GIVEN a sign-in form posted from another site WHEN received THEN refused before the token is spent', async () => {
      const token = await link()
      const res = await post('/admin/login', { token }, { origin: 'https://evil.example' })
      expect(res.status).toBe(403)
      expect((await post('/admin/login', { token })).status).toBe(303)
    })

    it('GIVEN an https PUBLIC_URL WHEN a cookie is made THEN it is Secure with the __Host- prefix', () => {
      const c = sessionCookie(true, 'abc', 60)
      expect(c).toMatch(/^__Host-claude_auth_admin=abc; Path=\/; Max-Age=60; HttpOnly; SameSite=Lax; Secure$/)
    })
  })

  describe('every admin route refuses without a valid session (crawl)', () => {
    const protectedRoutes = () => routes.filter((r) => r.path !== '/admin/login')

    it('GIVEN the route table WHEN listed THEN it holds the pages, the exports and the forms (the crawl covers them all)', () => {
      expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
        ['GET /admin', 'GET /admin/errors', 'GET /admin/events', 'GET /admin/export.csv', 'GET /admin/login', 'GET /admin/people', 'POST /admin/events', 'POST /admin/login', 'POST /admin/logout'].sort(),
      )
    })

    async function expectRefused(cookie: string | undefined, label: string) {
      for (const r of protectedRoutes()) {
        const path = r.path.replace(/:(\w+)/g, 'x') + (r.method === 'GET' && r.path.endsWith('.csv') ? '?table=events' : '')
        const res =
          r.method === 'GET'
            ? await get(path, cookie)
            : await fetch(`${base}${path}`, { method: r.method, redirect: 'manual', headers: { ...FORM, ...(cookie ? { cookie } : {}) }, body: 'csrf=x&kind=other' })
        const body = await res.text()
        expect([401, 403], `${label}: ${r.method} ${path} answered ${res.status}`).toContain(res.status)
        for (const s of SEEDED) expect(body, `${label}: ${r.method} ${path} leaked "${s}"`).not.toContain(s)
        expect(res.headers.get('set-cookie')).toBeNull()
      }
      // nothing was recorded by the refused POSTs
      expect((await t.store.listCredentialEvents(WS)).filter((e) => e.kind === 'other')).toEqual([])
    }

    it('GIVEN no cookie WHEN every route is requested THEN 401 and no data', () => expectRefused(undefined, 'no cookie'))
    it('GIVEN a made-up session cookie WHEN every route is requested THEN 401', () => expectRefused('claude_auth_admin=forged-session-value', 'forged'))
    it('GIVEN a valid session under another cookie name WHEN every route is requested THEN 401', async () => {
      const c = await signIn()
      await expectRefused(c.replace('claude_auth_admin=', 'other_cookie='), 'renamed')
    })

    it('GIVEN an expired session WHEN every route is requested THEN 401', async () => {
      const c = await signIn()
      expect((await get('/admin', c)).status).toBe(200)
      now = new Date(SEED_NOW.getTime() + (SESSION_HOURS * 3600 + 1) * 1000)
      try {
        await expectRefused(c, 'expired')
      } finally {
        now = SEED_NOW
      }
    })

    it('GIVEN a session that signed out WHEN every route is requested THEN 401', async () => {
      const c = await signIn()
      const csrf = csrfOf(await (await get('/admin', c)).text())
      const out = await post('/admin/logout', { csrf }, { cookie: c })
      expect(out.status).toBe(303)
      expect(out.headers.get('location')).toBe('/admin/login?signed_out=1')
      expect(out.headers.get('set-cookie')).toMatch(/^claude_auth_admin=; Path=\/; Max-Age=0/)
      await expectRefused(c, 'signed out')
    })

    it('GIVEN a path under /admin that is not a route WHEN requested THEN 404 without data', async () => {
      const res = await get('/admin/secret-page')
      expect(res.status).toBe(404)
    })
  })

  describe('CSRF and origin checks on forms', () => {
    it('GIVEN a signed-in admin WHEN a form is posted without, or with a wrong, CSRF token THEN 403 and nothing happens', async () => {
      const c = await signIn()
      for (const csrf of [undefined, '', 'wrong-token']) {
        const form: Record<string, string> = { kind: 'policy_changed', subject: 'csrf-probe' }
        if (csrf !== undefined) form.csrf = csrf
        expect((await post('/admin/events', form, { cookie: c })).status).toBe(403)
        expect((await post('/admin/logout', csrf === undefined ? {} : { csrf }, { cookie: c })).status).toBe(403)
      }
      expect((await t.store.listCredentialEvents(WS)).some((e) => e.subject === 'csrf-probe')).toBe(false)
      expect((await get('/admin', c)).status).toBe(200) // still signed in
    })

    it('GIVEN another session\'s CSRF token WHEN used THEN 403', async () => {
      const a = await signIn()
      const b = await signIn()
      const csrfB = csrfOf(await (await get('/admin', b)).text())
      expect((await post('/admin/events', { csrf: csrfB, kind: 'other', subject: 'cross' }, { cookie: a })).status).toBe(403)
    })

    it('GIVEN the right token but a cross-site Origin or Sec-Fetch-Site WHEN posted THEN 403', async () => {
      const c = await signIn()
      const csrf = csrfOf(await (await get('/admin/events', c)).text())
      expect((await post('/admin/events', { csrf, kind: 'other', subject: 'x-origin' }, { cookie: c, origin: 'https://evil.example' })).status).toBe(403)
      expect((await post('/admin/events', { csrf, kind: 'other', subject: 'x-site' }, { cookie: c, 'sec-fetch-site': 'cross-site' })).status).toBe(403)
      expect((await t.store.listCredentialEvents(WS)).some((e) => e.subject === 'x-origin' || e.subject === 'x-site')).toBe(false)
    })

    it('GIVEN the right token from the same origin WHEN an event is recorded THEN 303 and it is stored as the admin\'s', async () => {
      const c = await signIn()
      const csrf = csrfOf(await (await get('/admin/events', c)).text())
      const res = await post('/admin/events', { csrf, kind: 'policy_changed', subject: 'mfa-required', note: 'from the dashboard' }, { cookie: c, origin: base })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe('/admin/events?recorded=1')
      const e = (await t.store.listCredentialEvents(WS)).find((x) => x.subject === 'mfa-required')
      expect(e).toMatchObject({ kind: 'policy_changed', actor: 'U0ADMIN', source: 'command', note: 'from the dashboard' })
      const after = await (await get('/admin/events?recorded=1', c)).text()
      expect(after).toMatch(/Recorded\./)
      expect(after).toContain('mfa-required')
    })

    it('GIVEN a JSON body on a form route WHEN posted THEN 415', async () => {
      const c = await signIn()
      const res = await fetch(`${base}/admin/events`, { method: 'POST', headers: { cookie: c, 'content-type': 'application/json' }, body: '{}' })
      expect(res.status).toBe(415)
    })
  })

  describe('pages', () => {
    let cookie: string
    beforeAll(async () => {
      cookie = await signIn()
    })

    it('GIVEN any admin page WHEN served THEN security headers: CSP without inline script, no framing, nosniff, no caching', async () => {
      for (const path of ['/admin', '/admin/errors', '/admin/people', '/admin/events', '/admin/login?token=abc']) {
        const res = await get(path, cookie)
        const csp = res.headers.get('content-security-policy') ?? ''
        expect(csp).toMatch(/default-src 'self'/)
        expect(csp).toMatch(/script-src 'none'/)
        expect(csp).toMatch(/frame-ancestors 'none'/)
        expect(csp).not.toMatch(/unsafe-inline/)
        expect(res.headers.get('x-frame-options')).toBe('DENY')
        expect(res.headers.get('x-content-type-options')).toBe('nosniff')
        expect(res.headers.get('cache-control')).toBe('no-store')
        expect(res.headers.get('referrer-policy')).toBe('same-origin')
        const html = await res.text()
        expect(html).not.toMatch(/<script/i)
        expect(html).not.toMatch(/ style="/)
      }
    })

    it('GIVEN seeded data WHEN the overview is served THEN its numbers are the database\'s, for the admin\'s workspace only', async () => {
      const html = await (await get('/admin', cookie)).text()
      const since = new Date(Date.UTC(2026, 2, 20) - 29 * 86_400_000)
      const wsRow = await t.store.prisma.workspace.findFirstOrThrow({ where: { platform: 'slack', externalId: WS.externalId } })
      const total = await t.store.prisma.incident.count({ where: { workspaceId: wsRow.id, createdAt: { gte: since } } })
      const fixed = await t.store.prisma.incident.count({ where: { workspaceId: wsRow.id, createdAt: { gte: since }, feedback: 'fixed' } })
      const failing = await t.store.prisma.incident.count({ where: { workspaceId: wsRow.id, createdAt: { gte: since }, feedback: 'still_failing' } })
      expect(total).toBe(22)
      expect(html).toContain(`data-metric="total">${total}<`)
      expect(html).toContain(`data-metric="fixed">${fixed}<`)
      expect(html).toContain(`data-metric="still-failing">${failing}<`)
      expect(html).toContain(`data-metric="fix-rate">${Math.round((fixed / (fixed + failing)) * 100)}%<`)
      expect(html).toMatch(/data-cause="invalid_api_key" data-count="8" data-people="6"/)
      const bars = [...html.matchAll(/class="bar" data-day="[^"]+" data-cause="[^"]+" data-count="(\d+)"/g)].reduce((a, m) => a + Number(m[1]), 0)
      expect(bars).toBe(total)
      expect(html).toMatch(/class="event-marker" data-kind="key_rotated"/)
      expect(html).not.toContain(OTHER_MARKER)
      expect(html).not.toMatch(/data-cause="remote_login"/)
    })

    it('GIVEN hostile and secret text in the data WHEN pages render THEN it is escaped and the key never appears', async () => {
      for (const path of ['/admin', '/admin/errors', '/admin/events', '/admin/people']) {
        const html = await (await get(path, cookie)).text()
        expect(html).not.toContain('<script>alert(1)</script>')
        expect(html).not.toContain(PASTED_KEY.slice(14, 50))
      }
      expect(await (await get('/admin/errors', cookie)).text()).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    })

    it('GIVEN filters WHEN applied THEN the window and cause narrow the data, and bad values fall back to defaults', async () => {
      const total = async (q: string) => Number(/data-metric="total">(\d+)</.exec(await (await get(`/admin${q}`, cookie)).text())![1])
      expect(await total('')).toBe(22)
      expect(await total('?window=7d')).toBe(13)
      expect(await total('?window=90d')).toBe(23)
      expect(await total('?window=7d&cause=invalid_api_key')).toBe(8)
      expect(await total('?window=365d&cause=<script>')).toBe(22)
      const html = await (await get('/admin?cause=expired_session', cookie)).text()
      expect(html).toContain('<option value="expired_session" selected>')
      expect(html).not.toMatch(/class="bar"[^>]*data-cause="invalid_api_key"/)
      expect(html).toMatch(/related to Expired login session/)
    })

    it('GIVEN the recurring errors and people pages WHEN served THEN most frequent first, with the store\'s counts', async () => {
      const errors = await (await get('/admin/errors', cookie)).text()
      const fps = [...errors.matchAll(/data-fingerprint="([^"]+)" data-count="(\d+)"/g)].map((m) => [m[1], Number(m[2])])
      expect(fps[0]).toEqual(['fp-login', 8])
      expect(fps[1]).toEqual(['fp-401', 7])
      const people = await (await get('/admin/people', cookie)).text()
      expect(people).toMatch(/data-user="U01" data-count="3"/)
    })

    it('GIVEN the CSV exports WHEN downloaded THEN attachments whose rows match the page and neutralise formulas', async () => {
      const daily = await get('/admin/export.csv?table=daily', cookie)
      expect(daily.status).toBe(200)
      expect(daily.headers.get('content-type')).toBe('text/csv; charset=utf-8')
      expect(daily.headers.get('content-disposition')).toBe('attachment; filename="claude-auth-daily-30d.csv"')
      const rows = (await daily.text()).replace(/^\ufeff/, '').trim().split('\r\n')
      expect(rows[0]).toBe('day,cause,cause_label,incidents')
      expect(rows.slice(1).reduce((a, r) => a + Number(r.split(',').at(-1)), 0)).toBe(22)

      const errors = await (await get('/admin/export.csv?table=errors', cookie)).text()
      expect(errors).toContain(`"'=HYPERLINK(""http://evil.example"",""click"") <script>alert(1)</script>"`)
      expect(errors).not.toContain(PASTED_KEY.slice(14, 50))

      const events = await (await get('/admin/export.csv?table=events&window=90d', cookie)).text()
      expect(events).toContain(",'@SUM(1+1),'-2+3 formula-looking note,")
      expect(events).not.toContain(OTHER_MARKER)

      const people = await (await get('/admin/export.csv?table=people&cause=invalid_api_key', cookie)).text()
      expect(people).toMatch(/\r\nU01,invalid_api_key,3,/)
      expect((await get('/admin/export.csv?table=passwords', cookie)).status).toBe(400)
    })

    it('GIVEN an admin of another workspace WHEN signed in THEN they see their own team only', async () => {
      const other = await signIn({ platform: 'slack', workspaceExternalId: 'T0OTHERTEAM', userId: 'UX0' })
      const html = await (await get('/admin', other)).text()
      expect(html).toContain(`data-metric="total">3<`)
      expect(html).not.toContain('team-api-key')
    })

    it('GIVEN a phone-sized request WHEN served THEN the page declares a responsive viewport', async () => {
      const html = await (await get('/admin', cookie)).text()
      expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">')
    })
  })
})
