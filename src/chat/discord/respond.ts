// Answering an interaction within Discord's 3-second deadline. The work (diagnosis, database) starts at once; if it
// is done within `deferAfterMs` the answer is sent in one callback, otherwise the interaction is deferred first
// ("thinking...") and the answer edits it when ready. Failures are answered too, never left as "interaction failed".
import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction, type MessageContextMenuCommandInteraction, type ModalSubmitInteraction, type StringSelectMenuInteraction } from 'discord.js'
import type { Logger } from '../../log.js'
import type { Metrics } from '../../metrics.js'
import type { IncidentSource } from '../../store/types.js'
import { noteMessage, type DiscordMessage } from './render.js'

export type AnswerableInteraction =
  | ChatInputCommandInteraction
  | MessageContextMenuCommandInteraction
  | ModalSubmitInteraction
  | ButtonInteraction
  | StringSelectMenuInteraction

/** reply: a new message (private or public); update: edit the message the clicked component sits on */
export type Plan = { kind: 'reply'; ephemeral: boolean } | { kind: 'update' }

export type RespondDeps = { log: Logger; metrics: Metrics; deferAfterMs: number }

/** what to tell the person when the work failed (nothing secret: no error text) */
export const FAILURE_NOTE = 'Sorry, something went wrong on my side while working on this. Please try again in a minute.'

type Settled = { ok: true; message: DiscordMessage } | { ok: false; err: unknown }

export async function respond(
  interaction: AnswerableInteraction,
  plan: Plan,
  work: () => Promise<DiscordMessage>,
  deps: RespondDeps & { source: IncidentSource | 'button' | 'info'; receivedAt: number },
): Promise<boolean> {
  const settled: Promise<Settled> = work().then(
    (message) => ({ ok: true as const, message }),
    (err: unknown) => ({ ok: false as const, err }),
  )
  // the deadline runs from when the interaction arrived (the claim already used some of it)
  const wait = Math.max(0, deps.deferAfterMs - (Date.now() - deps.receivedAt))
  let timer: NodeJS.Timeout | undefined
  const early = await Promise.race([settled, new Promise<null>((r) => (timer = setTimeout(() => r(null), wait)))])
  clearTimeout(timer)
  const flags = plan.kind === 'reply' && plan.ephemeral ? MessageFlags.Ephemeral : undefined
  const messageOf = (s: Settled): DiscordMessage => {
    if (s.ok) return s.message
    deps.log.error({ err: errorSummary(s.err), interaction: interaction.id }, 'Discord interaction work failed')
    return noteMessage(FAILURE_NOTE)
  }
  try {
    if (early) {
      const message = messageOf(early)
      if (plan.kind === 'update' && early.ok && (interaction.isButton() || interaction.isStringSelectMenu())) {
        await interaction.update(message)
      } else {
        // failures are private even when the answer would have been public
        const failureFlags = early.ok ? flags : MessageFlags.Ephemeral
        await interaction.reply({ ...message, flags: failureFlags })
      }
    } else {
      if (plan.kind === 'update' && (interaction.isButton() || interaction.isStringSelectMenu())) await interaction.deferUpdate()
      else await interaction.deferReply({ flags })
      const late = await settled
      if (!late.ok && plan.kind === 'update') {
        await interaction.followUp({ ...messageOf(late), flags: MessageFlags.Ephemeral })
      } else {
        await interaction.editReply(messageOf(late))
      }
    }
    deps.metrics.replyLatency.observe({ platform: 'discord', source: deps.source }, (Date.now() - deps.receivedAt) / 1000)
    return true
  } catch (err) {
    deps.metrics.replyErrors.inc({ platform: 'discord' })
    deps.log.warn({ err: errorSummary(err), interaction: interaction.id }, 'could not answer a Discord interaction')
    return false
  }
}

/** An error for the log: its code, status and message, never a request body (which could carry a paste). */
export function errorSummary(err: unknown): Record<string, unknown> {
  const e = err as { name?: string; code?: unknown; status?: unknown; message?: string; method?: string; url?: string }
  return {
    name: e?.name,
    code: e?.code,
    status: e?.status,
    message: typeof e?.message === 'string' ? e.message.slice(0, 300) : String(err).slice(0, 300),
    ...(e?.method ? { request: `${String(e.method).toUpperCase()} ${String(e.url ?? '').replace(/\/interactions\/(\d+)\/[^/]+/, '/interactions/$1/[token]').replace(/\/webhooks\/(\d+)\/[^/?]+/, '/webhooks/$1/[token]')}` } : {}),
  }
}
