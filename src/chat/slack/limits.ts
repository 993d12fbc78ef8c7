// Slack's Block Kit limits, enforced on every message we send whatever built it: 50 blocks, 3,000 characters of
// section/context text, 2,000 per section field, 150 for header text, 75 for button labels, 2,000 for a button
// value, 255 for ids. A long paste must still give a good reply: text is cut at a line end with a marker, code
// fences are closed, and when blocks must go the last kept block says so.

export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3_000,
  field: 2_000,
  contextElement: 2_000,
  header: 150,
  buttonText: 75,
  value: 2_000,
  id: 255,
  /** the notification/fallback `text` we send beside blocks (Slack truncates at 40,000; keep it readable) */
  fallbackText: 3_000,
} as const

export type SlackBlock = { type: string; [key: string]: unknown }

const MARK = '\n…(shortened)'

/** Cuts `text` to `max` characters, preferring a line end, keeping ``` fences balanced. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text
  const budget = max - MARK.length - 4
  let cut = text.slice(0, budget)
  const nl = cut.lastIndexOf('\n')
  if (nl > budget * 0.6) cut = cut.slice(0, nl)
  // Do not end inside a Slack entity like <https://…> or &amp;
  cut = cut.replace(/<[^>\n]*$/, '').replace(/&[a-z]*$/, '')
  const fences = (cut.match(/```/g) ?? []).length
  if (fences % 2 === 1) cut += '\n```'
  return cut + MARK
}

type TextObject = { type: string; text: string; [k: string]: unknown }
const isText = (v: unknown): v is TextObject => typeof v === 'object' && v !== null && typeof (v as TextObject).text === 'string'

function fitText(obj: unknown, max: number): unknown {
  return isText(obj) ? { ...obj, text: truncateText(obj.text, max) } : obj
}

function fitElement(el: unknown): unknown {
  if (typeof el !== 'object' || el === null) return el
  const e = { ...(el as Record<string, unknown>) }
  if (e.type === 'button') e.text = fitText(e.text, SLACK_LIMITS.buttonText)
  if (typeof e.value === 'string' && e.value.length > SLACK_LIMITS.value) e.value = e.value.slice(0, SLACK_LIMITS.value)
  return e
}

function fitBlock(block: SlackBlock): SlackBlock {
  const b: SlackBlock = { ...block }
  if (typeof b.block_id === 'string' && b.block_id.length > SLACK_LIMITS.id) b.block_id = b.block_id.slice(0, SLACK_LIMITS.id)
  switch (b.type) {
    case 'header':
      b.text = fitText(b.text, SLACK_LIMITS.header)
      break
    case 'section':
      b.text = fitText(b.text, SLACK_LIMITS.sectionText)
      if (Array.isArray(b.fields)) b.fields = b.fields.slice(0, 10).map((f) => fitText(f, SLACK_LIMITS.field))
      if (b.accessory) b.accessory = fitElement(b.accessory)
      break
    case 'context':
      if (Array.isArray(b.elements)) b.elements = b.elements.slice(0, 10).map((e) => fitText(e, SLACK_LIMITS.contextElement))
      break
    case 'actions':
      if (Array.isArray(b.elements)) b.elements = b.elements.slice(0, 25).map(fitElement)
      break
  }
  return b
}

/** Blocks within every limit; when more than 50, keeps the first 49 and the last actions block if there is one. */
export function fitBlocks(blocks: SlackBlock[]): SlackBlock[] {
  let out = blocks.map(fitBlock)
  if (out.length > SLACK_LIMITS.blocks) {
    const actions = [...out].reverse().find((b) => b.type === 'actions')
    const keep = SLACK_LIMITS.blocks - 1 - (actions ? 1 : 0)
    const head = out.slice(0, keep).filter((b) => b !== actions)
    const note: SlackBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: '_Reply shortened to fit Slack; run `/claude-auth doctor` for the full picture._' }] }
    out = [...head, note, ...(actions ? [actions] : [])]
  }
  return out
}

export function fitFallbackText(text: string): string {
  return truncateText(text, SLACK_LIMITS.fallbackText)
}
