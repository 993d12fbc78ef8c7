// `/claude-auth …`: ack at once, then answer through the response_url. One handler per parsed command kind in
// `commandHandlers`: the admin commands (event, events, stats, admin; issue #7) are added there and nowhere else.
import type { ParsedCommand } from '../command-parser.js'
import { parseCommand } from '../command-parser.js'
import type { DoctorTokenTarget } from '../../store/types.js'
import type { Platform } from '../../diagnosis/types.js'
import { claimIds } from './claims.js'
import { checklistMessage, diagnosisMessage, doctorMessage, helpMessage, noteMessage, type SlackMessage } from './render.js'
import { workspaceOf, type SlackRuntime } from './runtime.js'
import { slackToPlain } from './text.js'
import { runTeamCommand, type TeamCommandKind } from '../../team/commands.js'
import { slackAdminLookup, slackTeamMessage } from '../../team/slack.js'

/** The slash command as Slack sends it (the fields we use). */
export type SlashCommandPayload = {
  command: string
  text: string
  team_id: string
  channel_id: string
  user_id: string
  response_url: string
  trigger_id: string
}

export type CommandRequest = {
  teamId: string
  channelId: string
  userId: string
  responseUrl: string
  receivedAt: number | undefined
}

/** What a handler answers; `visibility` defaults to ephemeral (only the person who asked sees it). */
export type CommandResult = { message: SlackMessage; visibility?: 'ephemeral' | 'in_channel'; source?: 'slash' | 'info' }

export type CommandHandler<K extends ParsedCommand['kind']> = (
  command: Extract<ParsedCommand, { kind: K }>,
  request: CommandRequest,
  rt: SlackRuntime,
) => Promise<CommandResult>

export type CommandHandlers = { [K in ParsedCommand['kind']]: CommandHandler<K> }

const help: CommandHandler<'help'> = async () => ({ message: helpMessage(), source: 'info' })

const invalid: CommandHandler<'invalid'> = async (command) => ({
  message: noteMessage(`${command.message}\nType \`/claude-auth help\` for everything I can do.`),
  source: 'info',
})

const checklist: CommandHandler<'checklist'> = async (command) => ({ message: checklistMessage(command.platform), source: 'info' })

const doctor: CommandHandler<'doctor'> = async (_command, request, rt) => ({
  message: await issueDoctorCode(rt, { workspace: workspaceOf(request.teamId, rt), channelId: request.channelId, threadId: null, userId: request.userId }, null),
  source: 'info',
})

const diagnose: CommandHandler<'diagnose'> = async (command, request, rt) => {
  const visibility = rt.ctx.config.SLACK_REPLY_VISIBILITY
  const result = await rt.ctx.triage.diagnose({
    text: command.text,
    source: 'slash',
    mode: 'explicit',
    workspace: workspaceOf(request.teamId, rt),
    channelId: request.channelId,
    threadId: null,
    messageId: null,
    userId: request.userId,
  })
  return {
    message: diagnosisMessage(result.reply, { incidentId: result.incidentId, shareable: visibility === 'ephemeral' }),
    visibility,
    source: 'slash',
  }
}

/** event, events, stats, admin (issue #7): the shared team handlers; admins are checked there (users.info facts). */
const team =
  <K extends TeamCommandKind>(): CommandHandler<K> =>
  async (command, request, rt) => {
    const message = await runTeamCommand(
      { store: rt.ctx.store, config: rt.ctx.config, log: rt.log, clock: rt.ctx.clock },
      { workspace: workspaceOf(request.teamId, rt), userId: request.userId, adminFacts: slackAdminLookup(rt.delivery.client, request.userId) },
      command,
    )
    return { message: slackTeamMessage(message), visibility: message.ephemeral ? 'ephemeral' : 'in_channel', source: 'info' }
  }

export const commandHandlers: CommandHandlers = {
  help,
  invalid,
  checklist,
  doctor,
  diagnose,
  event: team(),
  events: team(),
  stats: team(),
  admin: team(),
}

/** Issues a one-time doctor upload code bound to where the answer should go; a note when the database is down. */
export async function issueDoctorCode(rt: SlackRuntime, target: DoctorTokenTarget, platform: Platform | null): Promise<SlackMessage> {
  try {
    const ttlMs = rt.ctx.config.DOCTOR_CODE_TTL_MINUTES * 60_000
    const { code, expiresAt } = await rt.ctx.store.issueDoctorToken(target, ttlMs)
    return doctorMessage({ code, expiresAt, publicUrl: rt.ctx.config.publicUrl, platform, now: rt.ctx.clock() })
  } catch (err) {
    rt.ctx.metrics.dbErrors.inc({ operation: 'issue_doctor_token' })
    rt.log.warn({ err: (err as Error).message }, 'could not issue a doctor code')
    return noteMessage('I could not create a doctor upload code just now (my database is not answering). Please try `/claude-auth doctor` again in a minute.')
  }
}

export async function handleSlashCommand(payload: SlashCommandPayload, rt: SlackRuntime, receivedAt: number | undefined): Promise<void> {
  if (!(await rt.claims.isFirst(claimIds.command(payload.trigger_id || payload.response_url)))) return
  const parsed = parseCommand(slackToPlain(payload.text ?? ''))
  const request: CommandRequest = {
    teamId: payload.team_id,
    channelId: payload.channel_id,
    userId: payload.user_id,
    responseUrl: payload.response_url,
    receivedAt,
  }
  const handler = commandHandlers[parsed.kind] as CommandHandler<typeof parsed.kind>
  const result = await handler(parsed as never, request, rt)
  try {
    await rt.delivery.respond(payload.response_url, { ...result.message, response_type: result.visibility ?? 'ephemeral' })
    rt.delivered(result.source ?? 'info', receivedAt)
  } catch (err) {
    rt.failed('slash', err)
  }
}
