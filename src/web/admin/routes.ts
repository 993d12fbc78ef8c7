// The admin dashboard at /admin: sign-in by single-use link, server-rendered pages, CSV export, sign-out.
//
//   GET  /admin/login?token=…   a page with one button (link previews and mail scanners fetch GET links: the
//                               single-use token is only spent by the POST below, which a person triggers)
//   POST /admin/login           spends the token, opens a session (cookie), 303 -> /admin
//   GET  /admin                 overview: per-day chart with credential changes, causes, fix rate, top lists
//   GET  /admin/errors          most recurring error fingerprints
//   GET  /admin/people          people who hit the same cause repeatedly
//   GET  /admin/events          credential changes in the window, and a form to record one
//   POST /admin/events          records a change (CSRF token)
//   GET  /admin/export.csv      ?table=daily|causes|errors|people|events, with the page's filters
//   POST /admin/logout          ends the session (CSRF token)
//
// Everything but the sign-in pair answers 401 without a valid session (403 on a POST without the session's CSRF
// token or from another origin). The data shown is the signed-in admin's own workspace only.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from '../../log.js'
import { CREDENTIAL_EVENT_KINDS, type CredentialEventKind, type Store, type WorkspaceRef } from '../../store/types.js'
import { causeLabel, eventLabel } from '../../team/causes.js'
import { redact } from '../../redaction/index.js'
import type { Route, RequestContext } from '../http.js'
import { html, page, sendHtml, adminHeaders, type Html } from './html.js'
import { toCsv, type CsvCell } from './csv.js'
import {
  errorsPage,
  eventsPage,
  filterQuery,
  identityLabel,
  messagePage,
  overviewPage,
  parseFilters,
  peoplePage,
  signInHint,
  windowOf,
  type PageData,
} from './pages.js'
import { clearedCookie, csrfMatches, currentSession, readForm, sameOrigin, sessionCookie, type AdminSessionInfo } from './session.js'

export type AdminRoutesDeps = {
  store: Store
  log: Logger
  clock: () => Date
  publicUrl: string
  sessionHours: number
}

/** how many rows the full lists (errors, people) show; the overview shows the first five */
const LIST_LIMIT = 100

export function adminRoutes(deps: AdminRoutesDeps): Route[] {
  const { store, log, clock } = deps
  const secure = deps.publicUrl.startsWith('https:')

  const send = (res: ServerResponse, status: number, title: string, body: Html, session: AdminSessionInfo | null = null, query = '', active: Parameters<typeof page>[0]['active'] = null, extra: Record<string, string | string[]> = {}) =>
    sendHtml(
      res,
      status,
      page({ title, active, body, session: session ? { who: identityLabel(session.identity), csrf: session.csrfToken, query } : null }),
      secure,
      extra,
    )

  const refuse = (res: ServerResponse) =>
    send(res, 401, 'Sign-in required', messagePage('Sign-in required', ['This page is for team admins.', signInHint]), null, '', null, { 'www-authenticate': 'Cookie realm="claude-auth admin"' })

  const workspaceOf = (s: AdminSessionInfo): WorkspaceRef => ({ platform: s.identity.platform, externalId: s.identity.workspaceExternalId })

  /** the session, or an answer has already been sent (401) */
  const authed = async (req: IncomingMessage, res: ServerResponse): Promise<AdminSessionInfo | null> => {
    const s = await currentSession(store, req, secure)
    if (!s) {
      req.resume()
      refuse(res)
    }
    return s
  }

  /** session + same origin + the session's CSRF token in the form; otherwise 401/403 and null */
  const authedForm = async (req: IncomingMessage, res: ServerResponse): Promise<{ s: AdminSessionInfo; form: URLSearchParams } | null> => {
    const s = await authed(req, res)
    if (!s) return null
    if (!sameOrigin(req, deps.publicUrl)) {
      req.resume()
      send(res, 403, 'Refused', messagePage('Refused', ['This form was sent from another site.']), s)
      return null
    }
    const form = await readForm(req)
    if (!csrfMatches(form.get('csrf'), s.csrfToken)) {
      send(res, 403, 'Refused', messagePage('Refused', ['The form’s security token is missing or stale. Reload the page and try again.']), s)
      return null
    }
    return { s, form }
  }

  const load = async (s: AdminSessionInfo, ctx: RequestContext, limit: number): Promise<PageData> => {
    const filters = parseFilters(ctx.url)
    const now = clock()
    const { since, until, dayList } = windowOf(filters.days, now)
    const workspace = workspaceOf(s)
    const [summary, events] = await Promise.all([
      store.recurring(workspace, { since, until }, { ...(filters.cause ? { cause: filters.cause } : {}), limit }),
      store.listCredentialEvents(workspace, { since, limit: 500 }),
    ])
    return { filters, now, summary, events: events.filter((e) => e.occurredAt.getTime() <= until.getTime()), dayList }
  }

  const pageRoute = (path: string, active: 'overview' | 'errors' | 'people' | 'events', title: string, limit: number, build: (d: PageData, s: AdminSessionInfo, ctx: RequestContext) => Html): Route => ({
    method: 'GET',
    path,
    handler: async (req, res, ctx) => {
      const s = await authed(req, res)
      if (!s) return
      const data = await load(s, ctx, limit)
      send(res, 200, title, build(data, s, ctx), s, filterQuery(data.filters), active)
    },
  })

  return [
    {
      method: 'GET',
      path: '/admin/login',
      handler: async (req, res, ctx) => {
        const token = ctx.url.searchParams.get('token') ?? ''
        if (ctx.url.searchParams.has('signed_out')) {
          return send(res, 200, 'Signed out', messagePage('Signed out', ['Your dashboard session has ended.', signInHint], false))
        }
        if (!token || token.length > 200) {
          return send(res, 400, 'Sign-in link incomplete', messagePage('This sign-in link is incomplete', [signInHint]))
        }
        send(
          res,
          200,
          'Sign in',
          html`<div class="center"><div class="card"><h1>Sign in to the dashboard</h1><p>This link works once and signs you in for ${deps.sessionHours} hours.</p><form method="post" action="/admin/login"><input type="hidden" name="token" value="${token}"><button type="submit" class="primary">Continue to the dashboard</button></form></div></div>`,
        )
      },
    },
    {
      method: 'POST',
      path: '/admin/login',
      handler: async (req, res) => {
        if (!sameOrigin(req, deps.publicUrl)) {
          req.resume()
          return send(res, 403, 'Refused', messagePage('Refused', ['This sign-in was sent from another site.', signInHint]))
        }
        const form = await readForm(req)
        const token = form.get('token') ?? ''
        const opened = token && token.length <= 200 ? await store.consumeAdminLogin(token, deps.sessionHours * 3_600_000) : null
        if (!opened) {
          log.info('admin sign-in refused: unknown, expired or used link')
          return send(res, 401, 'Link expired', messagePage('This sign-in link has expired or was already used', ['Links work once and only for a few minutes.', signInHint]))
        }
        // a session that was open in this browser is replaced, not left behind
        const previous = await currentSession(store, req, secure)
        if (previous) await store.deleteAdminSession(previous.session)
        log.info({ platform: opened.identity.platform, userId: opened.identity.userId }, 'admin signed in')
        const maxAge = Math.floor((opened.expiresAt.getTime() - clock().getTime()) / 1000)
        res.writeHead(303, { ...adminHeaders(secure), location: '/admin', 'set-cookie': sessionCookie(secure, opened.session, maxAge), 'content-length': 0 })
        res.end()
      },
    },
    {
      method: 'POST',
      path: '/admin/logout',
      handler: async (req, res) => {
        const ok = await authedForm(req, res)
        if (!ok) return
        await store.deleteAdminSession(ok.s.session)
        res.writeHead(303, { ...adminHeaders(secure), location: '/admin/login?signed_out=1', 'set-cookie': clearedCookie(secure), 'content-length': 0 })
        res.end()
      },
    },
    pageRoute('/admin', 'overview', 'Overview', 10, (d) => overviewPage(d)),
    pageRoute('/admin/errors', 'errors', 'Recurring errors', LIST_LIMIT, (d) => errorsPage(d)),
    pageRoute('/admin/people', 'people', 'People with repeats', LIST_LIMIT, (d) => peoplePage(d)),
    pageRoute('/admin/events', 'events', 'Credential changes', 1, (d, s, ctx) =>
      eventsPage({ ...d, csrf: s.csrfToken, notice: ctx.url.searchParams.has('recorded') ? 'Recorded. Replies about related causes will mention it.' : null }),
    ),
    {
      method: 'POST',
      path: '/admin/events',
      handler: async (req, res) => {
        const ok = await authedForm(req, res)
        if (!ok) return
        const kind = ok.form.get('kind') ?? ''
        if (!(CREDENTIAL_EVENT_KINDS as readonly string[]).includes(kind)) {
          return send(res, 400, 'Unknown kind', messagePage('Unknown kind of change', [`Pick one of: ${CREDENTIAL_EVENT_KINDS.join(', ')}.`]), ok.s)
        }
        const text = (name: string, max: number) => (ok.form.get(name) ?? '').trim().slice(0, max) || null
        await store.recordCredentialEvent({
          workspace: workspaceOf(ok.s),
          kind: kind as CredentialEventKind,
          subject: text('subject', 200),
          note: text('note', 1000),
          actor: ok.s.identity.userId,
          source: 'command',
          occurredAt: clock(),
        })
        res.writeHead(303, { ...adminHeaders(secure), location: '/admin/events?recorded=1', 'content-length': 0 })
        res.end()
      },
    },
    {
      method: 'GET',
      path: '/admin/export.csv',
      handler: async (req, res, ctx) => {
        const s = await authed(req, res)
        if (!s) return
        const table = ctx.url.searchParams.get('table') ?? 'daily'
        const data = await load(s, ctx, LIST_LIMIT)
        const csv = exportCsv(table, data)
        if (!csv) {
          return send(res, 400, 'Unknown export', messagePage('Unknown export', ['Use table=daily, causes, errors, people or events.']), s)
        }
        const name = `claude-auth-${table}-${data.filters.days}d${data.filters.cause ? `-${data.filters.cause}` : ''}.csv`
        res.writeHead(200, {
          ...adminHeaders(secure),
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${name}"`,
          'content-length': Buffer.byteLength(csv),
        })
        res.end(csv)
      },
    },
  ]
}

const r = (t: string | null | undefined) => (t ? redact(t).text : '')

export function exportCsv(table: string, d: PageData): string | null {
  const s = d.summary
  let header: string[]
  let rows: CsvCell[][]
  switch (table) {
    case 'daily':
      header = ['day', 'cause', 'cause_label', 'incidents']
      rows = [...s.perDay].sort((a, b) => a.day.localeCompare(b.day) || a.cause.localeCompare(b.cause)).map((p) => [p.day, p.cause, causeLabel(p.cause), p.count])
      break
    case 'causes':
      header = ['cause', 'cause_label', 'incidents', 'people']
      rows = s.byCause.map((c) => [c.cause, causeLabel(c.cause), c.count, c.people])
      break
    case 'errors':
      header = ['fingerprint', 'cause', 'times', 'people', 'last_seen', 'excerpt_redacted']
      rows = s.topFingerprints.map((f) => [f.fingerprint, f.cause, f.count, f.people, f.lastSeen, r(f.excerpt)])
      break
    case 'people':
      header = ['user_id', 'cause', 'times', 'last_seen']
      rows = s.repeatUsers.map((u) => [u.userId, u.cause, u.count, u.lastSeen])
      break
    case 'events':
      header = ['occurred_at', 'kind', 'kind_label', 'subject', 'note', 'actor', 'source', 'recorded_at']
      rows = d.events.map((e) => [e.occurredAt, e.kind, eventLabel(e.kind), r(e.subject), r(e.note), r(e.actor), e.source, e.recordedAt])
      break
    default:
      return null
  }
  return toCsv(header, rows)
}
