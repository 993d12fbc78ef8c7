// The redaction engine: runs every detector whose keywords occur in the text, in order, replacing matches with
// typed placeholders and counting a remark per kind (Sentry Relay style). Pure and linear.
import { DETECTORS } from './detectors/index.js'
import type { Detector, DetectorMatch, RedactionRemark, RedactionResult } from './types.js'
import { placeholder } from './util.js'

// The prefilter: one case-insensitive pass over the text finds which detectors' keywords occur at all (ordinary
// prose triggers few or none), so most detectors never run.
const prefilters = new WeakMap<readonly Detector[], RegExp>()

function keywordRegex(detectors: readonly Detector[]): RegExp {
  let re = prefilters.get(detectors)
  if (!re) {
    const words = [...new Set(detectors.flatMap((d) => d.keywords))].sort((a, b) => b.length - a.length)
    re = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi')
    prefilters.set(detectors, re)
  }
  return re
}

function presentKeywords(text: string, detectors: readonly Detector[]): Set<string> {
  const found = new Set<string>()
  for (const m of text.matchAll(keywordRegex(detectors))) found.add(m[0].toLowerCase())
  return found
}

function applies(d: Detector, found: ReadonlySet<string>): boolean {
  for (const k of d.keywords) if (found.has(k)) return true
  return false
}

function splice(text: string, matches: readonly DetectorMatch[]): string {
  let out = ''
  let pos = 0
  for (const m of matches) {
    out += text.slice(pos, m.start) + m.replacement
    pos = m.end
  }
  return out + text.slice(pos)
}

export function mergeRemarks(...lists: (readonly RedactionRemark[])[]): RedactionRemark[] {
  const counts = new Map<string, number>()
  for (const list of lists) for (const r of list) counts.set(r.kind, (counts.get(r.kind) ?? 0) + r.count)
  return [...counts].map(([kind, count]) => ({ kind, count }))
}

/** Replaces every secret and piece of personal data with `[<kind>]` and says what was hidden. */
export function redact(text: string, detectors: readonly Detector[] = DETECTORS): RedactionResult {
  if (!text) return { text: text ?? '', remarks: [] }
  const found = presentKeywords(text, detectors)
  if (found.size === 0) return { text, remarks: [] }
  const counts = new Map<string, number>()
  let out = text
  for (const d of detectors) {
    if (!applies(d, found)) continue
    const matches = d.find(out)
    if (matches.length === 0) continue
    out = splice(out, matches)
    for (const m of matches) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1)
  }
  return { text: out, remarks: [...counts].map(([kind, count]) => ({ kind, count })) }
}

/** True when a credential detector (not emails or user names) fires: callers refuse to store or upload the text. */
export function containsSecret(text: string): boolean {
  if (!text) return false
  const found = presentKeywords(text, DETECTORS)
  return DETECTORS.some((d) => d.secret && applies(d, found) && d.find(text).length > 0)
}

/**
 * Every span of `text` some detector would hide, in the ORIGINAL text's offsets: each detector runs on the original
 * (not on the output of the ones before), so the union is a superset of what redact() hides. Sorted by start;
 * overlaps are merged, keeping the kind of the detector that runs first.
 */
export function findSpans(text: string, detectors: readonly Detector[] = DETECTORS): DetectorMatch[] {
  if (!text) return []
  const found = presentKeywords(text, detectors)
  if (found.size === 0) return []
  const all: (DetectorMatch & { rank: number })[] = []
  detectors.forEach((d, rank) => {
    if (applies(d, found)) for (const m of d.find(text)) all.push({ ...m, rank })
  })
  all.sort((a, b) => a.start - b.start || a.rank - b.rank)
  const out: DetectorMatch[] = []
  for (const m of all) {
    const last = out[out.length - 1]
    if (last && m.start < last.end) {
      last.end = Math.max(last.end, m.end)
      continue
    }
    out.push({ start: m.start, end: m.end, kind: m.kind, replacement: placeholder(m.kind) })
  }
  return out
}

/**
 * Redacts the excerpt text[start, end) knowing the whole text: a secret that only partly falls inside the excerpt
 * (so no detector could recognise the fragment) is still hidden. Pass `spans` from findSpans(text) when redacting
 * several excerpts of the same text.
 */
export function redactExcerpt(text: string, start: number, end: number, spans: readonly DetectorMatch[] = findSpans(text)): RedactionResult {
  const from = Math.max(0, Math.min(start, text.length))
  const to = Math.max(from, Math.min(end, text.length))
  let out = ''
  let pos = from
  const counts: RedactionRemark[] = []
  for (const s of spans) {
    if (s.end <= from || s.start >= to) continue
    const a = Math.max(s.start, from)
    const b = Math.min(s.end, to)
    if (a > pos) out += text.slice(pos, a)
    if (b > Math.max(pos, a)) {
      out += placeholder(s.kind)
      counts.push({ kind: s.kind, count: 1 })
    }
    pos = Math.max(pos, b)
  }
  out += text.slice(pos, to)
  const second = redact(out)
  return { text: second.text, remarks: mergeRemarks(counts, second.remarks) }
}
