// One pass over the text finds every trigger literal ("anchor") at once: an Aho-Corasick automaton compiled to a
// dense transition table when the module loads. Linear in the text whatever it holds, no regex, no allocation per
// character. Rules only run their (bounded) regexes in windows around the anchors found here, which is what keeps
// ordinary chatter and megabyte logs cheap.

/** Positions kept per anchor: the first HEAD and the last TAIL occurrences (errors sit at the end of long logs). */
export const HEAD = 8
export const TAIL = 8
const CAP = HEAD + TAIL
const EMPTY = new Int32Array(0)
/** letters and digits: an anchor hit right after one of these continues a word ('_' separates: api_key in anthropic_api_key) */
const WORD = new Uint8Array(65536)
for (let c = 0; c < 128; c++) if (/[a-zA-Z0-9]/.test(String.fromCharCode(c))) WORD[c] = 1

export type Hits = {
  /** anchor ids found, in order of first occurrence */
  found: number[]
  /** occurrences per anchor id (all of them, not only the kept positions) */
  count(anchor: number): number
  /** kept start positions of an anchor (at most HEAD + TAIL), ascending */
  positions(anchor: number): ArrayLike<number>
  /** the same without allocating: copies them into `into` from index `at`; returns the index after the last */
  copyPositions(anchor: number, into: Int32Array, at: number): number
}

/** The anchors of one scan, read straight from the scanner's counters (no copy, no allocation). */
class KeptHits implements Hits {
  found: number[] = []
  constructor(
    private readonly counts: Int32Array,
    /** per anchor CAP slots: the first HEAD positions, then a ring of the last TAIL */
    private readonly kept: Int32Array,
  ) {}

  count(anchor: number): number {
    return this.counts[anchor]!
  }

  positions(anchor: number): ArrayLike<number> {
    const count = this.counts[anchor]!
    if (count === 0) return EMPTY
    const out = new Int32Array(Math.min(count, CAP))
    this.copyPositions(anchor, out, 0)
    return out
  }

  copyPositions(anchor: number, into: Int32Array, at: number): number {
    const count = this.counts[anchor]!
    const kept = this.kept
    const base = anchor * CAP
    if (count <= CAP) {
      for (let k = 0; k < count; k++) into[at++] = kept[base + k]!
      return at
    }
    for (let k = 0; k < HEAD; k++) into[at++] = kept[base + k]!
    // the ring's oldest entry is where the next write would go
    const ringStart = (count - HEAD) % TAIL
    for (let k = 0; k < TAIL; k++) into[at++] = kept[base + HEAD + ((ringStart + k) % TAIL)]!
    return at
  }
}

export class AnchorScanner {
  readonly anchors: readonly string[]
  /** size of the character-class alphabet (transitions are premultiplied by it) */
  readonly alphabet: number
  /** character code -> class (ASCII letters folded to lower case, ASCII whitespace to space) */
  readonly classOf: Uint16Array
  /** premultiplied transitions: state + class -> next state, negated minus one when the next state has outputs */
  readonly delta: Int32Array
  private readonly outStart: Int32Array
  private readonly outLen: Int32Array
  private readonly outIds: Int32Array
  private readonly lengths: Int32Array
  /** 1: the anchor starts with a word character, so a hit must not continue a word; 2: also end there (numbers) */
  private readonly bounded: Uint8Array
  // scratch state reused by every scan (scans are synchronous, so this is safe)
  private readonly counts: Int32Array
  private readonly kept: Int32Array
  private lastFound: number[] = []
  /** what every scan returns: a view of counts and kept, valid until the next scan */
  private readonly result: KeptHits

  /** anchors must already be lower-case (ASCII); duplicates are allowed and share one id */
  constructor(anchors: readonly string[]) {
    this.anchors = anchors
    // The alphabet is only what the anchors use: one class per such character, one for every other character, so
    // the transition table's rows are short (it stays in cache). ASCII letters fold to lower case, and every ASCII
    // whitespace (normalised text only has ' ' and '\n') is a space: an anchor's space matches a line break, and
    // the scanner can also run on raw text (see mayMatch). Class 0 is never used: callers may use 0 for "none".
    const fold = (c: number) => (c >= 0x41 && c <= 0x5a ? c + 32 : c >= 0x09 && c <= 0x0d ? 0x20 : c)
    const classId = new Map<number, number>([[0x20, 1]])
    for (const a of anchors)
      for (let k = 0; k < a.length; k++) {
        const c = fold(a.charCodeAt(k))
        if (!classId.has(c)) classId.set(c, classId.size + 1)
      }
    const other = classId.size + 1 // every character no anchor uses
    const alphabet = other + 1
    const classOf = new Uint16Array(65536)
    for (let c = 0; c < 65536; c++) classOf[c] = classId.get(fold(c)) ?? other
    this.alphabet = alphabet
    this.classOf = classOf

    // trie
    const children: Map<number, number>[] = [new Map()]
    const outputs: number[][] = [[]]
    anchors.forEach((a, id) => {
      if (!a) throw new Error('empty anchor')
      let node = 0
      for (let k = 0; k < a.length; k++) {
        const cls = classOf[a.charCodeAt(k)]!
        let next = children[node]!.get(cls)
        if (next === undefined) {
          next = children.length
          children.push(new Map())
          outputs.push([])
          children[node]!.set(cls, next)
        }
        node = next
      }
      outputs[node]!.push(id)
    })
    const nodes = children.length
    const delta = new Int32Array(nodes * alphabet)
    const fail = new Int32Array(nodes)
    // breadth-first: fail links and the complete transition function
    const queue: number[] = []
    for (let cls = 0; cls < alphabet; cls++) {
      const next = children[0]!.get(cls)
      if (next !== undefined) {
        delta[cls] = next
        fail[next] = 0
        queue.push(next)
      }
    }
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q]!
      const f = fail[node]!
      if (outputs[f]!.length) outputs[node] = outputs[node]!.concat(outputs[f]!)
      for (let cls = 0; cls < alphabet; cls++) {
        const next = children[node]!.get(cls)
        if (next !== undefined) {
          delta[node * alphabet + cls] = next
          fail[next] = delta[f * alphabet + cls]!
          queue.push(next)
        } else delta[node * alphabet + cls] = delta[f * alphabet + cls]!
      }
    }
    // premultiplied transitions: entries hold next * alphabet, negated minus one when the next state has outputs
    for (let k = 0; k < delta.length; k++) {
      const next = delta[k]!
      delta[k] = outputs[next]!.length ? -(next * alphabet) - 1 : next * alphabet
    }
    this.delta = delta
    this.outStart = new Int32Array(nodes)
    this.outLen = new Int32Array(nodes)
    const flat: number[] = []
    for (let node = 0; node < nodes; node++) {
      this.outStart[node] = flat.length
      this.outLen[node] = outputs[node]!.length
      flat.push(...outputs[node]!)
    }
    this.outIds = Int32Array.from(flat)
    this.lengths = Int32Array.from(anchors.map((a) => a.length))
    // "401" must not fire inside "14012", nor "pod" inside "podcast"; prefixes like "exten" may end mid-word
    this.bounded = Uint8Array.from(anchors.map((a) => (/^\d+$/.test(a) ? 2 : /^[a-z0-9]/.test(a) ? 1 : 0)))
    this.counts = new Int32Array(anchors.length)
    this.kept = new Int32Array(anchors.length * CAP)
    this.result = new KeptHits(this.counts, this.kept)
  }

  // ---- incremental use: begin(), hit() for every output state entered, finish(). normaliseCore drives this while
  // it writes the normalised text, so each character is read once; scan() drives it over a finished string.
  private found: number[] = []
  /** hits of end-bounded anchors (numbers) wait here until the character after them is known: id, end pairs */
  private readonly pending: number[] = []

  begin(): void {
    // the counters of the last scan are reset here, so its result stays readable until now
    for (const id of this.lastFound) this.counts[id] = 0
    this.found = []
    this.pending.length = 0
  }

  /** the DFA entered output state `state` on the unit at index `end` of `buf` (already written) */
  hit(state: number, end: number, buf: Uint16Array): void {
    const node = state / this.alphabet
    for (let k = 0, from = this.outStart[node]!, len = this.outLen[node]!; k < len; k++) {
      const id = this.outIds[from + k]!
      const b = this.bounded[id]!
      if (b !== 0) {
        // "401" must not fire inside "14012", nor "pod" inside "podcast"
        const start = end - this.lengths[id]! + 1
        if (start > 0 && WORD[buf[start - 1]!] === 1) continue
        if (b === 2) {
          this.pending.push(id, end)
          continue
        }
      }
      this.record(id, end - this.lengths[id]! + 1)
    }
  }

  private record(id: number, pos: number): void {
    const seen = this.counts[id]!
    if (seen === 0) this.found.push(id)
    // first HEAD positions in place, then a ring of the last TAIL
    const slot = seen < HEAD ? seen : HEAD + ((seen - HEAD) % TAIL)
    this.kept[id * CAP + slot] = pos
    this.counts[id] = seen + 1
  }

  /** ends an incremental scan over `buf[0, length)`. The result is valid until the next scan. */
  finish(buf: Uint16Array, length: number): Hits {
    const pending = this.pending
    for (let k = 0; k < pending.length; k += 2) {
      const id = pending[k]!
      const end = pending[k + 1]!
      if (end + 1 >= length || WORD[buf[end + 1]!] === 0) this.record(id, end - this.lengths[id]! + 1)
    }
    this.lastFound = this.found
    this.result.found = this.found
    return this.result
  }

  /** Scans a finished `text` and returns what was found. The result is valid until the next scan. */
  scan(text: string): Hits {
    const { delta, classOf } = this
    const n = text.length
    const buf = new Uint16Array(n)
    for (let i = 0; i < n; i++) buf[i] = text.charCodeAt(i)
    this.begin()
    let state = 0
    for (let i = 0; i < n; i++) {
      const v = delta[state + classOf[buf[i]!]!]!
      if (v >= 0) state = v
      else {
        state = -v - 1
        this.hit(state, i, buf)
      }
    }
    return this.finish(buf, n)
  }

  /**
   * The chatter prefilter, on the RAW text: false only when normalisation could not change what the scanner sees
   * (no escapes, entities, ESC, markdown bold, control or non-ASCII characters) and no anchor occurs, so the text
   * cannot match any rule. Whitespace runs are collapsed on the fly, as normalise does. No allocation.
   */
  mayMatch(raw: string): boolean {
    const { delta, classOf } = this
    let state = 0
    let prevWs = true
    let prev = 0
    for (let i = 0; i < raw.length; i++) {
      const c = raw.charCodeAt(i)
      if (c >= 0x80 || c === 0x1b || c === 0x26 /* & */ || c === 0x5c /* \ */ || c === 0x2a /* * */) return true
      let cls: number
      if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0x60 /* ` is a space after normalising */) {
        if (prevWs) continue
        if (prev === 0x5f /* _ */) return true // a wrapped identifier joins when normalised
        prevWs = true
        cls = classOf[0x20]!
      } else {
        if (c < 0x20) return true
        prevWs = false
        prev = c
        cls = classOf[c]!
      }
      const v = delta[state + cls]!
      if (v >= 0) {
        state = v
        continue
      }
      state = -v - 1
      // whitespace runs are collapsed here, so only the character before the hit is checked (conservative)
      const node = state / this.alphabet
      for (let k = 0, from = this.outStart[node]!, len = this.outLen[node]!; k < len; k++) {
        const id = this.outIds[from + k]!
        // an anchor with a space may span a collapsed whitespace run, so its raw start is unknown: no check
        if (this.bounded[id] === 0 || this.anchors[id]!.includes(' ')) return true
        const start = i - this.lengths[id]! + 1
        if (start <= 0 || WORD[raw.charCodeAt(start - 1)] === 0) return true
      }
    }
    return false
  }
}
