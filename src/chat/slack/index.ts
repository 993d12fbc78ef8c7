// Slack: Bolt wired to the app. Socket Mode when SLACK_APP_TOKEN is set (no public URL needed), otherwise HTTP mode
// at POST /slack/events on the service's own port (see http-receiver.ts). SLACK_API_URL points the Web API, and
// Socket Mode's apps.connections.open, elsewhere (a local fake in tests and the bench).
//
// Every listener acks first and works after; each delivery is claimed once (claims.ts); replies go through
// delivery.ts (rate limits waited out). Entry points: /claude-auth (commands.ts), pasted errors and @mentions
// (messages.ts), the "Diagnose this error" message shortcut (shortcuts.ts), buttons and the platform picker
// (actions.ts).
import { App, SocketModeReceiver, LogLevel, webApi, type Logger as BoltLogger } from '@slack/bolt'
import type { AppContext, ThreadPoster } from '../../app-context.js'
import { AppError } from '../../errors.js'
import type { Logger } from '../../log.js'
import type { ChatIntegration } from '../integration.js'
import { handleAction, ACTION_ID_PATTERN, type BlockActionsPayload } from './actions.js'
import { Claims } from './claims.js'
import { handleSlashCommand, type SlashCommandPayload } from './commands.js'
import { cannotPostInChannel, lightFetch, SlackDelivery } from './delivery.js'
import { SlackHttpReceiver } from './http-receiver.js'
import { handleMention, handleMessage, type MessageEvent } from './messages.js'
import { diagnosisMessage } from './render.js'
import { receivedAtOf, workspaceOf, type SlackIdentity, type SlackRuntime } from './runtime.js'
import { handleShortcut, type MessageShortcutPayload } from './shortcuts.js'
import { DIAGNOSE_SHORTCUT_ID, SLASH_COMMAND } from './constants.js'
import { onSlackUserChange, publishSlackHome, type SlackUserChangeEvent } from '../../team/slack.js'

const DEFAULT_API_URL = 'https://slack.com/api/'

type WebClientOptions = NonNullable<ConstructorParameters<typeof webApi.WebClient>[1]>

export type SlackOptions = {
  /** overrides for the Web API client (tests) */
  clientOptions?: Partial<WebClientOptions>
  /** response_url / Retry-After sleeps (tests) */
  sleep?: (ms: number) => Promise<void>
}

export async function startSlack(ctx: AppContext, options: SlackOptions = {}): Promise<ChatIntegration> {
  const { config } = ctx
  const botToken = config.SLACK_BOT_TOKEN
  if (!botToken) throw new AppError('SLACK_NOT_CONFIGURED', 'SLACK_BOT_TOKEN is not set.')
  const log = ctx.log.child({ component: 'slack' })
  const boltLogger = toBoltLogger(log)

  const clientOptions: WebClientOptions = {
    slackApiUrl: config.SLACK_API_URL ? `${config.SLACK_API_URL}/` : DEFAULT_API_URL,
    logger: boltLogger,
    // Rate limits are waited out per message in delivery.ts; the client itself never pauses its whole queue.
    rejectRateLimitedCalls: true,
    // A couple of quick retries for network errors and 5xx, never the 30-minute default.
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2_000 },
    timeout: 10_000,
    fetch: lightFetch,
    ...options.clientOptions,
  }

  // Who are we? Fails start-up with a clear message when the token is wrong, instead of failing every event later.
  const identity = await whoAmI(new webApi.WebClient(botToken, clientOptions))

  const inFlight = new Set<Promise<void>>()
  let stopping = false
  const client = new webApi.WebClient(botToken, clientOptions)
  const delivery = new SlackDelivery(client, { log, metrics: ctx.metrics, sleep: options.sleep })
  const rt: SlackRuntime = {
    ctx,
    log,
    delivery,
    claims: new Claims({ store: ctx.store, log, metrics: ctx.metrics }),
    identity,
    track(name, work) {
      const p = work()
        .catch((err: unknown) => {
          ctx.metrics.replyErrors.inc({ platform: 'slack' })
          log.error({ err: (err as Error)?.message, handler: name }, 'Slack handler failed')
        })
        .finally(() => inFlight.delete(p))
      inFlight.add(p)
      return p
    },
    delivered(source, receivedAt) {
      if (receivedAt !== undefined) ctx.metrics.replyLatency.observe({ platform: 'slack', source }, (performance.now() - receivedAt) / 1000)
    },
    failed(source, err) {
      ctx.metrics.replyErrors.inc({ platform: 'slack' })
      log.error({ err: (err as Error)?.message, source }, 'Slack reply could not be delivered')
    },
  }

  let connected = false
  let httpReceiver: SlackHttpReceiver | null = null
  let socketReceiver: SocketModeReceiver | null = null
  if (config.slack.mode === 'socket') {
    socketReceiver = new SocketModeReceiver({
      appToken: config.SLACK_APP_TOKEN!,
      logger: boltLogger,
      logLevel: LogLevel.INFO,
      autoReconnectEnabled: true,
      installerOptions: { clientOptions },
      customPropertiesExtractor: () => ({ receivedAt: performance.now() }),
    })
    socketReceiver.client.on('connected', () => (connected = true))
    socketReceiver.client.on('disconnected', () => (connected = false))
    socketReceiver.client.on('reconnecting', () => (connected = false))
  } else {
    if (!config.SLACK_SIGNING_SECRET) throw new AppError('SLACK_NOT_CONFIGURED', 'SLACK_SIGNING_SECRET is required for Slack HTTP mode.')
    httpReceiver = new SlackHttpReceiver({ signingSecret: config.SLACK_SIGNING_SECRET, clock: ctx.clock, log })
  }

  const app = new App({
    token: botToken,
    // Known from auth.test above: Bolt needs no second call.
    botId: identity.botId,
    botUserId: identity.botUserId,
    receiver: (socketReceiver ?? httpReceiver)!,
    clientOptions,
    logger: boltLogger,
    logLevel: LogLevel.INFO,
    ignoreSelf: true,
    convoStore: false,
  })
  app.error(async (err) => {
    log.error({ code: (err as { code?: string }).code, err: err.message }, 'Slack listener error')
  })

  registerListeners(app, rt)

  try {
    await app.start()
  } catch (err) {
    await Promise.resolve(app.stop()).catch(() => undefined)
    const detail = (err as { data?: { error?: string } }).data?.error ?? (err as Error).message
    throw new AppError('SLACK_SOCKET_FAILED', `Slack did not open a Socket Mode connection (${detail}). Check SLACK_APP_TOKEN (xapp-…, an app-level token with connections:write) and SLACK_API_URL.`)
  }
  if (httpReceiver) connected = true

  const poster: ThreadPoster = async (target, reply) => {
    const message = diagnosisMessage(reply, { incidentId: null, shareable: false })
    try {
      await delivery.postMessage(target.channelId, message, target.threadId ?? null)
    } catch (err) {
      // Not in that channel (e.g. /claude-auth doctor run in a channel without the bot): send it to the person.
      if (!cannotPostInChannel(err) || !target.userId) throw err
      await delivery.postMessage(target.userId, message, null)
    }
  }

  log.info({ mode: config.slack.mode, team: identity.teamId }, 'Slack connected')
  return {
    name: 'slack',
    routes: httpReceiver ? [httpReceiver.route()] : [],
    poster,
    ready: () => connected && !stopping,
    async stop() {
      if (stopping) return
      stopping = true
      // Stop taking new work (HTTP: 503; socket: disconnect), then let in-flight replies finish.
      await Promise.allSettled([app.stop()])
      const all = Promise.allSettled([...inFlight])
      let timer: NodeJS.Timeout | undefined
      await Promise.race([all, new Promise((r) => (timer = setTimeout(r, 10_000)))])
      clearTimeout(timer)
    },
  }
}

function registerListeners(app: App, rt: SlackRuntime) {
  app.command(SLASH_COMMAND, async ({ ack, command, context }) => {
    await ack()
    await rt.track('command', () => handleSlashCommand(command as unknown as SlashCommandPayload, rt, receivedAtOf(context)))
  })
  // Any other command pointed at this app: say so rather than time out.
  app.command(/.*/, async ({ ack, command }) => {
    if (command.command === SLASH_COMMAND) return
    await ack({ response_type: 'ephemeral', text: `I only know ${SLASH_COMMAND}. Try \`${SLASH_COMMAND} help\`.` })
  })

  app.event('message', async ({ event, body, context }) => {
    await rt.track('message', () => handleMessage(event as unknown as MessageEvent, teamOf(body), rt, receivedAtOf(context)))
  })
  app.event('app_mention', async ({ event, body, context }) => {
    await rt.track('mention', () => handleMention(event as unknown as MessageEvent, teamOf(body), rt, receivedAtOf(context)))
  })

  app.shortcut({ callback_id: DIAGNOSE_SHORTCUT_ID, type: 'message_action' }, async ({ ack, shortcut, context }) => {
    await ack()
    await rt.track('shortcut', () => handleShortcut(shortcut as unknown as MessageShortcutPayload, rt, receivedAtOf(context)))
  })

  app.action(ACTION_ID_PATTERN, async ({ ack, body, context }) => {
    await ack()
    await rt.track('action', () => handleAction(body as unknown as BlockActionsPayload, rt, receivedAtOf(context)))
  })

  // Issue #7: the App Home tab (admins see the team summary) and members removed from the workspace (user_removed).
  const team = () => ({ store: rt.ctx.store, config: rt.ctx.config, log: rt.log, clock: rt.ctx.clock })
  app.event('app_home_opened', async ({ event, body }) => {
    await rt.track('app_home', async () => void (await publishSlackHome(team(), rt.delivery.client, workspaceOf(teamOf(body), rt), event as { user?: string; tab?: string })))
  })
  app.event('user_change', async ({ event, body }) => {
    await rt.track('user_change', async () => void (await onSlackUserChange(team(), workspaceOf(teamOf(body), rt), event as unknown as SlackUserChangeEvent)))
  })
}

function teamOf(body: unknown): string | undefined {
  const b = body as { team_id?: string; authorizations?: { team_id?: string | null }[] }
  return b.authorizations?.[0]?.team_id ?? b.team_id ?? undefined
}

async function whoAmI(client: InstanceType<typeof webApi.WebClient>): Promise<SlackIdentity> {
  try {
    const res = await client.auth.test()
    if (!res.user_id || !res.bot_id) throw new Error('auth.test returned no bot user (is SLACK_BOT_TOKEN a bot token, xoxb-…?)')
    return { botUserId: res.user_id, botId: res.bot_id, teamId: res.team_id ?? '' }
  } catch (err) {
    const e = err as { data?: { error?: string }; message?: string }
    const detail = e.data?.error ?? e.message ?? String(err)
    throw new AppError('SLACK_AUTH_FAILED', `Slack did not accept SLACK_BOT_TOKEN (auth.test: ${detail}). Check the bot token (xoxb-…) and SLACK_API_URL.`)
  }
}

/** Bolt and the Web API log through pino. Debug output is dropped: it can carry request bodies (pasted text). */
function toBoltLogger(log: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO
  // Only strings and error messages: objects Bolt logs can hold request bodies.
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : '[data]')).join(' ')
  return {
    debug: () => undefined,
    info: (...msg: unknown[]) => log.debug({ bolt: true }, text(msg)),
    warn: (...msg: unknown[]) => log.warn({ bolt: true }, text(msg)),
    error: (...msg: unknown[]) => log.error({ bolt: true }, text(msg)),
    setLevel: (l: LogLevel) => (level = l),
    getLevel: () => level,
    setName: () => undefined,
  }
}
