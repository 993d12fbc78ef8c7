// Slack messages from the neutral replies (src/replies renders the Block Kit; this adds what is Slack-delivery
// specific): limits enforced whatever built the blocks, the message metadata that makes the verdict
// machine-readable, and the few short notes the Slack adapter itself says.
import type { Platform } from '../../diagnosis/types.js'
import type { Reply } from '../../replies/types.js'
// Imported from the modules themselves (replies/index.ts re-exports the Reply pipeline; these are its Slack parts).
import { checklistReply, doctorReply, helpReply, renderInfoSlack, renderSlack } from '../../replies/index.js'
import { DIAGNOSIS_METADATA_EVENT, SLASH_COMMAND } from './constants.js'
import { fitBlocks, fitFallbackText, type SlackBlock } from './limits.js'

export type SlackMetadata = {
  event_type: string
  event_payload: Record<string, string | number | boolean>
}

export type SlackMessage = { text: string; blocks: SlackBlock[]; metadata?: SlackMetadata }

type Rendered = { text: string; blocks: unknown[] }

function finish(rendered: Rendered, metadata?: SlackMetadata): SlackMessage {
  return { text: fitFallbackText(rendered.text), blocks: fitBlocks(rendered.blocks as SlackBlock[]), ...(metadata ? { metadata } : {}) }
}

/** event_type claude_auth_diagnosis; payload: cause, symptom, confidence (and platform, incident id when known). */
export function diagnosisMetadata(reply: Reply, incidentId: string | null): SlackMetadata {
  const payload: Record<string, string | number | boolean> = {
    cause: reply.cause,
    symptom: reply.symptom ?? 'none',
    confidence: Math.round(reply.confidence * 1000) / 1000,
  }
  if (reply.platform) payload.platform = reply.platform
  if (incidentId) payload.incident_id = incidentId
  return { event_type: DIAGNOSIS_METADATA_EVENT, event_payload: payload }
}

export type DiagnosisMessageOptions = {
  incidentId: string | null
  /** adds "Share in channel" (ephemeral replies) */
  shareable: boolean
  /** a line above the reply, e.g. for "still failing" */
  intro?: string
  /** who shared an ephemeral reply into the channel */
  sharedBy?: string
}

export function diagnosisMessage(reply: Reply, options: DiagnosisMessageOptions): SlackMessage {
  const rendered = renderSlack(reply, { incidentId: options.incidentId, shareable: options.shareable })
  let blocks = rendered.blocks as SlackBlock[]
  if (options.intro) blocks = [contextBlock(options.intro), ...blocks]
  if (options.sharedBy) blocks = [...blocks, contextBlock(`Shared by <@${options.sharedBy}>`)]
  return finish({ text: rendered.text, blocks }, diagnosisMetadata(reply, options.incidentId))
}

export function helpMessage(): SlackMessage {
  return finish(renderInfoSlack(helpReply({ command: SLASH_COMMAND, chat: 'slack', admin: true })))
}

export function checklistMessage(platform: Platform | null): SlackMessage {
  return finish(renderInfoSlack(checklistReply(platform, SLASH_COMMAND)))
}

export function doctorMessage(args: { code: string; expiresAt: Date; publicUrl: string; platform: Platform | null; now?: Date }): SlackMessage {
  return finish(renderInfoSlack(doctorReply(args)))
}

/** A short message from the adapter itself. */
export function noteMessage(text: string): SlackMessage {
  return finish({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] })
}

export function mentionHelpMessage(): SlackMessage {
  return noteMessage(
    'Paste the Claude Code error after mentioning me (`@claude-auth <error>`), or mention me with no text inside the thread of a message that has the error, and I will diagnose it. `/claude-auth help` shows everything I can do.',
  )
}

export function alreadyAnsweredMessage(): SlackMessage {
  return noteMessage('I already answered that message: see my reply in its thread. Still stuck? Click *Still failing* there.')
}

export function feedbackThanksMessage(value: 'fixed' | 'still_failing'): SlackMessage {
  return noteMessage(value === 'fixed' ? 'Glad it works again. Thanks for telling me: it helps the team see what keeps breaking.' : 'Noted.')
}

function contextBlock(text: string): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] }
}
