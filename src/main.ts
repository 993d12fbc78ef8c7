// `npm start`: read settings, start the service, say plainly what is on and what would turn the rest on.
import { loadConfig, ConfigError, type Config } from './config.js'
import { createLogger, type Logger } from './log.js'
import { startApp } from './app.js'

function describeIntegrations(config: Config, log: Logger, port: number) {
  log.info({ port, database: config.DATABASE_URL.startsWith('pglite:') ? config.DATABASE_URL : 'postgresql' }, `HTTP server listening on port ${port}: GET /healthz, POST /api/classify`)
  if (config.slack.enabled) log.info(`Slack: on (${config.slack.mode === 'socket' ? 'Socket Mode' : 'HTTP mode at /slack/events'})`)
  else log.info('Slack: off. Set SLACK_BOT_TOKEN plus SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) to turn it on.')
  if (config.discord.enabled) log.info(`Discord: on${config.DISCORD_MESSAGE_CONTENT ? ' (passive detection with the MessageContent intent)' : ''}`)
  else log.info('Discord: off. Set DISCORD_TOKEN (and DISCORD_APPLICATION_ID) to turn it on.')
  if (!config.EVENTS_API_TOKEN) log.info('Events API (POST /api/events): off. Set EVENTS_API_TOKEN to turn it on.')
}

async function main() {
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every setting.\n`)
      process.exit(1)
    }
    throw err
  }
  const log = createLogger({ level: config.LOG_LEVEL })
  const app = await startApp({ config, log }).catch((err: { code?: string; message?: string }) => {
    log.fatal({ code: err.code }, `start-up failed: ${err.message ?? String(err)}`)
    process.exit(1)
  })
  describeIntegrations(config, log, app.port)

  let signals = 0
  const shutdown = (signal: string) => {
    if (++signals > 1) {
      log.warn('second signal: exiting now')
      process.exit(1)
    }
    log.info({ signal }, 'shutting down: finishing in-flight work')
    app.stop().then(
      () => {
        log.info('stopped cleanly')
        process.exit(0)
      },
      (err) => {
        log.error({ err }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

void main()
