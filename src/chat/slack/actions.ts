// Clicks on a reply: platform picker (updates the message in place), "That fixed it" / "Still failing" (feedback;
// "still failing" answers with the next most likely cause and offers the doctor), "Run the doctor" (one-time code),
// "Share in channel" (re-posts an ephemeral reply visibly). Every id comes from encodeAction, so any replica can
// handle any click without server-side state.
import { decodeAction, type ActionRef } from '../../replies/action-ids.js'
import { parsePlatform } from '../command-parser.js'
import type { Platform } from '../../diagnosis/types.js'
import { claimIds } from './claims.js'
import { cannotPostInChannel } from './delivery.js'
import { issueDoctorCode } from './commands.js'
import { diagnosisMessage, feedbackThanksMessage, type SlackMessage } from './render.js'
import { workspaceOf, type SlackRuntime } from './runtime.js'

export type BlockActionsPayload = {
  type: 'block_actions'
  trigger_id: string
  response_url?: string
  team?: { id: string } | null
  user: { id: string }
  channel?: { id: string }
  container?: { type?: string; message_ts?: string; channel_id?: string; is_ephemeral?: boolean; thread_ts?: string }
  message?: { ts: string; thread_ts?: string }
  actions: { action_id: string; value?: string; selected_option?: { value: string } | null }[]
}

/** Matches every action id we create (encodeAction's prefix). */
export const ACTION_ID_PATTERN = /^ca\|/

type Where = {
  channel: string | null
  ts: string | null
  threadTs: string | null
  ephemeral: boolean
  responseUrl: string | null
}

function whereOf(payload: BlockActionsPayload): Where {
  const c = payload.container ?? {}
  const ts = payload.message?.ts ?? c.message_ts ?? null
  return {
    channel: c.channel_id ?? payload.channel?.id ?? null,
    ts,
    threadTs: payload.message?.thread_ts ?? c.thread_ts ?? null,
    ephemeral: Boolean(c.is_ephemeral) || !payload.message,
    responseUrl: payload.response_url ?? null,
  }
}

function pickedPlatform(action: BlockActionsPayload['actions'][number], ref: ActionRef): Platform | null {
  const raw = action.selected_option?.value ?? action.value
  if (raw) {
    const decoded = decodeAction(raw)
    if (decoded?.platform) return decoded.platform
    const p = parsePlatform(raw)
    if (p) return p
  }
  return ref.platform
}

export async function handleAction(payload: BlockActionsPayload, rt: SlackRuntime, receivedAt: number | undefined): Promise<void> {
  const action = payload.actions?.[0]
  if (!action) return
  const ref = decodeAction(action.action_id) ?? (action.value ? decodeAction(action.value) : null)
  if (!ref) return
  if (!(await rt.claims.isFirst(claimIds.interaction(payload.trigger_id)))) return
  const where = whereOf(payload)
  const userId = payload.user.id
  const workspace = workspaceOf(payload.team?.id, rt)

  switch (ref.action) {
    case 'pick_platform': {
      const platform = pickedPlatform(action, ref)
      const { reply } = await rt.ctx.triage.rebuild({ incidentId: ref.incidentId, cause: ref.cause, platform, workspace })
      const message = diagnosisMessage(reply, { incidentId: ref.incidentId, shareable: where.ephemeral })
      await replaceInPlace(rt, where, message, receivedAt)
      return
    }
    case 'fixed': {
      if (ref.incidentId) rt.ctx.triage.feedback(ref.incidentId, 'fixed', userId)
      await privately(rt, where, feedbackThanksMessage('fixed'), receivedAt)
      return
    }
    case 'still_failing': {
      if (ref.incidentId) rt.ctx.triage.feedback(ref.incidentId, 'still_failing', userId)
      const { reply } = await rt.ctx.triage.rebuild({ incidentId: ref.incidentId, cause: ref.cause, platform: ref.platform, workspace, nextCause: true })
      // Always offer the doctor at this point, whatever the renderer would show by default.
      const next = { ...reply, actions: reply.actions.includes('run_doctor') ? reply.actions : [...reply.actions, 'run_doctor' as const] }
      const message = diagnosisMessage(next, { incidentId: ref.incidentId, shareable: where.ephemeral, intro: 'If that did not fix it, this is the next most likely cause.' })
      if (!where.ephemeral && where.channel && where.ts) {
        if (await postInThread(rt, where.channel, where.threadTs ?? where.ts, message, receivedAt, true)) return
      }
      await privately(rt, where, message, receivedAt)
      return
    }
    case 'run_doctor': {
      const message = await issueDoctorCode(
        rt,
        { workspace, channelId: where.channel ?? userId, threadId: where.ephemeral ? null : (where.threadTs ?? where.ts), userId },
        ref.platform,
      )
      await privately(rt, where, message, receivedAt)
      return
    }
    case 'share': {
      const { reply } = await rt.ctx.triage.rebuild({ incidentId: ref.incidentId, cause: ref.cause, platform: ref.platform, workspace })
      const message = diagnosisMessage(reply, { incidentId: ref.incidentId, shareable: false, sharedBy: userId })
      let shared = false
      if (where.channel) shared = await postInThread(rt, where.channel, where.threadTs, message, receivedAt, true)
      if (!shared && where.responseUrl) {
        // The bot is not in the channel: response_url can still post visibly there (without message metadata).
        try {
          await rt.delivery.respond(where.responseUrl, { ...message, response_type: 'in_channel', replace_original: false })
          rt.delivered('action', receivedAt)
          shared = true
        } catch (err) {
          rt.failed('action', err)
        }
      }
      if (shared && where.responseUrl) await rt.delivery.respond(where.responseUrl, { delete_original: true }).catch(() => undefined)
      return
    }
  }
}

async function replaceInPlace(rt: SlackRuntime, where: Where, message: SlackMessage, receivedAt: number | undefined) {
  try {
    if (!where.ephemeral && where.channel && where.ts) await rt.delivery.update(where.channel, where.ts, message)
    else if (where.responseUrl) await rt.delivery.respond(where.responseUrl, { ...message, replace_original: true, response_type: 'ephemeral' })
    else return
    rt.delivered('action', receivedAt)
  } catch (err) {
    rt.failed('action', err)
  }
}

async function privately(rt: SlackRuntime, where: Where, message: SlackMessage, receivedAt: number | undefined) {
  if (!where.responseUrl) return
  try {
    await rt.delivery.respond(where.responseUrl, { ...message, response_type: 'ephemeral', replace_original: false })
    rt.delivered('action', receivedAt)
  } catch (err) {
    rt.failed('action', err)
  }
}

async function postInThread(rt: SlackRuntime, channel: string, threadTs: string | null, message: SlackMessage, receivedAt: number | undefined, quietWhenNotMember = false): Promise<boolean> {
  try {
    await rt.delivery.postMessage(channel, message, threadTs)
    rt.delivered('action', receivedAt)
    return true
  } catch (err) {
    if (!(quietWhenNotMember && cannotPostInChannel(err))) rt.failed('action', err)
    return false
  }
}
