// Discord rendering of a Reply as raw API JSON: an embed (title, description, fields, color, footer) and components
// (a string select for the platform, buttons for feedback). Limits respected: content <= 2,000, title <= 256,
// description <= 4,096, field name <= 256, field value <= 1,024, <= 25 fields, 6,000 characters across embeds,
// custom_id <= 100. Code is never cut inside a fence; whole steps are dropped (with a note) when space runs out.
import { PLATFORMS, type Platform } from '../diagnosis/types.js'
import { encodeAction } from './action-ids.js'
import { fencedChunks, safeInline, truncate } from './format.js'
import { ACTION_LABELS, PLATFORM_LABELS, percent, platformLine } from './labels.js'
import type { Reply, ReplyActionId, ReplyStep } from './types.js'

export const DISCORD_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  embedsTotal: 6000,
  customId: 100,
  optionLabel: 100,
  optionValue: 100,
  buttonLabel: 80,
  placeholder: 150,
} as const

export type DiscordContext = { incidentId: string | null; shareable?: boolean }
export type DiscordField = { name: string; value: string; inline?: boolean }
export type DiscordEmbed = {
  title?: string
  description?: string
  color?: number
  fields?: DiscordField[]
  footer?: { text: string }
}
export type DiscordMessage = {
  content: string
  embeds: DiscordEmbed[]
  components: Record<string, unknown>[]
  /** never ping anyone from a quoted paste */
  allowed_mentions: { parse: string[] }
}

export const COLORS = { auth: 0xe8590c, notAuth: 0xf2c744, none: 0x95a5a6, info: 0x5865f2 } as const

/** markdown characters in text we did not write (event subjects) shown literally */
export const escapeDiscord = (s: string) => s.replace(/([\\*_~|`>#[\]()-])/g, '\\$1')

const field = (name: string, value: string): DiscordField => ({
  name: truncate(name, DISCORD_LIMITS.fieldName),
  value: truncate(value, DISCORD_LIMITS.fieldValue),
})

export const fieldSize = (f: DiscordField) => f.name.length + f.value.length

/** The fields of one numbered step: usually one; continuation fields when its commands pass 1,024 characters. */
export function stepFields(step: ReplyStep, n: number): DiscordField[] {
  const name = `${n}. ${step.title}`
  const head = step.detail ?? ''
  const pieces = step.commands.flatMap((c) => {
    const label = `*${c.label}*\n`
    // Discord only knows triple fences: keep the content from closing one
    const lines = c.lines.map((l) => l.replace(/```/g, "'''"))
    return fencedChunks({ ...c, lines }, DISCORD_LIMITS.fieldValue - label.length).map((chunk) => label + chunk)
  })
  const out: DiscordField[] = []
  let current = truncate(head, DISCORD_LIMITS.fieldValue)
  for (const p of pieces) {
    if (current && current.length + 1 + p.length > DISCORD_LIMITS.fieldValue) {
      out.push(field(out.length ? `${name} (continued)` : name, current))
      current = p
    } else current = current ? `${current}\n${p}` : p
  }
  out.push(field(out.length ? `${name} (continued)` : name, current || '\u200b'))
  return out
}

function describe(reply: Reply): string {
  let text = reply.verdict
  if (reply.why.length) {
    text += '\n\n**Why I think so**'
    for (const w of reply.why) {
      const line = `\n> \`${safeInline(w.quote)}\``
      if (text.length + line.length > DISCORD_LIMITS.description) break
      text += line
    }
  }
  return truncate(text, DISCORD_LIMITS.description)
}

export function embedSize(e: DiscordEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + fieldSize(f), 0)
}

/**
 * Adds whole steps to `fixed` fields while the 25-field and 6,000-character budgets allow; the rest is summarised
 * in one field. `before`/`after` are the fields that always stay (notes before the steps, "still failing" after).
 */
export function fitSteps(base: DiscordEmbed, before: DiscordField[], steps: readonly ReplyStep[], after: DiscordField[]): DiscordField[] {
  const reserve = field('More steps', `${steps.length} more step(s) did not fit; /claude-auth checklist lists the essentials.`)
  let used = embedSize({ ...base, fields: [...before, ...after] })
  let count = before.length + after.length
  const stepFieldsOut: DiscordField[] = []
  let shown = 0
  for (const [i, s] of steps.entries()) {
    const fs = stepFields(s, i + 1)
    const size = fs.reduce((n, f) => n + fieldSize(f), 0)
    const roomLeft = i + 1 < steps.length ? fieldSize(reserve) : 0
    if (count + fs.length + (i + 1 < steps.length ? 1 : 0) > DISCORD_LIMITS.fields || used + size + roomLeft > DISCORD_LIMITS.embedsTotal) break
    stepFieldsOut.push(...fs)
    used += size
    count += fs.length
    shown++
  }
  const more =
    shown < steps.length ? [field('More steps', `${steps.length - shown} more step(s) did not fit; /claude-auth checklist lists the essentials.`)] : []
  return [...before, ...stepFieldsOut, ...more, ...after]
}

/** last guard for the 6,000-character total: shorten the description, then drop trailing fields */
export function shrinkToTotal(embed: DiscordEmbed): void {
  let over = embedSize(embed) - DISCORD_LIMITS.embedsTotal
  if (over > 0 && embed.description) {
    const keep = Math.max(0, embed.description.length - over)
    embed.description = truncate(embed.description, keep)
    over = embedSize(embed) - DISCORD_LIMITS.embedsTotal
  }
  while (over > 0 && embed.fields?.length) {
    embed.fields.pop()
    over = embedSize(embed) - DISCORD_LIMITS.embedsTotal
  }
}

export function platformSelectComponent(reply: Pick<Reply, 'cause' | 'platform'>, incidentId: string | null) {
  return {
    type: 3,
    custom_id: encodeAction({ action: 'pick_platform', cause: reply.cause, incidentId, platform: reply.platform }),
    placeholder: 'Pick your platform',
    min_values: 1,
    max_values: 1,
    options: PLATFORMS.map((p: Platform) => ({
      label: PLATFORM_LABELS[p],
      value: encodeAction({ action: 'pick_platform', cause: reply.cause, incidentId, platform: p }),
      default: p === reply.platform,
    })),
  }
}

const BUTTON_STYLE: Record<Exclude<ReplyActionId, 'pick_platform'>, number> = { fixed: 3, still_failing: 2, run_doctor: 1, share: 2 }

export function componentsFor(reply: Reply, ctx: DiscordContext): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = []
  if (reply.actions.includes('pick_platform')) rows.push({ type: 1, components: [platformSelectComponent(reply, ctx.incidentId)] })
  const buttons = reply.actions
    .filter((a): a is Exclude<ReplyActionId, 'pick_platform'> => a !== 'pick_platform')
    .filter((a) => a !== 'share' || ctx.shareable)
    .map((a) => ({
      type: 2,
      style: BUTTON_STYLE[a],
      label: ACTION_LABELS[a],
      custom_id: encodeAction({ action: a, cause: reply.cause, incidentId: ctx.incidentId, platform: reply.platform }),
    }))
  if (buttons.length) rows.push({ type: 1, components: buttons.slice(0, 5) })
  return rows
}

export function renderDiscord(reply: Reply, ctx: DiscordContext): DiscordMessage {
  const color = reply.cause === 'none' ? COLORS.none : reply.cause === 'not_auth' ? COLORS.notAuth : COLORS.auth
  const footerBits = [reply.steps.some((s) => s.commands.length) ? platformLine(reply.platform).replace(/\.$/, '') : null, reply.cause !== 'none' ? `Confidence ${percent(reply.confidence)}` : null]
  const base: DiscordEmbed = {
    title: truncate(reply.title, DISCORD_LIMITS.title),
    description: describe(reply),
    color,
    ...(footerBits.some(Boolean) ? { footer: { text: truncate(footerBits.filter(Boolean).join(' · '), DISCORD_LIMITS.footer) } } : {}),
  }
  const before: DiscordField[] = []
  if (reply.eventNote) before.push(field('Recent change in your team', escapeDiscord(reply.eventNote)))
  const after: DiscordField[] = []
  if (reply.ifStillFailing.length) after.push(field('Still failing?', reply.ifStillFailing.map((t) => `• ${t}`).join('\n')))
  if (reply.alternatives.length) {
    after.push(field('Other possible causes', reply.alternatives.map((a) => `${a.title} (${percent(a.confidence)})`).join('\n')))
  }
  const embed: DiscordEmbed = { ...base, fields: fitSteps(base, before, reply.steps, after) }
  shrinkToTotal(embed)
  return {
    content: truncate(reply.redactionNote ? `🔒 ${reply.redactionNote}` : '', DISCORD_LIMITS.content),
    embeds: [embed],
    components: componentsFor(reply, ctx),
    allowed_mentions: { parse: [] },
  }
}
