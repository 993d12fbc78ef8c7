// Write-behind for incidents and feedback: a reply never waits for the database, and a database that is down only
// delays the writes. Operations are kept in order (feedback after its incident) and retried with backoff until they
// succeed; the queue is bounded so a long outage cannot exhaust memory (the oldest writes are dropped and counted).
import type { Logger } from '../log.js'
import type { Metrics } from '../metrics.js'
import type { FeedbackValue, NewIncident, Store } from '../store/types.js'

/** incident writes sent at once; the store turns concurrent inserts into one multi-row INSERT */
const MAX_BATCH = 200

type Op =
  | { kind: 'incident'; incident: NewIncident & { id: string }; attempts: number }
  | { kind: 'feedback'; incidentId: string; value: FeedbackValue; userId: string | null; attempts: number }

export type IncidentRecorderOptions = {
  store: Store
  log: Logger
  metrics: Metrics
  maxQueue?: number
  /** first retry delay; doubles up to maxDelayMs */
  baseDelayMs?: number
  maxDelayMs?: number
  /** a feedback click for an incident that never appears is given up after this many tries */
  maxFeedbackAttempts?: number
}

export class IncidentRecorder {
  private queue: Op[] = []
  private running = false
  private wake: (() => void) | null = null
  private idleWaiters: (() => void)[] = []
  private stopped = false
  private readonly maxQueue: number
  private readonly baseDelayMs: number
  private readonly maxDelayMs: number
  private readonly maxFeedbackAttempts: number

  constructor(private readonly opts: IncidentRecorderOptions) {
    this.maxQueue = opts.maxQueue ?? 50_000
    this.baseDelayMs = opts.baseDelayMs ?? 100
    this.maxDelayMs = opts.maxDelayMs ?? 5_000
    this.maxFeedbackAttempts = opts.maxFeedbackAttempts ?? 20
  }

  get pending(): number {
    return this.queue.length
  }

  recordIncident(incident: NewIncident & { id: string }): void {
    this.push({ kind: 'incident', incident, attempts: 0 })
  }

  recordFeedback(incidentId: string, value: FeedbackValue, userId: string | null): void {
    this.push({ kind: 'feedback', incidentId, value, userId, attempts: 0 })
  }

  /** resolves when every queued write is done (or `timeoutMs` passed); true when the queue is empty */
  async flush(timeoutMs = 10_000): Promise<boolean> {
    if (this.queue.length === 0 && !this.running) return true
    let timer: NodeJS.Timeout | undefined
    const done = await Promise.race([
      new Promise<boolean>((r) => this.idleWaiters.push(() => r(true))),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs))),
    ])
    clearTimeout(timer)
    return done
  }

  /** stops retrying; what is still queued is reported and lost */
  async stop(timeoutMs = 10_000): Promise<void> {
    const flushed = await this.flush(timeoutMs)
    this.stopped = true
    this.wake?.()
    if (!flushed) this.opts.log.error({ pending: this.queue.length }, 'incident writes still pending at shutdown')
  }

  private push(op: Op) {
    if (this.stopped) {
      this.opts.log.warn({ kind: op.kind }, 'incident recorder stopped; write dropped')
      return
    }
    if (this.queue.length >= this.maxQueue) {
      this.queue.shift()
      this.opts.metrics.dbErrors.inc({ operation: 'queue_overflow' })
      this.opts.log.error({ maxQueue: this.maxQueue }, 'incident write queue full; dropped the oldest write')
    }
    this.queue.push(op)
    this.opts.metrics.pendingWrites.set({}, this.queue.length)
    this.wake?.()
    if (!this.running) void this.drain()
  }

  private async drain() {
    this.running = true
    let delay = this.baseDelayMs
    while (this.queue.length > 0 && !this.stopped) {
      // The run of incidents at the head of the queue goes out together (the store group-commits concurrent
      // inserts); a feedback op goes alone, after the incidents queued before it.
      const head = this.queue[0]!
      const batch: Op[] = [head]
      if (head.kind === 'incident') {
        for (let i = 1; i < this.queue.length && batch.length < MAX_BATCH && this.queue[i]!.kind === 'incident'; i++) batch.push(this.queue[i]!)
      }
      const results = await Promise.allSettled(batch.map((op) => this.apply(op)))
      const done = new Set<Op>()
      let failure: { op: Op; err: unknown } | null = null
      results.forEach((r, i) => {
        const op = batch[i]!
        if (r.status === 'fulfilled') {
          done.add(op)
          // The write is acknowledged by the database (the SIGKILL proof counts these lines).
          if (op.kind === 'incident') this.opts.log.debug({ incidentId: op.incident.id }, 'incident recorded')
          return
        }
        op.attempts++
        this.opts.metrics.dbErrors.inc({ operation: op.kind })
        failure ??= { op, err: r.reason }
      })
      if (done.size) this.queue = this.queue.filter((op) => !done.has(op))
      if (!failure) {
        delay = this.baseDelayMs
      } else {
        const { op, err } = failure as { op: Op; err: unknown }
        if (op.kind === 'feedback' && op.attempts >= this.maxFeedbackAttempts) {
          this.opts.log.warn({ incidentId: op.incidentId }, 'feedback for an unknown incident given up')
          this.queue = this.queue.filter((o) => o !== op)
          continue
        }
        this.opts.log.warn({ err: (err as Error).message, kind: op.kind, attempts: op.attempts, pending: this.queue.length }, 'database write failed; will retry')
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, delay)
          this.wake = () => {
            if (this.stopped) {
              clearTimeout(t)
              resolve()
            }
          }
        })
        this.wake = null
        delay = Math.min(delay * 2, this.maxDelayMs)
      }
      this.opts.metrics.pendingWrites.set({}, this.queue.length)
    }
    this.running = false
    const waiters = this.idleWaiters.splice(0)
    waiters.forEach((w) => w())
  }

  private async apply(op: Op) {
    if (op.kind === 'incident') {
      try {
        await this.opts.store.recordIncident(op.incident)
      } catch (err) {
        // A retry after a write whose answer was lost must not fail forever on the primary key.
        if (await this.opts.store.getIncident(op.incident.id).catch(() => null)) return
        throw err
      }
      return
    }
    const updated = await this.opts.store.setFeedback(op.incidentId, op.value, op.userId)
    if (!updated) throw new Error(`incident ${op.incidentId} not found (yet)`)
  }
}
