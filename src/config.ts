// Every setting, read once from the environment and validated. A bad value stops start-up with a message that
// names the variable and says what is expected. Documented in .env.example.
import { z } from 'zod'
import { AppError } from './errors.js'
import { redact } from './redaction/index.js'

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : v === 'true' || v === '1' || v === 'yes'))

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? null : v.trim()))

const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? String(fallback) : v.trim()))
    .pipe(z.string().regex(/^\d+$/, `a whole number from ${min} to ${max}`))
    .transform(Number)
    .pipe(z.number().int().min(min, `a whole number from ${min} to ${max}`).max(max, `a whole number from ${min} to ${max}`))

const ratio = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? String(fallback) : v.trim()))
    .pipe(z.string().regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'a number from 0 to 1, e.g. 0.6'))
    .transform(Number)

const url = (fallback: string | null) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? fallback : v.trim().replace(/\/+$/, '')))
    .pipe(z.string().url('an absolute http(s) URL').nullable())

const databaseUrl = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? 'pglite:./.data/pglite' : v.trim()))
  .pipe(
    z
      .string()
      .regex(
        /^(pglite:.+|postgres(ql)?:\/\/.+)$/,
        'pglite:<directory>, pglite:memory, or postgresql://user@host:port/database',
      ),
  )

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).optional().default('development'),
  PORT: int(3000, 0, 65535),
  HOST: z.string().optional().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional().default('info'),
  PUBLIC_URL: url(null),

  DATABASE_URL: databaseUrl,
  MIGRATE_ON_START: bool(false),
  RETENTION_DAYS: int(180, 1, 3650),

  PASSIVE_MODE: bool(true),
  PASSIVE_THRESHOLD: ratio(0.6),

  SLACK_BOT_TOKEN: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_API_URL: url(null),
  SLACK_REPLY_VISIBILITY: z.enum(['ephemeral', 'in_channel']).optional().default('ephemeral'),
  SLACK_CHANNELS: list,
  SLACK_ADMIN_CHANNEL: optionalString,

  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_GUILD_ID: optionalString,
  DISCORD_API_URL: url(null),
  DISCORD_MESSAGE_CONTENT: bool(false),
  DISCORD_CHANNELS: list,
  DISCORD_ADMIN_CHANNEL: optionalString,
  /** GuildMembers privileged intent enabled: members leaving/removed from the server become user_removed events */
  DISCORD_MEMBER_EVENTS: bool(false),

  DOCTOR_CODE_TTL_MINUTES: int(30, 1, 1440),
  DOCTOR_MAX_BYTES: int(256 * 1024, 1024, 10 * 1024 * 1024),
  DOCTOR_UPLOADS_PER_MINUTE: int(10, 1, 10000),

  ADMIN_USER_IDS: list,
  EVENTS_API_TOKEN: optionalString,
  EVENT_LOOKBACK_DAYS: int(14, 1, 365),
  SPIKE_MIN_PEOPLE: int(3, 2, 1000),
  SPIKE_WINDOW_MINUTES: int(60, 1, 10080),
  ADMIN_LINK_TTL_MINUTES: int(10, 1, 120),
  ADMIN_SESSION_HOURS: int(8, 1, 720),
})

export type RawConfig = z.infer<typeof schema>

export type Config = RawConfig & {
  /** the base URL people reach this service at (doctor download, admin links) */
  publicUrl: string
  slack: { enabled: boolean; mode: 'socket' | 'http' | null }
  discord: { enabled: boolean }
}

export class ConfigError extends AppError {
  constructor(readonly problems: string[]) {
    super('CONFIG_INVALID', `Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?')
      const value = env[name]
      // never echo a secret: token-like settings are hidden whole, credentials inside URLs are masked
      const shown = value === undefined ? 'unset' : /TOKEN|SECRET|KEY|PASSWORD/.test(name) ? 'set (hidden)' : redact(JSON.stringify(value)).text
      return `${name}: expected ${issue.message} (got ${shown})`
    })
    throw new ConfigError(problems)
  }
  const c = parsed.data
  const problems: string[] = []
  if (c.SLACK_BOT_TOKEN && !c.SLACK_APP_TOKEN && !c.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_SIGNING_SECRET: expected the app signing secret for HTTP mode, or set SLACK_APP_TOKEN (xapp-…) for Socket Mode')
  }
  if (c.SLACK_APP_TOKEN && !c.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN: expected the bot token (xoxb-…) because SLACK_APP_TOKEN is set')
  if (problems.length) throw new ConfigError(problems)
  const slackEnabled = Boolean(c.SLACK_BOT_TOKEN)
  return {
    ...c,
    publicUrl: c.PUBLIC_URL ?? `http://localhost:${c.PORT}`,
    slack: { enabled: slackEnabled, mode: slackEnabled ? (c.SLACK_APP_TOKEN ? 'socket' : 'http') : null },
    discord: { enabled: Boolean(c.DISCORD_TOKEN) },
  }
}
