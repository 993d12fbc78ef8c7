// The message shortcut "Diagnose this error" (callback_id diagnose_error): works on any message, including replies
// inside threads where slash commands cannot be used. Answers in the message's thread; privately (response_url)
// when the bot cannot post in that channel.
import { claimIds } from './claims.js'
import { cannotPostInChannel } from './delivery.js'
import { alreadyAnsweredMessage, diagnosisMessage, noteMessage } from './render.js'
import { workspaceOf, type SlackRuntime } from './runtime.js'
import { slackToPlain } from './text.js'

export type MessageShortcutPayload = {
  type: 'message_action'
  callback_id: string
  trigger_id: string
  response_url: string
  team?: { id: string } | null
  user: { id: string }
  channel: { id: string }
  message_ts?: string
  message: { ts: string; text?: string; thread_ts?: string; user?: string; bot_id?: string }
}

export async function handleShortcut(payload: MessageShortcutPayload, rt: SlackRuntime, receivedAt: number | undefined): Promise<void> {
  if (!(await rt.claims.isFirst(claimIds.interaction(payload.trigger_id)))) return
  const channel = payload.channel.id
  const message = payload.message
  const threadTs = message.thread_ts ?? message.ts
  const privately = async (text: string) => {
    try {
      await rt.delivery.respond(payload.response_url, { ...noteMessage(text), response_type: 'ephemeral' })
      rt.delivered('info', receivedAt)
    } catch (err) {
      rt.failed('shortcut', err)
    }
  }
  if (message.bot_id && message.bot_id === rt.identity.botId) {
    return privately('That is one of my own replies. Use "Diagnose this error" on the message that has the error.')
  }
  const text = slackToPlain(message.text ?? '').trim()
  if (!text) return privately('That message has no text I can read. Paste the error as text (not a screenshot) and try again.')
  if (!(await rt.claims.isFirst(claimIds.message(channel, message.ts)))) {
    const note = alreadyAnsweredMessage()
    try {
      await rt.delivery.respond(payload.response_url, { ...note, response_type: 'ephemeral' })
      rt.delivered('info', receivedAt)
    } catch (err) {
      rt.failed('shortcut', err)
    }
    return
  }
  const result = await rt.ctx.triage.diagnose({
    text,
    source: 'shortcut',
    mode: 'explicit',
    workspace: workspaceOf(payload.team?.id, rt),
    channelId: channel,
    threadId: threadTs,
    messageId: message.ts,
    userId: payload.user.id,
  })
  try {
    await rt.delivery.postMessage(channel, diagnosisMessage(result.reply, { incidentId: result.incidentId, shareable: false }), threadTs)
    rt.delivered('shortcut', receivedAt)
    return
  } catch (err) {
    if (!cannotPostInChannel(err)) {
      rt.failed('shortcut', err)
      return
    }
  }
  // The bot is not in this channel: only the person who asked sees the answer (they can share it).
  try {
    await rt.delivery.respond(payload.response_url, {
      ...diagnosisMessage(result.reply, { incidentId: result.incidentId, shareable: true }),
      response_type: 'ephemeral',
    })
    rt.delivered('shortcut', receivedAt)
  } catch (err) {
    rt.failed('shortcut', err)
  }
}
