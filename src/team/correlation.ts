// Which credential-change events matter for which cause: the replies' table (src/replies/correlation.ts) read both
// ways, and the "most likely related event" of a spike alert.
import { relevantEventKinds } from '../replies/correlation.js'
import type { CauseId } from '../diagnosis/types.js'
import type { CredentialEvent } from '../store/types.js'
import { KNOWN_CAUSES } from './causes.js'

/** The causes whose replies mention an event of this kind. */
export function causesForEventKind(kind: string): string[] {
  return KNOWN_CAUSES.filter((cause) => (relevantEventKinds(cause as CauseId) as readonly string[]).includes(kind))
}

/**
 * The event that best explains a burst of `cause` at `now`: the most recent event of a relevant kind that happened
 * before it (events in the future of the spike cannot have caused it); ties go to the kind listed first.
 */
export function mostLikelyEvent(cause: string, events: readonly CredentialEvent[], now: Date): CredentialEvent | null {
  const kinds = relevantEventKinds(cause as CauseId) as readonly string[]
  let best: CredentialEvent | null = null
  for (const e of events) {
    if (!kinds.includes(e.kind) || e.occurredAt.getTime() > now.getTime()) continue
    if (
      !best ||
      e.occurredAt.getTime() > best.occurredAt.getTime() ||
      (e.occurredAt.getTime() === best.occurredAt.getTime() && kinds.indexOf(e.kind) < kinds.indexOf(best.kind))
    ) {
      best = e
    }
  }
  return best
}
