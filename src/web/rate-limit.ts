// Fixed-window rate limiting per key (client address). In memory: each replica limits on its own, which is
// enough to stop a runaway script; the single-use codes are the real gate.
export class FixedWindowLimiter {
  private windows = new Map<string, { start: number; count: number }>()
  private lastSweep = 0

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
    /** past this many tracked keys, ended windows are dropped (at most once per window, so a flood costs O(1) each) */
    private readonly maxKeys = 10_000,
  ) {
    if (!(limit >= 1) || !(windowMs > 0)) throw new Error('FixedWindowLimiter needs limit >= 1 and windowMs > 0')
  }

  /** true when the request may go ahead; every call counts, refused ones too */
  take(key: string): boolean {
    const t = this.now()
    const w = this.windows.get(key)
    if (!w || t - w.start >= this.windowMs || t < w.start) {
      if (!w && this.windows.size >= this.maxKeys) this.sweep(t)
      this.windows.set(key, { start: t, count: 1 })
      return true
    }
    // no unbounded counting: once refused, the count stays just past the limit
    if (w.count <= this.limit) w.count++
    return w.count <= this.limit
  }

  /** whole seconds until `key` may try again (0 when it may now), for a Retry-After header */
  retryAfterSeconds(key: string): number {
    const w = this.windows.get(key)
    if (!w || w.count <= this.limit) return 0
    const left = w.start + this.windowMs - this.now()
    return left > 0 ? Math.ceil(left / 1000) : 0
  }

  /** keys tracked now (tests, metrics) */
  get size(): number {
    return this.windows.size
  }

  private sweep(t: number) {
    if (t - this.lastSweep < this.windowMs && this.windows.size < this.maxKeys * 2) return
    this.lastSweep = t
    for (const [k, w] of this.windows) if (t - w.start >= this.windowMs || t < w.start) this.windows.delete(k)
    // still full of live windows (a flood from many addresses): forget the oldest rather than grow without bound
    if (this.windows.size >= this.maxKeys * 2) {
      for (const k of this.windows.keys()) {
        this.windows.delete(k)
        if (this.windows.size < this.maxKeys) break
      }
    }
  }
}
