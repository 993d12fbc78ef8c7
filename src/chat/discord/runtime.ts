// What every Discord handler is handed: the app context, the client, the claims, and where a message or
// interaction happened (server, channel, thread, person), in the shape triage and the store use.
import type { Client, Interaction, Message } from 'discord.js'
import type { AppContext } from '../../app-context.js'
import type { Logger } from '../../log.js'
import type { WorkspaceRef } from '../../store/types.js'
import type { Claims } from './claims.js'

export type DiscordRuntime = {
  ctx: AppContext
  client: Client
  claims: Claims
  log: Logger
  /** answer in one callback when the work is done within this, otherwise defer first (Discord's deadline is 3 s) */
  deferAfterMs: number
}

/** Where something happened. In a thread, channelId is the parent channel and threadId the thread. */
export type Where = {
  workspace: WorkspaceRef
  channelId: string
  threadId: string | null
  /** the message being diagnosed, when there is one */
  messageId: string | null
  userId: string
}

export function workspaceOf(guildId: string | null, guildName?: string | null): WorkspaceRef {
  // commands are registered for servers only (contexts: [Guild]); a DM would have no guild
  return { platform: 'discord', externalId: guildId ?? 'dm', name: guildName ?? null }
}

export function whereOfInteraction(i: Interaction, messageId: string | null = null): Where {
  const ch = i.channel
  const inThread = Boolean(ch && 'isThread' in ch && ch.isThread())
  return {
    workspace: workspaceOf(i.guildId, i.guild?.name),
    channelId: inThread && ch && 'parentId' in ch && ch.parentId ? ch.parentId : (i.channelId ?? 'unknown'),
    threadId: inThread && ch ? ch.id : null,
    messageId,
    userId: i.user.id,
  }
}

export function whereOfMessage(m: Message, diagnosed: Message = m): Where {
  const inThread = m.channel.isThread()
  return {
    workspace: workspaceOf(m.guildId, m.guild?.name),
    channelId: inThread && m.channel.isThread() && m.channel.parentId ? m.channel.parentId : m.channelId,
    threadId: inThread ? m.channelId : null,
    messageId: diagnosed.id,
    // the person with the error (the author of the diagnosed message)
    userId: diagnosed.author.id,
  }
}

/** A link that opens a message in Discord. */
export function messageLink(guildId: string | null, channelId: string, messageId: string): string {
  return `https://discord.com/channels/${guildId ?? '@me'}/${channelId}/${messageId}`
}
