// Discord: a discord.js gateway client, started by the app when DISCORD_TOKEN is set. Answers /claude-auth, the
// "Diagnose auth error" message menu, @mentions, and (with the MessageContent intent) pasted errors.
// Start-up fails with an AppError that names the setting to fix (bad token, disallowed intent, unreachable API).
import { Events, Routes, Status, type Client } from 'discord.js'
import type { AppContext, ThreadPoster } from '../../app-context.js'
import type { ChatIntegration } from '../integration.js'
import { AppError } from '../../errors.js'
import { classify } from '../../diagnosis/index.js'
import { Claims } from './claims.js'
import { createClient, explainDiscordError } from './client.js'
import { handleInteraction } from './interactions.js'
import { handleMessage } from './messages.js'
import { renderDiagnosis } from './render.js'
import { errorSummary } from './respond.js'
import type { DiscordRuntime } from './runtime.js'
import { onDiscordMemberRemoved } from '../../team/discord.js'

export type StartDiscordOptions = {
  /** longest wait for READY (and the servers) before start-up fails */
  readyTimeoutMs?: number
  /** answer in one callback when the work takes less than this, else defer (Discord's deadline is 3 s) */
  deferAfterMs?: number
}

export async function startDiscord(ctx: AppContext, options: StartDiscordOptions = {}): Promise<ChatIntegration> {
  const { config } = ctx
  const log = ctx.log.child({ integration: 'discord' })
  if (!config.DISCORD_TOKEN) throw new AppError('DISCORD_TOKEN_MISSING', 'DISCORD_TOKEN is not set.')
  const client = createClient(config)
  const rt: DiscordRuntime = {
    ctx,
    client,
    log,
    claims: new Claims({ store: ctx.store, log, metrics: ctx.metrics }),
    deferAfterMs: options.deferAfterMs ?? 1_500,
  }

  // in-flight handlers, so stop() can let them finish
  const inflight = new Set<Promise<void>>()
  let stopping = false
  const track = (work: () => Promise<void>) => {
    if (stopping) return
    const p = work()
      .catch((err) => log.error({ err: errorSummary(err) }, 'Discord handler failed'))
      .finally(() => inflight.delete(p))
    inflight.add(p)
  }
  client.on(Events.InteractionCreate, (i) => track(() => handleInteraction(i, rt)))
  client.on(Events.MessageCreate, (m) => track(() => handleMessage(m, rt)))
  // issue #7: a member who leaves (or is kicked or banned) becomes a user_removed event (GuildMembers intent)
  if (config.DISCORD_MEMBER_EVENTS) {
    client.on(Events.GuildMemberRemove, (member) =>
      track(async () => void (await onDiscordMemberRemoved({ store: ctx.store, config, log, clock: ctx.clock }, member))),
    )
  }
  client.on(Events.Error, (err) => log.error({ err: errorSummary(err) }, 'Discord client error'))
  client.on(Events.ShardDisconnect, (ev) => log.warn({ code: ev.code }, 'Discord gateway disconnected'))
  client.on(Events.ShardReconnecting, () => log.info('Discord gateway reconnecting'))
  client.on(Events.ShardResume, (_id, replayed) => log.info({ replayed }, 'Discord gateway resumed'))

  // warm up while connecting, so the first answer is as quick as the rest: compile the rules, open the pool
  classify('Invalid API key · Please run /login')
  void ctx.store.ping().catch(() => {})
  await login(client, config.DISCORD_TOKEN, options.readyTimeoutMs ?? 30_000).catch(async (err: unknown) => {
    await client.destroy().catch(() => {})
    throw explainDiscordError(err, config)
  })
  const appId = client.application?.id
  if (config.DISCORD_APPLICATION_ID && appId && appId !== config.DISCORD_APPLICATION_ID) {
    log.warn({ configured: config.DISCORD_APPLICATION_ID, actual: appId }, 'DISCORD_APPLICATION_ID is not the application of DISCORD_TOKEN; register-commands will register them elsewhere')
  }
  log.info(
    { user: client.user?.tag, servers: client.guilds.cache.size, messageContent: config.DISCORD_MESSAGE_CONTENT, passive: config.PASSIVE_MODE && config.DISCORD_MESSAGE_CONTENT },
    'Discord connected',
  )

  const poster: ThreadPoster = async (target, reply) => {
    const rendered = renderDiagnosis(reply, { incidentId: null, shareable: false })
    const mention = target.userId ? `<@${target.userId}> ` : ''
    await client.rest.post(Routes.channelMessages(target.threadId ?? target.channelId), {
      body: {
        ...rendered,
        content: (mention + (rendered.content ?? '')).slice(0, 2_000),
        allowed_mentions: { parse: [], users: target.userId ? [target.userId] : [] },
      },
    })
  }

  return {
    name: 'discord',
    routes: [],
    poster,
    ready: () => client.isReady() && client.ws.status === Status.Ready,
    async stop() {
      stopping = true
      client.removeAllListeners(Events.InteractionCreate)
      client.removeAllListeners(Events.MessageCreate)
      let timer: NodeJS.Timeout | undefined
      await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => (timer = setTimeout(r, 10_000)))])
      clearTimeout(timer)
      await client.destroy()
    },
  }
}

/** Logs in and waits for READY (servers included), or fails after `timeoutMs`. */
async function login(client: Client, token: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  let onReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    onReady = () => resolve()
    client.once(Events.ClientReady, onReady)
  })
  try {
    await Promise.race([
      client.login(token).then(() => ready),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AppError('DISCORD_START_TIMEOUT', `Discord did not get ready within ${Math.round(timeoutMs / 1000)} s. Check the network and DISCORD_API_URL.`)), timeoutMs)
      }),
    ])
  } finally {
    clearTimeout(timer)
    client.off(Events.ClientReady, onReady)
  }
}
