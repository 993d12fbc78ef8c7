// What each /claude-auth action does, in ONE map (`commandHandlers`): slash commands and @mentions
// ("@bot checklist macos") both go through it. A handler returns the answer; the caller decides how it is delivered
// (interaction response, reply to a message). To add an action: a subcommand in command-schema.ts, a handler here.
//
// Issue #7 (event, events, stats, admin): replace the `notAvailable` entries below; nothing else needs to change.
import type { APIModalInteractionResponseCallbackData } from 'discord.js'
import type { Platform } from '../../diagnosis/types.js'
import { COMMAND_NAME, pasteModal, type DiscordCommand } from './command-schema.js'
import { clampPaste, noteMessage, renderChecklist, renderDiagnosis, renderDoctor, renderHelp, type DiscordMessage } from './render.js'
import type { DiscordRuntime, Where } from './runtime.js'
import { runTeamCommand, type TeamCommand } from '../../team/commands.js'
import { discordTeamMessage } from '../../team/discord.js'

export type CommandEnv = {
  rt: DiscordRuntime
  where: Where
  /** slash: /claude-auth or its modal; mention: "@bot <text>" in a channel */
  source: 'slash' | 'mention'
  /** the answer is seen only by the person (ephemeral); false for replies to messages, which everyone sees */
  private: boolean
  /** what Discord says about the person who asked (for admin-only actions: Manage Server, server owner) */
  asker: Asker
}

export type Asker = {
  /** the member's permission bitfield in this channel (decimal string), null when unknown */
  permissions: string | null
  isGuildOwner: boolean
}

export type CommandAnswer = { kind: 'message'; message: DiscordMessage } | { kind: 'modal'; modal: APIModalInteractionResponseCallbackData }

export type CommandHandler<C extends DiscordCommand = DiscordCommand> = (command: C, env: CommandEnv) => Promise<CommandAnswer>

export type CommandHandlers = { [K in DiscordCommand['kind']]: CommandHandler<Extract<DiscordCommand, { kind: K }>> }

const message = (m: DiscordMessage): CommandAnswer => ({ kind: 'message', message: m })

/** For actions another issue implements: a clear answer instead of silence or an error. */
export const notAvailable =
  (action: string): CommandHandler =>
  async () =>
    message(noteMessage(`\`/${COMMAND_NAME} ${action}\` is not available on this bot yet. Try \`/${COMMAND_NAME} help\` for what it can do.`))

/** Issue #7: event, events, stats, admin through the shared team handlers (admins: ADMIN_USER_IDS, Manage Server, owner). */
const team: CommandHandler = async (cmd, env) => {
  // the answers hold team data or a personal sign-in link: only ever shown to the person who asked
  if (!env.private) return message(noteMessage(`Use \`/${COMMAND_NAME} ${cmd.kind}\`: the answer is shown only to you.`))
  const answer = await runTeamCommand(
    { store: env.rt.ctx.store, config: env.rt.ctx.config, log: env.rt.log, clock: env.rt.ctx.clock },
    { workspace: env.where.workspace, userId: env.where.userId, adminFacts: { platform: 'discord', permissions: env.asker.permissions, isGuildOwner: env.asker.isGuildOwner } },
    cmd as TeamCommand,
  )
  return message(discordTeamMessage(answer))
}

export const commandHandlers: CommandHandlers = {
  async diagnose(cmd, env) {
    const result = await env.rt.ctx.triage.diagnose({
      text: clampPaste(cmd.text),
      source: env.source,
      mode: 'explicit',
      workspace: env.where.workspace,
      channelId: env.where.channelId,
      threadId: env.where.threadId,
      messageId: env.where.messageId,
      userId: env.where.userId,
      platform: cmd.platform ?? null,
    })
    return message(renderDiagnosis(result.reply, { incidentId: result.incidentId, shareable: env.private }))
  },

  async paste(_cmd, env) {
    if (env.private) return { kind: 'modal', modal: pasteModal() }
    return message(noteMessage(`Paste the error after mentioning me, or use \`/${COMMAND_NAME} paste\` for long output.`))
  },

  async help(_cmd, env) {
    const config = env.rt.ctx.config
    return message(renderHelp({ passive: config.PASSIVE_MODE && config.DISCORD_MESSAGE_CONTENT }))
  },

  async checklist(cmd) {
    return message(renderChecklist(cmd.platform))
  },

  async doctor(cmd, env) {
    if (!env.private) {
      return message(noteMessage(`The doctor code is personal: run \`/${COMMAND_NAME} doctor\` and I will show it only to you.`))
    }
    return message(await doctorCode(env.rt, env.where, cmd.platform ?? null))
  },

  async invalid(cmd) {
    return message(noteMessage(cmd.message))
  },

  // --- issue #7 ---
  event: team,
  events: team,
  stats: team,
  admin: team,
}

export function runCommand(command: DiscordCommand, env: CommandEnv): Promise<CommandAnswer> {
  const handler = commandHandlers[command.kind] as CommandHandler
  return handler(command, env)
}

/** Issues a one-time doctor upload code answering in this channel/thread; a clear note when the database is down. */
export async function doctorCode(rt: DiscordRuntime, where: Where, platform: Platform | null): Promise<DiscordMessage> {
  const { config, store, clock } = rt.ctx
  try {
    const issued = await store.issueDoctorToken(
      { workspace: where.workspace, channelId: where.channelId, threadId: where.threadId, userId: where.userId },
      config.DOCTOR_CODE_TTL_MINUTES * 60_000,
    )
    return renderDoctor({ code: issued.code, expiresAt: issued.expiresAt, publicUrl: config.publicUrl, platform, now: clock() })
  } catch (err) {
    rt.ctx.metrics.dbErrors.inc({ operation: 'issue_doctor_token' })
    rt.log.warn({ err: (err as Error).message }, 'could not issue a doctor code')
    return noteMessage('I could not create a doctor code right now (the database is not answering). Please try again in a few minutes.')
  }
}
