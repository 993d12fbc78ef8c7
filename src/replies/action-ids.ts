// Interactive element ids shared by the Slack and Discord adapters. One compact, parseable string that carries the
// action, the cause and the incident, so a click can be handled by any replica without server-side state.
// Fits Slack's action_id/value (255) and Discord's custom_id (100) limits.
import { VERDICTS, PLATFORMS, type Platform, type Verdict } from '../diagnosis/types.js'
import type { ReplyActionId } from './types.js'

export type ActionRef = {
  action: ReplyActionId
  cause: Verdict
  incidentId: string | null
  platform: Platform | null
}

const PREFIX = 'ca'
const ACTIONS: readonly ReplyActionId[] = ['pick_platform', 'fixed', 'still_failing', 'run_doctor', 'share']

export function encodeAction(ref: ActionRef): string {
  return [PREFIX, ref.action, ref.cause, ref.platform ?? '-', ref.incidentId ?? '-'].join('|')
}

/** null for anything that is not one of ours or is malformed */
export function decodeAction(id: string): ActionRef | null {
  const parts = id.split('|')
  if (parts.length !== 5 || parts[0] !== PREFIX) return null
  const [, action, cause, platform, incident] = parts as [string, string, string, string, string]
  if (!ACTIONS.includes(action as ReplyActionId)) return null
  if (!VERDICTS.includes(cause as Verdict)) return null
  if (platform !== '-' && !PLATFORMS.includes(platform as Platform)) return null
  if (incident !== '-' && !/^[0-9a-f-]{36}$/.test(incident)) return null
  return {
    action: action as ReplyActionId,
    cause: cause as Verdict,
    platform: platform === '-' ? null : (platform as Platform),
    incidentId: incident === '-' ? null : incident,
  }
}
