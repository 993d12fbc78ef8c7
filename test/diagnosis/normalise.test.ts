import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { normalise, toOriginalSpan } from '../../src/diagnosis/index.js'

const norm = (s: string) => normalise(s).text

describe('normalise', () => {
  it('GIVEN a Slack code fence and inline code WHEN normalised THEN the backticks are gone and words stay apart', () => {
    expect(norm('```\nAPI Error: 401\n```')).toBe('API Error: 401')
    expect(norm('see `Invalid API key` here')).toBe('see Invalid API key here')
  })

  it('GIVEN Slack links WHEN normalised THEN <url|text> keeps the text and <url> keeps the url', () => {
    expect(norm('read <https://docs.example.com/x|the docs> now')).toBe('read the docs now')
    expect(norm('go to <https://status.example.com>')).toBe('go to https://status.example.com')
    expect(norm('ping <@U123ABC|sam>')).toBe('ping sam')
  })

  it('GIVEN a literal angle bracket that is not a link WHEN normalised THEN it is kept', () => {
    expect(norm('security: X (<default>): item exists')).toBe('security: X (<default>): item exists')
    expect(norm('a < b and c > d')).toBe('a < b and c > d')
  })

  it('GIVEN HTML entities WHEN normalised THEN they are decoded', () => {
    expect(norm('Plans &amp; Billing &lt;x&gt; &quot;quoted&quot; it&#39;s &#x41;')).toBe('Plans & Billing <x> "quoted" it\'s A')
  })

  it('GIVEN ANSI colour codes, also with the ESC byte lost WHEN normalised THEN they vanish', () => {
    expect(norm('\u001b[31mError\u001b[39m: \u001b[1;33mboom\u001b[0m')).toBe('Error: boom')
    expect(norm('[31mError[39m: x')).toBe('Error: x')
    expect(norm('\u001b]8;;https://x\u0007link\u001b]8;;\u0007')).toBe('link')
  })

  it('GIVEN a terminal frame of box-drawing characters WHEN normalised THEN only the content remains', () => {
    expect(norm('╭────╮\n│ hi │\n╰────╯')).toBe('hi')
    expect(norm('  ⎿  API Error (Connection error.)')).toBe('API Error (Connection error.)')
  })

  it('GIVEN zero-width and non-breaking characters WHEN normalised THEN words are whole and spaces plain', () => {
    expect(norm('Invalid\u200b API\u00a0key\ufeff')).toBe('Invalid API key')
    expect(norm('unauthor\u200dized')).toBe('unauthorized')
  })

  it('GIVEN escaped JSON (one or two levels) WHEN normalised THEN quotes and newlines are plain', () => {
    expect(norm('{\\"type\\":\\"error\\"}\\n    at x')).toBe('{"type":"error"}\nat x')
    expect(norm('{\\\\\\"message\\\\\\":\\\\\\"boom\\\\\\"}')).toBe('{"message":"boom"}')
    expect(norm('\\u001b[31mred\\u001b[0m')).toBe('red')
  })

  it('GIVEN a Windows path with \\n and \\t inside WHEN normalised THEN the path is not torn apart', () => {
    expect(norm('C:\\Users\\me\\node_modules\\temp')).toBe('C:\\Users\\me\\node_modules\\temp')
    expect(norm('C:\\\\Users\\\\me\\\\npm')).toBe('C:\\Users\\me\\npm')
  })

  it('GIVEN an error type wrapped by the terminal after its underscore WHEN normalised THEN it joins again', () => {
    expect(norm('"type":"api_\n    error"')).toBe('"type":"api_error"')
  })

  it('GIVEN runs of whitespace WHEN normalised THEN they collapse to one space, or one newline when they held a line break', () => {
    expect(norm('a   b\t\tc')).toBe('a b c')
    expect(norm('a  \n\n   b')).toBe('a\nb')
    expect(norm('   padded   ')).toBe('padded')
  })

  it('GIVEN smart quotes and markdown bold WHEN normalised THEN they become plain', () => {
    expect(norm('you\u2019ve hit **your limit**')).toBe("you've hit your limit")
  })

  it('GIVEN mixed case WHEN normalised THEN lower is ASCII-lower-cased with the same length', () => {
    const n = normalise('API Error: ÉTÉ 401')
    expect(n.lower).toBe('api error: ÉtÉ 401')
    expect(n.lower.length).toBe(n.text.length)
  })

  it('GIVEN any text WHEN normalised THEN every unit maps back inside the original, in order', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const n = normalise(s)
        expect(n.starts.length).toBe(n.text.length)
        let prev = -1
        for (let i = 0; i < n.text.length; i++) {
          const a = n.starts[i]!
          const b = n.ends[i]!
          expect(a).toBeGreaterThanOrEqual(0)
          expect(b).toBeGreaterThan(a)
          expect(b).toBeLessThanOrEqual(s.length)
          expect(a).toBeGreaterThan(prev)
          prev = a
        }
      }),
      { numRuns: 300 },
    )
  })

  it('GIVEN a plain ASCII text without markup WHEN a span is mapped back THEN it is the same substring', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9:.,"{}]{1,40}( [a-z0-9:.,"{}]{1,40}){0,8}$/), fc.nat(), fc.nat(), (s, x, y) => {
        const n = normalise(s)
        const a = x % (n.text.length + 1)
        const b = a + (y % (n.text.length - a + 1))
        const o = toOriginalSpan(n, a, b)
        expect(s.slice(o.start, o.end)).toBe(n.text.slice(a, b))
      }),
      { numRuns: 300 },
    )
  })
})
