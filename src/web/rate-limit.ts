// Fixed-window rate limiting per key (client address). In memory: each replica limits on its own, which is
// enough to stop a runaway script; the single-use codes are the real gate.
export class FixedWindowLimiter {
  private windows = new Map<string, { start: number; count: number }>()

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** true when the request may go ahead */
  take(key: string): boolean {
    const t = this.now()
    if (this.windows.size > 10_000) this.sweep(t)
    const w = this.windows.get(key)
    if (!w || t - w.start >= this.windowMs) {
      this.windows.set(key, { start: t, count: 1 })
      return true
    }
    w.count++
    return w.count <= this.limit
  }

  private sweep(t: number) {
    for (const [k, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(k)
  }
}
