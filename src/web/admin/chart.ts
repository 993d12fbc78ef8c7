// Inline SVG charts for the dashboard: incidents per day stacked by cause, with the credential-change events drawn
// on the same time axis, and a small fix-rate bar. Server-rendered, no script; presentation attributes only, so the
// page's CSP needs no 'unsafe-inline'. Every mark carries data-* attributes the browser test reads back.
import { causeColor, causeLabel, eventLabel } from '../../team/causes.js'
import { html, raw, type Html } from './html.js'

export type ChartEvent = { n: number; kind: string; subject: string | null; occurredAt: Date }

export type DailyChartInput = {
  /** every day of the window, oldest first, YYYY-MM-DD (UTC) */
  days: string[]
  perDay: { day: string; cause: string; count: number }[]
  /** stacking order, bottom first */
  causes: string[]
  events: ChartEvent[]
}

const W = 960
const H = 300
const M = { left: 44, right: 14, top: 28, bottom: 38 }

/** 0, then 1, 2, 5 × 10^k steps: the smallest "nice" axis maximum at or above `max`, with its tick step. */
export function niceScale(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 4, step: 1 }
  const rough = max / 4
  const pow = 10 ** Math.floor(Math.log10(rough))
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= rough) ?? 10 * pow
  const stepInt = Math.max(1, Math.round(step))
  return { top: Math.ceil(max / stepInt) * stepInt, step: stepInt }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const shortDay = (day: string) => `${MONTHS[Number(day.slice(5, 7)) - 1]} ${Number(day.slice(8, 10))}`
const r1 = (v: number) => Math.round(v * 10) / 10

export function dailyChart(input: DailyChartInput): Html {
  const { days } = input
  const n = Math.max(1, days.length)
  const pw = W - M.left - M.right
  const ph = H - M.top - M.bottom
  const slot = pw / n
  const barW = Math.max(1, slot * (n > 60 ? 0.8 : 0.7))
  const index = new Map(days.map((d, i) => [d, i]))
  const totals = new Array<number>(n).fill(0)
  const byDay = new Map<string, Map<string, number>>()
  for (const row of input.perDay) {
    const i = index.get(row.day)
    if (i === undefined) continue
    totals[i]! += row.count
    const m = byDay.get(row.day) ?? new Map<string, number>()
    m.set(row.cause, (m.get(row.cause) ?? 0) + row.count)
    byDay.set(row.day, m)
  }
  const { top, step } = niceScale(Math.max(0, ...totals))
  const y = (v: number) => M.top + ph - (v / top) * ph

  const grid: Html[] = []
  for (let v = 0; v <= top; v += step) {
    grid.push(html`<line x1="${M.left}" x2="${W - M.right}" y1="${r1(y(v))}" y2="${r1(y(v))}" stroke="${v === 0 ? '#8a93a3' : '#e3e7ee'}" stroke-width="1"/><text x="${M.left - 6}" y="${r1(y(v)) + 4}" text-anchor="end" font-size="13" fill="#5b6474">${v}</text>`)
  }

  const bars: Html[] = []
  days.forEach((day, i) => {
    const counts = byDay.get(day)
    if (!counts) return
    let base = 0
    const x = r1(M.left + i * slot + (slot - barW) / 2)
    for (const cause of input.causes) {
      const c = counts.get(cause) ?? 0
      if (!c) continue
      const y0 = y(base)
      const y1 = y(base + c)
      bars.push(
        html`<rect class="bar" data-day="${day}" data-cause="${cause}" data-count="${c}" x="${x}" y="${r1(y1)}" width="${r1(barW)}" height="${r1(Math.max(0.5, y0 - y1))}" fill="${causeColor(cause)}"><title>${shortDay(day)}: ${causeLabel(cause)}, ${c}</title></rect>`,
      )
      base += c
    }
  })

  const labelEvery = Math.max(1, Math.ceil(n / Math.floor(pw / 72)))
  const xLabels: Html[] = []
  days.forEach((day, i) => {
    if ((n - 1 - i) % labelEvery !== 0) return
    xLabels.push(html`<text x="${r1(M.left + i * slot + slot / 2)}" y="${H - M.bottom + 16}" text-anchor="middle" font-size="13" fill="#5b6474">${shortDay(day)}</text>`)
  })

  const markers: Html[] = []
  const first = days[0]
  if (first) {
    const start = Date.parse(`${first}T00:00:00Z`)
    for (const e of input.events) {
      const pos = (e.occurredAt.getTime() - start) / 86_400_000
      if (pos < 0 || pos > n) continue
      const x = r1(M.left + pos * slot)
      const label = `${e.n}. ${eventLabel(e.kind)}${e.subject ? ` (${e.subject})` : ''}, ${e.occurredAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`
      markers.push(
        html`<g class="event-marker" data-kind="${e.kind}" data-n="${e.n}"><title>${label}</title><line x1="${x}" x2="${x}" y1="${M.top - 8}" y2="${M.top + ph}" stroke="#1d2430" stroke-width="1.5" stroke-dasharray="4 3"/><circle cx="${x}" cy="${M.top - 14}" r="9" fill="#1d2430"/><text x="${x}" y="${M.top - 10}" text-anchor="middle" font-size="11" font-weight="700" fill="#fff">${e.n}</text></g>`,
      )
    }
  }

  const total = totals.reduce((a, b) => a + b, 0)
  const empty = total === 0 ? html`<text x="${W / 2}" y="${M.top + ph / 2}" text-anchor="middle" font-size="14" fill="#5b6474">No incidents in this window</text>` : ''
  return html`<svg class="daily" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="chart-title chart-desc" data-total="${total}" data-days="${n}" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">Incidents per day by cause</title><desc id="chart-desc">${total} incidents over ${n} days; ${input.events.length} credential changes marked with numbered dashed lines.</desc>${grid}${bars}${markers}${xLabels}${empty}</svg>`
}

export function legend(causes: string[]): Html {
  if (!causes.length) return raw('')
  return html`<ul class="legend">${causes.map(
    (c) => html`<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" fill="${causeColor(c)}"/></svg>${causeLabel(c)}</li>`,
  )}</ul>`
}

/** A horizontal bar: fixed (green), still failing (red), no answer (grey). */
export function fixBar(feedback: { fixed: number; stillFailing: number; none: number }): Html {
  const total = feedback.fixed + feedback.stillFailing + feedback.none
  if (!total) return raw('')
  const w = (v: number) => r1((v / total) * 300)
  const a = w(feedback.fixed)
  const b = w(feedback.stillFailing)
  return html`<svg class="bar-h" viewBox="0 0 300 14" preserveAspectRatio="none" role="img" aria-label="${feedback.fixed} fixed, ${feedback.stillFailing} still failing, ${feedback.none} without an answer" xmlns="http://www.w3.org/2000/svg"><rect class="fix-fixed" x="0" y="0" width="${a}" height="14" fill="#2b8a3e"/><rect class="fix-failing" x="${a}" y="0" width="${b}" height="14" fill="#c92a2a"/><rect x="${r1(a + b)}" y="0" width="${r1(300 - a - b)}" height="14" fill="#dde1e7"/></svg>`
}
