// Pasted errors in channels (passive) and @mentions (explicit). Both answer in the message's thread, once.
import { classify } from '../../diagnosis/index.js'
import type { IncidentSource } from '../../store/types.js'
import { claimIds } from './claims.js'
import { cannotPostInChannel } from './delivery.js'
import { alreadyAnsweredMessage, diagnosisMessage, mentionHelpMessage } from './render.js'
import { workspaceOf, type SlackRuntime } from './runtime.js'
import { mentionsBot, slackToPlain, stripBotMention } from './text.js'

/** A message event as Slack sends it (the fields we use). */
export type MessageEvent = {
  type: string
  subtype?: string
  channel: string
  channel_type?: string
  user?: string
  bot_id?: string
  bot_profile?: unknown
  app_id?: string
  text?: string
  ts: string
  thread_ts?: string
}

/** Subtypes that are still a person writing something new. Edits, joins, bot posts and the rest are ignored. */
const PERSON_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share'])

export function isFromBot(event: MessageEvent, botUserId: string): boolean {
  return Boolean(event.bot_id || event.bot_profile || event.subtype === 'bot_message' || event.user === botUserId || !event.user)
}

/** Passive detection: a paste that classifies above the threshold gets one reply in its thread; chatter gets nothing. */
export async function handleMessage(event: MessageEvent, teamId: string | undefined, rt: SlackRuntime, receivedAt: number | undefined): Promise<void> {
  if (!PERSON_SUBTYPES.has(event.subtype)) return
  if (isFromBot(event, rt.identity.botUserId)) return
  const isDirect = event.channel_type === 'im'
  const raw = event.text ?? ''
  // In channels a mention also arrives as an app_mention event; that path answers it. (No app_mention in DMs.)
  if (!isDirect && mentionsBot(raw, rt.identity.botUserId)) return
  const config = rt.ctx.config
  if (!isDirect) {
    if (!config.PASSIVE_MODE) return
    if (config.SLACK_CHANNELS.length > 0 && !config.SLACK_CHANNELS.includes(event.channel)) return
  }
  const text = slackToPlain(stripBotMention(raw, rt.identity.botUserId))
  if (!text.trim()) return
  if (!isDirect) {
    // Cheap pre-check (pure, no I/O) so chatter costs no database round trip; triage applies the same rule again.
    const d = classify(text)
    if (d.cause === 'none' || d.confidence < config.PASSIVE_THRESHOLD) return
  }
  if (!(await rt.claims.isFirst(claimIds.message(event.channel, event.ts)))) return
  await answerInThread(rt, {
    text,
    source: 'paste',
    mode: isDirect ? 'explicit' : 'passive',
    teamId,
    channel: event.channel,
    messageTs: event.ts,
    threadTs: event.thread_ts ?? event.ts,
    userId: event.user ?? null,
    receivedAt,
  })
}

/** An app_mention: diagnose the text after the mention, or, with no text in a thread, the thread's first message. */
export async function handleMention(event: MessageEvent, teamId: string | undefined, rt: SlackRuntime, receivedAt: number | undefined): Promise<void> {
  if (isFromBot(event, rt.identity.botUserId)) return
  if (!(await rt.claims.isFirst(claimIds.message(event.channel, event.ts)))) return
  const threadTs = event.thread_ts ?? event.ts
  const text = slackToPlain(stripBotMention(event.text ?? '', rt.identity.botUserId)).trim()
  if (text) {
    await answerInThread(rt, { text, source: 'mention', mode: 'explicit', teamId, channel: event.channel, messageTs: event.ts, threadTs, userId: event.user ?? null, receivedAt })
    return
  }
  if (!event.thread_ts || event.thread_ts === event.ts) {
    await post(rt, event.channel, threadTs, mentionHelpMessage(), 'info', receivedAt)
    return
  }
  const parent = await threadParent(rt, event.channel, event.thread_ts)
  if (!parent || isFromBot(parent, rt.identity.botUserId) || !parent.text?.trim()) {
    await post(rt, event.channel, threadTs, mentionHelpMessage(), 'info', receivedAt)
    return
  }
  if (!(await rt.claims.isFirst(claimIds.message(event.channel, parent.ts)))) {
    await post(rt, event.channel, threadTs, alreadyAnsweredMessage(), 'info', receivedAt)
    return
  }
  await answerInThread(rt, {
    text: slackToPlain(parent.text),
    source: 'mention',
    mode: 'explicit',
    teamId,
    channel: event.channel,
    messageTs: parent.ts,
    threadTs: event.thread_ts,
    userId: event.user ?? null,
    receivedAt,
  })
}

async function threadParent(rt: SlackRuntime, channel: string, threadTs: string): Promise<MessageEvent | null> {
  try {
    const res = await rt.delivery.client.conversations.replies({ channel, ts: threadTs, limit: 1, inclusive: true })
    const first = res.messages?.[0] as MessageEvent | undefined
    return first ? { ...first, channel } : null
  } catch (err) {
    rt.log.warn({ err: (err as Error).message, channel }, 'could not read the thread parent')
    return null
  }
}

export type ThreadAnswer = {
  text: string
  source: IncidentSource
  mode: 'explicit' | 'passive'
  teamId: string | undefined
  channel: string
  messageTs: string
  threadTs: string
  userId: string | null
  receivedAt: number | undefined
}

/** Diagnose and post the reply in the thread (with message metadata). Returns false when nothing was posted. */
export async function answerInThread(rt: SlackRuntime, a: ThreadAnswer): Promise<boolean> {
  const result = await rt.ctx.triage.diagnose({
    text: a.text,
    source: a.source,
    mode: a.mode,
    workspace: workspaceOf(a.teamId, rt),
    channelId: a.channel,
    threadId: a.threadTs,
    messageId: a.messageTs,
    userId: a.userId,
  })
  if (!result.answer) return false
  const message = diagnosisMessage(result.reply, { incidentId: result.incidentId, shareable: false })
  return post(rt, a.channel, a.threadTs, message, a.source, a.receivedAt)
}

async function post(rt: SlackRuntime, channel: string, threadTs: string, message: ReturnType<typeof mentionHelpMessage>, source: IncidentSource | 'info', receivedAt: number | undefined): Promise<boolean> {
  try {
    await rt.delivery.postMessage(channel, message, threadTs)
    rt.delivered(source, receivedAt)
    return true
  } catch (err) {
    if (cannotPostInChannel(err)) rt.log.warn({ channel }, 'cannot post in this channel (is the bot a member?)')
    rt.failed(source, err)
    return false
  }
}
