// RETENTION_DAYS: old incidents, events, reports, spent codes and handled event ids are deleted on a schedule.
// Every replica may run it: the deletes are idempotent, so two at once only do the same work twice.
import type { Logger } from '../log.js'
import type { Store } from './types.js'

export type RetentionJob = { runNow(): Promise<void>; stop(): void }

export function startRetention(options: {
  store: Store
  log: Logger
  days: number
  /** between runs; the first run waits `firstDelayMs` so start-up stays quick */
  everyMs?: number
  firstDelayMs?: number
}): RetentionJob {
  const { store, log, days } = options
  let running: Promise<void> | null = null
  const runNow = () =>
    (running ??= store
      .purgeOlderThan(days)
      .then((removed) => {
        const total = Object.values(removed).reduce((a, b) => a + b, 0)
        if (total > 0) log.info({ removed, days }, 'retention: old rows deleted')
      })
      .catch((err: Error) => log.warn({ err: err.message }, 'retention purge failed; will try again at the next run'))
      .finally(() => {
        running = null
      }))
  const first = setTimeout(() => void runNow(), options.firstDelayMs ?? 60_000)
  const every = setInterval(() => void runNow(), options.everyMs ?? 6 * 3_600_000)
  first.unref()
  every.unref()
  return {
    runNow,
    stop() {
      clearTimeout(first)
      clearInterval(every)
    },
  }
}
