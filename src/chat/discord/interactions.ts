// Every interaction the bot answers: /claude-auth (and its paste modal), the "Diagnose auth error" message menu,
// and the buttons/select on its replies. Each interaction is claimed once (replicas, resumes), then answered within
// the deadline (respond.ts).
import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js'
import { PLATFORMS, type Platform } from '../../diagnosis/types.js'
import { decodeAction } from '../../replies/action-ids.js'
import { claimIds, INTERACTION_CLAIM_TIMEOUT_MS } from './claims.js'
import { COMMAND_NAME, CONTEXT_MENU_NAME, PASTE_MODAL, parseSubcommand } from './command-schema.js'
import { commandHandlers, doctorCode, runCommand, type Asker } from './commands.js'
import { clampPaste, noteMessage, prefixOf, renderDiagnosis, withPrefix } from './render.js'
import { errorSummary, respond, type AnswerableInteraction, type Plan } from './respond.js'
import { messageLink, whereOfInteraction, type DiscordRuntime } from './runtime.js'
import type { DiscordMessage } from './render.js'

export async function handleInteraction(i: Interaction, rt: DiscordRuntime): Promise<void> {
  const receivedAt = Date.now()
  if (i.isChatInputCommand()) {
    if (i.commandName !== COMMAND_NAME) return
    if (!(await rt.claims.isFirst(claimIds.interaction(i.id), INTERACTION_CLAIM_TIMEOUT_MS))) return
    return slashCommand(i, rt, receivedAt)
  }
  if (i.isMessageContextMenuCommand()) {
    if (i.commandName !== CONTEXT_MENU_NAME) return
    if (!(await rt.claims.isFirst(claimIds.interaction(i.id), INTERACTION_CLAIM_TIMEOUT_MS))) return
    return contextMenu(i, rt, receivedAt)
  }
  if (i.isModalSubmit()) {
    if (i.customId !== PASTE_MODAL.id) return
    if (!(await rt.claims.isFirst(claimIds.interaction(i.id), INTERACTION_CLAIM_TIMEOUT_MS))) return
    return modalSubmit(i, rt, receivedAt)
  }
  if (i.isButton() || i.isStringSelectMenu()) {
    const ref = decodeAction(i.customId)
    if (!ref) {
      // ours but no longer understood (a reply from an older version): say so instead of "interaction failed"
      if (i.customId.startsWith('ca|')) {
        await respond(i, { kind: 'reply', ephemeral: true }, async () => noteMessage(`This button is from an older reply. Run \`/${COMMAND_NAME} diagnose\` again.`), deps(rt, 'button', receivedAt))
      }
      return
    }
    if (!(await rt.claims.isFirst(claimIds.interaction(i.id), INTERACTION_CLAIM_TIMEOUT_MS))) return
    return component(i, ref, rt, receivedAt)
  }
}

/** what Discord says about the person who asked */
export function askerOf(i: Interaction): Asker {
  return { permissions: i.memberPermissions?.bitfield.toString() ?? null, isGuildOwner: Boolean(i.guild && i.guild.ownerId === i.user.id) }
}

const deps = (rt: DiscordRuntime, source: Parameters<typeof respond>[3]['source'], receivedAt: number) => ({
  log: rt.log,
  metrics: rt.ctx.metrics,
  deferAfterMs: rt.deferAfterMs,
  source,
  receivedAt,
})

async function slashCommand(i: ChatInputCommandInteraction, rt: DiscordRuntime, receivedAt: number) {
  const command = parseSubcommand(i.options.getSubcommand(false), {
    string: (name) => i.options.getString(name),
    integer: (name) => i.options.getInteger(name),
  })
  const env = { rt, where: whereOfInteraction(i), source: 'slash' as const, private: true, asker: askerOf(i) }
  if (command.kind === 'paste') {
    // a modal must be the first response: no work before it
    const answer = await commandHandlers.paste(command, env)
    try {
      if (answer.kind === 'modal') await i.showModal(answer.modal)
      else await i.reply({ ...answer.message, flags: MessageFlags.Ephemeral })
    } catch (err) {
      rt.ctx.metrics.replyErrors.inc({ platform: 'discord' })
      rt.log.warn({ err: errorSummary(err) }, 'could not open the paste modal')
    }
    return
  }
  await respond(
    i,
    { kind: 'reply', ephemeral: true },
    async () => {
      const answer = await runCommand(command, env)
      return answer.kind === 'message' ? answer.message : noteMessage(`Use \`/${COMMAND_NAME} paste\` to paste long output.`)
    },
    deps(rt, command.kind === 'diagnose' ? 'slash' : 'info', receivedAt),
  )
}

async function modalSubmit(i: ModalSubmitInteraction, rt: DiscordRuntime, receivedAt: number) {
  const field = (id: string) => {
    try {
      return i.fields.getTextInputValue(id)
    } catch {
      return ''
    }
  }
  let platform: Platform | null = null
  try {
    const picked = i.fields.getStringSelectValues(PASTE_MODAL.platform)[0]
    if (picked && (PLATFORMS as readonly string[]).includes(picked)) platform = picked as Platform
  } catch {
    /* not picked, or an older modal without the select */
  }
  const text = [field(PASTE_MODAL.text), field(PASTE_MODAL.more)].filter((s) => s.trim()).join('\n')
  const env = { rt, where: whereOfInteraction(i), source: 'slash' as const, private: true, asker: askerOf(i) }
  await respond(
    i,
    { kind: 'reply', ephemeral: true },
    async () => {
      if (!text.trim()) return noteMessage('The box was empty: paste the error output Claude Code printed and try again.')
      const answer = await commandHandlers.diagnose({ kind: 'diagnose', text, platform }, env)
      return answer.kind === 'message' ? answer.message : noteMessage('Please try again.')
    },
    deps(rt, 'slash', receivedAt),
  )
}

/** The message menu: diagnose the target message for everyone in the channel (its content comes with the
 * interaction, so this works without the MessageContent intent). */
async function contextMenu(i: MessageContextMenuCommandInteraction, rt: DiscordRuntime, receivedAt: number) {
  const target = i.targetMessage
  const text = target.content ?? ''
  const link = messageLink(i.guildId, target.channelId, target.id)
  if (!text.trim()) {
    await respond(i, { kind: 'reply', ephemeral: true }, async () => noteMessage('That message has no text I can read. Paste the error as text (not a screenshot) and try again.'), deps(rt, 'info', receivedAt))
    return
  }
  if (target.author?.id === rt.client.user?.id) {
    await respond(i, { kind: 'reply', ephemeral: true }, async () => noteMessage('That is one of my own replies. Use its buttons, or run the menu on the message with the error.'), deps(rt, 'info', receivedAt))
    return
  }
  if (!(await rt.claims.isFirst(claimIds.message(target.id), INTERACTION_CLAIM_TIMEOUT_MS))) {
    await respond(i, { kind: 'reply', ephemeral: true }, async () => noteMessage(`I already answered [that message](${link}); look for my reply next to it.`), deps(rt, 'info', receivedAt))
    return
  }
  await respond(
    i,
    { kind: 'reply', ephemeral: false },
    async () => {
      const result = await rt.ctx.triage.diagnose({
        text: clampPaste(text),
        source: 'shortcut',
        mode: 'explicit',
        ...whereForTriage(whereOfInteraction(i, target.id)),
      })
      return withPrefix(renderDiagnosis(result.reply, { incidentId: result.incidentId, shareable: false }), `About [this message](${link}):`)
    },
    deps(rt, 'shortcut', receivedAt),
  )
}

function whereForTriage(w: ReturnType<typeof whereOfInteraction>) {
  return { workspace: w.workspace, channelId: w.channelId, threadId: w.threadId, messageId: w.messageId, userId: w.userId }
}

type ActionRef = NonNullable<ReturnType<typeof decodeAction>>

/** Buttons and the platform select on a reply. The custom_id carries action, cause, platform and incident. */
async function component(i: ButtonInteraction | StringSelectMenuInteraction, ref: ActionRef, rt: DiscordRuntime, receivedAt: number) {
  const where = whereOfInteraction(i, null)
  const privateMessage = i.message.flags.has(MessageFlags.Ephemeral)
  const d = deps(rt, 'button', receivedAt)
  const answer = (plan: Plan, work: () => Promise<DiscordMessage>) => respond(i as AnswerableInteraction, plan, work, d)
  switch (ref.action) {
    case 'pick_platform': {
      // the option values are encoded actions too (they carry the platform); a bare platform is accepted as well
      const value = i.isStringSelectMenu() ? (i.values[0] ?? '') : ''
      const picked = decodeAction(value)?.platform ?? (value || ref.platform)
      const platform = picked && (PLATFORMS as readonly string[]).includes(picked) ? (picked as Platform) : ref.platform
      const prefix = prefixOf(i.message.content)
      // edit the reply in place with the commands for that platform
      await answer({ kind: 'update' }, async () => {
        const { reply } = await rt.ctx.triage.rebuild({ incidentId: ref.incidentId, cause: ref.cause, platform, workspace: where.workspace })
        const rendered = renderDiagnosis(reply, { incidentId: ref.incidentId, shareable: privateMessage })
        return prefix ? withPrefix(rendered, prefix) : rendered
      })
      return
    }
    case 'fixed': {
      if (ref.incidentId) rt.ctx.triage.feedback(ref.incidentId, 'fixed', i.user.id)
      await answer({ kind: 'reply', ephemeral: true }, async () => noteMessage('Glad it works now. Thanks for telling me: it helps the next person with the same error.'))
      return
    }
    case 'still_failing': {
      if (ref.incidentId) rt.ctx.triage.feedback(ref.incidentId, 'still_failing', i.user.id)
      // the next most likely cause, and the doctor
      await answer({ kind: 'reply', ephemeral: privateMessage }, async () => {
        const { reply, diagnosis } = await rt.ctx.triage.rebuild({ incidentId: ref.incidentId, cause: ref.cause, platform: ref.platform, workspace: where.workspace, nextCause: true })
        const withDoctor = reply.actions.includes('run_doctor') ? reply : { ...reply, actions: [...reply.actions, 'run_doctor' as const] }
        const intro = diagnosis.cause === ref.cause ? 'Still failing? Run the doctor: it checks your machine and I will answer here.' : 'Still failing? The next most likely cause:'
        return withPrefix(renderDiagnosis(withDoctor, { incidentId: ref.incidentId, shareable: privateMessage }), intro)
      })
      return
    }
    case 'run_doctor': {
      await answer({ kind: 'reply', ephemeral: true }, () => doctorCode(rt, where, ref.platform))
      return
    }
    case 'share': {
      // publish a private answer in the channel
      await answer({ kind: 'reply', ephemeral: false }, async () => {
        const { reply } = await rt.ctx.triage.rebuild({ incidentId: ref.incidentId, cause: ref.cause, platform: ref.platform, workspace: where.workspace })
        return withPrefix(renderDiagnosis(reply, { incidentId: ref.incidentId, shareable: false }), `Shared by <@${i.user.id}>:`)
      })
      return
    }
  }
}
