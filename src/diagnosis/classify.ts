// classify(text) -> Diagnosis: pure, linear in the input, no I/O and no clock.
//
// Scoring: every matched signal rule votes for its cause with its weight (damped when a suppressing context is
// present); votes for one cause combine as a noisy-OR (1 - Π(1 - w)), so independent clues add up but never pass 1.
// Combo rules (conjunctions of context tags) vote the same way. The best cause wins when its score reaches
// EXPLICIT_THRESHOLD; below that the verdict is 'none'. Confidence is the winning score, lowered when another cause
// is nearly as likely, so passive replies (PASSIVE_THRESHOLD) only fire on clear, unambiguous errors.
import { SCANNER, scanText, type RuleMatch, type ScanNorm, type Scanned } from './engine.js'
import { fingerprint as fingerprintOf, statusAndType } from './fingerprint.js'
import { toOriginalSpan } from './normalise.js'
import type { ComboRule, RuleCause, SignalRule } from './rule-types.js'
import { PLATFORM_RULES, RULES } from './rules.js'
import { CAUSE_IDS, type CauseId, type Diagnosis, type Evidence, type NotAuthKind, type Platform, type SymptomId } from './types.js'

/** passive channel replies need at least this confidence */
export const PASSIVE_THRESHOLD = 0.6
/** below this the engine names no cause at all (verdict 'none'); an explicit /claude-auth answers from here up */
export const EXPLICIT_THRESHOLD = 0.35
/** weight factor of a rule whose suppressing context is present */
const SUPPRESSED = 0.4
/** texts up to this length go through the allocation-free prefilter first */
const PREFILTER_MAX = 2048
/** weight factor of a generic clue (status code, error type) explained by a specific message of another cause */
const EXPLAINED = 0.4
/** a non-generic clue at least this strong counts as specific */
const SPECIFIC_WEIGHT = 0.6
/** how much a runner-up as strong as the winner lowers the confidence (a share of the winning score) */
const MARGIN_PENALTY = 0.25
/** alternatives below this score are not listed */
const ALTERNATIVE_FLOOR = 0.15
const MAX_ALTERNATIVES = 3
const MAX_EVIDENCE = 5
/** evidence longer than this (normalised characters) is cut at a word boundary */
const MAX_EVIDENCE_LEN = 240

const RULE_BY_ID = new Map(RULES.map((r) => [r.id, r]))
const COMBOS = RULES.filter((r): r is ComboRule => r.kind === 'combo')

const PLATFORM_ORDER: Platform[] = ['wsl', 'docker', 'ssh', 'vscode', 'windows', 'macos', 'linux']
const CAUSE_ORDER: RuleCause[] = [...CAUSE_IDS, 'not_auth']

// Tags and causes as bits, so scoring a text needs no Map or Set: a text's tags are one integer.
const TAG_BIT = new Map<string, number>()
function tagBit(tag: string): number {
  let bit = TAG_BIT.get(tag)
  if (bit === undefined) {
    bit = TAG_BIT.size
    if (bit > 30) throw new Error('classify: more than 31 context tags; widen the tag mask')
    TAG_BIT.set(tag, bit)
  }
  return bit
}
const maskOf = (tags: readonly string[] | undefined) => (tags ?? []).reduce((m, t) => m | (1 << tagBit(t)), 0)
/** per rule: the bits of the tags it sets (in order) and the mask of the tags that damp it */
const RULE_TAGS = RULES.map((r) => (r.kind === 'combo' ? [] : (r.tags ?? []).map(tagBit)))
const RULE_SUPPRESSED_BY = RULES.map((r) => (r.kind === 'combo' ? 0 : r.kind === 'signal' ? maskOf(r.suppressedBy) : 0))
const COMBO_MASKS = COMBOS.map((r) => {
  if (new Set(r.anyTags ?? []).size !== (r.anyTags ?? []).length) throw new Error(`combo ${r.id}: duplicate anyTags`)
  return { all: maskOf(r.allTags), any: maskOf(r.anyTags), suppressedBy: maskOf(r.suppressedBy) }
})
const CAUSE_BIT = new Map(CAUSE_ORDER.map((c, i) => [c, i]))
const NOT_AUTH_MASK = 1 << CAUSE_BIT.get('not_auth')!
const ALT_ENTRIES = RULES.map((r) => (r.kind === 'signal' && r.alt ? (Object.entries(r.alt) as [RuleCause, number][]) : []))
// scratch of one classify call (classify is synchronous)
const tagSpan: (RuleMatch | null)[] = Array.from({ length: 31 }, () => null)
const tagRule: string[] = Array.from({ length: 31 }, () => '')
const tagWeight = new Float64Array(31)
const causeMiss = new Float64Array(CAUSE_ORDER.length)
const causeAlt = new Float64Array(CAUSE_ORDER.length)

function popcount(x: number): number {
  let n = 0
  for (let v = x; v !== 0; v &= v - 1) n++
  return n
}

export type ClassifyOptions = {
  /** name a cause from this score up (default EXPLICIT_THRESHOLD); below it the verdict is 'none' */
  minScore?: number
}

type Vote = { cause: RuleCause; weight: number; ruleId: string; symptom: SymptomId | null; kind: NotAuthKind | null; span: RuleMatch | null; direct: boolean }

function round3(x: number): number {
  return Math.round(x * 1000) / 1000
}

/** the platform with the strongest clue; several clues for the same platform add a little */
export function pickPlatform(scanned: Pick<Scanned, 'platformMatches'>): Platform | null {
  const best = new Map<Platform, { w: number; n: number }>()
  for (const m of scanned.platformMatches) {
    const r = PLATFORM_RULES[m.index]!
    const cur = best.get(r.platform)
    if (!cur) best.set(r.platform, { w: r.weight, n: 1 })
    else {
      cur.w = Math.max(cur.w, r.weight)
      cur.n++
    }
  }
  let winner: Platform | null = null
  let top = 0.4
  for (const p of PLATFORM_ORDER) {
    const b = best.get(p)
    if (!b) continue
    const s = b.w + Math.min(0.08, 0.04 * (b.n - 1))
    if (s > top + 1e-9) {
      top = s
      winner = p
    }
  }
  return winner
}

function toEvidence(norm: ScanNorm, ruleId: string, span: RuleMatch): Evidence | null {
  const lower = norm.lower
  let s = span.start
  let e = span.end
  while (s < e && (lower.charCodeAt(s) === 0x20 || lower.charCodeAt(s) === 0x0a)) s++
  while (e > s && (lower.charCodeAt(e - 1) === 0x20 || lower.charCodeAt(e - 1) === 0x0a)) e--
  if (e - s > MAX_EVIDENCE_LEN) {
    const cut = lower.lastIndexOf(' ', s + MAX_EVIDENCE_LEN)
    e = cut > s + 40 ? cut : s + MAX_EVIDENCE_LEN
  }
  if (e <= s) return null
  const o = toOriginalSpan(norm, s, e)
  return { rule: ruleId, text: norm.original.slice(o.start, o.end), start: o.start, end: o.end }
}

function none(platform: Platform | null, bestScore: number, alternatives: Diagnosis['alternatives']): Diagnosis {
  return {
    cause: 'none',
    symptom: null,
    // for 'none' the confidence is in the verdict "there is no error here"
    confidence: round3(1 - bestScore),
    evidence: [],
    alternatives,
    platform,
    notAuthKind: null,
    fingerprint: null,
  }
}

/** Diagnoses pasted Claude Code output. Pure and linear in the length of `text`. */
export function classify(text: string, options: ClassifyOptions = {}): Diagnosis {
  const minScore = options.minScore ?? EXPLICIT_THRESHOLD
  const input = typeof text === 'string' ? text : String(text ?? '')
  // chatter fast path: no anchor can occur, so no rule (and no platform clue) can match. Only worth its pass on
  // short texts: a long paste nearly always holds some anchor.
  if (input.length <= PREFILTER_MAX && !SCANNER.mayMatch(input)) return none(null, 0, [])
  const scanned = scanText(input)
  const platform = pickPlatform(scanned)
  if (scanned.matches.length === 0) return none(platform, 0, [])

  // tags of every matched regex rule, and the first match that set each tag (for combo evidence)
  let tags = 0
  for (const m of scanned.matches) {
    const r = RULES[m.index]!
    const bits = RULE_TAGS[m.index]!
    if (bits.length === 0) continue
    const w = r.kind === 'signal' ? r.weight : 0
    for (const t of bits) {
      if ((tags & (1 << t)) === 0 || w > tagWeight[t]!) {
        tags |= 1 << t
        tagSpan[t] = m
        tagRule[t] = r.id
        tagWeight[t] = w
      }
    }
  }
  const damping = (index: number) => ((RULE_SUPPRESSED_BY[index]! & tags) !== 0 ? SUPPRESSED : 1)

  // causes named by a specific (non-generic) clue: they explain away generic clues of other causes
  let specific = 0
  for (const m of scanned.matches) {
    const r = RULES[m.index]!
    if (r.kind === 'signal' && !r.generic && r.weight * damping(m.index) >= SPECIFIC_WEIGHT) specific |= 1 << CAUSE_BIT.get(r.cause)!
  }
  const explainedAway = (r: SignalRule) => {
    if (!r.generic) return false
    // another cause's specific clue explains a generic one away; a not_auth clue only explains away not_auth's own
    const own = 1 << CAUSE_BIT.get(r.cause)!
    return (specific & ~own & (r.cause === 'not_auth' ? ~0 : ~NOT_AUTH_MASK)) !== 0
  }

  const votes: Vote[] = []
  for (const m of scanned.matches) {
    const r = RULES[m.index]!
    if (r.kind !== 'signal') continue
    const factor = damping(m.index) * (explainedAway(r) ? EXPLAINED : 1)
    votes.push({ cause: r.cause, weight: r.weight * factor, ruleId: r.id, symptom: r.symptom ?? null, kind: r.notAuthKind ?? null, span: m, direct: true })
    for (const [c, w] of ALT_ENTRIES[m.index]!) votes.push({ cause: c, weight: w * factor, ruleId: r.id, symptom: null, kind: null, span: m, direct: false })
  }
  for (let k = 0; k < COMBOS.length; k++) {
    const r = COMBOS[k]!
    const masks = COMBO_MASKS[k]!
    if (!comboFires(r, masks, tags)) continue
    const factor = (masks.suppressedBy & tags) !== 0 ? SUPPRESSED : 1
    const first = r.allTags[0] ?? r.anyTags?.find((t) => (tags & (1 << TAG_BIT.get(t)!)) !== 0)
    const srcSpan = first !== undefined ? tagSpan[TAG_BIT.get(first)!]! : null
    votes.push({ cause: r.cause, weight: r.weight * factor, ruleId: r.id, symptom: r.symptom ?? null, kind: r.notAuthKind ?? null, span: srcSpan, direct: true })
    // the tags' own evidence supports the combo's cause too
    for (const list of [r.allTags, r.anyTags ?? []])
      for (const tag of list) {
        const t = TAG_BIT.get(tag)!
        if ((tags & (1 << t)) !== 0 && tagSpan[t] !== srcSpan) votes.push({ cause: r.cause, weight: 0, ruleId: tagRule[t]!, symptom: null, kind: null, span: tagSpan[t]!, direct: false })
      }
  }

  // noisy-OR of the direct votes per cause, combined with the strongest indirect (alt) vote only, so that several
  // generic rules over the same error body do not pile up an alternative
  causeMiss.fill(1)
  causeAlt.fill(0)
  let voted = 0
  for (const v of votes) {
    if (v.weight <= 0) continue
    const c = CAUSE_BIT.get(v.cause)!
    voted |= 1 << c
    if (v.direct) causeMiss[c] = causeMiss[c]! * (1 - Math.min(0.999, v.weight))
    else causeAlt[c] = Math.max(causeAlt[c]!, v.weight)
  }
  const ranked: { cause: RuleCause; score: number; order: number }[] = []
  for (let c = 0; c < CAUSE_ORDER.length; c++)
    if ((voted & (1 << c)) !== 0) ranked.push({ cause: CAUSE_ORDER[c]!, score: 1 - causeMiss[c]! * (1 - causeAlt[c]!), order: c })
  ranked.sort((a, b) => b.score - a.score || a.order - b.order)

  const top = ranked[0]
  const alternativesFor = (winner: RuleCause | null, cap: number): Diagnosis['alternatives'] =>
    ranked
      .filter((r): r is { cause: CauseId; score: number; order: number } => r.cause !== winner && r.cause !== 'not_auth' && r.score >= ALTERNATIVE_FLOOR)
      .slice(0, MAX_ALTERNATIVES)
      .map((r) => ({ cause: r.cause, confidence: round3(Math.min(r.score, cap)) }))

  if (!top || top.score < minScore) return none(platform, top?.score ?? 0, alternativesFor(null, top?.score ?? 0))

  const second = ranked[1]?.score ?? 0
  const confidence = round3(top.score * (1 - MARGIN_PENALTY * (second / top.score) ** 2))
  const cause = top.cause

  // evidence: votes for the winner, strongest first, one per rule
  const forWinner = votes
    .filter((v) => v.cause === cause && v.span)
    .sort((a, b) => Number(b.direct) - Number(a.direct) || b.weight - a.weight || a.span!.start - b.span!.start)
  const evidence: Evidence[] = []
  const seen = new Set<string>()
  for (const v of forWinner) {
    if (evidence.length >= MAX_EVIDENCE) break
    const rule = RULE_BY_ID.get(v.ruleId)
    if (!rule || rule.kind === 'combo' || seen.has(v.ruleId)) continue
    const ev = toEvidence(scanned.norm, v.ruleId, v.span!)
    if (ev) {
      seen.add(v.ruleId)
      evidence.push(ev)
    }
  }

  // symptom: the strongest matrix row shown by the winner's rules, else by any auth rule (never for not_auth)
  let symptom: SymptomId | null = null
  if (cause !== 'not_auth') {
    const withSymptom = votes.filter((v) => v.direct && v.symptom && v.cause !== 'not_auth')
    const own = withSymptom.filter((v) => v.cause === cause).sort((a, b) => b.weight - a.weight)[0]
    const any = withSymptom.sort((a, b) => b.weight - a.weight)[0]
    symptom = (own ?? any)?.symptom ?? null
  }

  let notAuthKind: NotAuthKind | null = null
  if (cause === 'not_auth') {
    const k = votes.filter((v) => v.cause === 'not_auth' && v.kind && v.direct).sort((a, b) => b.weight - a.weight)[0]
    notAuthKind = k?.kind ?? 'other'
  }

  // fingerprint: the primary evidence of the winner, plus status and error type around it
  const primary = forWinner.find((v) => v.direct && RULE_BY_ID.get(v.ruleId)?.kind === 'signal') ?? forWinner[0]
  let fp: string
  if (primary?.span) {
    const lower = scanned.norm.lower
    const facts = statusAndType(lower, primary.span.start, primary.span.end)
    fp = fingerprintOf({ cause, kind: notAuthKind, status: facts.status, type: facts.type, message: `${primary.ruleId} ${lower.slice(primary.span.start, primary.span.end)}` })
  } else fp = fingerprintOf({ cause, kind: notAuthKind, message: primary?.ruleId ?? cause })

  return {
    cause,
    symptom,
    confidence,
    evidence,
    alternatives: alternativesFor(cause, Math.max(0, confidence - 0.01)),
    platform,
    notAuthKind,
    fingerprint: fp,
  }
}

function comboFires(r: ComboRule, masks: { all: number; any: number }, tags: number): boolean {
  if ((tags & masks.all) !== masks.all) return false
  if (!r.anyTags) return true
  return popcount(tags & masks.any) >= (r.minAny ?? 1)
}

/** Where the person runs Claude Code, from paths, prompts, kernel strings and editor output in the text. */
export function detectPlatform(text: string): Platform | null {
  return pickPlatform(scanText(text))
}

/** the rules that matched a text (signals, context tags and combos), for debugging and the rule tests */
export function explain(text: string): { rule: string; kind: 'signal' | 'context' | 'combo'; text: string }[] {
  const scanned = scanText(text)
  const tags = new Set<string>()
  const out: { rule: string; kind: 'signal' | 'context' | 'combo'; text: string }[] = scanned.matches.map((m) => {
    const r = RULES[m.index]!
    if (r.kind !== 'combo') r.tags?.forEach((t) => tags.add(t))
    const o = toOriginalSpan(scanned.norm, m.start, m.end)
    return { rule: r.id, kind: r.kind === 'signal' ? 'signal' : 'context', text: text.slice(o.start, o.end) }
  })
  const mask = [...tags].reduce((m, t) => m | (1 << TAG_BIT.get(t)!), 0)
  COMBOS.forEach((r, k) => {
    if (comboFires(r, COMBO_MASKS[k]!, mask)) out.push({ rule: r.id, kind: 'combo', text: '' })
  })
  return out
}
