// Shared helpers for the detectors. Every finder here is linear in the input: regexes start with a literal (so the
// engine only tries them where the literal occurs) and nothing variable-length is followed by something it must
// backtrack over; value parsing after a `key=` is done by hand with a length cap.
import type { DetectorMatch } from './types.js'

export const placeholder = (kind: string) => `[${kind}]`

export type RegexHit = { start: number; end: number; replacement?: string; kind?: string } | null

/**
 * Matches of a global regex, filtered and shaped by `build`. `build` returns null to skip a match, or the range and
 * replacement to use (defaults: the whole match, `[kind]`). Requires the `d` flag when build reads m.indices.
 */
export function regexFinder(
  re: RegExp,
  kind: string,
  build: (m: RegExpExecArray, text: string) => RegexHit | undefined = () => undefined,
): (text: string) => DetectorMatch[] {
  if (!re.global) throw new Error(`detector regex must be global: ${re}`)
  return (text) => {
    const out: DetectorMatch[] = []
    let lastEnd = 0
    for (const m of text.matchAll(re)) {
      const hit = build(m, text)
      if (hit === null) continue
      const start = hit?.start ?? m.index
      const end = hit?.end ?? m.index + m[0].length
      if (start < lastEnd || end <= start) continue
      const k = hit?.kind ?? kind
      out.push({ start, end, kind: k, replacement: hit?.replacement ?? placeholder(k) })
      lastEnd = end
    }
    return out
  }
}

/** [start, end) of capture group `i` (needs the `d` flag). */
export function groupRange(m: RegExpExecArray, i: number): [number, number] | null {
  const r = m.indices?.[i]
  return r ? [r[0], r[1]] : null
}

const WORD = /[A-Za-z0-9_]/
export const isWordChar = (ch: string | undefined) => ch !== undefined && WORD.test(ch)

/** `$VAR`, `${VAR}`, `$env:VAR`, `%VAR%`, `<your-key>`, `{{ secret }}`, `[placeholder]`, `process.env.X`: not a value. */
export function isReference(v: string): boolean {
  const c = v[0]
  if (c === '$' || c === '<' || c === '[' || c === '{' || c === '(' || c === '@') return true
  if (c === '%' && v.endsWith('%')) return true
  if (/^(?:process\.env|os\.environ|env\.|secrets\.|vars\.)/i.test(v)) return true
  return false
}

const STOPWORDS = new Set([
  'null', 'none', 'nil', 'undefined', 'true', 'false', 'yes', 'no', 'empty', 'missing', 'required', 'optional',
  'invalid', 'incorrect', 'expired', 'revoked', 'unknown', 'redacted', 'hidden', 'masked', 'removed', 'unset',
  'n/a', 'na', 'string', 'value', 'example', 'placeholder', 'default', 'secret', 'password', 'token', 'changeit',
  'your-key', 'your_key', 'yourkey', 'your-api-key', 'your_api_key', 'your-token', 'your_token', 'your-password',
  'your-secret', 'my-key', 'api-key', 'api_key', 'apikey', 'sk-ant-...', 'not-set', 'not_set', 'notset',
])

const KEY_PREFIX_ONLY = /^(?:sk-ant-(?:[a-z]+\d{0,2}-?)?|sk-(?:proj-|svcacct-|admin-)?|gh[pousr]_|github_pat_|xox[a-z]-|xapp-|npm_|AKIA|ASIA|AIza|[sr]k_(?:live|test)_)$/

/** Values that are obviously not a secret: stop words, masks (`****`, `xxxx`, `...`), "your-..." placeholders. */
export function isStopValue(v: string): boolean {
  const lower = v.toLowerCase()
  if (STOPWORDS.has(lower)) return true
  if (/^(?:\*+|x+|\.+|•+|-+|_+|#+|0+)$/i.test(v)) return true
  if (/^(?:your|<your|my_|my-)/i.test(v)) return true
  if (/^\*{3}|\*{3}$/.test(v)) return true
  // only the prefix of a well-known key format ("sk-ant-api03-" before an ellipsis): the format, not a key
  if (KEY_PREFIX_ONLY.test(v)) return true
  return false
}

/**
 * Does a bare value look like a credential rather than a word? Used where the context alone (": " in prose) is weak:
 * it needs a digit or inner mixed case, or to be long; never a reference or stop word.
 */
export function looksLikeSecret(v: string, minLength = 8): boolean {
  if (v.length < minLength) return false
  if (isReference(v) || isStopValue(v)) return false
  if (/\d/.test(v)) return /[A-Za-z]/.test(v) || v.length >= 12
  if (/[a-z]/.test(v) && /[A-Z]/.test(v.slice(1))) return true
  return v.length >= 24 && !/\s/.test(v)
}

const QUOTES = new Set(['"', "'", '`'])
// characters that end a bare value: whitespace, quotes and list/URL/markup delimiters (a lookup table: hot loop)
const UNQUOTED_STOP = new Uint8Array(128)
for (const ch of ' \t\n\r\v\f"\'`,;&)}]<>|') UNQUOTED_STOP[ch.charCodeAt(0)] = 1
const isStop = (code: number) => (code < 128 ? UNQUOTED_STOP[code] === 1 : code === 0xa0 || code === 0x2028 || code === 0x2029 || code === 0x3000 || code === 0xfeff)

/**
 * Reads the value that starts at `from` (after a `key=` or `key: `): quoted up to the closing quote (same line, at
 * most `max` chars) or bare up to a delimiter. Returns its range, without the quotes.
 */
export function readValue(text: string, from: number, max = 1024): { start: number; end: number; quoted: boolean } | null {
  const q = text[from]
  if (q !== undefined && QUOTES.has(q)) {
    const limit = Math.min(text.length, from + 1 + max)
    let i = from + 1
    while (i < limit && text[i] !== q && text[i] !== '\n' && text[i] !== '\r') {
      if (text[i] === '\\' && i + 1 < limit && text[i + 1] !== '\n') i += 2
      else i++
    }
    if (i < limit && text[i] === q) return { start: from + 1, end: i, quoted: true }
    // no closing quote (a cut-off paste): read a bare value after the opening quote
    const bare = readValue(text, from + 1, max)
    return bare && { ...bare, quoted: true }
  }
  const limit = Math.min(text.length, from + max)
  let i = from
  while (i < limit && !isStop(text.charCodeAt(i))) i++
  if (i === from) return null
  // a trailing full stop or colon ends a sentence, it is not part of the value
  while (i > from && /[.:!?]/.test(text[i - 1]!)) i--
  return i > from ? { start: from, end: i, quoted: false } : null
}
