// Replies: Diagnosis -> platform-neutral Reply -> Markdown / Slack / Discord.
//
//   buildReply(diagnosis, { text, platform?, events?, now? }): Reply
//   renderMarkdown(reply): string
export { buildReply, quoteEvidence, redactionNoteFor, trimQuote, MAX_QUOTE_CHARS, type BuildReplyInput } from './build-reply.js'
export { renderMarkdown } from './markdown.js'
export { relevantEventKinds, pickRelevantEvent, timeAgo, eventNoteFor } from './correlation.js'
export { PLAYBOOK, NOT_AUTH_PLAYBOOK, playbookFor, causeTitle, type PlaybookEntry, type PlaybookStep } from './playbook.js'
export { resolveCommands, explicitPlatforms, COMMAND_TARGETS, type CommandTarget, type CommandVariant, type StepCommands } from './commands.js'
export { PLATFORM_LABELS, ACTION_LABELS, platformLine } from './labels.js'
export { encodeAction, decodeAction, type ActionRef } from './action-ids.js'
export type { Reply, ReplyStep, CommandBlock, CommandLanguage, RelatedEvent, ReplyActionId } from './types.js'
