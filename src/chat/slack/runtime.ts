// What every Slack handler is handed: the app context plus the Slack-specific services built once at start-up.
import type { AppContext } from '../../app-context.js'
import type { Logger } from '../../log.js'
import type { IncidentSource, WorkspaceRef } from '../../store/types.js'
import type { Claims } from './claims.js'
import type { SlackDelivery } from './delivery.js'

export type SlackIdentity = { botUserId: string; botId: string; teamId: string }

export type SlackRuntime = {
  ctx: AppContext
  log: Logger
  delivery: SlackDelivery
  claims: Claims
  identity: SlackIdentity
  /** keeps `work` in the in-flight set so stop() can wait for it; errors are logged, never thrown */
  track(name: string, work: () => Promise<void>): Promise<void>
  /** records the time from receipt to a delivered reply, and counts failures */
  delivered(source: IncidentSource | 'info' | 'action', receivedAt: number | undefined): void
  failed(source: string, err: unknown): void
}

export const workspaceOf = (teamId: string | undefined | null, rt: SlackRuntime): WorkspaceRef => ({
  platform: 'slack',
  externalId: teamId || rt.identity.teamId,
})

/** `receivedAt` travels through Bolt's context as a custom property (see index.ts). */
export function receivedAtOf(context: Record<string, unknown>): number | undefined {
  const v = context.receivedAt
  return typeof v === 'number' ? v : undefined
}
