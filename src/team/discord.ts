// The Discord side of the team features, kept out of the adapter so its edits stay small: a TeamMessage as a
// Discord message (one embed: mentions inside embeds never ping), and members leaving / kicked / banned from the
// server (GUILD_MEMBER_REMOVE, GuildMembers privileged intent: DISCORD_MEMBER_EVENTS) recorded as user_removed.
// Structural types only: no SDK import.
import { recordMemberRemoved } from './auto-events.js'
import type { TeamCommandDeps } from './commands.js'
import { renderDiscordEmbed, type TeamMessage } from './message.js'

export function discordTeamMessage(message: TeamMessage): { content: string; embeds: { title: string; description: string; color: number }[]; components: [] } {
  return { content: '', embeds: [renderDiscordEmbed(message)], components: [] }
}

/** What discord.js hands to guildMemberRemove (a full or partial GuildMember), structurally. */
export type RemovedMember = {
  id: string
  guild: { id: string; name?: string | null }
  displayName?: string | null
  user?: { username?: string | null; globalName?: string | null; bot?: boolean } | null
}

/** A member left, was kicked or banned -> a user_removed event (once per member within the lookback). Never throws. */
export async function onDiscordMemberRemoved(deps: TeamCommandDeps, member: RemovedMember): Promise<boolean> {
  if (!member?.id || !member.guild?.id || member.user?.bot) return false
  let name: string | null = null
  try {
    name = member.user?.globalName || member.user?.username || member.displayName || null
  } catch {
    // a partial member may not know its display name
  }
  const recorded = await recordMemberRemoved(
    { store: deps.store, log: deps.log, clock: deps.clock, lookbackDays: Math.max(deps.config.EVENT_LOOKBACK_DAYS, 30) },
    { workspace: { platform: 'discord', externalId: member.guild.id, name: member.guild.name ?? null }, userId: member.id, name, how: 'left or removed from the Discord server' },
  )
  return recorded !== null
}
