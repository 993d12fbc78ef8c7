// A fake Slack on 127.0.0.1 for end-to-end tests and the bench, driven through the real @slack/bolt:
//   - Web API (POST /api/<method>) with call recording (parsed args and the raw body), scripted failures and 429s;
//   - a response_url sink (POST /response/<id>) with the same recording and scripting;
//   - a Socket Mode server: apps.connections.open hands out ws://…/link, the fake sends `hello`, server pings, and
//     envelopes whose acks can be awaited;
//   - a small message store, so conversations.replies / conversations.history answer with what was posted or seeded.
// Facts it follows (proven in /work/shared/reference/chat-fakes): urlencoded Web API bodies carry blocks/metadata as
// JSON strings; response_url answers "ok"; Bolt calls auth.test first, so the fake must listen before the app starts.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { randomUUID } from 'node:crypto'
import { WebSocketServer, type WebSocket } from 'ws'

export type ApiCall = {
  method: string
  args: Record<string, any>
  /** the body exactly as received (for "no secret leaves the process" checks) */
  raw: string
  headers: http.IncomingHttpHeaders
  at: number
  /** performance.now() when the request was complete (latency measurements in the same process) */
  hr: number
}

export type ResponseUrlPost = { id: string; body: any; raw: string; contentType: string | undefined; at: number; hr: number }

export type FakeMessage = {
  ts: string
  text: string
  user?: string
  bot_id?: string
  thread_ts?: string
  blocks?: unknown[]
  metadata?: unknown
}

type Script = {
  /** 'response_url' scripts the response_url sink */
  target: string
  times: number
  when?: (args: Record<string, any>) => boolean
  reply: { status: number; headers?: Record<string, string>; body: unknown }
}

type Envelope = { envelope_id: string; type: string; payload: unknown; accepts_response_payload: boolean; retry_attempt?: number; retry_reason?: string }

export type FakeSlackOptions = {
  teamId?: string
  botUserId?: string
  botId?: string
  /** Server pings to socket-mode clients (Slack pings about every 10-30 s; the client gives up after 30 s) */
  pingIntervalMs?: number
}

export class FakeSlack {
  readonly teamId: string
  readonly botUserId: string
  readonly botId: string
  server!: http.Server
  port = 0
  calls: ApiCall[] = []
  responsePosts: ResponseUrlPost[] = []
  /** every message per channel, thread replies included, in posting order */
  messages = new Map<string, FakeMessage[]>()
  /** channels the bot is not a member of: posting there fails with not_in_channel */
  notInChannel = new Set<string>()
  sockets: WebSocket[] = []
  acks = new Map<string, unknown>()
  private scripts: Script[] = []
  private waiters: (() => void)[] = []
  private wss = new WebSocketServer({ noServer: true })
  private pingTimer: NodeJS.Timeout | undefined
  private tsCounter = 0
  private readonly pingIntervalMs: number

  constructor(options: FakeSlackOptions = {}) {
    this.teamId = options.teamId ?? 'T1'
    this.botUserId = options.botUserId ?? 'UBOT'
    this.botId = options.botId ?? 'BBOT'
    this.pingIntervalMs = options.pingIntervalMs ?? 10_000
  }

  get apiUrl() {
    return `http://127.0.0.1:${this.port}/api/`
  }

  responseUrl(id: string = randomUUID()) {
    return `http://127.0.0.1:${this.port}/response/${id}`
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res))
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head))
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
    this.pingTimer = setInterval(() => this.sockets.forEach((s) => s.readyState === s.OPEN && s.ping()), this.pingIntervalMs)
    this.pingTimer.unref()
    return this
  }

  async stop(): Promise<void> {
    clearInterval(this.pingTimer)
    for (const s of this.sockets) s.terminate()
    this.wss.close()
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  // ---------- scripting ----------

  /** The next `times` calls to `method` (or to any response_url with 'response_url') answer 429 with Retry-After. */
  rateLimit(method: string, options: { times?: number; retryAfterSec?: number } = {}) {
    this.scripts.push({
      target: method,
      times: options.times ?? 1,
      reply: { status: 429, headers: { 'retry-after': String(options.retryAfterSec ?? 1) }, body: { ok: false, error: 'ratelimited' } },
    })
  }

  /** The next `times` calls to `method` (or any response_url) answer an HTTP 5xx without doing anything. */
  serverError(method: string, options: { times?: number; status?: number } = {}) {
    this.scripts.push({ target: method, times: options.times ?? 1, reply: { status: options.status ?? 500, body: { ok: false, error: 'internal_error' } } })
  }

  /** The next `times` calls to `method` (matching `when`) answer { ok: false, error }. */
  failWith(method: string, error: string, options: { times?: number; when?: (args: Record<string, any>) => boolean } = {}) {
    this.scripts.push({ target: method, times: options.times ?? 1, when: options.when, reply: { status: 200, body: { ok: false, error } } })
  }

  /** Seeds a message (e.g. a thread parent) and returns its ts. */
  addMessage(channel: string, message: Omit<FakeMessage, 'ts'> & { ts?: string }): string {
    const ts = message.ts ?? this.nextTs()
    this.channel(channel).push({ ...message, ts })
    return ts
  }

  nextTs(): string {
    this.tsCounter += 1
    return `${1_700_000_000 + this.tsCounter}.${String(100 + this.tsCounter).padStart(6, '0')}`
  }

  // ---------- reading what happened ----------

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method)
  }

  /** Calls and response_url posts that deliver something a person sees. */
  deliveries(): { kind: string; body: any }[] {
    return [
      ...this.calls.filter((c) => /^chat\.(postMessage|postEphemeral|update)$/.test(c.method)).map((c) => ({ kind: c.method, body: c.args })),
      ...this.responsePosts.map((p) => ({ kind: 'response_url', body: p.body })),
    ]
  }

  /** Resolves with the first truthy value of `pred`, re-checked on every recorded request; rejects after `ms`. */
  async waitFor<T>(pred: () => T | undefined | null | false, ms = 10_000, what = 'condition'): Promise<T> {
    const end = Date.now() + ms
    for (;;) {
      const value = pred()
      if (value) return value
      const left = end - Date.now()
      if (left <= 0) throw new Error(`FakeSlack.waitFor timed out after ${ms} ms waiting for ${what}`)
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 100))
        this.waiters.push(() => {
          clearTimeout(t)
          resolve()
        })
      })
    }
  }

  waitForCall(method: string, pred: (c: ApiCall) => boolean = () => true, ms = 10_000): Promise<ApiCall> {
    return this.waitFor(() => this.calls.find((c) => c.method === method && pred(c)), ms, `a ${method} call`)
  }

  waitForResponse(id: string, ms = 10_000, nth = 1): Promise<ResponseUrlPost> {
    return this.waitFor(() => this.responsePosts.filter((p) => p.id === id)[nth - 1], ms, `response_url post #${nth} to ${id}`)
  }

  /** Waits a little and checks nothing more arrives (for "stays silent" assertions). */
  async settle(ms = 300): Promise<void> {
    await new Promise((r) => setTimeout(r, ms))
  }

  // ---------- Socket Mode ----------

  /** Sends an envelope to one connected client (the latest by default) and returns its envelope id. */
  sendEnvelope(type: 'events_api' | 'slash_commands' | 'interactive', payload: unknown, options: { retryAttempt?: number; retryReason?: string; socket?: WebSocket } = {}): string {
    const socket = options.socket ?? this.sockets.filter((s) => s.readyState === s.OPEN).at(-1)
    if (!socket) throw new Error('FakeSlack: no socket-mode client connected')
    const envelope: Envelope = { envelope_id: randomUUID(), type, payload, accepts_response_payload: type !== 'events_api' }
    if (type === 'events_api') {
      envelope.retry_attempt = options.retryAttempt ?? 0
      envelope.retry_reason = options.retryReason ?? ''
    }
    socket.send(JSON.stringify(envelope))
    return envelope.envelope_id
  }

  waitForAck(envelopeId: string, ms = 10_000): Promise<{ payload: unknown }> {
    return this.waitFor(() => (this.acks.has(envelopeId) ? { payload: this.acks.get(envelopeId) } : undefined), ms, `ack of ${envelopeId}`)
  }

  openSockets(): WebSocket[] {
    return this.sockets.filter((s) => s.readyState === s.OPEN)
  }

  // ---------- internals ----------

  private channel(id: string): FakeMessage[] {
    let list = this.messages.get(id)
    if (!list) this.messages.set(id, (list = []))
    return list
  }

  private notify() {
    const waiters = this.waiters
    this.waiters = []
    waiters.forEach((w) => w())
  }

  private takeScript(target: string, args: Record<string, any>): Script['reply'] | null {
    const script = this.scripts.find((s) => s.target === target && s.times > 0 && (!s.when || s.when(args)))
    if (!script) return null
    script.times -= 1
    if (script.times === 0) this.scripts = this.scripts.filter((s) => s !== script)
    return script.reply
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://fake')
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
      res.end(JSON.stringify(body))
    }

    if (url.pathname.startsWith('/response/')) {
      let body: any = raw
      try {
        body = JSON.parse(raw)
      } catch {}
      const scripted = this.takeScript('response_url', typeof body === 'object' && body ? body : {})
      if (scripted) {
        res.writeHead(scripted.status, { 'content-type': 'text/plain', ...scripted.headers })
        res.end(scripted.status === 429 ? 'rate_limited' : String((scripted.body as { error?: string }).error ?? 'error'))
        return
      }
      this.responsePosts.push({ id: url.pathname.slice('/response/'.length), body, raw, contentType: req.headers['content-type'], at: Date.now(), hr: performance.now() })
      this.notify()
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('ok')
      return
    }

    if (!url.pathname.startsWith('/api/')) {
      res.writeHead(404)
      res.end()
      return
    }
    const method = url.pathname.slice('/api/'.length)
    const contentType = String(req.headers['content-type'] ?? '')
    let args: Record<string, any> = {}
    try {
      args = contentType.startsWith('application/json') ? JSON.parse(raw || '{}') : Object.fromEntries(new URLSearchParams(raw))
    } catch {
      return send(200, { ok: false, error: 'invalid_json' })
    }
    for (const key of ['blocks', 'attachments', 'metadata']) {
      if (typeof args[key] === 'string') {
        try {
          args[key] = JSON.parse(args[key])
        } catch {}
      }
    }
    this.calls.push({ method, args, raw, headers: req.headers, at: Date.now(), hr: performance.now() })
    this.notify()

    const auth = String(req.headers.authorization ?? '')
    if (method === 'apps.connections.open') {
      if (!auth.startsWith('Bearer xapp-')) return send(200, { ok: false, error: 'invalid_auth' })
      return send(200, { ok: true, url: `ws://127.0.0.1:${this.port}/link/?ticket=${randomUUID()}&app_id=A1` })
    }
    if (!auth.startsWith('Bearer xoxb-')) return send(200, { ok: false, error: 'not_authed' })

    const scripted = this.takeScript(method, args)
    if (scripted) return send(scripted.status, scripted.body, scripted.headers)

    switch (method) {
      case 'auth.test':
        return send(200, { ok: true, url: 'https://fake.slack.com/', team: 'Fake', user: 'claude-auth', team_id: this.teamId, user_id: this.botUserId, bot_id: this.botId, is_enterprise_install: false })
      case 'chat.postMessage': {
        if (!args.channel) return send(200, { ok: false, error: 'channel_not_found' })
        if (this.notInChannel.has(args.channel)) return send(200, { ok: false, error: 'not_in_channel' })
        const ts = this.nextTs()
        const message: FakeMessage = { ts, text: args.text ?? '', user: this.botUserId, bot_id: this.botId, thread_ts: args.thread_ts, blocks: args.blocks, metadata: args.metadata }
        this.channel(args.channel).push(message)
        return send(200, { ok: true, channel: args.channel, ts, message: { type: 'message', ...message } })
      }
      case 'chat.postEphemeral':
        if (this.notInChannel.has(args.channel)) return send(200, { ok: false, error: 'not_in_channel' })
        return send(200, { ok: true, message_ts: this.nextTs() })
      case 'chat.update': {
        const message = this.channel(args.channel).find((m) => m.ts === args.ts)
        if (!message) return send(200, { ok: false, error: 'message_not_found' })
        Object.assign(message, { text: args.text ?? message.text, blocks: args.blocks ?? message.blocks, metadata: args.metadata ?? message.metadata })
        return send(200, { ok: true, channel: args.channel, ts: args.ts, text: message.text })
      }
      case 'conversations.replies': {
        if (this.notInChannel.has(args.channel)) return send(200, { ok: false, error: 'not_in_channel' })
        const all = this.channel(args.channel)
        const parent = all.find((m) => m.ts === args.ts)
        if (!parent) return send(200, { ok: false, error: 'thread_not_found' })
        const root = parent.thread_ts && parent.thread_ts !== parent.ts ? all.find((m) => m.ts === parent.thread_ts) ?? parent : parent
        const replies = all.filter((m) => m.thread_ts === root.ts && m.ts !== root.ts)
        const limit = Number(args.limit ?? 1000)
        return send(200, { ok: true, messages: [root, ...replies].slice(0, limit).map((m) => ({ type: 'message', ...m })), has_more: false })
      }
      case 'conversations.history': {
        const all = this.channel(args.channel).filter((m) => !m.thread_ts || m.thread_ts === m.ts)
        const picked = args.latest && args.inclusive ? all.filter((m) => m.ts === args.latest) : all
        return send(200, { ok: true, messages: picked.slice(0, Number(args.limit ?? 100)).map((m) => ({ type: 'message', ...m })), has_more: false })
      }
      default:
        return send(200, { ok: false, error: 'unknown_method' })
    }
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer) {
    if (!req.url?.startsWith('/link')) {
      socket.destroy()
      return
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.sockets.push(ws)
      ws.on('message', (data) => {
        try {
          const message = JSON.parse(data.toString()) as { envelope_id?: string; payload?: unknown }
          if (message.envelope_id) {
            this.acks.set(message.envelope_id, message.payload ?? null)
            this.notify()
          }
        } catch {}
      })
      ws.on('close', () => this.notify())
      ws.send(JSON.stringify({ type: 'hello', num_connections: this.sockets.length, debug_info: { host: 'fake', build_number: 1, approximate_connection_time: 18060 }, connection_info: { app_id: 'A1' } }))
      this.notify()
    })
  }
}
