// Slack Block Kit rendering of a Reply. Limits respected: section text <= 3,000 characters, <= 50 blocks, a plain
// text fallback; code is never cut inside a fence (long blocks are split into separately fenced sections).
import { PLATFORMS, type Platform } from '../diagnosis/types.js'
import { encodeAction } from './action-ids.js'
import { truncate } from './format.js'
import { ACTION_LABELS, PLATFORM_LABELS, percent, platformLine } from './labels.js'
import type { CommandBlock, Reply, ReplyActionId, ReplyStep } from './types.js'

export const SLACK_LIMITS = {
  sectionText: 3000,
  blocks: 50,
  fallbackText: 3000,
  contextText: 3000,
  plainText: 75,
  optionValue: 150,
  actionId: 255,
} as const

export type SlackContext = { incidentId: string | null; shareable?: boolean }
export type SlackBlock = Record<string, unknown>
export type SlackMessage = { text: string; blocks: SlackBlock[] }

/** Slack needs &, < and > escaped everywhere in mrkdwn, code included (this also disarms <!channel> in pastes). */
export const escapeSlack = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text })
const plain = (text: string) => ({ type: 'plain_text', text: truncate(text, SLACK_LIMITS.plainText), emoji: true })

export function section(text: string, blockId?: string): SlackBlock {
  return { type: 'section', ...(blockId ? { block_id: blockId } : {}), text: mrkdwn(truncate(text, SLACK_LIMITS.sectionText)) }
}

export function context(text: string): SlackBlock {
  return { type: 'context', elements: [mrkdwn(truncate(text, SLACK_LIMITS.contextText))] }
}

/** Slack mrkdwn has no language tags and only triple fences: keep content from closing one. */
function slackFence(lines: readonly string[]): string {
  return '```\n' + lines.map((l) => escapeSlack(l.replace(/```/g, "'''"))).join('\n') + '\n```'
}

/** A command block as one or more fenced pieces, each within `max` characters. */
function commandPieces(block: CommandBlock, max: number): string[] {
  const label = `_${escapeSlack(block.label)}_\n`
  const whole = label + slackFence(block.lines)
  if (whole.length <= max) return [whole]
  const pieces: string[] = []
  let current: string[] = []
  const size = (lines: string[]) => label.length + slackFence(lines).length
  for (const raw of block.lines) {
    let line = raw
    if (size([line]) > max) line = truncate(line, Math.max(20, max - size([''])))
    if (current.length && size([...current, line]) > max) {
      pieces.push(label + slackFence(current))
      current = []
    }
    current.push(line)
  }
  if (current.length) pieces.push(label + slackFence(current))
  return pieces
}

/** The sections of one numbered step: usually one; more when its commands would pass the section limit. */
export function stepSections(step: ReplyStep, n: number): SlackBlock[] {
  const head = `*${n}. ${escapeSlack(step.title)}*` + (step.detail ? `\n${escapeSlack(step.detail)}` : '')
  const pieces = step.commands.flatMap((c) => commandPieces(c, SLACK_LIMITS.sectionText))
  const whole = [head, ...pieces].join('\n')
  if (whole.length <= SLACK_LIMITS.sectionText) return [section(whole)]
  const out: SlackBlock[] = []
  let current = truncate(head, SLACK_LIMITS.sectionText)
  for (const p of pieces) {
    if (current.length + 1 + p.length > SLACK_LIMITS.sectionText) {
      out.push(section(current))
      current = p
    } else current += `\n${p}`
  }
  out.push(section(current))
  return out
}

function bullets(items: readonly string[]): string {
  return items.map((t) => `• ${escapeSlack(t)}`).join('\n')
}

/** "*Why I think so*" with as many quotes as fit in one section */
function whySection(reply: Reply): SlackBlock | null {
  if (!reply.why.length) return null
  let text = '*Why I think so*'
  for (const w of reply.why) {
    const line = `\n> \`${escapeSlack(w.quote.replace(/`/g, "'").replace(/\s+/g, ' '))}\``
    if (text.length + line.length > SLACK_LIMITS.sectionText) break
    text += line
  }
  return section(text)
}

export function platformSelect(reply: Pick<Reply, 'cause' | 'platform'>, incidentId: string | null): SlackBlock {
  const option = (p: Platform) => ({
    text: plain(PLATFORM_LABELS[p]),
    value: encodeAction({ action: 'pick_platform', cause: reply.cause, incidentId, platform: p }),
  })
  const options = PLATFORMS.map(option)
  return {
    type: 'static_select',
    action_id: encodeAction({ action: 'pick_platform', cause: reply.cause, incidentId, platform: reply.platform }),
    placeholder: plain('Pick your platform'),
    options,
    ...(reply.platform ? { initial_option: option(reply.platform) } : {}),
  }
}

function button(reply: Reply, incidentId: string | null, action: Exclude<ReplyActionId, 'pick_platform'>): SlackBlock {
  const id = encodeAction({ action, cause: reply.cause, incidentId, platform: reply.platform })
  return { type: 'button', action_id: id, value: id, text: plain(ACTION_LABELS[action]), ...(action === 'fixed' ? { style: 'primary' } : {}) }
}

export function actionsBlock(reply: Reply, ctx: SlackContext): SlackBlock | null {
  const elements: SlackBlock[] = []
  for (const a of reply.actions) {
    if (a === 'pick_platform') elements.push(platformSelect(reply, ctx.incidentId))
    else if (a === 'share') {
      if (ctx.shareable) elements.push(button(reply, ctx.incidentId, a))
    } else elements.push(button(reply, ctx.incidentId, a))
  }
  return elements.length ? { type: 'actions', block_id: `actions:${reply.cause}`, elements } : null
}

export function fallbackText(reply: Pick<Reply, 'title' | 'verdict'>): string {
  return truncate(`${reply.title}: ${reply.verdict}`, SLACK_LIMITS.fallbackText)
}

export function renderSlack(reply: Reply, ctx: SlackContext): SlackMessage {
  const head: SlackBlock[] = [section(`*${escapeSlack(reply.title)}*\n${escapeSlack(reply.verdict)}`, `diagnosis:${reply.cause}`)]
  if (reply.redactionNote) head.push(context(`:lock: ${escapeSlack(reply.redactionNote)}`))
  if (reply.eventNote) head.push(context(`:calendar: ${escapeSlack(reply.eventNote)}`))
  const why = whySection(reply)
  if (why) head.push(why)
  if (reply.steps.some((s) => s.commands.length)) head.push(context(escapeSlack(platformLine(reply.platform))))

  const tail: SlackBlock[] = []
  if (reply.ifStillFailing.length) tail.push(section(`*Still failing?*\n${bullets(reply.ifStillFailing)}`))
  const meta: string[] = []
  if (reply.alternatives.length) meta.push(`Other possible causes: ${reply.alternatives.map((a) => `${a.title} (${percent(a.confidence)})`).join('; ')}`)
  if (reply.cause !== 'none') meta.push(`confidence ${percent(reply.confidence)}`)
  if (meta.length) tail.push(context(escapeSlack(meta.join(' · '))))
  const actions = actionsBlock(reply, ctx)
  if (actions) tail.push(actions)

  // steps take what is left of the 50 blocks; whole steps only, with a pointer when some do not fit
  const budget = SLACK_LIMITS.blocks - head.length - tail.length - 1
  const steps: SlackBlock[] = []
  let shown = 0
  for (const [i, s] of reply.steps.entries()) {
    const blocks = stepSections(s, i + 1)
    if (steps.length + blocks.length > budget) break
    steps.push(...blocks)
    shown++
  }
  if (shown < reply.steps.length) {
    steps.push(context(`${reply.steps.length - shown} more step(s) did not fit in this message; /claude-auth checklist lists the essentials.`))
  }
  return { text: escapeSlack(fallbackText(reply)), blocks: [...head, ...steps, ...tail] }
}
