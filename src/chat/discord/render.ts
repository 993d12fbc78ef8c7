// The thin layer between src/replies (renderDiscord, renderInfoDiscord: raw API JSON) and discord.js: Discord's
// wording for the info replies (its commands are subcommands, its menu is "Diagnose auth error"), notes, a last
// guard for every Discord limit whatever built the message, and the cap on how much of a paste is analysed.
import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js'
import type { Platform } from '../../diagnosis/types.js'
import { checklistReply, doctorReply, helpReply, renderDiscord, renderInfoDiscord, type InfoItem, type InfoReply, type Reply } from '../../replies/index.js'
import { COMMAND_NAME, CONTEXT_MENU_NAME } from './command-schema.js'

/** A message body as discord.js takes it (reply, editReply, update, channel send). */
export type DiscordMessage = {
  content?: string
  embeds?: APIEmbed[]
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[]
}

export const LIMITS = {
  content: 2_000,
  embeds: 10,
  title: 256,
  description: 4_096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1_024,
  footer: 2_048,
  embedsTotal: 6_000,
  rows: 5,
  perRow: 5,
  customId: 100,
} as const

/** How much of a paste is analysed: the head (the command, the first error) and the tail (where errors end up). */
export const MAX_ANALYSED_CHARS = 24_000
const HEAD_CHARS = 6_000

export function clampPaste(text: string): string {
  if (text.length <= MAX_ANALYSED_CHARS) return text
  const tail = MAX_ANALYSED_CHARS - HEAD_CHARS
  return `${text.slice(0, HEAD_CHARS)}\n[... ${text.length - MAX_ANALYSED_CHARS} characters skipped ...]\n${text.slice(-tail)}`
}

const cut = (s: string, max: number) => (s.length <= max ? s : s.slice(0, Math.max(0, max - 1)) + '…')

export function renderDiagnosis(reply: Reply, ctx: { incidentId: string | null; shareable: boolean }): DiscordMessage {
  return fitLimits(fromReplies(renderDiscord(reply, ctx)))
}

export function renderHelp(options: { passive: boolean }): DiscordMessage {
  return fitLimits(fromReplies(renderInfoDiscord(discordHelp(options))))
}

export function renderChecklist(platform: Platform | null): DiscordMessage {
  const info = checklistReply(platform, `/${COMMAND_NAME}`)
  const footer = `Another platform? /${COMMAND_NAME} checklist and pick it. Still stuck? /${COMMAND_NAME} diagnose with the error.`
  return fitLimits(fromReplies(renderInfoDiscord({ ...info, footer })))
}

export function renderDoctor(input: { code: string; expiresAt: Date; publicUrl: string; platform: Platform | null; now: Date }): DiscordMessage {
  return fitLimits(fromReplies(renderInfoDiscord(doctorReply(input))))
}

/** A short text answer. */
export function noteMessage(text: string): DiscordMessage {
  return { content: cut(text || '…', LIMITS.content), embeds: [], components: [] }
}

/** The same message with a first line before it (a link to the diagnosed message, "Still failing?"). */
export function withPrefix(message: DiscordMessage, prefix: string): DiscordMessage {
  const content = message.content ? `${prefix}\n${message.content}` : prefix
  return { ...message, content: cut(content, LIMITS.content) }
}

/** The first line we put before a diagnosis (withPrefix), to keep when the reply is edited in place. */
export function prefixOf(content: string | null | undefined): string | null {
  const first = (content ?? '').split('\n', 1)[0] ?? ''
  return /^(About \[this message\]|Shared by <@\d+>:|Still failing\?)/.test(first) ? first : null
}

/** help, in Discord's words: subcommands, the message menu's name, and passive detection only when it is on */
function discordHelp(options: { passive: boolean }): InfoReply {
  const c = `/${COMMAND_NAME}`
  const commands: InfoItem[] = [
    { term: `${c} diagnose text:<the error>`, text: 'what is wrong with the Claude Code output you paste, with numbered fixes for your platform' },
    { term: `${c} paste`, text: 'a box for long output (two boxes of 4,000 characters) and your platform' },
    { term: `${c} checklist [platform]`, text: 'the quick checks worth trying first' },
    { term: `${c} doctor`, text: 'a one-time code and a one-line command that checks your machine and sends me a redacted report' },
    { term: `${c} help`, text: 'this message' },
  ]
  const ways: InfoItem[] = [
    { term: '@mention', text: 'mention me followed by the error, or reply to the message with the error and mention me' },
    { term: `Apps > ${CONTEXT_MENU_NAME}`, text: 'right-click (or long-press) any message and pick the app command' },
    ...(options.passive ? [{ term: 'paste in a channel', text: 'I answer when a message clearly holds a Claude Code error' }] : []),
  ]
  return helpReply({ command: c, chat: 'discord', admin: true, commands, ways })
}

type RepliesMessage = { content: string; embeds: object[]; components: Record<string, unknown>[] }

function fromReplies(m: RepliesMessage): DiscordMessage {
  // allowed_mentions is set by the caller in discord.js's own option (allowedMentions)
  return {
    content: m.content,
    embeds: m.embeds as APIEmbed[],
    components: m.components as unknown as APIActionRowComponent<APIComponentInMessageActionRow>[],
  }
}

const embedSize = (e: APIEmbed) =>
  (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)

/** Every Discord limit, enforced on what we send whatever built it. */
export function fitLimits(message: DiscordMessage): DiscordMessage {
  const embeds = (message.embeds ?? []).slice(0, LIMITS.embeds).map((e) => {
    const out: APIEmbed = { ...e }
    if (out.title !== undefined) out.title = cut(out.title, LIMITS.title)
    if (out.description !== undefined) out.description = cut(out.description, LIMITS.description)
    if (out.footer) out.footer = { ...out.footer, text: cut(out.footer.text, LIMITS.footer) }
    if (out.fields) {
      out.fields = out.fields
        .slice(0, LIMITS.fields)
        .map((f) => ({ ...f, name: cut(f.name || '\u200b', LIMITS.fieldName), value: cut(f.value || '\u200b', LIMITS.fieldValue) }))
    }
    return out
  })
  // 6,000 characters across all embeds: drop trailing fields, then shorten descriptions, then drop embeds
  let total = embeds.reduce((n, e) => n + embedSize(e), 0)
  for (let i = embeds.length - 1; i >= 0 && total > LIMITS.embedsTotal; i--) {
    const e = embeds[i]!
    while (total > LIMITS.embedsTotal && e.fields && e.fields.length > 0) {
      const f = e.fields.pop()!
      total -= f.name.length + f.value.length
    }
    if (total > LIMITS.embedsTotal && e.description) {
      const keep = Math.max(0, e.description.length - (total - LIMITS.embedsTotal))
      total -= e.description.length
      e.description = cut(e.description, keep)
      total += e.description.length
    }
  }
  while (total > LIMITS.embedsTotal && embeds.length > 1) total -= embedSize(embeds.pop()!)
  const components = (message.components ?? [])
    .slice(0, LIMITS.rows)
    .map((row) => ({
      ...row,
      components: row.components.filter((c) => !('custom_id' in c) || (c.custom_id.length > 0 && c.custom_id.length <= LIMITS.customId)).slice(0, LIMITS.perRow),
    }))
    .filter((row) => row.components.length > 0)
  return { content: cut(message.content ?? '', LIMITS.content), embeds, components }
}
