// POST /api/events: automation (secret managers, CI, rotation scripts) records credential-change events.
// Off unless EVENTS_API_TOKEN is set; `Authorization: Bearer <token>` is compared in constant time before the body
// is read. Subject, note and actor are redacted by the store before they are written.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { z } from 'zod'
import type { Logger } from '../log.js'
import { AppError } from '../errors.js'
import { CREDENTIAL_EVENT_KINDS, type CredentialEvent, type Store } from '../store/types.js'
import { readJson, sendError, sendJson, type Route } from './http.js'

export const EVENTS_API_MAX_BYTES = 16 * 1024
/** how far in the future an occurredAt may be (clock skew between the caller and us) */
const MAX_FUTURE_MS = 5 * 60_000

export const eventBody = z.strictObject({
  platform: z.enum(['slack', 'discord'], { error: '"platform" must be "slack" or "discord"' }),
  workspace: z
    .string({ error: '"workspace" must be the Slack team id (T…) or the Discord server id' })
    .trim()
    .min(1, '"workspace" must not be empty')
    .max(256, '"workspace" is at most 256 characters'),
  kind: z.enum(CREDENTIAL_EVENT_KINDS, { error: `"kind" must be one of: ${CREDENTIAL_EVENT_KINDS.join(', ')}` }),
  subject: z.string({ error: '"subject" must be a string' }).max(500, '"subject" is at most 500 characters').nullish(),
  note: z.string({ error: '"note" must be a string' }).max(2_000, '"note" is at most 2,000 characters').nullish(),
  actor: z.string({ error: '"actor" must be a string' }).max(200, '"actor" is at most 200 characters').nullish(),
  occurredAt: z.iso
    .datetime({ offset: true, error: '"occurredAt" must be an ISO 8601 date-time, e.g. 2026-03-01T12:00:00Z' })
    .nullish(),
})

export type EventsApiDeps = { store: Store; token: string | null; log: Logger; clock: () => Date }

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest()

/** constant time whatever the lengths: both sides are hashed to 32 bytes first */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '')
  const given = m?.[1] ?? ''
  return timingSafeEqual(digest(given), digest(token)) && given.length > 0
}

export function serializeEvent(e: CredentialEvent) {
  return {
    id: e.id,
    kind: e.kind,
    subject: e.subject ?? null,
    note: e.note ?? null,
    actor: e.actor ?? null,
    source: e.source,
    occurredAt: e.occurredAt.toISOString(),
    recordedAt: e.recordedAt.toISOString(),
  }
}

export function eventsApiRoutes(deps: EventsApiDeps): Route[] {
  const authorize = (req: IncomingMessage) => {
    if (!deps.token) {
      throw new AppError('EVENTS_API_DISABLED', 'The events API is off on this server: set EVENTS_API_TOKEN to turn it on.', 404)
    }
    if (!req.headers.authorization) {
      throw new AppError('UNAUTHORIZED', 'Send the events API token as "Authorization: Bearer <EVENTS_API_TOKEN>".', 401)
    }
    if (!bearerMatches(req.headers.authorization, deps.token)) {
      throw new AppError('UNAUTHORIZED', 'The bearer token is not the events API token (EVENTS_API_TOKEN).', 401)
    }
  }
  return [
    {
      method: 'POST',
      path: '/api/events',
      handler: async (req, res) => {
        try {
          authorize(req)
        } catch (err) {
          const e = err as AppError
          req.resume()
          sendError(res, e.status, e.code, e.message, e.status === 401 ? { 'www-authenticate': 'Bearer realm="claude-auth-bot events"' } : {})
          return
        }
        const parsed = eventBody.safeParse(await readJson(req, EVENTS_API_MAX_BYTES))
        if (!parsed.success) {
          const issue = parsed.error.issues[0]
          const where = issue?.path.length ? ` (at ${issue.path.join('.')})` : ''
          throw new AppError(
            'INVALID_BODY',
            `${issue?.message ?? 'invalid body'}${where}. Expected {"platform": "slack"|"discord", "workspace": "<team or server id>", "kind": "<kind>", "subject"?, "note"?, "actor"?, "occurredAt"?: ISO date-time}.`,
            400,
          )
        }
        const body = parsed.data
        const now = deps.clock()
        const occurredAt = body.occurredAt ? new Date(body.occurredAt) : now
        if (occurredAt.getTime() > now.getTime() + MAX_FUTURE_MS) {
          throw new AppError('INVALID_BODY', '"occurredAt" is in the future: send the time the change happened.', 400)
        }
        const event = await deps.store.recordCredentialEvent({
          workspace: { platform: body.platform, externalId: body.workspace },
          kind: body.kind,
          subject: body.subject ?? null,
          note: body.note ?? null,
          actor: body.actor ?? null,
          source: 'api',
          occurredAt,
        })
        deps.log.info({ platform: body.platform, kind: body.kind, eventId: event.id }, 'credential event recorded through the API')
        sendJson(res, 201, { event: serializeEvent(event) })
      },
    },
  ]
}
