// "Answer once": every delivery (event, command, click) and every message we answer is claimed on a stable id
// through the store (`claimEvent('slack', id)`), which is shared by all replicas, so a retried event or a second
// replica never answers again. An in-process memo answers local duplicates without a round trip.
//
// When the database cannot answer (down, or slower than `timeoutMs`), we ANSWER rather than stay silent: a person
// who pasted an error and got nothing is worse than, in the rare case of a retry landing on a second replica while the
// database is down, two identical replies. The memo still stops duplicates inside this process.
import type { Logger } from '../../log.js'
import type { Metrics } from '../../metrics.js'
import type { Store } from '../../store/types.js'
import { withTimeout } from '../triage.js'

export type ClaimResult = 'first' | 'duplicate' | 'unverified'

/**
 * How long a claim may wait for the database. The event is already acknowledged, so waiting costs only reply latency;
 * too short a wait turns a database that is merely slow (a busy machine, a replica that just started) into double
 * replies. A database that is down fails fast (connection refused) and never waits this long.
 */
export const CLAIM_TIMEOUT_MS = 3_000

export class Claims {
  private memo = new Map<string, number>()

  constructor(
    private readonly deps: {
      store: Store
      log: Logger
      metrics: Metrics
      /** longest wait for the database before answering anyway */
      timeoutMs?: number
      /** how many ids the in-process memo keeps */
      memoSize?: number
    },
  ) {}

  /** 'first' or 'unverified' (store unavailable): go ahead. 'duplicate': someone already handled it. */
  async claim(id: string): Promise<ClaimResult> {
    if (this.memo.has(id)) {
      this.dropped(id)
      return 'duplicate'
    }
    this.remember(id)
    try {
      const first = await withTimeout(this.deps.store.claimEvent('slack', id), this.deps.timeoutMs ?? CLAIM_TIMEOUT_MS)
      if (first) return 'first'
      this.dropped(id)
      return 'duplicate'
    } catch (err) {
      this.deps.metrics.dbErrors.inc({ operation: 'claim_event' })
      this.deps.log.warn({ err: (err as Error).message, id }, 'could not claim a Slack event in the database; answering anyway')
      return 'unverified'
    }
  }

  /** true unless it is a duplicate */
  async isFirst(id: string): Promise<boolean> {
    return (await this.claim(id)) !== 'duplicate'
  }

  private dropped(id: string) {
    this.deps.metrics.duplicatesDropped.inc({ platform: 'slack' })
    this.deps.log.debug({ id }, 'duplicate Slack delivery dropped')
  }

  private remember(id: string) {
    this.memo.set(id, Date.now())
    const max = this.deps.memoSize ?? 20_000
    if (this.memo.size > max) {
      // Map keeps insertion order: drop the oldest tenth.
      let n = Math.ceil(max / 10)
      for (const key of this.memo.keys()) {
        if (n-- <= 0) break
        this.memo.delete(key)
      }
    }
  }
}

/** Stable claim ids, one place so every path uses the same spelling. */
export const claimIds = {
  /** a message we answer (paste, mention target, shortcut target): never two answers to one message */
  message: (channel: string, ts: string) => `msg:${channel}:${ts}`,
  command: (triggerId: string) => `cmd:${triggerId}`,
  interaction: (triggerId: string) => `act:${triggerId}`,
}
