import { describe, expect, it } from 'vitest'
import {
  renderDiscordEmbed,
  renderDiscordText,
  renderPlainText,
  renderSlackBlocks,
  renderSlackText,
  SLACK_SECTION_LIMIT,
  type TeamMessage,
} from '../../src/team/message.js'

const msg = (lines: TeamMessage['lines']): TeamMessage => ({ title: 'T', lines, ephemeral: true, ok: true })

describe('team message renderers', () => {
  it('GIVEN user text with Slack control sequences WHEN rendered for Slack THEN no broadcast, mention or link survives', () => {
    const text = renderSlackText(msg(['<!channel> <@U0BOSS> <https://evil.example|click> & more']))
    expect(text).not.toContain('<!channel>')
    expect(text).not.toContain('<@U0BOSS>')
    expect(text).not.toContain('<https://evil')
    expect(text).toContain('&lt;!channel&gt;')
    expect(text).toContain('&amp; more')
  })

  it('GIVEN a user segment and a link segment WHEN rendered for Slack THEN they become a mention and a link', () => {
    const text = renderSlackText(msg([[{ user: 'U0ADMIN' }, ' ', { link: 'https://bot.example/admin/login?token=a|b', label: 'Open' }]]))
    expect(text).toContain('<@U0ADMIN>')
    expect(text).toMatch(/<https:\/\/bot\.example\/admin\/login\?token=a%7Cb\|Open>/)
  })

  it('GIVEN user text with @everyone and Markdown WHEN rendered for Discord THEN nobody is pinged and the Markdown is literal', () => {
    const text = renderDiscordText(msg(['@everyone **bold** <@123456789012345678> [x](https://evil.example)']))
    expect(text).not.toMatch(/@everyone/)
    expect(text).not.toContain('<@123456789012345678>')
    expect(text).toContain('\\*\\*bold\\*\\*')
    expect(text).toContain('\\[x\\]\\(https')
  })

  it('GIVEN a Discord user segment WHEN rendered THEN a mention; a non-snowflake stays text', () => {
    expect(renderDiscordText(msg([[{ user: '123456789012345678' }]]))).toContain('<@123456789012345678>')
    expect(renderDiscordText(msg([[{ user: 'vault-bot' }]]))).not.toContain('<@')
  })

  it('GIVEN very long content WHEN rendered THEN every platform limit holds', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(80)}`)
    const blocks = renderSlackBlocks(msg(lines))
    expect(blocks.length).toBeLessThanOrEqual(50)
    for (const b of blocks) {
      const t = (b as { text?: { text: string } }).text?.text ?? ''
      expect(t.length).toBeLessThanOrEqual(SLACK_SECTION_LIMIT)
    }
    expect(renderDiscordText(msg(lines)).length).toBeLessThanOrEqual(2000)
    expect(renderDiscordEmbed(msg(lines)).description.length).toBeLessThanOrEqual(4096)
    expect(renderSlackText(msg(lines)).length).toBeLessThanOrEqual(4000)
  })

  it('GIVEN a message WHEN rendered as plain text THEN title and lines appear in order', () => {
    expect(renderPlainText(msg(['a', [{ code: 'b' }, { strong: 'c' }]]))).toBe('T\na\nbc')
  })
})
