// Replies: Diagnosis -> platform-neutral Reply -> Markdown / Slack Block Kit / Discord embeds and components.
// Pure: imports only the diagnosis types and the redaction module; the clock comes in as `now`.
//
// Diagnosis replies
//   buildReply(diagnosis: Diagnosis, input: { text: string; platform?: Platform | null; events?: RelatedEvent[]; now?: Date }): Reply
//       platform: input.platform when given (null = common bash/zsh + PowerShell variants), else diagnosis.platform.
//       why: evidence widened to whole tokens, redacted, <= 300 chars each. redactionNote: what was hidden, never the
//       value. eventNote: the most recent team event relevant to the cause (see relevantEventKinds), "2 hours ago".
//   renderMarkdown(reply: Reply): string                                            CLI and HTTP API
//   renderSlack(reply: Reply, ctx: { incidentId: string | null; shareable?: boolean }): { text: string; blocks: SlackBlock[] }
//       verdict section block_id `diagnosis:<cause>`; actions block `actions:<cause>` holding a static_select
//       (pick_platform) and buttons (fixed, still_failing, run_doctor, share when ctx.shareable). Every action_id,
//       option value and button value is encodeAction(...); decode with decodeAction.
//   renderDiscord(reply: Reply, ctx: { incidentId: string | null; shareable?: boolean }): { content: string; embeds: DiscordEmbed[]; components: object[]; allowed_mentions }
//       components: an action row with a string select (type 3, pick_platform) and a row of buttons (type 2); every
//       custom_id and option value is encodeAction(...) (<= 100 chars).
//
// Info replies (chat commands) and their renderers
//   helpReply(opts?: { command?: string; chat?: 'slack' | 'discord' | null; admin?: boolean; adminItems?: InfoItem[] }): InfoReply
//   checklistReply(platform: Platform | null, command?: string): InfoReply
//   doctorReply({ code, expiresAt, publicUrl, platform, now? }): InfoReply      (throws on an unsafe code or URL)
//   renderInfoMarkdown(info): string; renderInfoSlack(info): SlackMessage; renderInfoDiscord(info): DiscordMessage
//
// Building blocks
//   PLAYBOOK / NOT_AUTH_PLAYBOOK / playbookFor(cause, notAuthKind): the data behind every reply
//   resolveCommands(stepCommands, platform): CommandBlock[]; explicitPlatforms(stepCommands)
//   relevantEventKinds(cause): string[]; pickRelevantEvent(cause, events, now?); timeAgo(then, now); eventNoteFor(...)
//   encodeAction / decodeAction: the interactive ids; SLACK_LIMITS / DISCORD_LIMITS; PLATFORM_LABELS / ACTION_LABELS
export { buildReply, quoteEvidence, redactionNoteFor, trimQuote, MAX_QUOTE_CHARS, type BuildReplyInput } from './build-reply.js'
export { renderMarkdown } from './markdown.js'
export { renderSlack, escapeSlack, SLACK_LIMITS, type SlackContext, type SlackMessage, type SlackBlock } from './slack.js'
export {
  renderDiscord,
  DISCORD_LIMITS,
  type DiscordContext,
  type DiscordMessage,
  type DiscordEmbed,
  type DiscordField,
} from './discord.js'
export {
  helpReply,
  checklistReply,
  doctorReply,
  doctorCommands,
  renderInfoMarkdown,
  renderInfoSlack,
  renderInfoDiscord,
  ADMIN_HELP_ITEMS,
  CHECKLIST,
  type InfoReply,
  type InfoSection,
  type InfoItem,
  type HelpOptions,
  type DoctorReplyInput,
} from './info.js'
export { relevantEventKinds, pickRelevantEvent, timeAgo, eventNoteFor } from './correlation.js'
export { PLAYBOOK, NOT_AUTH_PLAYBOOK, playbookFor, causeTitle, type PlaybookEntry, type PlaybookStep } from './playbook.js'
export { resolveCommands, explicitPlatforms, COMMAND_TARGETS, type CommandTarget, type CommandVariant, type StepCommands } from './commands.js'
export { PLATFORM_LABELS, PLATFORM_OPTIONS, ACTION_LABELS, platformLine } from './labels.js'
export { encodeAction, decodeAction, type ActionRef } from './action-ids.js'
export type { Reply, ReplyStep, CommandBlock, CommandLanguage, RelatedEvent, ReplyActionId } from './types.js'
