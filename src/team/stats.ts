// The team summary shown by `/claude-auth stats [Nd]`, the Slack App Home tab and (in more detail) the dashboard:
// incidents and people by cause, the most recurring errors, people who hit the same problem repeatedly, fix rate
// from the feedback buttons, and the recent credential-change events.
import type { CredentialEvent, RecurringSummary, Store, WorkspaceRef } from '../store/types.js'
import { causeLabel, eventLabel } from './causes.js'
import { fixRate, formatAgo, oneLine, percent, plural } from './format.js'
import type { Line, TeamMessage } from './message.js'

export type TeamStats = {
  days: number
  summary: RecurringSummary
  events: CredentialEvent[]
}

export async function loadStats(store: Store, workspace: WorkspaceRef, days: number, now: Date, limit = 10): Promise<TeamStats> {
  const since = new Date(now.getTime() - days * 86_400_000)
  const [summary, events] = await Promise.all([
    store.recurring(workspace, { since, until: now }, { limit }),
    store.listCredentialEvents(workspace, { since, limit: 50 }),
  ])
  return { days, summary, events }
}

export type StatsMessageOptions = {
  now: Date
  /** where the dashboard lives (PUBLIC_URL/admin) */
  dashboardUrl: string
  /** how many rows of each list (chat: 3-5; App Home: a few more) */
  top?: number
}

export function statsLines(stats: TeamStats, options: StatsMessageOptions): Line[] {
  const { summary } = stats
  const top = options.top ?? 3
  const lines: Line[] = []
  if (summary.total === 0) {
    lines.push(`No authentication problems recorded in the last ${plural(stats.days, 'day')}.`)
  } else {
    const rate = fixRate(summary.feedback)
    const answered = summary.feedback.fixed + summary.feedback.stillFailing
    lines.push([{ strong: plural(summary.total, 'incident') }, ` in the last ${plural(stats.days, 'day')}.`])
    lines.push([
      'Fix rate: ',
      { strong: percent(rate) },
      answered ? ` (${summary.feedback.fixed} of ${answered} answers said "that fixed it"; ${summary.feedback.none} without an answer)` : ' (nobody used the feedback buttons yet)',
    ])
    lines.push('')
    lines.push([{ strong: 'By cause' }])
    for (const c of [...summary.byCause].sort((a, b) => b.count - a.count).slice(0, Math.max(top, 5))) {
      lines.push([`• ${causeLabel(c.cause)}: ${c.count} (${plural(c.people, 'person', 'people')})`])
    }
    if (summary.topFingerprints.length) {
      lines.push('')
      lines.push([{ strong: 'Most recurring errors' }])
      for (const f of summary.topFingerprints.slice(0, top)) {
        lines.push(['• ', { code: oneLine(f.excerpt, 80) || f.fingerprint }, ` ×${f.count}, ${plural(f.people, 'person', 'people')} (${causeLabel(f.cause)})`])
      }
    }
    if (summary.repeatUsers.length) {
      lines.push('')
      lines.push([{ strong: 'Same problem again and again' }])
      for (const u of summary.repeatUsers.slice(0, top)) {
        lines.push(['• ', { user: u.userId }, `: ${causeLabel(u.cause)} ×${u.count}, last ${formatAgo(u.lastSeen, options.now)}`])
      }
    }
  }
  lines.push('')
  if (stats.events.length) {
    lines.push([{ strong: 'Credential changes' }])
    for (const e of stats.events.slice(0, top)) lines.push(eventLine(e, options.now))
  } else {
    lines.push(`No credential changes recorded in the last ${plural(stats.days, 'day')}.`)
  }
  lines.push('')
  lines.push(['Dashboard (sign in with ', { code: '/claude-auth admin' }, '): ', { link: options.dashboardUrl, label: options.dashboardUrl }])
  return lines
}

export function eventLine(e: CredentialEvent, now: Date): Line {
  const line: Line = [`• ${eventLabel(e.kind)}`]
  if (e.subject) line.push(' ', { code: oneLine(e.subject, 80) })
  line.push(` ${formatAgo(e.occurredAt, now)}`)
  // chat commands store the admin's user id (a mention); the API stores whatever the automation calls itself
  if (e.actor) line.push(' by ', e.source === 'command' ? { user: e.actor } : oneLine(e.actor, 60))
  if (e.source === 'api') line.push(' (API)')
  else if (e.source === 'auto') line.push(' (automatic)')
  if (e.note) line.push(`: ${oneLine(e.note, 140)}`)
  return line
}

export function statsMessage(stats: TeamStats, options: StatsMessageOptions): TeamMessage {
  return { title: `Claude Code sign-in problems: last ${plural(stats.days, 'day')}`, lines: statsLines(stats, options), ephemeral: true, ok: true }
}
