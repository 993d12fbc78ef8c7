// The Discord commands, defined once: the JSON `npm run register-commands` PUTs to Discord, and how an invocation
// maps back to the shared command model (src/chat/command-parser.ts). Registration and handling both read this file,
// so a subcommand cannot be registered without being handled or the other way round.
//
//   /claude-auth diagnose text:<pasted error> [platform]   diagnose (no text: opens the paste modal)
//   /claude-auth paste                                     a modal for long pastes (two 4,000-char boxes + platform)
//   /claude-auth help
//   /claude-auth checklist [platform]
//   /claude-auth doctor [platform]                         a one-time upload code for the doctor script
//   /claude-auth event kind:<kind> [subject] [note]        (issue #7) record a credential change
//   /claude-auth events | stats [days] | admin             (issue #7)
//   message context menu "Diagnose auth error"            diagnose any message (works without MessageContent)
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ComponentType,
  InteractionContextType,
  PermissionFlagsBits,
  TextInputStyle,
  type APIModalInteractionResponseCallbackData,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js'
import { parseCommand, type ParsedCommand } from '../command-parser.js'
import { PLATFORMS, type Platform } from '../../diagnosis/types.js'
import { CREDENTIAL_EVENT_KINDS, type CredentialEventKind } from '../../store/types.js'

export const COMMAND_NAME = 'claude-auth'
export const CONTEXT_MENU_NAME = 'Diagnose auth error'

/** Discord's limit for a string option; longer pastes go through the modal (or a message and the context menu). */
export const TEXT_OPTION_MAX = 6_000

export const PLATFORM_LABELS: Record<Platform, string> = {
  macos: 'macOS',
  linux: 'Linux',
  windows: 'Windows (PowerShell)',
  wsl: 'WSL',
  docker: 'Docker / devcontainer',
  ssh: 'SSH / remote machine',
  vscode: 'VS Code',
}

/** A /claude-auth invocation: the shared model, plus Discord's modal for long pastes. */
export type DiscordCommand =
  | Exclude<ParsedCommand, { kind: 'diagnose' | 'doctor' }>
  | { kind: 'paste' }
  | { kind: 'diagnose'; text: string; platform?: Platform | null }
  | { kind: 'doctor'; platform?: Platform | null }

/** Read access to the options of the invoked subcommand (adapts discord.js's CommandInteractionOptionResolver). */
export type OptionReader = {
  string(name: string): string | null
  integer(name: string): number | null
}

type Subcommand = {
  definition: APIApplicationCommandSubcommandOption
  parse(options: OptionReader): DiscordCommand
}

const platformOption = (description: string): APIApplicationCommandBasicOption => ({
  type: ApplicationCommandOptionType.String,
  name: 'platform',
  description,
  required: false,
  choices: PLATFORMS.map((p) => ({ name: PLATFORM_LABELS[p], value: p })),
})

const readPlatform = (o: OptionReader): Platform | null => {
  const v = o.string('platform')
  return v && (PLATFORMS as readonly string[]).includes(v) ? (v as Platform) : null
}

const EVENT_KIND_LABELS: Record<CredentialEventKind, string> = {
  key_rotated: 'API key rotated',
  key_revoked: 'API key revoked',
  user_removed: 'user removed',
  user_added: 'user added',
  org_changed: 'organization changed',
  billing_changed: 'billing changed',
  policy_changed: 'policy changed',
  sso_changed: 'SSO changed',
  other: 'other',
}

/** The subcommands, in the order Discord shows them. */
export const SUBCOMMANDS: Record<string, Subcommand> = {
  diagnose: {
    definition: {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'diagnose',
      description: 'Diagnose a Claude Code error: paste it in "text" (or leave it out for a box that fits long output)',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'text', description: 'The error output from Claude Code', required: false, max_length: TEXT_OPTION_MAX },
        platformOption('Where you run Claude Code (default: detected from the text)'),
      ],
    },
    parse(o) {
      const text = o.string('text')?.trim() ?? ''
      if (text === '') return { kind: 'paste' }
      const parsed = parseCommand(text)
      // the same keywords as on Slack ("checklist macos", "doctor", ...); anything else is diagnosed
      return parsed.kind === 'diagnose' ? { kind: 'diagnose', text: parsed.text, platform: readPlatform(o) } : parsed
    },
  },
  paste: {
    definition: { type: ApplicationCommandOptionType.Subcommand, name: 'paste', description: 'Open a box for pasting long error output' },
    parse: () => ({ kind: 'paste' }),
  },
  help: {
    definition: { type: ApplicationCommandOptionType.Subcommand, name: 'help', description: 'What this bot does and how to use it' },
    parse: () => ({ kind: 'help' }),
  },
  checklist: {
    definition: {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'checklist',
      description: 'The authentication checklist for your platform',
      options: [platformOption('Where you run Claude Code')],
    },
    parse: (o) => ({ kind: 'checklist', platform: readPlatform(o) }),
  },
  doctor: {
    definition: {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'doctor',
      description: 'Get a one-time code to upload local diagnostics (redacted) from the doctor script',
      options: [platformOption('Where you will run the doctor script')],
    },
    parse: (o) => ({ kind: 'doctor', platform: readPlatform(o) }),
  },
  // --- team features (issue #7): registered now so the schema is stable; handled in commands.ts ---
  event: {
    definition: {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'event',
      description: 'Record a credential change of the team (key rotated, user removed, ...)',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'kind',
          description: 'What changed',
          required: true,
          choices: CREDENTIAL_EVENT_KINDS.map((k) => ({ name: EVENT_KIND_LABELS[k], value: k })),
        },
        { type: ApplicationCommandOptionType.String, name: 'subject', description: 'Which key, user or policy (no secrets)', required: false, max_length: 100 },
        { type: ApplicationCommandOptionType.String, name: 'note', description: 'A short note', required: false, max_length: 500 },
      ],
    },
    parse(o) {
      const kind = o.string('kind') ?? ''
      if (!(CREDENTIAL_EVENT_KINDS as readonly string[]).includes(kind)) {
        return { kind: 'invalid', message: `Unknown event kind "${kind}". Kinds: ${CREDENTIAL_EVENT_KINDS.join(', ')}.` }
      }
      return { kind: 'event', eventKind: kind as CredentialEventKind, subject: o.string('subject'), note: o.string('note') }
    },
  },
  events: {
    definition: { type: ApplicationCommandOptionType.Subcommand, name: 'events', description: "The team's recent credential changes" },
    parse: () => ({ kind: 'events' }),
  },
  stats: {
    definition: {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'stats',
      description: 'What keeps failing in this server',
      options: [{ type: ApplicationCommandOptionType.Integer, name: 'days', description: 'How many days back (default 7)', required: false, min_value: 1, max_value: 365 }],
    },
    parse: (o) => ({ kind: 'stats', days: o.integer('days') ?? 7 }),
  },
  admin: {
    definition: { type: ApplicationCommandOptionType.Subcommand, name: 'admin', description: 'A sign-in link to the admin dashboard (admins only)' },
    parse: () => ({ kind: 'admin' }),
  },
}

/** Maps an invocation (subcommand name + options) to a command; unknown subcommands (an old registration) are invalid. */
export function parseSubcommand(name: string | null, options: OptionReader): DiscordCommand {
  const sub = name ? SUBCOMMANDS[name] : undefined
  if (!sub) {
    return { kind: 'invalid', message: `Unknown action "${name ?? ''}". Run \`npm run register-commands\` to update the commands, then try /${COMMAND_NAME} help.` }
  }
  return sub.parse(options)
}

/** The body of PUT /applications/{id}[/guilds/{id}]/commands (bulk overwrite). */
export function commandDefinitions(): RESTPutAPIApplicationCommandsJSONBody {
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: COMMAND_NAME,
      description: 'Diagnose Claude Code authentication errors and get exact fixes',
      contexts: [InteractionContextType.Guild],
      integration_types: [ApplicationIntegrationType.GuildInstall],
      options: Object.values(SUBCOMMANDS).map((s) => s.definition),
    },
    {
      type: ApplicationCommandType.Message,
      name: CONTEXT_MENU_NAME,
      contexts: [InteractionContextType.Guild],
      integration_types: [ApplicationIntegrationType.GuildInstall],
    },
  ]
}

/** The paste modal: Discord caps a text input at 4,000 characters, so long output can go in two boxes. */
export const PASTE_MODAL = {
  id: 'ca-paste',
  text: 'text',
  more: 'more',
  platform: 'platform',
  inputMax: 4_000,
} as const

export function pasteModal(): APIModalInteractionResponseCallbackData {
  return {
    custom_id: PASTE_MODAL.id,
    title: 'Diagnose a Claude Code error',
    components: [
      {
        type: ComponentType.Label,
        label: 'Error output',
        description: 'Paste what Claude Code printed. Keys and tokens are hidden before anything is stored.',
        component: { type: ComponentType.TextInput, custom_id: PASTE_MODAL.text, style: TextInputStyle.Paragraph, required: true, max_length: PASTE_MODAL.inputMax, placeholder: 'API Error: 401 {"type":"error","error":{"type":"authentication_error",...' },
      },
      {
        type: ComponentType.Label,
        label: 'More output (optional)',
        description: 'If it did not fit above: the rest of the output.',
        component: { type: ComponentType.TextInput, custom_id: PASTE_MODAL.more, style: TextInputStyle.Paragraph, required: false, max_length: PASTE_MODAL.inputMax },
      },
      {
        type: ComponentType.Label,
        label: 'Where do you run Claude Code?',
        component: {
          type: ComponentType.StringSelect,
          custom_id: PASTE_MODAL.platform,
          required: false,
          placeholder: 'Detect it from the output',
          options: PLATFORMS.map((p) => ({ label: PLATFORM_LABELS[p], value: p })),
        },
      },
    ],
  }
}

/**
 * What the bot needs in a channel: see it, answer (also in threads), show embeds, and read the history to reply to a
 * message and to fetch the message a mention replies to. Nothing else (no Manage Messages, no Mention Everyone).
 */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory

/** The OAuth2 URL that adds the bot to a server with its commands and exactly those permissions. */
export function inviteUrl(applicationId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot+applications.commands&permissions=${BOT_PERMISSIONS}`
}
