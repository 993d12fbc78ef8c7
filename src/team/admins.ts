// Who is an admin of the team features (events, stats, the dashboard). Pure: the chat adapters look the platform
// facts up (Slack users.info is_admin/is_owner; Discord member permissions) and pass them in.
import type { ChatPlatform } from '../store/types.js'

/** What the platform says about the person. Unknown facts count as "no". */
export type PlatformAdminFacts =
  | { platform: 'slack'; isAdmin?: boolean; isOwner?: boolean; isPrimaryOwner?: boolean }
  | { platform: 'discord'; /** the member's permission bitfield as Discord sends it (decimal string) */ permissions?: string | bigint | null; isGuildOwner?: boolean }

/** Discord permission bits (https://discord.com/developers/docs/topics/permissions). */
export const DISCORD_ADMINISTRATOR = 1n << 3n
export const DISCORD_MANAGE_GUILD = 1n << 5n

/** true when the bitfield carries Manage Server (or Administrator, which implies every permission). */
export function discordCanManageGuild(permissions: string | bigint | null | undefined): boolean {
  if (permissions === null || permissions === undefined || permissions === '') return false
  let bits: bigint
  try {
    bits = typeof permissions === 'bigint' ? permissions : BigInt(permissions)
  } catch {
    return false
  }
  return (bits & DISCORD_MANAGE_GUILD) !== 0n || (bits & DISCORD_ADMINISTRATOR) !== 0n
}

/**
 * Entries of ADMIN_USER_IDS: `U0123ABC` (any platform), `slack:U0123ABC` or `discord:123456789012345678`
 * (that platform only). Case matters for Slack ids; surrounding spaces are already trimmed by the settings.
 */
export function isListedAdmin(adminUserIds: readonly string[], platform: ChatPlatform, userId: string): boolean {
  if (!userId) return false
  for (const entry of adminUserIds) {
    const m = /^(slack|discord):(.+)$/i.exec(entry)
    if (m) {
      if (m[1]!.toLowerCase() === platform && m[2] === userId) return true
    } else if (entry === userId) {
      return true
    }
  }
  return false
}

export function isPlatformAdmin(facts: PlatformAdminFacts | null | undefined): boolean {
  if (!facts) return false
  if (facts.platform === 'slack') return Boolean(facts.isAdmin || facts.isOwner || facts.isPrimaryOwner)
  return Boolean(facts.isGuildOwner) || discordCanManageGuild(facts.permissions)
}

/** An admin is listed in ADMIN_USER_IDS, or a Slack workspace admin/owner, or a Discord member with Manage Server. */
export function isAdmin(adminUserIds: readonly string[], platform: ChatPlatform, userId: string, facts?: PlatformAdminFacts | null): boolean {
  if (isListedAdmin(adminUserIds, platform, userId)) return true
  return facts?.platform === platform && isPlatformAdmin(facts)
}
