// The dashboard in a real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core; never a
// downloaded browser): sign in through a real single-use link, visit every page at desktop and phone widths, save
// screenshots to test-results/admin/, and check what a person would see: the chart's bars are painted in their
// cause colours (read back from the screenshot pixels), the numbers equal the database's, the stylesheet is
// allowed by the CSP, nothing overflows a phone screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { createHttpServer, type HttpServer } from '../../../src/web/server.js'
import { adminRoutes } from '../../../src/web/admin/routes.js'
import { causeColor } from '../../../src/team/causes.js'
import { createLogger } from '../../../src/log.js'
import { createTestStore, type TestStore } from '../../support/test-store.js'
import { ADMIN, PASTED_KEY, SEED_NOW, WS, seedDashboard } from './seed.js'

// Browser globals used inside page.evaluate callbacks (they run in Chromium; the project compiles without the DOM lib).
// Module-scoped: nothing leaks into other files' types.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any
declare const window: any
declare const Image: any
declare function getComputedStyle(element: unknown): any

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const OUT = path.resolve('test-results/admin')
const log = createLogger({ level: 'silent' })

const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
} as const

const PAGES = [
  { name: 'overview', path: '/admin' },
  { name: 'errors', path: '/admin/errors' },
  { name: 'people', path: '/admin/people' },
  { name: 'events', path: '/admin/events' },
] as const

if (!fs.existsSync(CHROMIUM)) {
  throw new Error(`Chromium not found at ${CHROMIUM}: install the Debian package (apt-get install -y chromium) as .ci/run does, or set CHROMIUM_PATH.`)
}

describe('admin dashboard in headless Chromium', () => {
  let t: TestStore
  let http: HttpServer
  let base: string
  let browser: Browser
  let wsId: string
  const since30 = new Date(Date.UTC(2026, 2, 20) - 29 * 86_400_000)

  beforeAll(async () => {
    t = await createTestStore('pglite', { now: () => SEED_NOW })
    await seedDashboard(t.store)
    wsId = (await t.store.prisma.workspace.findFirstOrThrow({ where: { platform: 'slack', externalId: WS.externalId } })).id
    http = createHttpServer({ log, routes: adminRoutes({ store: t.store, log, clock: () => SEED_NOW, publicUrl: 'http://127.0.0.1', sessionHours: 8 }) })
    base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] })
    fs.mkdirSync(OUT, { recursive: true })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await http?.close(100)
    await t?.cleanup()
  })

  /** a new browser profile signed in through a real link; collects CSP violations and console errors */
  async function signedIn(kind: keyof typeof VIEWPORTS): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ ...VIEWPORTS[kind], colorScheme: 'light' })
    const page = await context.newPage()
    const problems: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text())
    })
    page.on('pageerror', (e) => problems.push(e.message))
    const { token } = await t.store.issueAdminLogin(ADMIN, 10 * 60_000)
    await page.goto(`${base}/admin/login?token=${encodeURIComponent(token)}`)
    await page.getByRole('button', { name: 'Continue to the dashboard' }).click()
    await page.waitForURL(`${base}/admin`)
    const cookies = await context.cookies()
    expect(cookies).toHaveLength(1)
    expect(cookies[0]).toMatchObject({ name: 'claude_auth_admin', httpOnly: true, sameSite: 'Lax', path: '/' })
    return { page, problems }
  }

  /** the RGB of a pixel of a PNG, decoded by the browser itself (a blank page, so no CSP applies) */
  async function pixel(page: Page, png: Buffer, x: number, y: number): Promise<[number, number, number]> {
    const decoder = await page.context().newPage()
    try {
      return await decoder.evaluate(
        async ({ data, x, y }) => {
          const img = new Image()
          img.src = `data:image/png;base64,${data}`
          await img.decode()
          const canvas = document.createElement('canvas')
          canvas.width = img.width
          canvas.height = img.height
          const g = canvas.getContext('2d')!
          g.drawImage(img, 0, 0)
          const d = g.getImageData(Math.round(x), Math.round(y), 1, 1).data
          return [d[0]!, d[1]!, d[2]!] as [number, number, number]
        },
        { data: png.toString('base64'), x, y },
      )
    } finally {
      await decoder.close()
    }
  }

  const hexRgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]
  const close = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) <= 12)

  for (const kind of Object.keys(VIEWPORTS) as (keyof typeof VIEWPORTS)[]) {
    it(`GIVEN seeded data WHEN an admin signs in on a ${kind} THEN every page renders, is screenshotted, and shows the database's numbers`, async () => {
      const { page, problems } = await signedIn(kind)
      for (const p of PAGES) {
        const res = await page.goto(`${base}${p.path}`)
        expect(res?.status(), p.path).toBe(200)
        // the stylesheet applied (allowed by its CSP hash): the header bar is dark
        expect(await page.locator('header.top').evaluate((el: unknown) => getComputedStyle(el).backgroundColor as string)).toBe('rgb(29, 36, 48)')
        // nothing wider than the screen (tables scroll inside their panel)
        const overflow = await page.evaluate(() => (document.documentElement.scrollWidth as number) - (window.innerWidth as number))
        expect(overflow, `${p.path} overflows on ${kind}`).toBeLessThanOrEqual(1)
        const file = path.join(OUT, `${p.name}-${kind}.png`)
        await page.screenshot({ path: file, fullPage: true })
        expect(fs.statSync(file).size).toBeGreaterThan(15_000)
        const text = await page.locator('main').innerText()
        expect(text).not.toContain(PASTED_KEY.slice(14, 50))
      }
      expect(problems, problems.join('\n')).toEqual([])
      await page.context().close()
    }, 120_000)
  }

  it('GIVEN the overview WHEN rendered THEN the chart bars are painted in their cause colours and add up to the incidents in the database', async () => {
    const { page } = await signedIn('desktop')
    await page.goto(`${base}/admin`)
    const chart = page.locator('svg.daily')
    await chart.scrollIntoViewIfNeeded()
    const bars = await chart.locator('rect.bar').evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect()
        return { day: el.getAttribute('data-day')!, cause: el.getAttribute('data-cause')!, count: Number(el.getAttribute('data-count')), x: r.x, y: r.y, w: r.width, h: r.height }
      }),
    )
    expect(bars.length).toBeGreaterThan(5)
    const total = await t.store.prisma.incident.count({ where: { workspaceId: wsId, createdAt: { gte: since30 } } })
    expect(bars.reduce((a, b) => a + b.count, 0)).toBe(total)
    for (const b of bars) expect(b.h, `${b.day} ${b.cause}`).toBeGreaterThan(1)

    // per (day, cause), the database agrees with the bars
    const rows = await t.store.prisma.incident.findMany({ where: { workspaceId: wsId, createdAt: { gte: since30 } }, select: { cause: true, createdAt: true } })
    const expected = new Map<string, number>()
    for (const r of rows) {
      const k = `${r.createdAt.toISOString().slice(0, 10)}|${r.cause}`
      expected.set(k, (expected.get(k) ?? 0) + 1)
    }
    expect(new Map(bars.map((b) => [`${b.day}|${b.cause}`, b.count]))).toEqual(expected)

    // the tallest bar is visibly painted in its cause's colour in the screenshot
    const tallest = bars.reduce((a, b) => (b.h > a.h ? b : a))
    const box = (await chart.boundingBox())!
    const shot = await chart.screenshot({ path: path.join(OUT, 'chart-desktop.png') })
    const rgb = await pixel(page, shot, tallest.x - box.x + tallest.w / 2, tallest.y - box.y + tallest.h / 2)
    expect(close(rgb, hexRgb(causeColor(tallest.cause))), `pixel ${rgb} vs ${causeColor(tallest.cause)}`).toBe(true)
    // and the element on top at that point is that bar (not hidden under anything)
    const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.getAttribute('data-cause') as string | undefined, [tallest.x + tallest.w / 2, tallest.y + tallest.h / 2])
    expect(hit).toBe(tallest.cause)

    // the credential changes of the window are drawn on the same axis
    const markers = await chart.locator('g.event-marker').count()
    const events = await t.store.prisma.credentialEvent.count({ where: { workspaceId: wsId, occurredAt: { gte: since30 } } })
    expect(markers).toBe(events)

    // the cards and the cause table hold the database's numbers
    expect(await page.locator('[data-metric="total"]').innerText()).toBe(String(total))
    const fixed = await t.store.prisma.incident.count({ where: { workspaceId: wsId, createdAt: { gte: since30 }, feedback: 'fixed' } })
    const failing = await t.store.prisma.incident.count({ where: { workspaceId: wsId, createdAt: { gte: since30 }, feedback: 'still_failing' } })
    expect(await page.locator('[data-metric="fix-rate"]').innerText()).toBe(`${Math.round((100 * fixed) / (fixed + failing))}%`)
    const invalid = await t.store.prisma.incident.count({ where: { workspaceId: wsId, createdAt: { gte: since30 }, cause: 'invalid_api_key' } })
    expect(await page.locator('tr[data-cause="invalid_api_key"] td.num').first().innerText()).toBe(String(invalid))
    await page.context().close()
  }, 120_000)

  it('GIVEN the filter form WHEN a window and a cause are picked THEN the page reloads with only that data', async () => {
    const { page } = await signedIn('phone')
    await page.selectOption('select[name="window"]', '7d')
    await page.selectOption('select[name="cause"]', 'invalid_api_key')
    await page.getByRole('button', { name: 'Apply' }).click()
    await page.waitForURL(/window=7d&cause=invalid_api_key/)
    const since7 = new Date(Date.UTC(2026, 2, 20) - 6 * 86_400_000)
    const n = await t.store.prisma.incident.count({ where: { workspaceId: wsId, createdAt: { gte: since7 }, cause: 'invalid_api_key' } })
    expect(await page.locator('[data-metric="total"]').innerText()).toBe(String(n))
    const causes = await page.locator('rect.bar').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-cause')))])
    expect(causes).toEqual(['invalid_api_key'])
    await page.screenshot({ path: path.join(OUT, 'overview-filtered-phone.png'), fullPage: true })
    await page.context().close()
  }, 120_000)

  it('GIVEN the events page WHEN an admin records a change and signs out THEN it is stored, shown, and the session is gone', async () => {
    const { page } = await signedIn('desktop')
    await page.goto(`${base}/admin/events`)
    await page.selectOption('select[name="kind"]', 'org_changed')
    await page.fill('input[name="subject"]', 'browser-org-move')
    await page.getByRole('button', { name: 'Record' }).click()
    await page.waitForURL(/recorded=1/)
    expect(await page.locator('ol.events').innerText()).toContain('browser-org-move')
    const stored = await t.store.listCredentialEvents(WS, { limit: 100 })
    expect(stored.find((e) => e.subject === 'browser-org-move')).toMatchObject({ kind: 'org_changed', actor: ADMIN.userId, source: 'command' })
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(/signed_out=1/)
    const after = await page.goto(`${base}/admin`)
    expect(after?.status()).toBe(401)
    await page.screenshot({ path: path.join(OUT, 'signed-out-desktop.png') })
    await page.context().close()
  }, 120_000)

  it('GIVEN a link used once WHEN opened again in another browser THEN the sign-in is refused', async () => {
    const { token } = await t.store.issueAdminLogin(ADMIN, 10 * 60_000)
    for (const expected of ['/admin', 'expired or was already used']) {
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.goto(`${base}/admin/login?token=${encodeURIComponent(token)}`)
      await page.getByRole('button', { name: 'Continue to the dashboard' }).click()
      await page.waitForLoadState()
      if (expected === '/admin') expect(new URL(page.url()).pathname).toBe('/admin')
      else expect(await page.locator('main').innerText()).toContain(expected)
      await context.close()
    }
  }, 120_000)
})
