// Slack HTTP mode on the service's own port: a Bolt Receiver whose only door is the route POST /slack/events that
// the service's HTTP server mounts. No second server, no Express.
//
// Per request, in this order: content type (415), timestamp within 5 minutes of now in BOTH directions (401; Bolt
// alone would accept future timestamps), body size (413), v0 HMAC signature compared in constant time (401), parse
// (400). Then url_verification / ssl_check are answered here, and everything else goes to Bolt's processEvent with
// an ack that answers the HTTP request at once; the work (diagnosis, replies) continues after the answer.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { App, Receiver, ReceiverEvent } from '@slack/bolt'
import { AppError } from '../../errors.js'
import type { Logger } from '../../log.js'
import { readBody, sendError, sendJson, sendText, type Route } from '../../web/http.js'
import { checkSlackTimestamp, verifySlackRequest } from './signature.js'

import { SLACK_EVENTS_PATH } from './constants.js'

export { SLACK_EVENTS_PATH }
/** Large enough for a 40,000-character paste (its text plus rich-text blocks) and a block_actions payload carrying a full reply. */
export const SLACK_MAX_BODY_BYTES = 1024 * 1024
/** Slack waits 3 s; answer well before if no listener acked (unknown command, ignored event). */
const ACK_DEADLINE_MS = 2_500

const FORM = 'application/x-www-form-urlencoded'
const JSON_TYPE = 'application/json'

export type SlackHttpReceiverOptions = {
  signingSecret: string
  clock: () => Date
  log: Logger
  maxBodyBytes?: number
  ackDeadlineMs?: number
}

export class SlackHttpReceiver implements Receiver {
  private app: App | null = null
  private accepting = false
  private readonly inFlight = new Set<Promise<void>>()

  constructor(private readonly options: SlackHttpReceiverOptions) {}

  init(app: App): void {
    this.app = app
  }

  async start(): Promise<void> {
    this.accepting = true
  }

  /** stops accepting requests (503: Slack retries elsewhere) and waits for in-flight work, up to `graceMs` */
  async stop(graceMs = 10_000): Promise<void> {
    this.accepting = false
    const all = Promise.allSettled([...this.inFlight])
    let timer: NodeJS.Timeout | undefined
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, graceMs)))])
    clearTimeout(timer)
  }

  get ready(): boolean {
    return this.accepting
  }

  route(): Route {
    return { method: 'POST', path: SLACK_EVENTS_PATH, handler: (req, res) => this.handle(req, res) }
  }

  private reject(res: ServerResponse, status: number, code: string, message: string, reason?: string) {
    this.options.log.warn({ status, code, reason }, 'Slack request rejected')
    sendError(res, status, code, message)
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now()
    if (!this.accepting || !this.app) {
      sendError(res, 503, 'SLACK_NOT_READY', 'The Slack integration is not accepting requests right now.', { 'retry-after': '1' })
      return
    }
    const contentType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
    if (contentType !== FORM && contentType !== JSON_TYPE) {
      req.resume()
      return this.reject(res, 415, 'UNSUPPORTED_MEDIA_TYPE', `Slack sends ${FORM} or ${JSON_TYPE}.`)
    }
    const nowMs = this.options.clock().getTime()
    const tsHeader = header(req, 'x-slack-request-timestamp')
    const ts = checkSlackTimestamp(tsHeader, nowMs)
    if (!ts.ok) {
      req.resume()
      return this.reject(res, 401, 'SLACK_BAD_TIMESTAMP', 'The request timestamp is missing or more than 5 minutes from now.', ts.reason)
    }
    let raw: Buffer
    try {
      raw = await readBody(req, this.options.maxBodyBytes ?? SLACK_MAX_BODY_BYTES)
    } catch (err) {
      if (err instanceof AppError) return this.reject(res, err.status, err.code, err.message)
      throw err
    }
    const check = verifySlackRequest({
      signingSecret: this.options.signingSecret,
      timestampHeader: tsHeader,
      signatureHeader: header(req, 'x-slack-signature'),
      rawBody: raw,
      nowMs,
    })
    if (!check.ok) return this.reject(res, 401, 'SLACK_BAD_SIGNATURE', 'The request signature is missing or does not match.', check.reason)

    let body: Record<string, any>
    try {
      body = parseBody(raw.toString('utf8'), contentType)
    } catch {
      return this.reject(res, 400, 'MALFORMED_BODY', 'The request body could not be parsed.')
    }
    if (body.ssl_check) return sendText(res, 200, '')
    if (body.type === 'url_verification') return sendJson(res, 200, { challenge: String(body.challenge ?? '') })

    let acked = false
    const answer = (response?: unknown) => {
      if (acked) return
      acked = true
      clearTimeout(deadline)
      if (res.headersSent || res.writableEnded) return
      if (response === undefined || response === '') return sendText(res, 200, '')
      if (typeof response === 'string') return sendText(res, 200, response)
      return sendJson(res, 200, response)
    }
    const deadline = setTimeout(() => {
      if (!acked) this.options.log.warn({ type: body.type, command: body.command }, 'no Slack listener acknowledged in time; answering 200')
      answer()
    }, this.options.ackDeadlineMs ?? ACK_DEADLINE_MS)
    deadline.unref()

    const retryNum = Number(header(req, 'x-slack-retry-num'))
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => answer(response),
      retryNum: Number.isFinite(retryNum) && header(req, 'x-slack-retry-num') !== undefined ? retryNum : undefined,
      retryReason: header(req, 'x-slack-retry-reason'),
      customProperties: { receivedAt },
    }
    const work = this.app
      .processEvent(event)
      .catch((err: unknown) => this.options.log.error({ err: (err as Error)?.message }, 'Slack event processing failed'))
      .finally(() => {
        // Nothing acked (no listener matched): still answer 200 so Slack does not retry.
        answer()
        this.inFlight.delete(work)
      })
    this.inFlight.add(work)
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

function parseBody(raw: string, contentType: string): Record<string, any> {
  if (contentType === JSON_TYPE) {
    const parsed = JSON.parse(raw) as unknown
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object')
    return parsed as Record<string, any>
  }
  const form = Object.fromEntries(new URLSearchParams(raw))
  if (typeof form.payload === 'string') {
    const parsed = JSON.parse(form.payload) as unknown
    if (typeof parsed !== 'object' || parsed === null) throw new Error('payload not an object')
    return parsed as Record<string, any>
  }
  return form
}
