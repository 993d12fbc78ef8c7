// Building the discord.js client and REST from settings, and turning what discord.js throws at start into errors
// a person can act on (they name the setting to fix).
import { Client, GatewayIntentBits, Options, Partials, REST, DiscordAPIError } from 'discord.js'
import type { Config } from '../../config.js'
import { AppError } from '../../errors.js'

export const DEFAULT_DISCORD_API = 'https://discord.com/api'

/** DISCORD_API_URL without a trailing version segment (discord.js adds /v10 itself). */
export function discordApiBase(config: Pick<Config, 'DISCORD_API_URL'>): string {
  return (config.DISCORD_API_URL ?? DEFAULT_DISCORD_API).replace(/\/+$/, '').replace(/\/v\d+$/, '')
}

/**
 * Guilds (commands, channels), GuildMessages (mentions, passive), MessageContent and GuildMembers (members leaving:
 * user_removed events, issue #7) only when the settings say so.
 */
export function intentsFor(config: Pick<Config, 'DISCORD_MESSAGE_CONTENT'> & Partial<Pick<Config, 'DISCORD_MEMBER_EVENTS'>>): GatewayIntentBits[] {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]
  if (config.DISCORD_MESSAGE_CONTENT) intents.push(GatewayIntentBits.MessageContent)
  if (config.DISCORD_MEMBER_EVENTS) intents.push(GatewayIntentBits.GuildMembers)
  return intents
}

export function createClient(config: Config): Client {
  return new Client({
    intents: intentsFor(config),
    // a member who leaves is rarely in the (small) member cache: without the partial, discord.js drops the event
    ...(config.DISCORD_MEMBER_EVENTS ? { partials: [Partials.GuildMember] } : {}),
    rest: { api: discordApiBase(config), retries: 2, timeout: 15_000 },
    // pasted text is quoted in replies: never let it ping @everyone, roles or users
    allowedMentions: { parse: [], repliedUser: false },
    // the bot only needs the message it is answering; keep memory flat on busy servers
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 50,
      PresenceManager: 0,
      ReactionManager: 0,
      GuildMemberManager: { maxSize: 200, keepOverLimit: (m) => m.id === m.client.user.id },
      UserManager: { maxSize: 500, keepOverLimit: (u) => u.id === u.client.user.id },
    }),
    sweepers: { ...Options.DefaultSweeperSettings, messages: { interval: 600, lifetime: 1_800 } },
  })
}

export function createRest(config: Config, token: string): REST {
  return new REST({ api: discordApiBase(config), retries: 1, timeout: 15_000 }).setToken(token)
}

const TOKEN_HELP =
  'Copy the bot token from the Discord Developer Portal (your application -> Bot -> Reset Token) into DISCORD_TOKEN, without a "Bot " prefix.'

/** Maps a start-up or registration failure to an AppError naming what to fix. */
export function explainDiscordError(err: unknown, config: Config): AppError {
  if (err instanceof AppError) return err
  const e = err as { name?: string; code?: unknown; status?: number; message?: string; cause?: { code?: string } }
  const message = e?.message ?? String(err)
  if (e?.code === 'TokenInvalid' || (err instanceof DiscordAPIError && err.status === 401) || /Authentication failed/i.test(message)) {
    return new AppError('DISCORD_TOKEN_INVALID', `Discord rejected DISCORD_TOKEN (401 Unauthorized). ${TOKEN_HELP}`)
  }
  if (e?.code === 'TokenMissing') return new AppError('DISCORD_TOKEN_MISSING', `DISCORD_TOKEN is not set. ${TOKEN_HELP}`)
  if (/disallowed intents/i.test(message) && config.DISCORD_MEMBER_EVENTS) {
    const both = config.DISCORD_MESSAGE_CONTENT
    return new AppError(
      'DISCORD_INTENT_DISALLOWED',
      `Discord refused a privileged intent: DISCORD_MEMBER_EVENTS=true needs "Server Members Intent"${both ? ' and DISCORD_MESSAGE_CONTENT=true needs "Message Content Intent"' : ''}, and one is off for this bot. ` +
        'Turn it on in the Developer Portal (your application -> Bot -> Privileged Gateway Intents), or set DISCORD_MEMBER_EVENTS=false ' +
        `(members leaving the server are then not recorded as user_removed events)${both ? ' or DISCORD_MESSAGE_CONTENT=false' : ''}.`,
    )
  }
  if (/disallowed intents/i.test(message)) {
    return new AppError(
      'DISCORD_INTENT_DISALLOWED',
      'Discord refused the Message Content intent: DISCORD_MESSAGE_CONTENT=true but "Message Content Intent" is off for this bot. ' +
        'Turn it on in the Developer Portal (your application -> Bot -> Privileged Gateway Intents), or set DISCORD_MESSAGE_CONTENT=false ' +
        '(the bot then answers /claude-auth, the "Diagnose auth error" menu and @mentions, without passive detection).',
    )
  }
  if (err instanceof DiscordAPIError) {
    if (err.code === 10002) {
      return new AppError('DISCORD_APPLICATION_ID_INVALID', `Discord does not know application ${config.DISCORD_APPLICATION_ID}: set DISCORD_APPLICATION_ID to the Application ID shown on the Developer Portal's General Information page of this bot.`)
    }
    if (err.status === 403) {
      const guild = /\/guilds\/(\d+)\//.exec(err.url)?.[1]
      return new AppError(
        'DISCORD_MISSING_ACCESS',
        `Discord answered 403 (${err.message}) for ${err.url.replace(/^https?:\/\/[^/]+/, '')}. ` +
          (guild
            ? `Invite the bot to server ${guild} with the "applications.commands" scope (README: "Add to Discord"), or register globally (unset DISCORD_GUILD_ID).`
            : 'Check that DISCORD_TOKEN belongs to the application in DISCORD_APPLICATION_ID.'),
      )
    }
    return new AppError('DISCORD_API_ERROR', `Discord answered ${err.status} (${err.message}) for ${err.method.toUpperCase()} ${err.url.replace(/^https?:\/\/[^/]+/, '')}.`)
  }
  const netCode = e?.cause?.code ?? (typeof e?.code === 'string' ? e.code : undefined)
  if (netCode && /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|UND_ERR_CONNECT_TIMEOUT)$/.test(netCode)) {
    return new AppError('DISCORD_UNREACHABLE', `Cannot reach Discord at ${discordApiBase(config)} (${netCode}). Check the network, or DISCORD_API_URL if you set it.`)
  }
  if (e?.name === 'AbortError' || /aborted|timed out/i.test(message)) {
    return new AppError('DISCORD_UNREACHABLE', `Discord at ${discordApiBase(config)} did not answer in time (${message}). Check the network, or DISCORD_API_URL if you set it.`)
  }
  return new AppError('DISCORD_START_FAILED', `Discord failed: ${message}`)
}
