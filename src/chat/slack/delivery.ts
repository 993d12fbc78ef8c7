// Everything that puts a message in front of a person goes through here: chat.postMessage, chat.update and
// response_url posts. A reply is never dropped because Slack is briefly unwell: "rate limited" (HTTP 429) is waited
// out exactly as long as Retry-After asks, and server errors (5xx) or refused/reset connections are retried with
// exponential backoff, for up to `retryBudgetMs` of waiting (5 minutes by default). Errors that will not change on a
// retry (not_in_channel, invalid_blocks, ...) fail at once.
// The WebClient is built with rejectRateLimitedCalls: true so the wait happens here, per message, instead of
// pausing the client's whole queue.
import { webApi } from '@slack/bolt'
import { request } from 'undici'
import type { Logger } from '../../log.js'
import type { Metrics } from '../../metrics.js'
import type { SlackMessage } from './render.js'

type WebClient = InstanceType<typeof webApi.WebClient>

export type DeliveryOptions = {
  log: Logger
  metrics: Metrics
  /** total time a message may spend waiting between attempts before it is given up */
  retryBudgetMs?: number
  /** longest single wait a Retry-After may impose */
  maxWaitMs?: number
  /** response_url request timeout */
  timeoutMs?: number
  sleep?: (ms: number) => Promise<void>
}

/** A platform error we can act on (e.g. not_in_channel -> answer ephemerally instead). */
export class SlackApiError extends Error {
  constructor(
    readonly method: string,
    readonly error: string,
  ) {
    super(`Slack ${method} failed: ${error}`)
    this.name = 'SlackApiError'
  }
}

/** Connection failures where the request cannot have been processed, so sending it again is safe. */
const STALE_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNREFUSED'])
/** Slack's own words for "try again later" in an ok:false answer. */
const TRANSIENT_PLATFORM_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited'])

class StaleConnection extends Error {}

/** Slack is unwell (5xx, or a transient platform error): worth retrying after a backoff. */
class ServerTrouble extends Error {}

class RateLimited extends Error {
  constructor(readonly retryAfterSec: number) {
    super(`rate limited; retry after ${retryAfterSec}s`)
  }
}

const FIRST_BACKOFF_MS = 250
const MAX_BACKOFF_MS = 30_000

export type ResponseUrlBody = Partial<SlackMessage> & {
  response_type?: 'ephemeral' | 'in_channel'
  replace_original?: boolean
  delete_original?: boolean
  thread_ts?: string
}

export class SlackDelivery {
  private readonly retryBudgetMs: number
  private readonly maxWaitMs: number
  private readonly sleep: (ms: number) => Promise<void>

  constructor(
    readonly client: WebClient,
    private readonly options: DeliveryOptions,
  ) {
    this.retryBudgetMs = options.retryBudgetMs ?? 5 * 60_000
    this.maxWaitMs = options.maxWaitMs ?? 60_000
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)))
  }

  /** Posts a message (in a thread when threadTs is set) with the diagnosis metadata; returns its ts. */
  async postMessage(channel: string, message: SlackMessage, threadTs?: string | null): Promise<{ ts: string; channel: string }> {
    const result = await this.withRetry('chat.postMessage', () =>
      this.client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks as never,
        ...(message.metadata ? { metadata: message.metadata } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
        unfurl_media: false,
      }),
    )
    return { ts: String(result.ts), channel: String(result.channel ?? channel) }
  }

  async update(channel: string, ts: string, message: SlackMessage): Promise<void> {
    await this.withRetry('chat.update', () =>
      this.client.chat.update({
        channel,
        ts,
        text: message.text,
        blocks: message.blocks as never,
        ...(message.metadata ? { metadata: message.metadata } : {}),
      }),
    )
  }

  /** Posts to a response_url (slash command, shortcut, button click). Message metadata cannot travel this way. */
  async respond(responseUrl: string, body: ResponseUrlBody): Promise<void> {
    const { metadata: _metadata, ...rest } = body
    const payload = JSON.stringify(rest)
    await this.withRetry('response_url', async () => {
      // undici's request(): the same client fetch() is built on, without the WHATWG stream layers (a slash reply
      // is on the hot path). No redirects are followed.
      let status: number
      let retryAfter: string | null = null
      let text = ''
      try {
        const res = await request(responseUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: payload,
          headersTimeout: this.options.timeoutMs ?? 10_000,
          bodyTimeout: this.options.timeoutMs ?? 10_000,
        })
        status = res.statusCode
        const ra = res.headers['retry-after']
        retryAfter = Array.isArray(ra) ? (ra[0] ?? null) : (ra ?? null)
        text = await res.body.text().catch(() => '')
      } catch (err) {
        const code = (err as { code?: string }).code
        const detail = [(err as Error).message, code].filter(Boolean).join(': ')
        // A kept-alive connection the other side had just closed: the request never arrived, so sending it again is safe.
        if (code && STALE_CONNECTION.has(code)) throw new StaleConnection(detail)
        throw new SlackApiError('response_url', detail)
      }
      if (status === 429) throw new RateLimited(parseRetryAfter(retryAfter))
      if (status >= 500) throw new ServerTrouble(`HTTP ${status}`)
      if (status < 200 || status >= 300) throw new SlackApiError('response_url', `HTTP ${status} ${text.slice(0, 100)}`)
      // Slack answers "ok", or JSON { ok: false, error } for e.g. expired_url / used_url.
      if (text.startsWith('{')) {
        try {
          const json = JSON.parse(text) as { ok?: boolean; error?: string }
          if (json.ok === false) throw new SlackApiError('response_url', json.error ?? 'unknown_error')
        } catch (err) {
          if (err instanceof SlackApiError) throw err
        }
      }
    })
  }

  private async withRetry<T>(method: string, call: () => Promise<T>): Promise<T> {
    let waited = 0
    let backoff = FIRST_BACKOFF_MS
    for (let attempt = 1; ; attempt++) {
      try {
        return await call()
      } catch (raw) {
        const err = normalise(method, raw)
        let waitMs: number | null = null
        if (err instanceof RateLimited) {
          waitMs = Math.min(Math.max(err.retryAfterSec, 0) * 1000, this.maxWaitMs)
        } else if (err instanceof StaleConnection && attempt < 3) {
          waitMs = 50 * attempt
        } else if (err instanceof ServerTrouble || err instanceof StaleConnection) {
          waitMs = backoff
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)
        }
        if (waitMs !== null && waited + waitMs <= this.retryBudgetMs) {
          this.options.log.warn({ method, attempt, waitMs, reason: err.message }, 'Slack delivery will be retried')
          await this.sleep(waitMs)
          waited += waitMs
          continue
        }
        this.options.log.error({ method, attempt, waitedMs: waited, reason: err.message }, 'Slack delivery given up')
        throw err instanceof RateLimited
          ? new SlackApiError(method, 'ratelimited')
          : err instanceof StaleConnection || err instanceof ServerTrouble
            ? new SlackApiError(method, err.message)
            : err
      }
    }
  }
}

function parseRetryAfter(header: string | null): number {
  const n = Number.parseInt(header ?? '', 10)
  return Number.isFinite(n) && n >= 0 ? n : 1
}

function normalise(method: string, raw: unknown): Error {
  if (raw instanceof RateLimited || raw instanceof SlackApiError || raw instanceof StaleConnection || raw instanceof ServerTrouble) return raw
  const e = raw as { code?: string; retryAfter?: number; statusCode?: number; original?: { code?: string }; data?: { error?: string }; message?: string }
  if (e?.code === webApi.ErrorCode.RateLimitedError) return new RateLimited(e.retryAfter ?? 1)
  if (e?.code === webApi.ErrorCode.PlatformError) {
    const error = e.data?.error ?? 'unknown_error'
    return TRANSIENT_PLATFORM_ERRORS.has(error) ? new ServerTrouble(error) : new SlackApiError(method, error)
  }
  if (e?.code === webApi.ErrorCode.HTTPError && (e.statusCode ?? 0) >= 500) return new ServerTrouble(`HTTP ${e.statusCode}`)
  if (e?.code === webApi.ErrorCode.RequestError && e.original?.code && STALE_CONNECTION.has(e.original.code)) return new StaleConnection(e.original.code)
  return new SlackApiError(method, e?.message ?? String(raw))
}

/** Errors that mean "the bot cannot post there": answer privately instead. */
export function cannotPostInChannel(err: unknown): boolean {
  return err instanceof SlackApiError && ['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action', 'cannot_reply_to_message', 'missing_scope'].includes(err.error)
}

/**
 * A fetch for the Web API client built on undici's request(): about a fifth of fetch()'s CPU per call, which matters
 * on the reply path. String bodies only (everything this bot sends); anything else goes to the global fetch.
 * Redirects are not followed (the client asks for redirect: 'error').
 */
export const lightFetch: typeof fetch = async (input, init) => {
  const body = init?.body
  if ((body !== undefined && body !== null && typeof body !== 'string') || input instanceof Request) return fetch(input, init)
  const headers: Record<string, string> = {}
  if (init?.headers) new Headers(init.headers).forEach((value, key) => (headers[key] = value))
  const res = await request(String(input), {
    method: (init?.method ?? 'GET') as 'GET',
    headers,
    body: body ?? undefined,
    signal: init?.signal ?? undefined,
  })
  const buffer = await res.body.arrayBuffer()
  const out = new Headers()
  for (const [key, value] of Object.entries(res.headers)) {
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) out.append(key, v)
  }
  const empty = res.statusCode === 204 || res.statusCode === 304
  return new Response(empty ? null : buffer, { status: res.statusCode, headers: out })
}
