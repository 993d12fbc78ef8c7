import { describe, expect, it } from 'vitest'
import { matchRule } from '../../src/diagnosis/engine.js'
import {
  CAUSE_IDS,
  NOT_AUTH_KINDS,
  PLATFORMS,
  PLATFORM_RULES,
  RULES,
  SYMPTOM_IDS,
  CAUSES,
  SYMPTOMS,
  explain,
  type ComboRule,
  type RegexRule,
  type SignalRule,
} from '../../src/diagnosis/index.js'

const regexRules = RULES.filter((r): r is RegexRule => r.kind !== 'combo')
const signals = RULES.filter((r): r is SignalRule => r.kind === 'signal')
const combos = RULES.filter((r): r is ComboRule => r.kind === 'combo')

describe('rule examples', () => {
  for (const rule of regexRules) {
    describe(rule.id, () => {
      for (const text of rule.examples.positive)
        it(`GIVEN its positive example ${JSON.stringify(text.slice(0, 60))} WHEN matched THEN ${rule.id} fires`, () => {
          expect(matchRule(rule, text), `${rule.id} should match`).not.toBeNull()
        })
      for (const text of rule.examples.negative)
        it(`GIVEN its negative example ${JSON.stringify(text.slice(0, 60))} WHEN matched THEN ${rule.id} stays silent`, () => {
          expect(matchRule(rule, text), `${rule.id} should not match`).toBeNull()
        })
    })
  }
  for (const rule of combos) {
    describe(rule.id, () => {
      for (const text of rule.examples.positive)
        it(`GIVEN its positive example WHEN explained THEN combo ${rule.id} fires`, () => {
          expect(explain(text).map((e) => e.rule)).toContain(rule.id)
        })
      for (const text of rule.examples.negative)
        it(`GIVEN its negative example ${JSON.stringify(text.slice(0, 50))} WHEN explained THEN combo ${rule.id} does not fire`, () => {
          expect(explain(text).map((e) => e.rule)).not.toContain(rule.id)
        })
    })
  }
  for (const rule of PLATFORM_RULES) {
    describe(rule.id, () => {
      for (const text of rule.examples.positive)
        it(`GIVEN ${JSON.stringify(text.slice(0, 50))} WHEN matched THEN platform clue ${rule.id} fires`, () => {
          expect(matchRule(rule, text)).not.toBeNull()
        })
      for (const text of rule.examples.negative)
        it(`GIVEN ${JSON.stringify(text.slice(0, 50))} WHEN matched THEN platform clue ${rule.id} stays silent`, () => {
          expect(matchRule(rule, text)).toBeNull()
        })
    })
  }
})

describe('matrix completeness', () => {
  it('GIVEN every cause id and not_auth WHEN the rules are listed THEN each has signal rules with positive and negative examples', () => {
    const lacking: string[] = []
    for (const cause of [...CAUSE_IDS, 'not_auth' as const]) {
      const own = signals.filter((r) => r.cause === cause)
      if (!own.length) lacking.push(`${cause}: no signal rule`)
      if (!own.some((r) => r.examples.positive.length > 0)) lacking.push(`${cause}: no positive example`)
      if (!own.some((r) => r.examples.negative.length > 0)) lacking.push(`${cause}: no negative example`)
    }
    expect(lacking).toEqual([])
  })

  it('GIVEN every rule WHEN inspected THEN it has at least one positive and one negative example', () => {
    const lacking = [...RULES, ...PLATFORM_RULES].filter((r) => !r.examples.positive.length || !r.examples.negative.length).map((r) => r.id)
    expect(lacking).toEqual([])
  })

  it('GIVEN every symptom row of the matrix WHEN the rules are listed THEN some signal rule shows it', () => {
    const shown = new Set(signals.map((r) => r.symptom).filter(Boolean))
    expect(SYMPTOM_IDS.filter((s) => !shown.has(s))).toEqual([])
  })

  it('GIVEN every kind of non-auth error WHEN the rules are listed THEN some not_auth rule names it', () => {
    const kinds = new Set(signals.filter((r) => r.cause === 'not_auth').map((r) => r.notAuthKind))
    expect(NOT_AUTH_KINDS.filter((k) => !kinds.has(k))).toEqual([])
    expect(signals.filter((r) => r.cause === 'not_auth' && !r.notAuthKind).map((r) => r.id)).toEqual([])
  })

  it('GIVEN every platform WHEN the platform clues are listed THEN each platform has at least one clue', () => {
    const covered = new Set(PLATFORM_RULES.map((r) => r.platform))
    expect(PLATFORMS.filter((p) => !covered.has(p))).toEqual([])
  })

  it('GIVEN the matrix tables WHEN compared with the ids THEN every cause and symptom is described once', () => {
    expect(CAUSES.map((c) => c.id).sort()).toEqual([...CAUSE_IDS, 'not_auth', 'none'].sort())
    expect(SYMPTOMS.map((s) => s.id).sort()).toEqual([...SYMPTOM_IDS].sort())
  })

  it('GIVEN all rules WHEN their ids, anchors and weights are checked THEN ids are unique, anchors lower-case and weights in (0,1]', () => {
    const ids = [...RULES, ...PLATFORM_RULES].map((r) => r.id)
    expect(ids.length).toBe(new Set(ids).size)
    const bad: string[] = []
    for (const r of [...regexRules, ...PLATFORM_RULES]) {
      for (const a of r.anchors) if (a !== a.toLowerCase() || !a.trim()) bad.push(`${r.id}: anchor ${JSON.stringify(a)}`)
      if (r.pattern instanceof RegExp && (r.pattern.flags.includes('g') || r.pattern.flags.includes('y'))) bad.push(`${r.id}: stateful flags`)
    }
    for (const r of [...signals, ...combos, ...PLATFORM_RULES]) if (!(r.weight > 0 && r.weight <= 1)) bad.push(`${r.id}: weight ${r.weight}`)
    expect(bad).toEqual([])
  })

  it('GIVEN the combo rules WHEN their tags are checked THEN every tag they need is set by some regex rule', () => {
    const produced = new Set(regexRules.flatMap((r) => r.tags ?? []))
    const needed = [...combos.flatMap((c) => [...c.allTags, ...(c.anyTags ?? []), ...(c.suppressedBy ?? [])]), ...signals.flatMap((s) => s.suppressedBy ?? [])]
    expect(needed.filter((t) => !produced.has(t))).toEqual([])
  })

  it('GIVEN a rule is removed from a cause WHEN the completeness check runs THEN it would report the gap (the check can fail)', () => {
    const without = signals.filter((r) => r.cause !== 'cloud_provider')
    const missing = [...CAUSE_IDS].filter((c) => !without.some((r) => r.cause === c))
    expect(missing).toEqual(['cloud_provider'])
  })
})
