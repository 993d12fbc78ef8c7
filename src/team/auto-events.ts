// Credential-change events the chat platforms tell us about on their own: a member removed from the Slack
// workspace (user_change with user.deleted = true) or leaving / kicked / banned from the Discord server
// (GUILD_MEMBER_REMOVE, which needs the GuildMembers privileged intent: DISCORD_MEMBER_EVENTS).
// Slack repeats user_change for a deactivated user on every later profile edit, and a gateway event can reach two
// replicas: a removal already recorded for the same user within the lookback is not recorded again, and concurrent
// deliveries are settled by a once-only claim in the database (per workspace, user and day).
import type { Logger } from '../log.js'
import type { CredentialEvent, Store, WorkspaceRef } from '../store/types.js'

export type MemberRemoved = {
  workspace: WorkspaceRef
  /** the platform's user id: the event's subject, so repeats can be recognised */
  userId: string
  /** display name, kept in the note for people reading the timeline */
  name?: string | null
  /** e.g. "deactivated in Slack", "left the server" */
  how?: string | null
  occurredAt?: Date
}

export type AutoEventDeps = { store: Store; log: Logger; clock: () => Date; lookbackDays: number }

/** Records a `user_removed` event (source auto); null when the same removal is already on record. Never throws. */
export async function recordMemberRemoved(deps: AutoEventDeps, removed: MemberRemoved): Promise<CredentialEvent | null> {
  if (!removed.userId) return null
  try {
    const now = deps.clock()
    const recent = await deps.store.listCredentialEvents(removed.workspace, { since: new Date(now.getTime() - deps.lookbackDays * 86_400_000), limit: 1_000 })
    if (recent.some((e) => e.kind === 'user_removed' && e.subject === removed.userId)) return null
    const day = (removed.occurredAt ?? now).toISOString().slice(0, 10)
    if (!(await deps.store.claimEvent(removed.workspace.platform, `user_removed:${removed.workspace.externalId}:${removed.userId}:${day}`))) return null
    const note = [removed.name ? String(removed.name).slice(0, 100) : null, removed.how ?? null].filter(Boolean).join(', ') || null
    return await deps.store.recordCredentialEvent({
      workspace: removed.workspace,
      kind: 'user_removed',
      subject: removed.userId,
      note,
      actor: null,
      source: 'auto',
      occurredAt: removed.occurredAt ?? now,
    })
  } catch (err) {
    deps.log.error({ err, platform: removed.workspace.platform }, 'could not record an automatic user_removed event')
    return null
  }
}
