// Linear time on hostile input: these must finish (the bench measures speed; here only a generous sanity bound so a
// catastrophic regex, which would take minutes or hours, fails the test).
import { describe, expect, it } from 'vitest'
import { classify, normalise } from '../../src/diagnosis/index.js'
import { SCANNER } from '../../src/diagnosis/engine.js'

const MB = 1 << 20
const fill = (unit: string, size = MB) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size)
const SANITY_MS = 10_000

const inputs: [string, () => string][] = [
  ['1 MB of spaces', () => fill(' ')],
  ['1 MB of spaces ending in an error', () => fill(' ', MB - 40) + 'API Error: 401 invalid x-api-key'],
  ['repeated "sk-ant-"', () => fill('sk-ant-')],
  ['repeated \'{"error":\'', () => fill('{"error":')],
  ['deeply nested JSON', () => '{"error":'.repeat(50_000) + '"x"' + '}'.repeat(50_000)],
  ['many newlines', () => fill('\n')],
  ['a 1 MB line without a newline', () => fill('abcdefghij')],
  ['repeated error keywords', () => fill('error failed invalid api key token expired 401 403 ')],
  ['repeated near-miss phrases', () => fill('invalid api invalid x-api invalid credential credit balance is too ')],
  ['repeated Slack link openers', () => fill('<https://a.b|')],
  ['repeated entities and escapes', () => fill('&amp;\\\\\\"\\n&#')],
  ['repeated ANSI starts', () => fill('\u001b[')],
  ['repeated box drawing', () => fill('│─╭╰')],
  ['backslash runs', () => fill('\\')],
  ['a path that never ends', () => '/' + fill('a/', MB)],
  ['repeated /claude paths', () => fill('/usr/local/bin/claude ')],
  ['many different anchors', () => fill('econnrefused oauth callback wsl docker vscode extension keychain .claude.json mcp server 529 ')],
]

describe('adversarial inputs up to 1 MB', () => {
  for (const [name, make] of inputs)
    it(`GIVEN ${name} WHEN classified THEN it completes`, () => {
      const text = make()
      const t0 = performance.now()
      const d = classify(text)
      const ms = performance.now() - t0
      expect(ms).toBeLessThan(SANITY_MS)
      for (const e of d.evidence) expect(text.slice(e.start, e.end)).toBe(e.text)
    })

  it('GIVEN an error at the very end of a 1 MB log full of the word "error" WHEN classified THEN it is still found', () => {
    const text = fill('info: error budget fine\n', MB) + '\nAPI Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}'
    expect(classify(text).cause).toBe('invalid_api_key')
  })

  it('GIVEN inputs of growing size WHEN normalised and scanned THEN the work grows about linearly', () => {
    // counts, not time: the number of windows and anchor positions kept is bounded, so this checks the bound holds
    const small = SCANNER.scan(normalise(fill('error 401 ', 10_000)).lower)
    const big = SCANNER.scan(normalise(fill('error 401 ', MB)).lower)
    for (const a of big.found) expect(big.positions(a).length).toBeLessThanOrEqual(16)
    expect(big.found.length).toBe(small.found.length)
  })
})

describe('fused scan', () => {
  it('GIVEN any text WHEN normalised with the scanner THEN it finds exactly what a separate scan of the normalised text finds', async () => {
    const fc = (await import('fast-check')).default
    const { normaliseCore } = await import('../../src/diagnosis/normalise.js')
    const words = ['api error: 401', 'invalid x-api-key', ' ', '\n', '\\"', '&amp;', '\u001b[31m', 'oauth token has expired', 'pod', 'cast', '14012', '401', 'ÉTÉ', '│', 'extension', 'vs code', 'econnrefused']
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 5 })), { maxLength: 40 }), (parts) => {
        const text = parts.join('')
        const fused = normaliseCore(text, false, SCANNER)
        const found = fused.hits!.found.map((a) => [a, fused.hits!.count(a), Array.from(fused.hits!.positions(a))] as const).sort((x, y) => x[0] - y[0])
        const lower = fused.lower
        const sep = SCANNER.scan(lower)
        const expected = sep.found.map((a) => [a, sep.count(a), Array.from(sep.positions(a))] as const).sort((x, y) => x[0] - y[0])
        expect(found).toEqual(expected)
      }),
      { numRuns: 400 },
    )
  })
})
