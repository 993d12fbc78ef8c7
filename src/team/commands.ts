// The team sub-commands of `/claude-auth`, shared by the Slack and Discord adapters: `event <kind> [subject] [note]`,
// `events`, `stats [Nd]` and `admin`. Platform-neutral: each handler takes who asked (and the platform's admin facts)
// and answers with a TeamMessage the adapter renders (src/team/message.ts). Admins only; everyone else gets a clear
// refusal. A database that fails gives an answer saying so, never an exception into the adapter.
import type { Config } from '../config.js'
import type { Logger } from '../log.js'
import type { ParsedCommand } from '../chat/command-parser.js'
import type { CredentialEvent, Store, WorkspaceRef } from '../store/types.js'
import { isAdmin, isListedAdmin, type PlatformAdminFacts } from './admins.js'
import { causeLabel, eventLabel } from './causes.js'
import { eventLine, loadStats, statsMessage } from './stats.js'
import { plural } from './format.js'
import { causesForEventKind } from './correlation.js'
import type { Line, TeamMessage } from './message.js'

export type TeamCommandConfig = Pick<Config, 'ADMIN_USER_IDS' | 'ADMIN_LINK_TTL_MINUTES' | 'EVENT_LOOKBACK_DAYS' | 'publicUrl'>

export type TeamCommandDeps = {
  store: Store
  config: TeamCommandConfig
  log: Logger
  clock: () => Date
}

/** Who asked, where. `adminFacts` may be a lookup (Slack users.info): it only runs when the id is not listed. */
export type TeamRequest = {
  workspace: WorkspaceRef
  userId: string
  adminFacts?: PlatformAdminFacts | null | (() => Promise<PlatformAdminFacts | null>)
}

export type TeamCommandKind = 'event' | 'events' | 'stats' | 'admin'
export type TeamCommand<K extends TeamCommandKind = TeamCommandKind> = Extract<ParsedCommand, { kind: K }>

/** The handler map both adapters call: `handlers[parsed.kind](request, parsed)`. */
export type TeamCommandHandlers = { [K in TeamCommandKind]: (request: TeamRequest, command: TeamCommand<K>) => Promise<TeamMessage> }

export const TEAM_COMMAND_KINDS: readonly TeamCommandKind[] = ['event', 'events', 'stats', 'admin']

export function isTeamCommand(command: ParsedCommand): command is TeamCommand {
  return (TEAM_COMMAND_KINDS as readonly string[]).includes(command.kind)
}

/** One team command, for adapters that dispatch on `command.kind` themselves. */
export function runTeamCommand(deps: TeamCommandDeps, request: TeamRequest, command: TeamCommand): Promise<TeamMessage> {
  const handler = createTeamCommands(deps)[command.kind] as (request: TeamRequest, command: TeamCommand) => Promise<TeamMessage>
  return handler(request, command)
}

export function adminLoginUrl(publicUrl: string, token: string) {
  return `${publicUrl}/admin/login?token=${encodeURIComponent(token)}`
}

export const dashboardUrl = (publicUrl: string) => `${publicUrl}/admin`

/** Resolves the admin question once per request; a failing platform lookup counts as "not an admin". */
export async function requestIsAdmin(deps: Pick<TeamCommandDeps, 'config' | 'log'>, request: TeamRequest): Promise<boolean> {
  const { platform } = request.workspace
  if (isListedAdmin(deps.config.ADMIN_USER_IDS, platform, request.userId)) return true
  let facts: PlatformAdminFacts | null = null
  try {
    facts = typeof request.adminFacts === 'function' ? await request.adminFacts() : (request.adminFacts ?? null)
  } catch (err) {
    deps.log.warn({ err: (err as Error).message, platform }, 'admin lookup failed; treating the user as not an admin')
  }
  return isAdmin(deps.config.ADMIN_USER_IDS, platform, request.userId, facts)
}

const refusal = (what: string, platform: WorkspaceRef['platform']): TeamMessage => ({
  title: 'Admins only',
  lines: [
    `Only admins can ${what}.`,
    platform === 'slack'
      ? 'Admins are Slack workspace admins and owners, and the people listed in the bot\'s ADMIN_USER_IDS setting.'
      : 'Admins are members with the Manage Server permission, and the people listed in the bot\'s ADMIN_USER_IDS setting.',
  ],
  ephemeral: true,
  ok: false,
})

const unavailable = (what: string): TeamMessage => ({
  title: 'Database unavailable',
  lines: [`I could not ${what} because the database did not answer. Please try again in a minute.`],
  ephemeral: true,
  ok: false,
})

export function createTeamCommands(deps: TeamCommandDeps): TeamCommandHandlers {
  const { store, config, log, clock } = deps

  const guarded = async (request: TeamRequest, what: string, failure: string, run: () => Promise<TeamMessage>): Promise<TeamMessage> => {
    if (!(await requestIsAdmin(deps, request))) return refusal(what, request.workspace.platform)
    try {
      return await run()
    } catch (err) {
      log.error({ err, platform: request.workspace.platform }, `team command failed: ${failure}`)
      return unavailable(failure)
    }
  }

  return {
    event: (request, command) =>
      guarded(request, 'record credential-change events', 'record the event', async () => {
        const event = await store.recordCredentialEvent({
          workspace: request.workspace,
          kind: command.eventKind,
          subject: command.subject,
          note: command.note,
          actor: request.userId,
          source: 'command',
          occurredAt: clock(),
        })
        return recordedMessage(event, config.EVENT_LOOKBACK_DAYS, clock())
      }),

    events: (request) =>
      guarded(request, 'list credential-change events', 'list the events', async () => {
        const now = clock()
        const days = config.EVENT_LOOKBACK_DAYS
        const events = await store.listCredentialEvents(request.workspace, { since: new Date(now.getTime() - days * 86_400_000), limit: 15 })
        const lines: Line[] = events.length
          ? events.map((e) => eventLine(e, now))
          : [`No credential changes recorded in the last ${plural(days, 'day')}.`]
        lines.push('')
        lines.push(['Record one with ', { code: '/claude-auth event <kind> [subject] [note]' }, ', e.g. ', { code: '/claude-auth event key_rotated CI-key' }, '.'])
        return { title: `Credential changes: last ${plural(days, 'day')}`, lines, ephemeral: true, ok: true }
      }),

    stats: (request, command) =>
      guarded(request, 'see the team statistics', 'load the statistics', async () => {
        const now = clock()
        const stats = await loadStats(store, request.workspace, command.days, now)
        return statsMessage(stats, { now, dashboardUrl: dashboardUrl(config.publicUrl) })
      }),

    admin: (request) =>
      guarded(request, 'open the admin dashboard', 'create a sign-in link', async () => {
        const ttlMinutes = config.ADMIN_LINK_TTL_MINUTES
        const { token, expiresAt } = await store.issueAdminLogin(
          { platform: request.workspace.platform, workspaceExternalId: request.workspace.externalId, userId: request.userId },
          ttlMinutes * 60_000,
        )
        const url = adminLoginUrl(config.publicUrl, token)
        return {
          title: 'Your admin dashboard link',
          lines: [
            [{ link: url, label: 'Open the dashboard' }],
            `Single use, valid for ${plural(ttlMinutes, 'minute')} (until ${expiresAt.toISOString().slice(11, 16)} UTC). It signs you in as yourself: do not share it.`,
          ],
          ephemeral: true,
          ok: true,
        }
      }),
  }
}

function recordedMessage(event: CredentialEvent, lookbackDays: number, now: Date): TeamMessage {
  const causes = causesForEventKind(event.kind)
  const lines: Line[] = [eventLine(event, now)]
  if (causes.length) {
    lines.push(`For the next ${plural(lookbackDays, 'day')}, replies about ${causes.map(causeLabel).join(', ').toLowerCase()} will mention it.`)
  } else {
    lines.push(`It shows on the dashboard timeline; replies mention it when a related failure is diagnosed within ${plural(lookbackDays, 'day')}.`)
  }
  return { title: `Recorded: ${eventLabel(event.kind)}`, lines, ephemeral: true, ok: true }
}
