// Normalisation of pasted text before matching (pure, one linear pass, no regex).
//
// What it undoes: Slack/Discord markup (``` fences, `inline`, **bold**, <url|text>, <url>), HTML entities, ANSI
// colour codes (also their remnants "[31m" when the ESC byte was lost), terminal frames and box drawing, zero-width
// and non-breaking characters, smart quotes, and JSON string escapes (\" \\ \n \t \uXXXX, any depth of
// backslashes), so an error body pasted as escaped JSON reads like the plain one. Whitespace runs collapse to one
// character ('\n' when the run held a line break, else ' '); a line break right after '_' is dropped, so an
// identifier wrapped by the terminal ("api_\n    error") joins again.
//
// Every normalised code unit remembers where it came from: starts[i] / ends[i] are the original offsets (UTF-16,
// end exclusive) of normalised unit i, so a match in the normalised text maps back to an exact span of the input.

export type Normalised = {
  /** the input as given */
  original: string
  /** normalised text, case preserved */
  text: string
  /** normalised text with ASCII letters lower-cased (same length and offsets as `text`); rules match on this */
  lower: string
  /** original start offset of each normalised code unit */
  starts: Int32Array
  /** original end offset (exclusive) of each normalised code unit */
  ends: Int32Array
  /** the same mapping in compact form (what classify uses) */
  map: OffsetMap
}

/**
 * Where each normalised unit came from, stored compactly: a breakpoint opens every run of characters copied as they
 * are (unit u of the run came from original offset orig + (u - norm)), and every other unit (a whitespace run, an
 * entity, an escape) is a breakpoint of its own with an explicit original span.
 */
export class OffsetMap {
  constructor(
    /** breakpoints as triplets: normalised index, original start, original end (-1: a run of copied characters) */
    private readonly bp: Int32Array,
    private readonly count: number,
    /** number of normalised units */
    readonly length: number,
  ) {}

  private find(u: number): number {
    let lo = 0
    let hi = this.count - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.bp[mid * 3]! <= u) lo = mid
      else hi = mid - 1
    }
    return lo * 3
  }

  /** original start offset of normalised unit u */
  start(u: number): number {
    const k = this.find(u)
    return this.bp[k + 1]! + (this.bp[k + 2]! < 0 ? u - this.bp[k]! : 0)
  }

  /** original end offset (exclusive) of normalised unit u */
  end(u: number): number {
    const k = this.find(u)
    return this.bp[k + 2]! < 0 ? this.bp[k + 1]! + (u - this.bp[k]!) + 1 : this.bp[k + 2]!
  }

  /** an owned copy (the maps classify uses live in scratch buffers) */
  copy(): OffsetMap {
    return new OffsetMap(this.bp.slice(0, this.count * 3), this.count, this.length)
  }
}

import { plainRunnerFor } from './plain-run.js'
import type { AnchorScanner, Hits } from './scan.js'
import { utf16View, type Utf16View } from './utf16.js'

const plainClasses = new WeakMap<AnchorScanner, Uint16Array>()
/**
 * The scanner's character class of every plain character (see PLAIN), 0 for the others: the fused loop decides
 * "copy as it is" and finds the DFA column with one lookup.
 */
function plainClassOf(sc: AnchorScanner): Uint16Array {
  let t = plainClasses.get(sc)
  if (!t) {
    t = new Uint16Array(65536)
    for (let c = 0; c < 65536; c++) if (PLAIN[c] !== 0) t[c] = sc.classOf[PLAIN[c]!]!
    plainClasses.set(sc, t)
  }
  return t
}

/** one DFA step of the fused anchor scan for a unit written outside the hot loop */
function step(sc: AnchorScanner, state: number, unit: number, at: number, low: Uint16Array): number {
  const v = sc.delta[state + sc.classOf[unit]!]!
  if (v >= 0) return v
  sc.hit(-v - 1, at, low)
  return -v - 1
}

const enum Ch {
  Tab = 0x09,
  Lf = 0x0a,
  Cr = 0x0d,
  Esc = 0x1b,
  Space = 0x20,
  Quote = 0x22,
  Amp = 0x26,
  Apos = 0x27,
  Star = 0x2a,
  Slash = 0x2f,
  Lt = 0x3c,
  Gt = 0x3e,
  LBracket = 0x5b,
  Backslash = 0x5c,
  Underscore = 0x5f,
  Backtick = 0x60,
  Pipe = 0x7c,
}

/** what a decoded character turns into: 0 keep, 1 whitespace, 2 drop */
const KIND = new Uint8Array(65536)
;(() => {
  for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]) KIND[c] = 1
  for (let c = 0x2000; c <= 0x200a; c++) KIND[c] = 1 // en/em spaces, thin spaces
  for (let c = 0x2500; c <= 0x259f; c++) KIND[c] = 1 // box drawing and block elements (terminal frames, logos)
  for (const c of [0x23bf, 0x23fa, 0x23bd, 0x23be, 0x273b, 0x2722, 0x273d, 0x2736, 0x2731, 0x25cf, 0x25b6, 0x276f, 0x2771]) KIND[c] = 1 // ⎿ ⏺ ✻ ✢ ✽ ✶ ✱ ● ▶ ❯
  KIND[Ch.Backtick] = 1 // markdown code fences and inline code
  for (const c of [0x00ad, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff, 0x180e]) KIND[c] = 2
  for (let c = 0x202a; c <= 0x202e; c++) KIND[c] = 2 // bidi embeddings
  for (let c = 0x2066; c <= 0x2069; c++) KIND[c] = 2 // bidi isolates
  for (let c = 0; c < 0x20; c++) if (KIND[c] === 0) KIND[c] = 2 // other C0 controls (ESC is handled before)
  KIND[0x7f] = 2
})()

/** characters replaced by an ASCII look-alike (smart quotes, primes, fullwidth punctuation used in errors) */
const SUBST = new Uint16Array(65536)
;(() => {
  for (const c of [0x2018, 0x2019, 0x201a, 0x201b, 0x2032, 0xff07]) SUBST[c] = Ch.Apos
  for (const c of [0x201c, 0x201d, 0x201e, 0x201f, 0x2033, 0xff02]) SUBST[c] = Ch.Quote
  SUBST[0xff1a] = 0x3a // fullwidth colon
  SUBST[0x2010] = 0x2d // hyphen
  SUBST[0x2011] = 0x2d // non-breaking hyphen
})()

/**
 * Characters that need no special handling at all, mapped to their lower-case form (ASCII letters) or themselves;
 * 0 for every character the slow path must look at. One lookup decides and lower-cases.
 */
const PLAIN = new Uint16Array(65536)
;(() => {
  for (let c = 0x21; c < 0x7f; c++) PLAIN[c] = c >= 0x41 && c <= 0x5a ? c + 32 : c
  for (const c of [0x5c /* \\ */, 0x26 /* & */, 0x3c /* < */, 0x3e /* > */, 0x5b /* [ */, 0x2a /* * */, 0x60 /* ` */]) PLAIN[c] = 0
  for (let c = 0xa1; c < 65536; c++) if (KIND[c] === 0 && SUBST[c] === 0 && (c < 0xd800 || c > 0xdfff)) PLAIN[c] = c
})()

const ENTITIES: Record<string, number> = { amp: 0x26, lt: 0x3c, gt: 0x3e, quot: 0x22, apos: 0x27, nbsp: 0xa0, '#39': 0x27, '#34': 0x22 }

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
}
function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === Ch.Underscore || c === 0x2d
}
function isLowerLetter(c: number): boolean {
  return c >= 0x61 && c <= 0x7a
}

const UTF16 = new TextDecoder('utf-16le', { ignoreBOM: true })
/** a view of the last scratch array decoded (the scratch buffers are reused, so their view is too) */
let viewed: Uint16Array | null = null
let view: Utf16View | null = null
function fromCodes(codes: Uint16Array, len: number): string {
  if (len === 0) return ''
  // only the scratch buffers keep a view: a megabyte input's own buffer must not stay pinned
  const scratch = codes === scratchLow || codes === scratchOut
  const v = scratch && codes === viewed ? view : utf16View(codes.buffer, codes.byteOffset, scratch ? codes.length : len)
  if (!v) return UTF16.decode(codes.subarray(0, len))
  if (scratch) {
    viewed = codes
    view = v
  }
  return v.read(0, len)
}

// Scratch buffers reused across calls (normalisation is synchronous, so one set is enough); inputs above
// SCRATCH_KEEP characters get their own buffers so a megabyte paste does not pin memory.
const SCRATCH_KEEP = 1 << 16
let scratchSize = 0
let scratchOut = new Uint16Array(0)
let scratchLow = new Uint16Array(0)
let scratchBp = new Int32Array(0)

/** a breakpoint array twice as large, keeping its content (amortised linear growth) */
function grow(bp: Int32Array): Int32Array {
  const g = new Int32Array(Math.max(96, bp.length * 2))
  g.set(bp)
  return g
}

/**
 * Tries to read an HTML entity at i ("&amp;", "&#39;", "&#x2502;"). Returns the code and the end, or -1.
 * Looks ahead at most 10 characters.
 */
function readEntity(s: string, i: number, n: number): [number, number] | null {
  let j = i + 1
  const limit = Math.min(n, i + 10)
  while (j < limit && s.charCodeAt(j) !== 0x3b) j++
  if (j >= limit || j === i + 1) return null
  const name = s.slice(i + 1, j)
  const named = ENTITIES[name] ?? ENTITIES[name.toLowerCase()]
  if (named !== undefined) return [named, j + 1]
  if (name.charCodeAt(0) === 0x23) {
    const hex = name.charCodeAt(1) === 0x78 || name.charCodeAt(1) === 0x58
    const digits = hex ? name.slice(2) : name.slice(1)
    if (!digits || !(hex ? /^[0-9a-fA-F]{1,4}$/ : /^[0-9]{1,5}$/).test(digits)) return null
    const code = parseInt(digits, hex ? 16 : 10)
    if (code > 0xffff) return null
    return [code, j + 1]
  }
  return null
}

/**
 * A Slack/Discord link at a raw '<': "<https://x|text>", "<https://x>", "<@U123|name>", "<#C1|chan>", "<!here>".
 * Returns [resumeAt, gtIndex]: parsing continues at resumeAt (the text after '|' or the URL itself) and the closing
 * '>' at gtIndex is skipped. Scans stop at the next '<' or line break, so repeated '<' cannot make this quadratic.
 */
function readSlackLink(s: string, i: number, n: number): [number, number] | null {
  const c1 = s.charCodeAt(i + 1)
  const isLink =
    c1 === 0x40 /* @ */ ||
    c1 === 0x23 /* # */ ||
    c1 === 0x21 /* ! */ ||
    s.startsWith('http', i + 1) ||
    s.startsWith('mailto:', i + 1)
  if (!isLink) return null
  const limit = Math.min(n, i + 2048)
  let j = i + 1
  for (; j < limit; j++) {
    const c = s.charCodeAt(j)
    if (c === Ch.Gt) return [i + 1, j]
    if (c === Ch.Pipe) break
    if (c === Ch.Lt || c === Ch.Lf || c === Ch.Space || c === Ch.Tab) return null
  }
  if (j >= limit) return null
  const pipe = j
  const limit2 = Math.min(n, pipe + 512)
  for (j = pipe + 1; j < limit2; j++) {
    const c = s.charCodeAt(j)
    if (c === Ch.Gt) return [pipe + 1, j]
    if (c === Ch.Lt || c === Ch.Lf) return null
  }
  return null
}

/** "[31m" / "[0;1;33m" / "[39m" with the ESC byte lost in copying: returns the end, or -1 */
function readAnsiRemnant(s: string, i: number, n: number): number {
  const limit = Math.min(n, i + 14)
  let j = i + 1
  let digits = 0
  for (; j < limit; j++) {
    const c = s.charCodeAt(j)
    if (c >= 0x30 && c <= 0x39) digits++
    else if (c !== 0x3b) break
  }
  if (digits === 0 || j >= limit || s.charCodeAt(j) !== 0x6d /* m */) return -1
  return j + 1
}

/** Normalises `original` (see the file comment). Linear in the input length. */
export function normalise(original: string): Normalised {
  const core = normaliseCore(original, true)
  const map = core.map.copy()
  const starts = new Int32Array(map.length)
  const ends = new Int32Array(map.length)
  for (let u = 0; u < map.length; u++) {
    starts[u] = map.start(u)
    ends[u] = map.end(u)
  }
  return { original, text: core.text!, lower: core.lower, starts, ends, map }
}

/**
 * Skips an ANSI escape sequence whose ESC was just consumed; `i` is the raw position after it. Bounded look-ahead,
 * and what it skips is never read again, so this stays linear.
 */
function skipEscape(s: string, i: number, n: number): number {
  if (i >= n) return i
  const c = s.charCodeAt(i)
  if (c === Ch.LBracket) {
    // CSI: parameters and intermediates, then one final byte
    const limit = Math.min(n, i + 64)
    for (let j = i + 1; j < limit; j++) {
      const d = s.charCodeAt(j)
      if (d >= 0x40 && d <= 0x7e) return j + 1
      if (d < 0x20 || d > 0x3f) return j // malformed: stop swallowing
    }
    return limit
  }
  if (c === 0x5d /* ] */ || c === 0x50 /* P */) {
    // OSC / DCS: until BEL, ESC \, a line break or a (JSON-escaped) backslash
    const limit = Math.min(n, i + 2048)
    for (let j = i + 1; j < limit; j++) {
      const d = s.charCodeAt(j)
      if (d === 0x07) return j + 1
      if (d === Ch.Esc) return s.charCodeAt(j + 1) === Ch.Backslash ? j + 2 : j
      if (d === Ch.Lf || d === Ch.Backslash) return j
    }
    return limit
  }
  return c >= 0x40 && c <= 0x5f ? i + 1 : i
}

/**
 * The hot path used by classify: with a scanner, the anchor scan runs in the same pass (each character is read once)
 * and its hits are returned; without one, the case-preserved text is made instead (normalise). The map lives in
 * scratch buffers.
 */
export function normaliseCore(
  original: string,
  withText: boolean,
  sc: AnchorScanner | null = null,
  /** false: the JavaScript copy loop even where the WebAssembly one could run (the tests compare the two) */
  useWasm = true,
): { lower: string; text: string | null; map: OffsetMap; hits: Hits | null } {
  // classify scans without the case-preserved text, normalise() wants the text without a scan: the loops below
  // serve exactly these two
  if (withText === (sc !== null)) throw new Error('normaliseCore: either the case-preserved text or an anchor scan')
  const n = original.length
  let out: Uint16Array, low: Uint16Array, bp: Int32Array
  if (n <= SCRATCH_KEEP) {
    if (scratchSize < n + 1) {
      scratchSize = Math.max(n + 1, scratchSize * 2, 1024)
      scratchOut = new Uint16Array(scratchSize)
      scratchLow = new Uint16Array(scratchSize)
      scratchBp = new Int32Array(scratchSize * 3)
    }
    out = scratchOut
    low = scratchLow
    bp = scratchBp
  } else {
    // big inputs get their own buffers; breakpoints grow as needed (most megabyte inputs have few)
    out = new Uint16Array(withText ? n : 0)
    low = new Uint16Array(n)
    bp = new Int32Array(3 * 4096)
  }
  let o = 0
  let nb = 0
  let runOpen = false
  // fused anchor scan
  let st = 0
  const delta = sc ? sc.delta : null
  const plainClass = sc ? plainClassOf(sc) : null
  const spaceClass = sc ? sc.classOf[Ch.Space]! : 0
  // plain runs go through the WebAssembly loop when there is one (inputs up to SCRATCH_KEEP)
  const runner = sc && plainClass && useWasm && n <= SCRATCH_KEEP ? plainRunnerFor(sc, plainClass, SCRATCH_KEEP) : null
  if (runner) {
    runner.load(original)
    low = runner.low
  }
  if (sc) sc.begin()
  let wsStart = -1
  let wsEnd = -1
  let wsNewline = false
  let skipGt = -1
  let i = 0
  while (i < n) {
    let c = original.charCodeAt(i)
    const lc = PLAIN[c]!
    if (lc !== 0) {
      // the common case: a character copied as it is
      if (wsStart >= 0) {
        if (o > 0 && !(wsNewline && low[o - 1] === Ch.Underscore)) {
          if (withText) out[o] = wsNewline ? Ch.Lf : Ch.Space
          low[o] = wsNewline ? Ch.Lf : Ch.Space
          if (nb * 3 + 3 > bp.length) bp = grow(bp)
          bp[nb * 3] = o
          bp[nb * 3 + 1] = wsStart
          bp[nb * 3 + 2] = wsEnd
          nb++
          if (sc) st = step(sc, st, Ch.Space, o, low)
          o++
        }
        wsStart = -1
      }
      if (!runOpen) {
        if (nb * 3 + 3 > bp.length) bp = grow(bp)
        bp[nb * 3] = o
        bp[nb * 3 + 1] = i
        bp[nb * 3 + 2] = -1
        nb++
        runOpen = true
      }
      // copy the whole run of plain characters in a tight loop
      let x = lc
      // the WebAssembly build of the loop below (plain-run.wat); its hits are handed to the scanner afterwards
      if (runner !== null) {
        const j = runner.run(i, n, o, st)
        st = runner.result[0]!
        const hits = runner.result[1]!
        for (let h = 0; h < hits; h++) sc!.hit(runner.hits[2 * h]!, runner.hits[2 * h + 1]!, low)
        o += j - i
        i = j
        continue
      }
      // the same in JavaScript: inputs over SCRATCH_KEEP, or no WebAssembly (keep the two loops in step)
      if (delta !== null && plainClass !== null) {
        let k = plainClass[c]!
        for (;;) {
          low[o] = x
          const v = delta[st + k]!
          if (v >= 0) st = v
          else {
            st = -v - 1
            sc!.hit(st, o, low)
          }
          o++
          if (++i >= n) break
          c = original.charCodeAt(i)
          k = plainClass[c]!
          if (k !== 0) x = c - 0x41 < 26 && c >= 0x41 ? c + 32 : c
          // a single space or line break between plain characters stays in the run (no breakpoint, no slow path)
          else if ((c === Ch.Space || (c === Ch.Lf && x !== Ch.Underscore)) && i + 1 < n && plainClass[original.charCodeAt(i + 1)]! !== 0) {
            x = c
            k = spaceClass
          } else break
        }
      } else
        do {
          out[o] = c
          low[o++] = x
          if (++i >= n) break
          c = original.charCodeAt(i)
          x = PLAIN[c]!
        } while (x !== 0)
      continue
    }
    runOpen = false
    if (c === Ch.Space || c === Ch.Lf) {
      if (wsStart < 0) {
        wsStart = i
        wsNewline = c === Ch.Lf
      } else if (c === Ch.Lf) wsNewline = true
      wsEnd = ++i
      continue
    }
    const s = i
    let e = i + 1
    // ---- raw level: constructs that span several input characters
    if (c === Ch.Backslash) {
      let j = i
      while (j < n && original.charCodeAt(j) === Ch.Backslash) j++
      const k = j - i
      const nx = j < n ? original.charCodeAt(j) : -1
      if (nx === Ch.Quote || nx === Ch.Apos || nx === Ch.Slash) {
        c = nx
        e = j + 1
      } else if (nx === 0x6e /* n */ || nx === 0x72 /* r */ || nx === 0x74 /* t */) {
        const after = j + 1 < n ? original.charCodeAt(j + 1) : -1
        const before = i > 0 ? original.charCodeAt(i - 1) : -1
        // "C:\Users\me\node_modules": a path segment, not an escape. Even backslash runs are literal at JSON level 1.
        const pathLike = isLowerLetter(after) && (k % 2 === 0 || isWordChar(before))
        if (pathLike) {
          c = Ch.Backslash
          e = j
        } else {
          c = nx === 0x74 ? Ch.Space : Ch.Lf
          e = j + 1
        }
      } else if (
        nx === 0x75 /* u */ &&
        j + 4 < n &&
        isHex(original.charCodeAt(j + 1)) &&
        isHex(original.charCodeAt(j + 2)) &&
        isHex(original.charCodeAt(j + 3)) &&
        isHex(original.charCodeAt(j + 4))
      ) {
        c = parseInt(original.slice(j + 1, j + 5), 16)
        e = j + 5
      } else {
        c = Ch.Backslash
        e = j
      }
    } else if (c === Ch.Amp) {
      const ent = readEntity(original, i, n)
      if (ent) {
        c = ent[0]
        e = ent[1]
      }
    } else if (c === Ch.Lt) {
      const link = readSlackLink(original, i, n)
      if (link) {
        skipGt = link[1]
        i = link[0]
        continue
      }
    } else if (c === Ch.Gt && i === skipGt) {
      i = e
      continue
    } else if (c === Ch.LBracket) {
      const end = readAnsiRemnant(original, i, n)
      if (end > 0) {
        i = end
        continue
      }
    } else if (c === Ch.Star && i + 1 < n && original.charCodeAt(i + 1) === Ch.Star) {
      // markdown **bold** (__ is left alone: identifiers use '_')
      i += 2
      continue
    }
    i = e
    // ---- decoded level
    if (c === Ch.Esc) {
      i = skipEscape(original, i, n)
      continue
    }
    const sub = SUBST[c]!
    if (sub !== 0) c = sub
    const kind = KIND[c]
    if (kind === 2) continue
    if (kind === 1) {
      if (wsStart < 0) {
        wsStart = s
        wsNewline = false
      }
      wsEnd = e
      if (c === Ch.Lf || c === Ch.Cr || c === 0x2028 || c === 0x2029 || c === 0x85) wsNewline = true
      continue
    }
    if (wsStart >= 0) {
      // a terminal-wrapped identifier ("api_" + line break + indentation) joins again
      if (o > 0 && !(wsNewline && low[o - 1] === Ch.Underscore)) {
        if (withText) out[o] = wsNewline ? Ch.Lf : Ch.Space
        low[o] = wsNewline ? Ch.Lf : Ch.Space
        if (nb * 3 + 3 > bp.length) bp = grow(bp)
        bp[nb * 3] = o
        bp[nb * 3 + 1] = wsStart
        bp[nb * 3 + 2] = wsEnd
        nb++
        if (sc) st = step(sc, st, Ch.Space, o, low)
        o++
      }
      wsStart = -1
    }
    if (withText) out[o] = c
    low[o] = c >= 0x41 && c <= 0x5a ? c + 32 : c
    if (nb * 3 + 3 > bp.length) bp = grow(bp)
    bp[nb * 3] = o
    bp[nb * 3 + 1] = s
    bp[nb * 3 + 2] = e
    nb++
    if (sc) st = step(sc, st, low[o]!, o, low)
    o++
  }
  return {
    text: withText ? fromCodes(out, o) : null,
    lower: runner ? runner.decode(o) : fromCodes(low, o),
    map: new OffsetMap(bp, nb, o),
    hits: sc ? sc.finish(low, o) : null,
  }
}

/** Maps a span [start, end) of the normalised text to the original text. */
export function toOriginalSpan(n: { original: string; map: OffsetMap }, start: number, end: number): { start: number; end: number } {
  const len = n.map.length
  if (end <= start || start >= len) {
    const at = start < len ? n.map.start(start) : n.original.length
    return { start: at, end: at }
  }
  return { start: n.map.start(start), end: n.map.end(Math.min(end, len) - 1) }
}
