// One pass over the text finds every trigger literal ("anchor") at once: an Aho-Corasick automaton compiled to a
// dense transition table when the module loads. Linear in the text whatever it holds, no regex, no allocation per
// character. Rules only run their (bounded) regexes in windows around the anchors found here, which is what keeps
// ordinary chatter and megabyte logs cheap.

/** Positions kept per anchor: the first HEAD and the last TAIL occurrences (errors sit at the end of long logs). */
export const HEAD = 8
export const TAIL = 8
const CAP = HEAD + TAIL

export type Hits = {
  /** anchor ids found, in order of first occurrence */
  found: number[]
  /** occurrences per anchor id (all of them, not only the kept positions) */
  count(anchor: number): number
  /** kept start positions of an anchor (at most HEAD + TAIL), ascending */
  positions(anchor: number): number[]
}

export class AnchorScanner {
  readonly anchors: readonly string[]
  private readonly alphabet: number
  private readonly classOf: Uint16Array
  private readonly delta: Int32Array
  private readonly outStart: Int32Array
  private readonly outLen: Int32Array
  private readonly outIds: Int32Array
  private readonly lengths: Int32Array
  // scratch state reused by every scan (scans are synchronous, so this is safe)
  private readonly counts: Int32Array
  private readonly kept: Int32Array

  /** anchors must already be lower-case (ASCII); duplicates are allowed and share one id */
  constructor(anchors: readonly string[]) {
    this.anchors = anchors
    const classOf = new Uint16Array(65536)
    let alphabet = 128
    for (let c = 0; c < 128; c++) classOf[c] = c
    classOf[0x0a] = 0x20 // normalised whitespace is ' ' or '\n': an anchor's space matches a line break too
    for (const a of anchors)
      for (let k = 0; k < a.length; k++) {
        const c = a.charCodeAt(k)
        if (c >= 128 && classOf[c] === 0) classOf[c] = alphabet++
      }
    const other = alphabet++ // every character no anchor uses
    for (let c = 128; c < 65536; c++) if (classOf[c] === 0) classOf[c] = other
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
    this.counts = new Int32Array(anchors.length)
    this.kept = new Int32Array(anchors.length * CAP)
  }

  /** Scans `text` (already lower-cased) and returns what was found. The result is valid until the next scan. */
  scan(text: string): Hits {
    const { delta, alphabet, classOf, outStart, outLen, outIds, lengths, counts, kept } = this
    const found: number[] = []
    let state = 0
    const n = text.length
    for (let i = 0; i < n; i++) {
      state = delta[state * alphabet + classOf[text.charCodeAt(i)]!]!
      const len = outLen[state]!
      if (len === 0) continue
      const from = outStart[state]!
      for (let k = 0; k < len; k++) {
        const id = outIds[from + k]!
        const seen = counts[id]!
        if (seen === 0) found.push(id)
        const pos = i - lengths[id]! + 1
        // first HEAD positions in place, then a ring of the last TAIL
        const slot = seen < HEAD ? seen : HEAD + ((seen - HEAD) % TAIL)
        kept[id * CAP + slot] = pos
        counts[id] = seen + 1
      }
    }
    // snapshot and reset the scratch counters
    const snapshot = new Map<number, { count: number; positions: number[] }>()
    for (const id of found) {
      const count = counts[id]!
      const base = id * CAP
      let positions: number[]
      if (count <= CAP) {
        positions = Array.from(kept.subarray(base, base + count))
      } else {
        positions = Array.from(kept.subarray(base, base + HEAD))
        const ringStart = (count - HEAD) % TAIL
        for (let k = 0; k < TAIL; k++) positions.push(kept[base + HEAD + ((ringStart + k) % TAIL)]!)
      }
      snapshot.set(id, { count, positions })
      counts[id] = 0
    }
    return {
      found,
      count: (anchor) => snapshot.get(anchor)?.count ?? 0,
      positions: (anchor) => snapshot.get(anchor)?.positions ?? [],
    }
  }

  /** true when any anchor occurs (no bookkeeping; the cheapest possible check) */
  any(text: string): boolean {
    const { delta, alphabet, classOf, outLen } = this
    let state = 0
    for (let i = 0; i < text.length; i++) {
      state = delta[state * alphabet + classOf[text.charCodeAt(i)]!]!
      if (outLen[state]! !== 0) return true
    }
    return false
  }
}
