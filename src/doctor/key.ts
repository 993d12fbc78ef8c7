// What can be said about a credential value without showing it: its kind (from the public prefix), its length, and
// the characters that should not be in it. Pure.

export type KeyKind = 'api_key' | 'admin_key' | 'oauth_token' | 'oauth_refresh_token' | 'unknown'

export const KEY_KIND_LABEL: Record<KeyKind, string> = {
  api_key: 'Anthropic API key (sk-ant-api03-…)',
  admin_key: 'Anthropic Admin API key (sk-ant-admin01-…)',
  oauth_token: 'Claude OAuth access token (sk-ant-oat01-…)',
  oauth_refresh_token: 'Claude OAuth refresh token (sk-ant-ort01-…)',
  unknown: 'not an Anthropic key format',
}

const PREFIXES: [string, KeyKind][] = [
  ['sk-ant-api03-', 'api_key'],
  ['sk-ant-admin01-', 'admin_key'],
  ['sk-ant-oat01-', 'oauth_token'],
  ['sk-ant-ort01-', 'oauth_refresh_token'],
]

/** the public, non-secret prefix of a known key kind ('' when unknown) */
export function keyPrefix(kind: KeyKind): string {
  return PREFIXES.find(([, k]) => k === kind)?.[0] ?? ''
}

export type HiddenCharKind =
  | 'leading_whitespace'
  | 'trailing_whitespace'
  | 'inner_whitespace'
  | 'carriage_return'
  | 'line_feed'
  | 'tab'
  | 'zero_width'
  | 'quotes'
  | 'control'
  | 'non_ascii'

export const HIDDEN_CHAR_LABEL: Record<HiddenCharKind, string> = {
  leading_whitespace: 'space(s) at the start',
  trailing_whitespace: 'space(s) at the end',
  inner_whitespace: 'space(s) inside the key',
  carriage_return: 'carriage return (CR, \\r): Windows line ending',
  line_feed: 'line feed (LF, \\n): a line break',
  tab: 'tab character',
  zero_width: 'zero-width character (invisible: U+200B, U+FEFF, ...)',
  quotes: 'quote characters (the quotes became part of the value)',
  control: 'control character',
  non_ascii: 'non-ASCII character (e.g. a dash or letter that looks the same)',
}

export type HiddenChar = { kind: HiddenCharKind; where: 'start' | 'end' | 'inside'; count: number }

export type KeyAnalysis = {
  kind: KeyKind
  length: number
  /** length once the hidden characters are removed */
  cleanLength: number
  hidden: HiddenChar[]
  /** true for API keys visibly shorter than a whole key (cut while copying) */
  looksTruncated: boolean
}

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g
const QUOTES = /["'`\u2018\u2019\u201C\u201D]/

/** the value as it was probably meant: zero-width characters removed, whitespace and wrapping quotes trimmed */
export function cleanKey(value: string): string {
  let v = value.replace(ZERO_WIDTH, '').trim()
  for (;;) {
    const stripped = v.replace(/^["'`\u2018\u2019\u201C\u201D]+|["'`\u2018\u2019\u201C\u201D]+$/g, '').trim()
    if (stripped === v) break
    v = stripped
  }
  return v.replace(/\s+/g, '')
}

export function keyKind(value: string): KeyKind {
  const clean = cleanKey(value)
  return PREFIXES.find(([p]) => clean.startsWith(p))?.[1] ?? 'unknown'
}

function classifyChar(ch: string): HiddenCharKind | null {
  if (ch === '\r') return 'carriage_return'
  if (ch === '\n') return 'line_feed'
  if (ch === '\t') return 'tab'
  if (/[\u200B-\u200D\u2060\uFEFF\u00AD]/.test(ch)) return 'zero_width'
  if (QUOTES.test(ch)) return 'quotes'
  if (/\s/.test(ch)) return 'inner_whitespace'
  const code = ch.codePointAt(0) ?? 0
  if (code < 0x20 || code === 0x7f) return 'control'
  if (code > 0x7e) return 'non_ascii'
  return null
}

export function analyzeKey(value: string): KeyAnalysis {
  const chars = Array.from(value)
  const found = new Map<string, HiddenChar>()
  const add = (kind: HiddenCharKind, where: HiddenChar['where']) => {
    const id = `${kind}:${where}`
    const prev = found.get(id)
    if (prev) prev.count++
    else found.set(id, { kind, where, count: 1 })
  }
  // leading and trailing runs of "invisible" characters are named by where they are
  let first = 0
  while (first < chars.length && classifyChar(chars[first] as string) !== null && classifyChar(chars[first] as string) !== 'non_ascii') first++
  let last = chars.length - 1
  while (last >= first && classifyChar(chars[last] as string) !== null && classifyChar(chars[last] as string) !== 'non_ascii') last--
  chars.forEach((ch, i) => {
    const kind = classifyChar(ch)
    if (!kind) return
    const where = i < first ? 'start' : i > last ? 'end' : 'inside'
    if (kind === 'inner_whitespace') add(where === 'start' ? 'leading_whitespace' : where === 'end' ? 'trailing_whitespace' : kind, where)
    else add(kind, where)
  })
  const clean = cleanKey(value)
  const kind = keyKind(value)
  return {
    kind,
    length: value.length,
    cleanLength: clean.length,
    hidden: [...found.values()],
    // whole API keys are a little over 100 characters; far shorter ones were cut while copying
    looksTruncated: kind === 'api_key' && clean.length < 90,
  }
}

/** the last four characters, as the Anthropic Console shows them; only with --show-key-suffix */
export function keySuffix(value: string): string {
  const clean = cleanKey(value)
  return clean.length >= 16 ? clean.slice(-4) : '????'
}

const KIND_NOUN: Record<KeyKind, string> = {
  api_key: 'an API key',
  admin_key: 'an Admin API key',
  oauth_token: 'an OAuth access token',
  oauth_refresh_token: 'an OAuth refresh token',
  unknown: 'a value of unknown format',
}

/**
 * A one-line description that never contains the value: kind, public prefix, length, optional suffix. It starts
 * with words ("an API key (sk-ant-api03-…, 108 characters)") so that "NAME: description" never reads as an
 * assignment of a secret to the redaction detectors.
 */
export function describeKey(value: string, showSuffix: boolean): string {
  const a = analyzeKey(value)
  const parts = [a.kind === 'unknown' ? null : `${keyPrefix(a.kind)}…`, `${a.length} characters`, showSuffix ? `ends in …${keySuffix(value)}` : null]
  return `${KIND_NOUN[a.kind]} (${parts.filter(Boolean).join(', ')})`
}

export function describeHidden(h: HiddenChar): string {
  const where = h.where === 'inside' ? 'inside' : `at the ${h.where}`
  return `${HIDDEN_CHAR_LABEL[h.kind]}${h.kind.endsWith('_whitespace') ? '' : ` ${where}`}${h.count > 1 ? ` (${h.count}×)` : ''}`
}
