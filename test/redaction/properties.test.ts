// Property tests: no generated secret survives, redaction is idempotent, harmless text stays as it was.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { containsSecret, redact } from '../../src/redaction/index.js'
import { embeddedSecret, harmlessText, noise, secretSamples } from './arbitraries.js'

const RUNS = { numRuns: 300 }

describe('redaction properties', () => {
  for (const [shape, arb] of Object.entries(secretSamples)) {
    it(`GIVEN a ${shape} embedded anywhere in random text WHEN redacted THEN its body never survives`, () => {
      fc.assert(
        fc.property(arb, noise, noise, fc.constantFrom('', ' ', '\n', '"', '=', ':', '🙂'), (s, before, after, glue) => {
          const text = `${before}${s.boundary === 'nonword' && /[A-Za-z0-9_-]$/.test(before) ? ' ' : ''}${glue}${s.secret}${glue}${after}`
          const out = redact(text)
          expect(out.text).not.toContain(s.body)
          expect(containsSecret(text)).toBe(true)
          expect(containsSecret(out.text)).toBe(false)
          expect(out.remarks.length).toBeGreaterThan(0)
        }),
        { numRuns: 100 },
      )
    })
  }

  it('GIVEN several secrets of any shape in one text WHEN redacted THEN none survives', () => {
    fc.assert(
      fc.property(fc.array(embeddedSecret, { minLength: 1, maxLength: 5 }), (items) => {
        const text = items.map((i) => i.text).join(' ')
        const out = redact(text).text
        for (const i of items) expect(out).not.toContain(i.sample.body)
      }),
      RUNS,
    )
  })

  it('GIVEN any text WHEN redacted twice THEN the second pass changes nothing and reports nothing', () => {
    const anyText = fc.oneof(
      embeddedSecret.map((e) => e.text),
      harmlessText,
      fc.string({ maxLength: 200 }),
      fc.array(embeddedSecret, { maxLength: 4 }).map((xs) => xs.map((x) => x.text).join('\n')),
    )
    fc.assert(
      fc.property(anyText, (text) => {
        const once = redact(text)
        const twice = redact(once.text)
        expect(twice.text).toBe(once.text)
        expect(twice.remarks).toEqual([])
      }),
      RUNS,
    )
  })

  it('GIVEN text without secrets WHEN redacted THEN it is returned unchanged', () => {
    fc.assert(
      fc.property(harmlessText, (text) => {
        expect(redact(text)).toEqual({ text, remarks: [] })
        expect(containsSecret(text)).toBe(false)
      }),
      RUNS,
    )
  })

  it('GIVEN an email or a home-directory user name in random text WHEN redacted THEN the person is hidden', () => {
    const name = fc
      .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789._-'), minLength: 3, maxLength: 16 })
      .filter((n) => /^[a-z]/.test(n) && !['user', 'username', 'you', 'yourname', 'shared', 'public', 'default', 'name'].includes(n))
    const where = fc.constantFrom(
      (n: string) => [`/Users/${n}/.claude.json`, `/Users/${n}/`],
      (n: string) => [`/home/${n}/.bashrc`, `/home/${n}/`],
      (n: string) => [`C:\\Users\\${n}\\.claude`, `\\Users\\${n}\\`],
      (n: string) => [`/mnt/c/Users/${n}/code`, `/Users/${n}/`],
      (n: string) => [`${n.replace(/^[._-]+|[._-]+$/g, '') || 'a'}@mail.example.com`, `@mail.example.com`],
    )
    fc.assert(
      fc.property(noise, name, where, noise, (before, n, make, after) => {
        const [piece, mustVanish] = make(n)
        const out = redact(`${before} ${piece} ${after}`).text
        expect(out).not.toContain(mustVanish)
      }),
      RUNS,
    )
  })
})
