// A thin HTTP front on 127.0.0.1 for the fake Slack that makes Slack misbehave:
//   outage() ... recover(): "for a while", Web API calls matching the outage answer HTTP 429 (with Retry-After) or
//                           HTTP 500, in a fixed rotation;
//   perMessage(faults):     the first attempts of EACH message (keyed by channel and thread_ts) get `faults` in order,
//                           later attempts go through (deterministic: every reply sees exactly that sequence).
// A faulted call never reaches the fake (nothing is posted). Everything else is forwarded untouched, so the fake's
// call recording stays the one truth of what was delivered. Point the bot's SLACK_API_URL at `apiUrl`.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FakeSlack } from '../fakes/fake-slack.js'

export type Fault = { status: 429; retryAfterSec: number } | { status: 500 | 502 | 503 }

export type OutageOptions = {
  /** Web API methods affected (default: chat.postMessage) */
  methods?: string[]
  /** the answers, used in rotation (default: 429 Retry-After 1, then 500) */
  faults?: Fault[]
}

export class SlackFaults {
  private server!: http.Server
  port = 0
  private outageOn: Required<OutageOptions> | null = null
  private turn = 0
  private perMessageFaults: { methods: string[]; faults: Fault[] } | null = null
  private attempts = new Map<string, number>()
  /** the answers given during outages, by status */
  injected: Record<number, number> = {}
  /** requests that reached the front (per Web API method), faulted or not */
  seen = new Map<string, number>()

  constructor(private readonly fake: FakeSlack) {}

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res))
    this.server.keepAliveTimeout = 30_000
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
    return this
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  outage(options: OutageOptions = {}): void {
    this.outageOn = {
      methods: options.methods ?? ['chat.postMessage'],
      faults: options.faults ?? [{ status: 429, retryAfterSec: 1 }, { status: 500 }],
    }
  }

  recover(): void {
    this.outageOn = null
    this.perMessageFaults = null
  }

  /** the first attempts of each message to `methods` (default chat.postMessage) answer `faults`, in order */
  perMessage(faults: Fault[], methods: string[] = ['chat.postMessage']): void {
    this.perMessageFaults = { methods, faults }
    this.attempts.clear()
  }

  private fault(fault: Fault, res: http.ServerResponse) {
    this.injected[fault.status] = (this.injected[fault.status] ?? 0) + 1
    if (fault.status === 429) {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(fault.retryAfterSec) })
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }))
    } else {
      res.writeHead(fault.status, { 'content-type': 'text/html' })
      res.end('<html><body>Internal Server Error</body></html>')
    }
  }

  get inOutage(): boolean {
    return this.outageOn !== null
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const url = new URL(req.url ?? '/', 'http://front')
    const method = url.pathname.startsWith('/api/') ? url.pathname.slice('/api/'.length) : null
    if (method) this.seen.set(method, (this.seen.get(method) ?? 0) + 1)
    const outage = this.outageOn
    if (method && outage && outage.methods.includes(method)) return this.fault(outage.faults[this.turn++ % outage.faults.length]!, res)
    const per = this.perMessageFaults
    if (method && per && per.methods.includes(method)) {
      const args = parseArgs(body.toString('utf8'), String(req.headers['content-type'] ?? ''))
      const key = `${method} ${args.channel ?? ''} ${args.thread_ts ?? args.ts ?? ''}`
      const n = this.attempts.get(key) ?? 0
      this.attempts.set(key, n + 1)
      if (n < per.faults.length) return this.fault(per.faults[n]!, res)
    }
    try {
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) headers[k] = v
      const upstream = await fetch(`http://127.0.0.1:${this.fake.port}${url.pathname}${url.search}`, { method: req.method, headers, body: req.method === 'GET' ? undefined : body })
      const text = Buffer.from(await upstream.arrayBuffer())
      const out: Record<string, string> = {}
      upstream.headers.forEach((v, k) => {
        if (!['content-length', 'connection', 'keep-alive', 'transfer-encoding', 'content-encoding'].includes(k)) out[k] = v
      })
      res.writeHead(upstream.status, out)
      res.end(text)
    } catch (err) {
      res.writeHead(502)
      res.end(String((err as Error).message))
    }
  }
}

function parseArgs(raw: string, contentType: string): Record<string, string> {
  try {
    if (contentType.startsWith('application/json')) return JSON.parse(raw || '{}') as Record<string, string>
    return Object.fromEntries(new URLSearchParams(raw))
  } catch {
    return {}
  }
}
