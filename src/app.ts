// Builds the whole service from settings: store, triage, HTTP server, and the chat integrations that are switched
// on. main.ts runs it; tests build it with their own settings (fake Slack/Discord URLs, test databases).
import type { Config } from './config.js'
import type { Logger } from './log.js'
import { Metrics } from './metrics.js'
import type { AppContext } from './app-context.js'
import type { Store } from './store/types.js'
import { openStore } from './store/open-store.js'
import { withEventCache } from './store/event-cache.js'
import { startRetention, type RetentionJob } from './store/retention.js'
import { IncidentRecorder } from './chat/incident-recorder.js'
import { Triage } from './chat/triage.js'
import type { ChatIntegration } from './chat/integration.js'
import { createHttpServer, type HttpServer } from './web/server.js'
import { classifyRoutes } from './web/classify-routes.js'
import { healthRoutes } from './web/health-routes.js'
import { doctorRoutes } from './web/doctor-routes.js'
import { buildDoctor } from './doctor/build.js'
import { eventsApiRoutes } from './web/events-api.js'
import { adminRoutes } from './web/admin/routes.js'
import { SpikeDetector } from './team/spike-detector.js'

/** how long a workspace's recent credential events are reused between diagnoses (other replicas' writes) */
const EVENT_CACHE_MS = 5_000

export type App = {
  ctx: AppContext
  http: HttpServer
  integrations: ChatIntegration[]
  /** the port the HTTP server listens on */
  port: number
  /** deletes rows older than RETENTION_DAYS every few hours */
  retention: RetentionJob
  stop(): Promise<void>
}

export type AppOptions = {
  config: Config
  log: Logger
  /** an already open store (tests); otherwise opened from DATABASE_URL */
  store?: Store
  clock?: () => Date
}

export async function startApp(options: AppOptions): Promise<App> {
  const { config, log } = options
  const clock = options.clock ?? (() => new Date())
  const metrics = new Metrics()
  const startedAt = clock()
  const opened =
    options.store ?? (await openStore({ url: config.DATABASE_URL, log, migrate: config.MIGRATE_ON_START ? 'always' : 'auto' }))
  const store = withEventCache(opened, { ttlMs: EVENT_CACHE_MS })
  const recorder = new IncidentRecorder({ store, log, metrics })
  const triage = new Triage({
    store,
    recorder,
    log,
    metrics,
    clock,
    passiveThreshold: config.PASSIVE_THRESHOLD,
    eventLookbackDays: config.EVENT_LOOKBACK_DAYS,
  })
  const ctx: AppContext = { config, log, store, metrics, clock, triage, threadPosters: {} }
  const integrations: ChatIntegration[] = []
  // spike alerts: counted once the incident writes reached the database; posted through ctx.threadPosters
  const spikes = new SpikeDetector({ store, log, metrics, clock, config, posters: ctx.threadPosters, settled: () => recorder.flush(5_000) })
  triage.onIncident(spikes.onIncident)

  const http = createHttpServer({ log })
  http.addRoutes([
    ...healthRoutes({
      store,
      metrics,
      startedAt,
      checks: () => integrations.map((i) => ({ name: i.name, ready: () => i.ready() })),
    }),
    ...classifyRoutes({ clock }),
    ...doctorRoutes(ctx, { buildDoctor }),
    ...eventsApiRoutes({ store, token: config.EVENTS_API_TOKEN, log, clock }),
    ...adminRoutes({ store, log, clock, publicUrl: config.publicUrl, sessionHours: config.ADMIN_SESSION_HOURS }),
  ])
  const port = await http.listen(config.PORT, config.HOST)

  try {
    if (config.slack.enabled) {
      const { startSlack } = await import('./chat/slack/index.js')
      integrations.push(await startSlack(ctx))
    }
    if (config.discord.enabled) {
      const { startDiscord } = await import('./chat/discord/index.js')
      integrations.push(await startDiscord(ctx))
    }
  } catch (err) {
    await Promise.allSettled(integrations.map((i) => i.stop()))
    await http.close(1_000)
    await recorder.stop(1_000)
    if (!options.store) await store.close()
    throw err
  }
  for (const i of integrations) {
    http.addRoutes(i.routes)
    ctx.threadPosters[i.name] = i.poster
  }

  const retention = startRetention({ store, log, days: config.RETENTION_DAYS })

  let stopping: Promise<void> | null = null
  const stop = () =>
    (stopping ??= (async () => {
      // Stop taking work first, then let in-flight replies and writes finish, then release the database.
      retention.stop()
      const closing = http.close(10_000)
      await Promise.allSettled(integrations.map((i) => i.stop()))
      await closing
      await recorder.stop(10_000)
      // spike checks in flight still read the database: give them a moment before it closes
      await Promise.race([spikes.idle(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())])
      if (!options.store) await store.close()
    })())

  return { ctx, http, integrations, port, retention, stop }
}
