// The last guard on what the bot sends: every Discord limit, whatever built the message; and how much of a huge
// paste is analysed.
import { describe, expect, it } from 'vitest'
import { clampPaste, fitLimits, MAX_ANALYSED_CHARS, noteMessage, prefixOf, withPrefix } from '../../../src/chat/discord/render.js'
import { validateMessage } from '../../fakes/fake-discord.js'

describe('Discord limits', () => {
  it('GIVEN a message over every limit WHEN fitted THEN Discord would accept it', () => {
    const big = 'y'.repeat(5_000)
    const msg = fitLimits({
      content: big,
      embeds: Array.from({ length: 12 }, () => ({ title: big, description: big, footer: { text: big }, fields: Array.from({ length: 30 }, () => ({ name: big, value: big })) })),
      components: Array.from({ length: 7 }, () => ({
        type: 1,
        components: Array.from({ length: 7 }, (_, n) => ({ type: 2, style: 1, label: 'ok', custom_id: n === 0 ? 'x'.repeat(101) : `id-${n}` })),
      })) as any,
    })
    expect(validateMessage(msg as any)).toEqual([])
    expect(msg.embeds!.length).toBeGreaterThan(0)
    expect(msg.components!.flatMap((r) => r.components).every((c: any) => c.custom_id.length <= 100)).toBe(true)
  })

  it('GIVEN a message within the limits WHEN fitted THEN it is unchanged', () => {
    const msg = { content: 'hi', embeds: [{ title: 't', description: 'd', fields: [{ name: 'n', value: 'v' }] }], components: [] }
    expect(fitLimits(msg)).toEqual(msg)
  })

  it('GIVEN a prefix WHEN added THEN it is the first line, kept within 2,000 characters, and recognised for edits', () => {
    const m = withPrefix(noteMessage('z'.repeat(1_999)), 'About [this message](https://discord.com/channels/1/2/3):')
    expect(m.content!.length).toBeLessThanOrEqual(2_000)
    expect(prefixOf(m.content)).toBe('About [this message](https://discord.com/channels/1/2/3):')
    expect(prefixOf('🔒 I hid 1 key')).toBeNull()
  })

  it('GIVEN a 100,000-character paste WHEN clamped THEN its head and tail are analysed, within the cap', () => {
    const text = 'HEAD\n' + 'x'.repeat(100_000) + '\nAPI Error: 401 invalid x-api-key'
    const out = clampPaste(text)
    expect(out.length).toBeLessThan(MAX_ANALYSED_CHARS + 100)
    expect(out.startsWith('HEAD')).toBe(true)
    expect(out.endsWith('invalid x-api-key')).toBe(true)
    expect(clampPaste('short')).toBe('short')
  })
})
