// Messages: @mentions (explicit, work without the MessageContent intent because Discord delivers the content of
// messages that mention the bot) and passive detection of pasted errors (needs the intent). Each answered message
// is claimed first, so it gets exactly one reply across replicas and gateway resumes.
import type { Message } from 'discord.js'
import { classify } from '../../diagnosis/index.js'
import { parseCommand } from '../command-parser.js'
import { claimIds } from './claims.js'
import { COMMAND_NAME, CONTEXT_MENU_NAME } from './command-schema.js'
import { runCommand } from './commands.js'
import { clampPaste, noteMessage, renderDiagnosis, type DiscordMessage } from './render.js'
import { errorSummary } from './respond.js'
import { messageLink, whereOfMessage, type DiscordRuntime } from './runtime.js'
import type { IncidentSource } from '../../store/types.js'

/** `<@id>` or `<@!id>` of the bot, anywhere in the text (a reply ping alone is not a mention) */
export function mentionsBot(content: string, botId: string): boolean {
  return content.includes(`<@${botId}>`) || content.includes(`<@!${botId}>`)
}

export function stripBotMention(content: string, botId: string): string {
  return content.replace(new RegExp(`<@!?${botId}>`, 'g'), ' ').trim()
}

/** Messages never answered: bots (including ourselves), webhooks, system messages, DMs. */
function ignored(m: Message): boolean {
  return m.author.bot || Boolean(m.webhookId) || m.system || !m.inGuild()
}

export async function handleMessage(m: Message, rt: DiscordRuntime): Promise<void> {
  const receivedAt = Date.now()
  if (ignored(m)) return
  const botId = rt.client.user?.id
  if (!botId) return
  if (mentionsBot(m.content, botId)) return handleMention(m, botId, rt, receivedAt)
  return handlePassive(m, rt, receivedAt)
}

async function handlePassive(m: Message, rt: DiscordRuntime, receivedAt: number) {
  const config = rt.ctx.config
  // without the intent the content is "" anyway; say so in the settings rather than guess
  if (!config.PASSIVE_MODE || !config.DISCORD_MESSAGE_CONTENT) return
  const text = m.content
  if (!text.trim()) return
  if (config.DISCORD_CHANNELS.length > 0) {
    const parent = m.channel.isThread() ? m.channel.parentId : null
    if (!config.DISCORD_CHANNELS.includes(m.channelId) && !(parent && config.DISCORD_CHANNELS.includes(parent))) return
  }
  const clamped = clampPaste(text)
  // cheap pure pre-check so chatter costs no database round trip; triage applies the same rule again
  const pre = classify(clamped)
  if (pre.cause === 'none' || pre.confidence < config.PASSIVE_THRESHOLD) return
  if (!(await rt.claims.isFirst(claimIds.message(m.id)))) return
  await diagnoseAndReply(rt, m, m, clamped, 'paste', 'passive', receivedAt)
}

async function handleMention(m: Message, botId: string, rt: DiscordRuntime, receivedAt: number) {
  if (!(await rt.claims.isFirst(claimIds.message(m.id)))) return
  const rest = stripBotMention(m.content, botId)
  if (rest) {
    // "@bot checklist macos", "@bot help", or a paste after the mention
    const command = parseCommand(rest)
    if (command.kind === 'diagnose') {
      await diagnoseAndReply(rt, m, m, clampPaste(command.text), 'mention', 'explicit', receivedAt)
      return
    }
    try {
      const answer = await runCommand(command, { rt, where: whereOfMessage(m), source: 'mention', private: false, asker: askerOfMessage(m) })
      await post(rt, m, answer.kind === 'message' ? answer.message : noteMessage(mentionHelp()), 'mention', receivedAt)
    } catch (err) {
      rt.log.error({ err: errorSummary(err) }, 'mention command failed')
    }
    return
  }
  // a bare mention: diagnose the message it replies to, or the thread's first message
  const target = await mentionTarget(m, rt)
  if (!target) {
    await post(rt, m, noteMessage(mentionHelp()), 'mention', receivedAt)
    return
  }
  if (target.author.id === botId) {
    await post(rt, m, noteMessage('That is one of my own replies. Reply to the message with the error and mention me there.'), 'mention', receivedAt)
    return
  }
  if (!target.content.trim()) {
    const why = rt.ctx.config.DISCORD_MESSAGE_CONTENT
      ? 'That message has no text I can read (a screenshot or an attachment?). Paste the error as text and mention me.'
      : `I cannot read other people's messages on this server (the Message Content intent is off). Right-click the message -> Apps -> "${CONTEXT_MENU_NAME}", or mention me followed by the pasted error.`
    await post(rt, m, noteMessage(why), 'mention', receivedAt)
    return
  }
  if (!(await rt.claims.isFirst(claimIds.message(target.id)))) {
    await post(rt, m, noteMessage(`I already answered [that message](${messageLink(target.guildId, target.channelId, target.id)}); look for my reply next to it.`), 'mention', receivedAt)
    return
  }
  await diagnoseAndReply(rt, m, target, clampPaste(target.content), 'mention', 'explicit', receivedAt)
}

async function mentionTarget(m: Message, rt: DiscordRuntime): Promise<Message | null> {
  try {
    if (m.reference?.messageId) return await m.fetchReference()
    if (m.channel.isThread()) return await m.channel.fetchStarterMessage()
  } catch (err) {
    rt.log.warn({ err: errorSummary(err) }, 'could not fetch the message a mention points at')
  }
  return null
}

function askerOfMessage(m: Message) {
  let permissions: string | null = null
  try {
    permissions = m.member?.permissions.bitfield.toString() ?? null
  } catch {
    /* roles not cached */
  }
  return { permissions, isGuildOwner: Boolean(m.guild && m.guild.ownerId === m.author.id) }
}

function mentionHelp() {
  return [
    'Mention me with the error pasted after it, or reply to the message with the error and mention me.',
    `Also: right-click a message -> Apps -> "${CONTEXT_MENU_NAME}", or \`/${COMMAND_NAME} diagnose\`, \`/${COMMAND_NAME} help\`.`,
  ].join('\n')
}

/** Diagnose `text` (from `diagnosed`) and reply to `replyTo`. */
async function diagnoseAndReply(rt: DiscordRuntime, replyTo: Message, diagnosed: Message, text: string, source: IncidentSource, mode: 'explicit' | 'passive', receivedAt: number) {
  let message: DiscordMessage
  try {
    const result = await rt.ctx.triage.diagnose({ text, source, mode, ...whereOfMessage(replyTo, diagnosed) })
    if (!result.answer) return
    message = renderDiagnosis(result.reply, { incidentId: result.incidentId, shareable: false })
  } catch (err) {
    rt.log.error({ err: errorSummary(err) }, 'diagnosis failed')
    if (mode === 'passive') return
    message = noteMessage('Sorry, something went wrong on my side while diagnosing this. Please try again in a minute.')
  }
  await post(rt, replyTo, message, source, receivedAt)
}

async function post(rt: DiscordRuntime, replyTo: Message, message: DiscordMessage, source: IncidentSource, receivedAt: number) {
  try {
    // discord.js waits out 429s (Retry-After) and retries; failIfNotExists: the message may be deleted meanwhile
    await replyTo.reply({ ...message, failIfNotExists: false, allowedMentions: { parse: [], repliedUser: source !== 'paste' } })
    rt.ctx.metrics.replyLatency.observe({ platform: 'discord', source }, (Date.now() - receivedAt) / 1000)
  } catch (err) {
    rt.ctx.metrics.replyErrors.inc({ platform: 'discord' })
    rt.log.warn({ err: errorSummary(err), channel: replyTo.channelId }, 'could not reply to a Discord message')
  }
}
