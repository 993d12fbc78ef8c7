// Compiles the rules once (module load) and runs them over a text: normalise, one anchor scan, bounded regex work
// in windows around the anchors. Shared by classify() and detectPlatform().
import { normalise, normaliseCore, type Normalised } from './normalise.js'
import type { PlatformRule, RegexRule, Rule } from './rule-types.js'
import { PLATFORM_RULES, RULES } from './rules.js'
import { AnchorScanner, HEAD, TAIL, type Hits } from './scan.js'

/** default window around an anchor: characters before, characters after */
const DEFAULT_WINDOW: [number, number] = [200, 300]
/** at most this many windows per rule (the scan keeps at most HEAD + TAIL positions per anchor anyway) */
const MAX_WINDOWS = 12
/** a merged window never grows beyond this */
const MAX_WINDOW_LEN = 4000

type Runnable = {
  id: string
  anchors: number[]
  pattern: RegexRule['pattern']
  window: [number, number]
}

export type RuleMatch = {
  /** index into RULES (or PLATFORM_RULES for platform matches) */
  index: number
  /** span in the normalised text */
  start: number
  end: number
}

/** what scanText keeps of the normalisation (offset maps are scratch views: use them before the next call) */
export type ScanNorm = Pick<Normalised, 'original' | 'lower' | 'map'>

export type Scanned = {
  norm: ScanNorm
  hits: Hits
  /** matched RULES (regex rules only; combos are evaluated by classify) */
  matches: RuleMatch[]
  /** matched PLATFORM_RULES */
  platformMatches: RuleMatch[]
}

/**
 * Terminals wrap long lines anywhere, so a phrase may arrive with a line break where a space was. Normalised text
 * only ever has ' ' or '\n' as whitespace: a literal space in a rule pattern is widened to match either.
 */
export function widenSpaces(re: RegExp): RegExp {
  const src = re.source
  let out = ''
  let inClass = false
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!
    if (c === '\\') {
      out += c + (src[i + 1] ?? '')
      i++
    } else if (inClass) {
      if (c === ']') inClass = false
      out += c === ' ' ? ' \\n' : c
    } else if (c === '[') {
      inClass = true
      out += c
    } else out += c === ' ' ? '\\s' : c
  }
  return new RegExp(out, re.flags)
}

function compile() {
  const anchorIds = new Map<string, number>()
  const anchorList: string[] = []
  const idOf = (a: string) => {
    const key = a.toLowerCase()
    let id = anchorIds.get(key)
    if (id === undefined) {
      id = anchorList.length
      anchorIds.set(key, id)
      anchorList.push(key)
    }
    return id
  }
  const toRunnable = (r: { id: string; anchors: string[]; pattern: RegexRule['pattern']; window?: [number, number] }): Runnable => {
    if (r.pattern instanceof RegExp && (r.pattern.global || r.pattern.sticky)) throw new Error(`rule ${r.id}: no g/y flags`)
    if (!r.anchors.length) throw new Error(`rule ${r.id}: no anchors`)
    return { id: r.id, anchors: r.anchors.map(idOf), pattern: r.pattern instanceof RegExp ? widenSpaces(r.pattern) : r.pattern, window: r.window ?? DEFAULT_WINDOW }
  }
  const ruleRunnables: (Runnable | null)[] = RULES.map((r: Rule) => (r.kind === 'combo' ? null : toRunnable(r)))
  const platformRunnables = PLATFORM_RULES.map((r: PlatformRule) => toRunnable(r))
  // anchor id -> rule indices (rules: non-negative; platform rules: -(index + 1))
  const byAnchor: number[][] = anchorList.map(() => [])
  ruleRunnables.forEach((r, i) => r?.anchors.forEach((a) => byAnchor[a]!.push(i)))
  platformRunnables.forEach((r, i) => r.anchors.forEach((a) => byAnchor[a]!.push(-(i + 1))))
  for (const list of byAnchor) list.splice(0, list.length, ...new Set(list))
  return { scanner: new AnchorScanner(anchorList), ruleRunnables, platformRunnables, byAnchor }
}

const COMPILED = compile()
export const SCANNER = COMPILED.scanner

// generation stamps so "is this rule already queued" needs no allocation per call
const ruleStamp = new Int32Array(RULES.length)
const platformStamp = new Int32Array(PLATFORM_RULES.length)
let generation = 0

/** the rule's pattern over lower[s, e): the match as a span of `lower`, or null */
function tryWindow(r: Runnable, lower: string, s: number, e: number): [number, number] | null {
  const slice = lower.slice(s, e)
  if (r.pattern instanceof RegExp) {
    const m = r.pattern.exec(slice)
    return m ? [s + m.index, s + m.index + m[0].length] : null
  }
  const got = r.pattern(slice)
  return got ? [s + got[0], s + got[1]] : null
}

function insertionSort(a: Int32Array, count: number): void {
  for (let k = 1; k < count; k++) {
    const v = a[k]!
    let j = k - 1
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!
      j--
    }
    a[j + 1] = v
  }
}

/** scratch for runRule (rules run synchronously, one at a time); a rule has at most HEAD + TAIL per anchor */
let positions = new Int32Array(256)

function runRule(r: Runnable, lower: string, hits: Hits): [number, number] | null {
  if (positions.length < r.anchors.length * (HEAD + TAIL)) positions = new Int32Array(r.anchors.length * (HEAD + TAIL))
  let count = 0
  for (const a of r.anchors) count = hits.copyPositions(a, positions, count)
  if (count === 0) return null
  // insertion sort allocates nothing (Array.sort does) and is bounded: at most HEAD + TAIL positions per anchor and
  // 20 anchors per rule, so 320 positions at worst (about 1 M steps for all rules on a megabyte of anchors)
  insertionSort(positions, count)
  const [back, fwd] = r.window
  const n = lower.length
  let windows = 0
  let curStart = -1
  let curEnd = -1
  for (let k = 0; k < count; k++) {
    const p = positions[k]!
    const s = Math.max(0, p - back)
    const e = Math.min(n, p + fwd)
    if (curStart >= 0 && s <= curEnd && e - curStart <= MAX_WINDOW_LEN) {
      curEnd = Math.max(curEnd, e)
      continue
    }
    if (curStart >= 0) {
      const got = tryWindow(r, lower, curStart, curEnd)
      if (got) return got
      if (++windows >= MAX_WINDOWS) return null
    }
    curStart = s
    curEnd = e
  }
  return curStart >= 0 ? tryWindow(r, lower, curStart, curEnd) : null
}

/** Normalises and runs every regex rule (and platform rule) that has an anchor in the text. */
export function scanText(text: string): Scanned {
  // one pass: normalise and find every anchor
  const core = normaliseCore(text, false, COMPILED.scanner)
  const norm: ScanNorm = { original: text, lower: core.lower, map: core.map }
  const lower = norm.lower
  const hits = core.hits!
  const matches: RuleMatch[] = []
  const platformMatches: RuleMatch[] = []
  if (hits.found.length === 0) return { norm, hits, matches, platformMatches }
  generation = (generation + 1) | 0 || 1
  const gen = generation
  const rules: number[] = []
  const platforms: number[] = []
  for (const a of hits.found) {
    for (const idx of COMPILED.byAnchor[a]!) {
      if (idx >= 0) {
        if (ruleStamp[idx] !== gen) {
          ruleStamp[idx] = gen
          rules.push(idx)
        }
      } else {
        const p = -idx - 1
        if (platformStamp[p] !== gen) {
          platformStamp[p] = gen
          platforms.push(p)
        }
      }
    }
  }
  for (const idx of rules) {
    const got = runRule(COMPILED.ruleRunnables[idx]!, lower, hits)
    if (got) matches.push({ index: idx, start: got[0], end: got[1] })
  }
  for (const idx of platforms) {
    const got = runRule(COMPILED.platformRunnables[idx]!, lower, hits)
    if (got) platformMatches.push({ index: idx, start: got[0], end: got[1] })
  }
  return { norm, hits, matches, platformMatches }
}

/** Runs a single regex rule over a text (used by the rule example tests). Returns the normalised span or null. */
export function matchRule(rule: RegexRule | PlatformRule, text: string): { start: number; end: number; norm: Normalised } | null {
  const norm = normalise(text)
  const r = COMPILED.ruleRunnables[RULES.indexOf(rule as Rule)] ?? COMPILED.platformRunnables[PLATFORM_RULES.indexOf(rule as PlatformRule)]
  if (!r) throw new Error(`unknown rule ${rule.id}`)
  const hits = SCANNER.scan(norm.lower)
  const got = runRule(r, norm.lower, hits)
  return got ? { start: got[0], end: got[1], norm } : null
}
