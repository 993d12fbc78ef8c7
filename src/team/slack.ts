// The Slack side of the team features, kept out of the adapter so its edits stay small: the admin lookup
// (users.info: is_admin / is_owner / is_primary_owner), a TeamMessage as a Slack message, the App Home tab
// (app_home_opened -> views.publish) and members removed from the workspace (user_change with deleted = true).
// Structural client types only: no SDK import.
import type { WorkspaceRef } from '../store/types.js'
import type { PlatformAdminFacts } from './admins.js'
import { recordMemberRemoved } from './auto-events.js'
import type { TeamCommandDeps } from './commands.js'
import { renderSlackBlocks, renderSlackText, type TeamMessage } from './message.js'
import { buildSlackHomeView } from './slack-home.js'

export type SlackUsersClient = {
  users: { info(args: { user: string }): Promise<{ ok?: boolean; user?: { is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean; deleted?: boolean } }> }
}
export type SlackViewsClient = { views: { publish(args: { user_id: string; view: never }): Promise<unknown> } }

/** The lazy admin lookup for a TeamRequest: users.info runs only when the user is not in ADMIN_USER_IDS. */
export function slackAdminLookup(client: SlackUsersClient, userId: string): () => Promise<PlatformAdminFacts | null> {
  return async () => {
    const res = await client.users.info({ user: userId })
    const u = res.user
    if (!u || u.deleted) return null
    return { platform: 'slack', isAdmin: u.is_admin === true, isOwner: u.is_owner === true, isPrimaryOwner: u.is_primary_owner === true }
  }
}

/** `{ text, blocks }` for chat.postMessage / response_url (the adapter still applies its own limits). */
export function slackTeamMessage(message: TeamMessage): { text: string; blocks: { type: string; [key: string]: unknown }[] } {
  return { text: renderSlackText(message), blocks: renderSlackBlocks(message) as { type: string; [key: string]: unknown }[] }
}

/** app_home_opened (tab "home"): publishes the summary for admins, the how-to for everyone else. Never throws. */
export async function publishSlackHome(
  deps: TeamCommandDeps,
  client: SlackUsersClient & SlackViewsClient,
  workspace: WorkspaceRef,
  event: { user?: string; tab?: string },
): Promise<boolean> {
  if (!event.user || (event.tab !== undefined && event.tab !== 'home')) return false
  try {
    const view = await buildSlackHomeView(deps, { workspace, userId: event.user, adminFacts: slackAdminLookup(client, event.user) })
    await client.views.publish({ user_id: event.user, view: view as never })
    return true
  } catch (err) {
    deps.log.warn({ err: (err as Error).message }, 'App Home could not be published')
    return false
  }
}

export type SlackUserChangeEvent = {
  user?: { id?: string; team_id?: string; deleted?: boolean; name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } }
  event_ts?: string
}

/** user_change with deleted = true: the member was deactivated or removed -> a user_removed event (once). */
export async function onSlackUserChange(deps: TeamCommandDeps, workspace: WorkspaceRef, event: SlackUserChangeEvent): Promise<boolean> {
  const u = event.user
  if (!u?.id || u.deleted !== true) return false
  const name = u.profile?.display_name || u.profile?.real_name || u.real_name || u.name || null
  const ts = Number(event.event_ts)
  const recorded = await recordMemberRemoved(
    { store: deps.store, log: deps.log, clock: deps.clock, lookbackDays: Math.max(deps.config.EVENT_LOOKBACK_DAYS, 30) },
    { workspace, userId: u.id, name, how: 'deactivated in Slack', ...(Number.isFinite(ts) && ts > 0 ? { occurredAt: new Date(ts * 1000) } : {}) },
  )
  return recorded !== null
}
