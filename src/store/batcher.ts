// Group commit for inserts: a call made while the database is busy with earlier ones waits and goes out with the
// others as one multi-row statement. A lone caller is sent at once (no added latency); under load, one round trip
// and one commit serve many callers. Every caller is answered only after its row is committed.
export class Batcher<T, R> {
  private readonly queue: { item: T; resolve(r: R): void; reject(e: unknown): void }[] = []
  private inFlight = 0
  private idleWaiters: (() => void)[] = []

  constructor(
    /** writes the items in one statement and returns one result per item, in order */
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly options: { maxInFlight: number; maxBatch: number },
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject })
      this.pump()
    })
  }

  /** resolves once everything added so far has been written (or has failed) */
  drain(): Promise<void> {
    if (!this.inFlight && !this.queue.length) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private pump(): void {
    if (!this.inFlight && !this.queue.length) {
      for (const w of this.idleWaiters.splice(0)) w()
      return
    }
    while (this.inFlight < this.options.maxInFlight && this.queue.length) {
      const batch = this.queue.splice(0, this.options.maxBatch)
      this.inFlight++
      void this.send(batch).finally(() => {
        this.inFlight--
        this.pump()
      })
    }
  }

  private async send(batch: { item: T; resolve(r: R): void; reject(e: unknown): void }[]): Promise<void> {
    try {
      const results = await this.flush(batch.map((b) => b.item))
      batch.forEach((b, i) => b.resolve(results[i]!))
    } catch (e) {
      if (batch.length === 1) {
        batch[0]!.reject(e)
        return
      }
      // one bad row must not fail its neighbours: retry each alone so only the culprit gets the error
      await Promise.all(
        batch.map(async (b) => {
          try {
            const [r] = await this.flush([b.item])
            b.resolve(r!)
          } catch (err) {
            b.reject(err)
          }
        }),
      )
    }
  }
}
