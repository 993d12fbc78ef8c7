// What a chat adapter hands back to the app once started.
import type { ThreadPoster } from '../app-context.js'
import type { Route } from '../web/http.js'

export type ChatIntegration = {
  name: 'slack' | 'discord'
  /** HTTP routes the adapter serves on the service's port (e.g. Slack HTTP mode's /slack/events) */
  routes: Route[]
  /** posts a reply into a thread (doctor uploads, spike alerts) */
  poster: ThreadPoster
  /** connected and able to answer (readiness) */
  ready(): boolean
  /** stop taking new work, finish in-flight replies, disconnect */
  stop(): Promise<void>
}
