// `npm run register-commands`: PUT the command definitions (command-schema.ts) to Discord. Globally by default
// (can take up to an hour to show everywhere), or in one server when DISCORD_GUILD_ID (or --guild ID) is set
// (instant: use it while developing). DISCORD_API_URL points it at another Discord (a fake in tests).
import { Routes } from 'discord.js'
import { loadConfig } from '../../config.js'
import { AppError } from '../../errors.js'
import { commandDefinitions, COMMAND_NAME, CONTEXT_MENU_NAME, inviteUrl, SUBCOMMANDS } from './command-schema.js'
import { createRest, discordApiBase, explainDiscordError } from './client.js'

export type RegisterIo = {
  env?: NodeJS.ProcessEnv
  out?: { write(s: string): unknown }
}

const USAGE = `Usage: npm run register-commands -- [--guild ID | --global] [--dry-run]

Registers /${COMMAND_NAME} and the "${CONTEXT_MENU_NAME}" message menu for the bot.
  (default)     in the server DISCORD_GUILD_ID when set (instant), otherwise globally (up to an hour to appear)
  --guild ID    in this server only
  --global      globally, even when DISCORD_GUILD_ID is set
  --dry-run     print the JSON that would be sent, and send nothing
Needs DISCORD_TOKEN and DISCORD_APPLICATION_ID; DISCORD_API_URL is honoured.
`

export async function run(args: string[], io: RegisterIo = {}): Promise<number> {
  const out = io.out ?? process.stdout
  let guild: string | null | undefined
  let dryRun = false
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--help' || a === '-h') {
      out.write(USAGE)
      return 0
    } else if (a === '--global') guild = null
    else if (a === '--dry-run') dryRun = true
    else if (a === '--guild' || a.startsWith('--guild=')) {
      const v = a.includes('=') ? a.slice('--guild='.length) : args[++i]
      if (!v || !/^\d{17,20}$/.test(v)) throw new AppError('USAGE', `--guild needs a server id (17-20 digits), got ${JSON.stringify(v ?? '')}.\n\n${USAGE}`)
      guild = v
    } else throw new AppError('USAGE', `Unknown argument "${a}".\n\n${USAGE}`)
  }

  const body = commandDefinitions()
  if (dryRun) {
    out.write(JSON.stringify(body, null, 2) + '\n')
    return 0
  }

  const config = loadConfig(io.env ?? process.env)
  if (!config.DISCORD_TOKEN) {
    throw new AppError('DISCORD_TOKEN_MISSING', 'DISCORD_TOKEN is not set: copy the bot token from the Discord Developer Portal (your application -> Bot -> Reset Token).')
  }
  if (!config.DISCORD_APPLICATION_ID) {
    throw new AppError('DISCORD_APPLICATION_ID_MISSING', "DISCORD_APPLICATION_ID is not set: copy the Application ID from the Developer Portal's General Information page.")
  }
  if (!/^\d{17,20}$/.test(config.DISCORD_APPLICATION_ID)) {
    throw new AppError('DISCORD_APPLICATION_ID_INVALID', `DISCORD_APPLICATION_ID must be the numeric Application ID (17-20 digits), got ${JSON.stringify(config.DISCORD_APPLICATION_ID)}.`)
  }
  const guildId = guild === undefined ? config.DISCORD_GUILD_ID : guild
  if (guildId && !/^\d{17,20}$/.test(guildId)) {
    throw new AppError('DISCORD_GUILD_ID_INVALID', `DISCORD_GUILD_ID must be a numeric server id (17-20 digits), got ${JSON.stringify(guildId)}.`)
  }

  const rest = createRest(config, config.DISCORD_TOKEN)
  const route = guildId ? Routes.applicationGuildCommands(config.DISCORD_APPLICATION_ID, guildId) : Routes.applicationCommands(config.DISCORD_APPLICATION_ID)
  let registered: { name: string; id: string }[]
  try {
    registered = (await rest.put(route, { body })) as { name: string; id: string }[]
  } catch (err) {
    throw explainDiscordError(err, config)
  }
  const where = guildId ? `in server ${guildId} (available now)` : 'globally (Discord can take up to an hour to show them everywhere)'
  const api = discordApiBase(config)
  out.write(
    `Registered ${registered.length} commands ${where}${api.startsWith('https://discord.com') ? '' : ` at ${api}`}:\n` +
      `  /${COMMAND_NAME} ${Object.keys(SUBCOMMANDS).join(' | ')}\n` +
      `  "${CONTEXT_MENU_NAME}" (message menu: right-click a message -> Apps)\n` +
      `Add the bot to a server: ${inviteUrl(config.DISCORD_APPLICATION_ID)}\n`,
  )
  return 0
}
