// "Answer once" on Discord. A gateway RESUME replays events, and two replicas connected with the same token both
// receive every MESSAGE_CREATE and INTERACTION_CREATE: before answering, each one claims the message or
// interaction id through the store (`claimEvent('discord', id)`), which every replica shares. An in-process memo
// answers local duplicates without a round trip.
//
// When the database cannot answer (down, or slower than `timeoutMs`) we ANSWER anyway: a person who got nothing is
// worse than the rare double reply while the database is down. The memo still stops duplicates in this process.
import type { Logger } from '../../log.js'
import type { Metrics } from '../../metrics.js'
import type { Store } from '../../store/types.js'
import { withTimeout } from '../triage.js'

export type ClaimResult = 'first' | 'duplicate' | 'unverified'

export class Claims {
  private memo = new Set<string>()

  constructor(
    private readonly deps: { store: Store; log: Logger; metrics: Metrics; timeoutMs?: number; memoSize?: number },
  ) {}

  /** 'first' or 'unverified' (store unavailable): go ahead. 'duplicate': already handled here or by a replica. */
  async claim(id: string, timeoutMs = this.deps.timeoutMs ?? MESSAGE_CLAIM_TIMEOUT_MS): Promise<ClaimResult> {
    if (this.memo.has(id)) return this.dropped(id)
    this.remember(id)
    try {
      const first = await withTimeout(this.deps.store.claimEvent('discord', id), timeoutMs)
      return first ? 'first' : this.dropped(id)
    } catch (err) {
      this.deps.metrics.dbErrors.inc({ operation: 'claim_event' })
      this.deps.log.warn({ err: (err as Error).message, id }, 'could not claim a Discord event in the database; answering anyway')
      return 'unverified'
    }
  }

  async isFirst(id: string, timeoutMs?: number): Promise<boolean> {
    return (await this.claim(id, timeoutMs)) !== 'duplicate'
  }

  private dropped(id: string): 'duplicate' {
    this.deps.metrics.duplicatesDropped.inc({ platform: 'discord' })
    this.deps.log.debug({ id }, 'duplicate Discord delivery dropped')
    return 'duplicate'
  }

  private remember(id: string) {
    this.memo.add(id)
    const max = this.deps.memoSize ?? 20_000
    if (this.memo.size > max) {
      let n = Math.ceil(max / 10)
      for (const key of this.memo) {
        if (n-- <= 0) break
        this.memo.delete(key)
      }
    }
  }
}

/** Claim ids: Discord snowflakes are unique across messages and interactions, but say which is which. */
export const claimIds = {
  /** a message we answer (paste, mention, the target of a mention-as-reply) */
  message: (id: string) => `msg:${id}`,
  interaction: (id: string) => `int:${id}`,
}

/**
 * Interactions must be answered within 3 s and the claim comes first, so it may wait less than for messages
 * (Discord also refuses a second response to one interaction, so a lost claim cannot double-answer).
 */
export const INTERACTION_CLAIM_TIMEOUT_MS = 500
/** messages have no answer deadline: wait long enough that a slow (not down) database never causes a double reply */
export const MESSAGE_CLAIM_TIMEOUT_MS = 3_000
