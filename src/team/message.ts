// The platform-neutral answer to the team sub-commands (event, events, stats, admin), and its renderers for Slack
// (mrkdwn / Block Kit JSON), Discord (Markdown / embed JSON) and plain text. Pure: no SDK imports, so both chat
// adapters and tests can use it. Every piece of user-supplied text (event subjects, notes, excerpts) is a plain
// segment and is escaped by the renderer: nothing typed by a person can ping @channel/@everyone or inject a link.

/** A run of text in a line. A bare string is plain text. */
export type Segment =
  | string
  | { code: string }
  | { strong: string }
  /** a chat user id: rendered as a mention on the platform it came from */
  | { user: string }
  | { link: string; label: string }

export type Line = string | Segment[]

export type TeamMessage = {
  title: string
  lines: Line[]
  /** only the person who asked should see it (the admin sign-in link always is) */
  ephemeral: boolean
  /** false for refusals and errors */
  ok: boolean
}

export const SLACK_SECTION_LIMIT = 3_000
export const SLACK_MAX_BLOCKS = 50
export const DISCORD_CONTENT_LIMIT = 2_000
export const DISCORD_EMBED_DESCRIPTION_LIMIT = 4_096

const segmentsOf = (line: Line): Segment[] => (typeof line === 'string' ? [line] : line)

// ---------------------------------------------------------------------------------------------------- Slack
/** Slack's three control characters; everything else is literal in mrkdwn. */
export const escapeSlack = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function slackSegment(seg: Segment): string {
  if (typeof seg === 'string') return escapeSlack(seg)
  if ('code' in seg) return '`' + escapeSlack(seg.code.replace(/`/g, "'").replace(/\n/g, ' ')) + '`'
  if ('strong' in seg) return '*' + escapeSlack(seg.strong.replace(/\*/g, '')) + '*'
  if ('user' in seg) return /^[UW][A-Z0-9]{2,}$/.test(seg.user) ? `<@${seg.user}>` : escapeSlack(seg.user)
  return `<${seg.link.replace(/[<>|\s]/g, encodeURIComponent)}|${escapeSlack(seg.label.replace(/[|]/g, '/'))}>`
}

export function renderSlackLine(line: Line): string {
  return segmentsOf(line).map(slackSegment).join('')
}

/** mrkdwn text for chat.postMessage's `text` (also the notification fallback of the blocks). */
export function renderSlackText(msg: TeamMessage): string {
  return truncate([`*${escapeSlack(msg.title.replace(/\*/g, ''))}*`, ...msg.lines.map(renderSlackLine)].join('\n'), 3_900)
}

/** Block Kit blocks: a header, then the lines packed into sections of at most 3,000 characters. */
export function renderSlackBlocks(msg: TeamMessage): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [{ type: 'header', text: { type: 'plain_text', text: truncate(msg.title, 150), emoji: true } }]
  let current = ''
  const flush = () => {
    if (current) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } })
    current = ''
  }
  for (const line of msg.lines) {
    const text = truncate(renderSlackLine(line) || ' ', SLACK_SECTION_LIMIT)
    if (current && current.length + 1 + text.length > SLACK_SECTION_LIMIT) flush()
    current = current ? `${current}\n${text}` : text
  }
  flush()
  if (blocks.length > SLACK_MAX_BLOCKS) {
    blocks.length = SLACK_MAX_BLOCKS - 1
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: '(more in the dashboard)' }] })
  }
  return blocks
}

// -------------------------------------------------------------------------------------------------- Discord
/** Escapes Discord Markdown and neutralises mass mentions and user/role/channel mentions in plain text. */
export function escapeDiscord(s: string): string {
  return s
    .replace(/[\\*_~`|>#\-[\]()<:]/g, (c) => `\\${c}`)
    .replace(/@(everyone|here)/gi, '@\u200b$1')
}

function discordSegment(seg: Segment): string {
  if (typeof seg === 'string') return escapeDiscord(seg)
  if ('code' in seg) return '`' + seg.code.replace(/`/g, "'").replace(/\n/g, ' ').replace(/@(everyone|here)/gi, '@\u200b$1') + '`'
  if ('strong' in seg) return '**' + escapeDiscord(seg.strong) + '**'
  if ('user' in seg) return /^\d{5,25}$/.test(seg.user) ? `<@${seg.user}>` : escapeDiscord(seg.user)
  return `[${escapeDiscord(seg.label)}](${seg.link.replace(/[()\s]/g, encodeURIComponent)})`
}

export function renderDiscordLine(line: Line): string {
  return segmentsOf(line).map(discordSegment).join('')
}

/** One Markdown message body (content), at most 2,000 characters. */
export function renderDiscordText(msg: TeamMessage): string {
  return truncate([`**${escapeDiscord(msg.title)}**`, ...msg.lines.map(renderDiscordLine)].join('\n'), DISCORD_CONTENT_LIMIT)
}

/** An embed (title + description, 4,096 characters at most). Mentions inside embeds never ping. */
export function renderDiscordEmbed(msg: TeamMessage): { title: string; description: string; color: number } {
  return {
    title: truncate(msg.title, 256),
    description: truncate(msg.lines.map(renderDiscordLine).join('\n') || '\u200b', DISCORD_EMBED_DESCRIPTION_LIMIT),
    color: msg.ok ? 0x5865f2 : 0xed4245,
  }
}

// ---------------------------------------------------------------------------------------------------- Plain
function plainSegment(seg: Segment): string {
  if (typeof seg === 'string') return seg
  if ('code' in seg) return seg.code
  if ('strong' in seg) return seg.strong
  if ('user' in seg) return seg.user
  return `${seg.label}: ${seg.link}`
}

export function renderPlainLine(line: Line): string {
  return segmentsOf(line).map(plainSegment).join('')
}

export function renderPlainText(msg: TeamMessage): string {
  return [msg.title, ...msg.lines.map(renderPlainLine)].join('\n')
}

export function truncate(s: string, max: number): string {
  if (s.length <= max) return s
  return s.slice(0, Math.max(0, max - 1)) + '…'
}
