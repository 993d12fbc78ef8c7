// Small pure formatters shared by the chat summaries, the spike alert and the dashboard.

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago"; "in 5 minutes" for the future (clock skew). */
export function formatAgo(when: Date, now: Date): string {
  const ms = now.getTime() - when.getTime()
  const future = ms < 0
  const abs = Math.abs(ms)
  const minutes = Math.floor(abs / 60_000)
  if (minutes < 1) return 'just now'
  let text: string
  if (minutes < 60) text = plural(minutes, 'minute')
  else if (minutes < 48 * 60) text = plural(Math.floor(minutes / 60), 'hour')
  else text = plural(Math.floor(minutes / 1440), 'day')
  return future ? `in ${text}` : `${text} ago`
}

export const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`

/** Share of answered feedback that said "that fixed it"; null when nobody answered. */
export function fixRate(feedback: { fixed: number; stillFailing: number }): number | null {
  const answered = feedback.fixed + feedback.stillFailing
  return answered === 0 ? null : feedback.fixed / answered
}

export const percent = (ratio: number | null) => (ratio === null ? 'n/a' : `${Math.round(ratio * 100)}%`)

/** YYYY-MM-DD of a date in UTC (the dashboard's and the store's day buckets). */
export const utcDay = (d: Date) => d.toISOString().slice(0, 10)

/** one line of an excerpt: whitespace collapsed, cut at `max` characters */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= max ? flat : flat.slice(0, max - 1) + '…'
}
