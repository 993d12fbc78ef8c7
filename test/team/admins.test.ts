import { describe, expect, it } from 'vitest'
import { discordCanManageGuild, isAdmin, isListedAdmin, isPlatformAdmin } from '../../src/team/admins.js'

describe('admin identity', () => {
  it('GIVEN ADMIN_USER_IDS with a bare id WHEN that user asks on either platform THEN they are an admin', () => {
    expect(isListedAdmin(['U0ADMIN'], 'slack', 'U0ADMIN')).toBe(true)
    expect(isListedAdmin(['U0ADMIN'], 'discord', 'U0ADMIN')).toBe(true)
    expect(isListedAdmin(['U0ADMIN'], 'slack', 'U0OTHER')).toBe(false)
  })

  it('GIVEN platform-prefixed entries WHEN the id matches on the other platform THEN it does not count', () => {
    const ids = ['slack:U0ADMIN', 'discord:123456789012345678']
    expect(isListedAdmin(ids, 'slack', 'U0ADMIN')).toBe(true)
    expect(isListedAdmin(ids, 'discord', 'U0ADMIN')).toBe(false)
    expect(isListedAdmin(ids, 'discord', '123456789012345678')).toBe(true)
    expect(isListedAdmin(ids, 'slack', '123456789012345678')).toBe(false)
  })

  it('GIVEN an empty user id WHEN checked THEN never an admin (an empty list entry cannot match it)', () => {
    expect(isListedAdmin([''], 'slack', '')).toBe(false)
    expect(isAdmin([], 'slack', '', null)).toBe(false)
  })

  it('GIVEN Slack facts WHEN the user is a workspace admin, owner or primary owner THEN admin; a member is not', () => {
    expect(isAdmin([], 'slack', 'U1', { platform: 'slack', isAdmin: true })).toBe(true)
    expect(isAdmin([], 'slack', 'U1', { platform: 'slack', isOwner: true })).toBe(true)
    expect(isAdmin([], 'slack', 'U1', { platform: 'slack', isPrimaryOwner: true })).toBe(true)
    expect(isAdmin([], 'slack', 'U1', { platform: 'slack', isAdmin: false, isOwner: false })).toBe(false)
    expect(isAdmin([], 'slack', 'U1', null)).toBe(false)
  })

  it('GIVEN Discord permission bitfields WHEN they carry Manage Server or Administrator THEN admin', () => {
    expect(discordCanManageGuild(String(1n << 5n))).toBe(true) // MANAGE_GUILD
    expect(discordCanManageGuild(String(1n << 3n))).toBe(true) // ADMINISTRATOR
    expect(discordCanManageGuild(((1n << 40n) | (1n << 5n)).toString())).toBe(true) // high bits beyond 2^32
    expect(discordCanManageGuild(String((1n << 4n) | (1n << 6n)))).toBe(false) // MANAGE_CHANNELS | ADD_REACTIONS
    expect(discordCanManageGuild('not-a-number')).toBe(false)
    expect(discordCanManageGuild(null)).toBe(false)
    expect(isPlatformAdmin({ platform: 'discord', isGuildOwner: true })).toBe(true)
    expect(isAdmin([], 'discord', '1', { platform: 'discord', permissions: '0' })).toBe(false)
  })

  it('GIVEN facts from the other platform WHEN checked THEN they are ignored', () => {
    expect(isAdmin([], 'discord', '1', { platform: 'slack', isOwner: true })).toBe(false)
  })
})
