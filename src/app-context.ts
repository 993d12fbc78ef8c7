// What every door of the process (chat adapters, HTTP routes, CLI) is handed: settings, logger, store, clock,
// metrics, and the services built on them. Built once in main.ts (and in tests with fakes and test stores).
import type { Config } from './config.js'
import type { Logger } from './log.js'
import type { Metrics } from './metrics.js'
import type { ChatPlatform, DoctorTokenTarget, Store } from './store/types.js'
import type { Reply } from './replies/types.js'
import type { Triage } from './chat/triage.js'

/** Posts a reply into a chat thread; each chat adapter registers one so the doctor upload can answer in-thread. */
export type ThreadPoster = (target: DoctorTokenTarget, reply: Reply) => Promise<void>

export type AppContext = {
  config: Config
  log: Logger
  store: Store
  metrics: Metrics
  clock: () => Date
  triage: Triage
  threadPosters: Partial<Record<ChatPlatform, ThreadPoster>>
}
