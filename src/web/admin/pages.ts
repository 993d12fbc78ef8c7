// The dashboard pages, rendered on the server from the store's summaries. Every value goes through `html`
// (escaped); excerpts, subjects and notes are redacted again on the way out (third line of defence, after the
// caller and the store).
import { redact } from '../../redaction/index.js'
import { CREDENTIAL_EVENT_KINDS, type AdminIdentity, type CredentialEvent, type RecurringSummary } from '../../store/types.js'
import { causeColor, causeLabel, eventLabel, KNOWN_CAUSES } from '../../team/causes.js'
import { causesForEventKind } from '../../team/correlation.js'
import { fixRate, formatAgo, percent } from '../../team/format.js'
import { dailyChart, fixBar, legend, type ChartEvent } from './chart.js'
import { html, raw, type Html } from './html.js'

export const WINDOW_DAYS = [7, 30, 90] as const
export type WindowDays = (typeof WINDOW_DAYS)[number]
export type Filters = { days: WindowDays; cause: string | null }

export function parseFilters(url: URL): Filters {
  const w = /^(\d+)d?$/.exec(url.searchParams.get('window') ?? '')
  const days = (WINDOW_DAYS as readonly number[]).includes(Number(w?.[1])) ? (Number(w![1]) as WindowDays) : 30
  const c = url.searchParams.get('cause')
  return { days, cause: c && KNOWN_CAUSES.includes(c) ? c : null }
}

/** `?window=7d&cause=…` for links that keep the filters ('' for the defaults) */
export function filterQuery(f: Filters, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams()
  if (f.days !== 30) q.set('window', `${f.days}d`)
  if (f.cause) q.set('cause', f.cause)
  for (const [k, v] of Object.entries(extra)) q.set(k, v)
  const s = q.toString()
  return s ? `?${s}` : ''
}

/** The window: today (UTC) and the days before it, so the chart shows whole days. */
export function windowOf(days: number, now: Date): { since: Date; until: Date; dayList: string[] } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  const since = new Date(today - (days - 1) * 86_400_000)
  const dayList = Array.from({ length: days }, (_, i) => new Date(since.getTime() + i * 86_400_000).toISOString().slice(0, 10))
  return { since, until: new Date(now.getTime() + 1), dayList }
}

export type PageData = {
  filters: Filters
  now: Date
  summary: RecurringSummary
  events: CredentialEvent[]
  dayList: string[]
}

const safe = (text: string | null | undefined) => (text ? redact(text).text : '')
const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
const whenCell = (d: Date, now: Date) => html`<time datetime="${d.toISOString()}" title="${when(d)}">${formatAgo(d, now)}</time>`

export const identityLabel = (id: AdminIdentity) => `${id.platform === 'slack' ? 'Slack' : 'Discord'} ${id.workspaceExternalId} · ${id.userId}`

function windowTitle(f: Filters) {
  return `last ${f.days} days${f.cause ? ` · ${causeLabel(f.cause)}` : ''}`
}

export function filterForm(f: Filters, action: string): Html {
  return html`<form class="filters" method="get" action="${action}">
<label>Time window<select name="window">${WINDOW_DAYS.map((d) => html`<option value="${d}d"${raw(d === f.days ? ' selected' : '')}>Last ${d} days</option>`)}</select></label>
<label>Cause<select name="cause"><option value="">All causes</option>${KNOWN_CAUSES.map((c) => html`<option value="${c}"${raw(c === f.cause ? ' selected' : '')}>${causeLabel(c)}</option>`)}</select></label>
<button type="submit" class="primary">Apply</button>
</form>`
}

function exportLinks(f: Filters): Html {
  const link = (table: string, label: string) => html`<a href="/admin/export.csv${filterQuery(f, { table })}" download>${label}</a>`
  return html`<div class="exports"><span class="muted">CSV:</span>${link('daily', 'per day')}${link('causes', 'by cause')}${link('errors', 'recurring errors')}${link('people', 'people')}${link('events', 'credential changes')}</div>`
}

/** events in the window, oldest first, numbered 1..n (the chart's markers and the list share the numbers) */
export function numberEvents(events: CredentialEvent[]): (CredentialEvent & { n: number })[] {
  return [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime()).map((e, i) => ({ ...e, n: i + 1 }))
}

function eventList(events: (CredentialEvent & { n: number })[], now: Date, cause: string | null): Html {
  if (!events.length) return html`<p class="empty">No credential changes recorded in this window. Record them with <code>/claude-auth event &lt;kind&gt;</code>, on the Credential changes page, or through <code>POST /api/events</code>.</p>`
  return html`<ol class="events" data-count="${events.length}">${[...events].reverse().map((e) => {
    const related = cause ? causesForEventKind(e.kind).includes(cause) : false
    return html`<li data-kind="${e.kind}"><span class="marker">${e.n}</span><div><strong>${eventLabel(e.kind)}</strong>${e.subject ? html` <code>${safe(e.subject)}</code>` : ''} <span class="tag ${e.source}">${e.source === 'command' ? 'admin' : e.source === 'api' ? 'API' : 'automatic'}</span>${related ? html` <span class="tag">related to ${causeLabel(cause!)}</span>` : ''}<div class="small muted">${whenCell(e.occurredAt, now)} · ${when(e.occurredAt)}${e.actor ? ` · by ${safe(e.actor)}` : ''}</div>${e.note ? html`<div class="small">${safe(e.note)}</div>` : ''}</div></li>`
  })}</ol>`
}

function causesInOrder(summary: RecurringSummary): string[] {
  const seen = [...summary.byCause].sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause)).map((c) => c.cause)
  return seen
}

function errorsTable(rows: RecurringSummary['topFingerprints'], now: Date): Html {
  if (!rows.length) return html`<p class="empty">No recurring errors in this window.</p>`
  return html`<div class="scroll"><table class="errors"><thead><tr><th>Error (redacted)</th><th>Cause</th><th class="num">Times</th><th class="num">People</th><th class="hide-sm">Last seen</th></tr></thead><tbody>${rows.map(
    (f) => html`<tr data-fingerprint="${f.fingerprint}" data-count="${f.count}"><td><span class="excerpt">${safe(f.excerpt).slice(0, 400) || f.fingerprint}</span></td><td>${causeLabel(f.cause)}</td><td class="num">${f.count}</td><td class="num">${f.people}</td><td class="hide-sm">${whenCell(f.lastSeen, now)}</td></tr>`,
  )}</tbody></table></div>`
}

function peopleTable(rows: RecurringSummary['repeatUsers'], now: Date): Html {
  if (!rows.length) return html`<p class="empty">Nobody hit the same problem twice in this window.</p>`
  return html`<div class="scroll"><table class="people"><thead><tr><th>Person (chat user id)</th><th>Cause</th><th class="num">Times</th><th>Last seen</th></tr></thead><tbody>${rows.map(
    (u) => html`<tr data-user="${u.userId}" data-count="${u.count}"><td><code>${u.userId}</code></td><td>${causeLabel(u.cause)}</td><td class="num">${u.count}</td><td>${whenCell(u.lastSeen, now)}</td></tr>`,
  )}</tbody></table></div>`
}

export function overviewPage(d: PageData): Html {
  const { summary, filters: f, now } = d
  const causes = causesInOrder(summary)
  const numbered = numberEvents(d.events)
  const chartEvents: ChartEvent[] = numbered.map((e) => ({ n: e.n, kind: e.kind, subject: e.subject ? safe(e.subject) : null, occurredAt: e.occurredAt }))
  const rate = fixRate(summary.feedback)
  const answered = summary.feedback.fixed + summary.feedback.stillFailing
  const topCause = causes[0]
  const causeRows = [...summary.byCause].sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause))
  return html`<h1>Overview <span class="muted small">${windowTitle(f)}</span></h1>
${filterForm(f, '/admin')}
${exportLinks(f)}
<div class="cards">
<div class="card metric"><div class="value" data-metric="total">${summary.total}</div><div class="label">incidents</div></div>
<div class="card metric"><div class="value" data-metric="top-cause">${topCause ? summary.byCause.find((c) => c.cause === topCause)!.count : 0}</div><div class="label">${topCause ? causeLabel(topCause) : 'no cause yet'}</div></div>
<div class="card metric"><div class="value" data-metric="fix-rate">${percent(rate)}</div><div class="label">fix rate (${answered} answered)</div></div>
<div class="card metric"><div class="value" data-metric="events">${d.events.length}</div><div class="label">credential changes</div></div>
</div>
<section class="panel chart"><h2>Incidents per day by cause</h2>
<div class="scroll">${dailyChart({ days: d.dayList, perDay: summary.perDay, causes, events: chartEvents })}</div>
${legend(causes)}
<p class="small muted">Days in UTC. Numbered dashed lines are credential changes (listed below).</p>
</section>
<div class="grid2">
<section class="panel"><h2>By cause</h2>${
    causeRows.length
      ? html`<div class="scroll"><table class="causes"><thead><tr><th>Cause</th><th class="num">Incidents</th><th class="num">People</th><th class="num">Share</th></tr></thead><tbody>${causeRows.map(
          (c) => html`<tr data-cause="${c.cause}" data-count="${c.count}" data-people="${c.people}"><td><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" rx="2" fill="${causeColor(c.cause)}"/></svg> ${causeLabel(c.cause)}</td><td class="num">${c.count}</td><td class="num">${c.people}</td><td class="num">${percent(summary.total ? c.count / summary.total : null)}</td></tr>`,
        )}</tbody></table></div>`
      : html`<p class="empty">No incidents in this window.</p>`
  }</section>
<section class="panel"><h2>Fix success</h2>
<p><strong data-metric="fixed">${summary.feedback.fixed}</strong> said “that fixed it”, <strong data-metric="still-failing">${summary.feedback.stillFailing}</strong> said “still failing”, <strong data-metric="no-feedback">${summary.feedback.none}</strong> did not answer.</p>
${fixBar(summary.feedback)}
<p class="small muted">Fix rate = fixed ÷ answered, from the buttons under each reply.</p>
</section>
</div>
<div class="grid2">
<section class="panel"><h2>Most recurring errors</h2>${errorsTable(summary.topFingerprints.slice(0, 5), now)}<p class="small"><a href="/admin/errors${filterQuery(f)}">All recurring errors</a></p></section>
<section class="panel"><h2>Same problem, again and again</h2>${peopleTable(summary.repeatUsers.slice(0, 5), now)}<p class="small"><a href="/admin/people${filterQuery(f)}">Everyone with repeats</a></p></section>
</div>
<section class="panel"><h2>Credential changes</h2>${eventList(numbered, now, f.cause)}</section>`
}

export function errorsPage(d: PageData): Html {
  return html`<h1>Recurring errors <span class="muted small">${windowTitle(d.filters)}</span></h1>
${filterForm(d.filters, '/admin/errors')}
${exportLinks(d.filters)}
<section class="panel"><p class="small muted">The same error (same fingerprint of the normalised text) seen again and again, most frequent first. Excerpts are redacted.</p>${errorsTable(d.summary.topFingerprints, d.now)}</section>`
}

export function peoplePage(d: PageData): Html {
  return html`<h1>People with repeats <span class="muted small">${windowTitle(d.filters)}</span></h1>
${filterForm(d.filters, '/admin/people')}
${exportLinks(d.filters)}
<section class="panel"><p class="small muted">People who hit the same cause more than once: the fix did not stick, or they need a hand.</p>${peopleTable(d.summary.repeatUsers, d.now)}</section>`
}

export function eventsPage(d: PageData & { csrf: string; notice: string | null }): Html {
  return html`<h1>Credential changes <span class="muted small">${windowTitle(d.filters)}</span></h1>
${d.notice ? html`<div class="notice" role="status">${d.notice}</div>` : ''}
${filterForm(d.filters, '/admin/events')}
${exportLinks(d.filters)}
<section class="panel">${eventList(numberEvents(d.events), d.now, d.filters.cause)}</section>
<section class="panel"><h2>Record a change</h2>
<form class="record" method="post" action="/admin/events">
<input type="hidden" name="csrf" value="${d.csrf}">
<label>Kind<select name="kind" required>${CREDENTIAL_EVENT_KINDS.map((k) => html`<option value="${k}">${eventLabel(k)} (${k})</option>`)}</select></label>
<label>Subject (optional)<input name="subject" maxlength="200" placeholder="e.g. CI key, a person, a policy"></label>
<label class="wide">Note (optional)<textarea name="note" rows="2" maxlength="1000"></textarea></label>
<div class="wide"><button type="submit" class="primary">Record</button></div>
</form>
<p class="small muted">Automation can record changes with <code>POST /api/events</code> (bearer token EVENTS_API_TOKEN).</p>
</section>`
}

export function messagePage(title: string, lines: (string | Html)[], bad = true): Html {
  return html`<div class="center"><div class="card"><h1>${title}</h1>${lines.map((l) => html`<p class="${bad ? 'muted' : ''}">${l}</p>`)}</div></div>`
}

export const signInHint = html`Ask for a new link with <code>/claude-auth admin</code> in Slack or Discord (admins only).`

