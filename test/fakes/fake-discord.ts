// A fake Discord for end-to-end tests through the real discord.js: REST (/api/v10/...) with call recording and
// Discord's payload limits, and a gateway (HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeat ACKs, RESUME,
// dispatches) on one 127.0.0.1 port. It enforces what the real one enforces and the bot must live with:
//   - bot auth on REST (interaction callbacks and webhooks excepted), 4004 on a bad token at IDENTIFY;
//   - privileged intents: asking for MessageContent when the application was not granted it closes with 4014;
//   - without MessageContent, message content (and embeds, attachments, components) is blank on the gateway and on
//     REST, except for messages that mention the bot, the bot's own messages, and the target of a context menu;
//   - without GuildMessages, no MESSAGE_CREATE at all;
//   - message limits (content 2,000; embed description 4,096; 6,000 in all; custom_id 100; ...) answered with
//     400 "Invalid Form Body" like Discord, and recorded in `violations`.
// Test helpers dispatch slash commands, context menus, modal submits, button/select clicks and user messages, and
// `waitForCall` awaits a recorded REST call (no fixed sleeps).
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, WebSocket } from 'ws'

export const IDS = {
  app: '1100000000000000001',
  bot: '1100000000000000001',
  guild: '1200000000000000001',
  everyone: '1200000000000000001',
  channel: '1300000000000000001',
  channel2: '1300000000000000002',
  user: '1400000000000000001',
  user2: '1400000000000000002',
  otherBot: '1400000000000000009',
} as const

export const INTENTS = { Guilds: 1 << 0, GuildMembers: 1 << 1, GuildPresences: 1 << 8, GuildMessages: 1 << 9, DirectMessages: 1 << 12, MessageContent: 1 << 15 } as const
const PRIVILEGED = INTENTS.GuildMembers | INTENTS.GuildPresences | INTENTS.MessageContent

/** Discord's numbers (https://discord.com/developers/docs/resources/message#create-message, components, embeds) */
export const DISCORD_LIMITS = {
  content: 2_000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4_096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1_024,
  footer: 2_048,
  authorName: 256,
  embedTotal: 6_000,
  actionRows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  selectOptions: 25,
  selectOptionLabel: 100,
  selectOptionValue: 100,
  selectOptionDescription: 100,
  placeholder: 150,
} as const

export type RestCall = {
  method: string
  /** path without the /api/v10 prefix, e.g. /channels/1/messages */
  path: string
  query: string
  headers: http.IncomingHttpHeaders
  body: any
  rawBody: string
  status: number
}

type Json = Record<string, any>
type Session = { id: string; ws: WebSocket; intents: number; seq: number; log: { s: number; t: string; d: any }[]; closed: boolean }
type FakeInteraction = {
  id: string
  token: string
  type: number
  /** the message a component sits on (component interactions) */
  sourceMessageId: string | null
  /** the response message (reply / deferred reply / updated component message) */
  originalId: string | null
  callbacks: Json[]
  modal: Json | null
  userId: string
  createdAt: number
}
type Intercept = { match: (c: { method: string; path: string }) => boolean; status: number; body?: Json; headers?: Record<string, string>; times: number }

export type UserMessageOptions = {
  channelId?: string
  author?: Json
  /** a message id this message replies to */
  replyTo?: string
  /** mention the bot at the start of the content */
  mentionBot?: boolean
  /** send as a webhook / system-ish message from a bot user */
  bot?: boolean
  /** include referenced_message in a reply (Discord may leave it out: then the bot has to fetch it); default true */
  withReferencedMessage?: boolean
  id?: string
}

const EPOCH = 1420070400000n

export class FakeDiscord {
  server!: http.Server
  private wss!: WebSocketServer
  port = 0
  token = 'fake.bot.token-' + Math.random().toString(36).slice(2)
  heartbeatInterval = 41_250
  /** when set, a first response later than this (Discord: 3,000 ms) is refused with 10062 Unknown interaction */
  interactionDeadlineMs: number | null = null
  /** privileged intents the application is allowed (Developer Portal switches); MessageContent by default */
  grantedIntents: number = INTENTS.MessageContent
  /** every REST request, in order */
  calls: RestCall[] = []
  /** payloads Discord would have refused (limits), with the reason */
  violations: { path: string; problems: string[] }[] = []
  gatewayLog: Json[] = []
  sessions: Session[] = []
  commands = new Map<string, Json[]>()
  messages = new Map<string, Json>()
  interactions = new Map<string, FakeInteraction>()
  private intercepts: Intercept[] = []
  private counter = 0n
  private sessionCounter = 0

  get api() {
    return `http://127.0.0.1:${this.port}/api`
  }

  nextId(): string {
    this.counter = (this.counter + 1n) % 4096n
    return String(((BigInt(Date.now()) - EPOCH) << 22n) | this.counter)
  }

  async start() {
    this.server = http.createServer((req, res) => this.onHttp(req, res))
    this.wss = new WebSocketServer({ noServer: true })
    this.server.on('upgrade', (req, sock, head) => {
      const u = new URL(req.url!, 'http://x')
      if (u.pathname !== '/gateway') return sock.destroy()
      this.wss.handleUpgrade(req, sock, head, (ws) => this.onGateway(ws, u))
    })
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r))
    this.port = (this.server.address() as AddressInfo).port
    return this
  }

  async stop() {
    for (const s of this.sessions) s.ws.terminate()
    for (const ws of this.wss.clients) ws.terminate()
    this.wss.close()
    this.server.closeAllConnections()
    await new Promise<void>((r) => this.server.close(() => r()))
  }

  /** Answer the next `times` matching requests with `status` (e.g. 429 with Retry-After) instead of handling them. */
  failNext(match: { method?: string; path: RegExp }, status: number, options: { times?: number; body?: Json; headers?: Record<string, string> } = {}) {
    this.intercepts.push({
      match: (c) => (!match.method || match.method === c.method) && match.path.test(c.path),
      status,
      body: options.body,
      headers: options.headers,
      times: options.times ?? 1,
    })
  }

  /** Answer the next matching request with 429 and Discord's rate-limit headers. */
  rateLimitNext(match: { method?: string; path: RegExp }, retryAfterSeconds = 0.25) {
    this.failNext(match, 429, {
      body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: false },
      headers: {
        'retry-after': String(retryAfterSeconds),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': String(retryAfterSeconds),
        'x-ratelimit-bucket': 'fake-bucket',
        'x-ratelimit-scope': 'user',
      },
    })
  }

  // ------------------------------------------------------------------ REST

  private onHttp(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const u = new URL(req.url!, 'http://x')
      const rawBody = Buffer.concat(chunks).toString()
      let body: any = rawBody
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined
      } catch {
        /* keep the raw text (multipart) */
      }
      const path = u.pathname.replace(/^\/api\/v10/, '')
      const call: RestCall = { method: req.method!, path, query: u.search, headers: req.headers, body, rawBody, status: 0 }
      this.calls.push(call)
      const send = (status: number, obj?: unknown, headers: Record<string, string> = {}) => {
        call.status = status
        if (obj === undefined) {
          res.writeHead(status, headers)
          return res.end()
        }
        res.writeHead(status, { 'content-type': 'application/json', ...headers })
        res.end(JSON.stringify(obj))
      }
      if (!u.pathname.startsWith('/api/v10/')) return send(404, { message: '404: Not Found', code: 0 })
      const intercept = this.intercepts.find((i) => i.times > 0 && i.match(call))
      if (intercept) {
        intercept.times--
        return send(intercept.status, intercept.body ?? { message: `fake ${intercept.status}`, code: 0 }, intercept.headers)
      }
      try {
        const [status, out] = this.route(call)
        send(status, out)
      } catch (err) {
        send(500, { message: `fake error: ${(err as Error).message}`, code: 0 })
      }
    })
  }

  private route(c: RestCall): [number, unknown] {
    const { method, path: p, body } = c
    const isCallback = /^\/interactions\/\d+\/[^/]+\/callback$/.test(p)
    const isWebhook = p.startsWith('/webhooks/')
    if (!isCallback && !isWebhook && c.headers.authorization !== `Bot ${this.token}`) return [401, { message: '401: Unauthorized', code: 0 }]
    let m: RegExpMatchArray | null
    if (method === 'GET' && p === '/gateway/bot') {
      return [200, { url: `ws://127.0.0.1:${this.port}/gateway`, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } }]
    }
    if (method === 'GET' && p === '/users/@me') return [200, { ...this.botUser(), verified: true, flags: 0, mfa_enabled: false }]
    if ((m = p.match(/^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/))) {
      if (m[1] !== IDS.app) return [404, { message: 'Unknown Application', code: 10002 }]
      if (m[2] && m[2] !== IDS.guild) return [403, { message: 'Missing Access', code: 50001 }]
      const key = m[2] ? `guild:${m[2]}` : 'global'
      if (method === 'GET') return [200, this.commands.get(key) ?? []]
      if (method === 'PUT') {
        const problems = validateCommands(body)
        if (problems.length) {
          this.violations.push({ path: p, problems })
          return [400, { message: 'Invalid Form Body', code: 50035, errors: problems }]
        }
        const list = (body as Json[]).map((cmd) => ({ id: this.nextId(), application_id: m![1], version: this.nextId(), default_member_permissions: null, type: 1, nsfw: false, ...(m![2] ? { guild_id: m![2] } : {}), ...cmd }))
        this.commands.set(key, list)
        return [200, list]
      }
    }
    if (method === 'POST' && isCallback) return this.onCallback(p.split('/')[2]!, body, new URLSearchParams(c.query))
    if ((m = p.match(/^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|%40original|\d+))?$/))) {
      const inter = [...this.interactions.values()].find((i) => i.token === m![2])
      if (!inter) return [404, { message: 'Unknown Webhook', code: 10015 }]
      const problems = validateMessage(body)
      if (problems.length) return this.refuse(p, problems)
      if (method === 'PATCH' && m[3]) {
        const targetId = /^\d+$/.test(m[3]) ? m[3] : inter.originalId
        const target = targetId ? this.messages.get(targetId) : undefined
        if (!target) return [404, { message: 'Unknown Message', code: 10008 }]
        Object.assign(target, pickMessageFields(body), { edited_timestamp: new Date().toISOString() })
        return [200, target]
      }
      if (method === 'POST' && !m[3]) {
        const msg = this.storeMessage(this.message({ author: this.botUser(), webhook_id: IDS.app, application_id: IDS.app, ...pickMessageFields(body), flags: body?.flags ?? 0 }))
        return [200, msg]
      }
      if (method === 'DELETE' && m[3]) return [204, undefined]
    }
    if ((m = p.match(/^\/channels\/(\d+)\/messages$/)) && method === 'POST') {
      if (!this.channelExists(m[1]!)) return [404, { message: 'Unknown Channel', code: 10003 }]
      const problems = validateMessage(body)
      if (problems.length) return this.refuse(p, problems)
      const ref = body?.message_reference
      const msg = this.storeMessage(
        this.message({
          channel_id: m[1],
          author: this.botUser(),
          ...pickMessageFields(body),
          message_reference: ref ? { ...ref, channel_id: m[1], guild_id: IDS.guild } : undefined,
          referenced_message: ref ? (this.messages.get(ref.message_id) ?? null) : undefined,
          type: ref ? 19 : 0,
        }),
      )
      return [200, msg]
    }
    if ((m = p.match(/^\/channels\/(\d+)\/messages\/(\d+)$/))) {
      const msg = this.messages.get(m[2]!)
      if (!msg || msg.channel_id !== m[1]) return [404, { message: 'Unknown Message', code: 10008 }]
      if (method === 'GET') return [200, this.view(msg, this.grantedIntents)]
      if (method === 'PATCH') {
        if (msg.author.id !== IDS.bot) return [403, { message: 'Cannot edit a message authored by another user', code: 50005 }]
        const problems = validateMessage(body)
        if (problems.length) return this.refuse(p, problems)
        Object.assign(msg, pickMessageFields(body), { edited_timestamp: new Date().toISOString() })
        return [200, msg]
      }
    }
    if ((m = p.match(/^\/channels\/(\d+)$/)) && method === 'GET') {
      const ch = [...this.channels(), ...this.threads].find((x) => x.id === m![1])
      return ch ? [200, ch] : [404, { message: 'Unknown Channel', code: 10003 }]
    }
    return [404, { message: `Unknown route (fake): ${method} ${p}`, code: 0 }]
  }

  private refuse(path: string, problems: string[]): [number, unknown] {
    this.violations.push({ path, problems })
    return [400, { message: 'Invalid Form Body', code: 50035, errors: problems }]
  }

  private onCallback(interactionId: string, body: Json, query: URLSearchParams): [number, unknown] {
    const inter = this.interactions.get(interactionId)
    if (!inter) return [404, { message: 'Unknown interaction', code: 10062 }]
    if (inter.callbacks.length > 0) return [400, { message: 'Interaction has already been acknowledged.', code: 40060 }]
    if (this.interactionDeadlineMs !== null && Date.now() - inter.createdAt > this.interactionDeadlineMs) return [404, { message: 'Unknown interaction', code: 10062 }]
    const data = body?.data ?? {}
    if ([4, 7].includes(body?.type)) {
      const problems = validateMessage(data)
      if (problems.length) return this.refuse(`/interactions/${interactionId}/callback`, problems)
    }
    inter.callbacks.push(body)
    let message: Json | undefined
    switch (body?.type) {
      case 4: // CHANNEL_MESSAGE_WITH_SOURCE
      case 5: {
        // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
        message = this.storeMessage(
          this.message({ author: this.botUser(), webhook_id: IDS.app, application_id: IDS.app, interaction_metadata: { id: inter.id, type: inter.type, user: this.humanUser(inter.userId), authorizing_integration_owners: { '0': IDS.guild } }, ...(body.type === 4 ? pickMessageFields(data) : {}), flags: (data.flags ?? 0) | (body.type === 5 ? 128 : 0) }),
        )
        inter.originalId = message.id
        break
      }
      case 6: // DEFERRED_UPDATE_MESSAGE
        inter.originalId = inter.sourceMessageId
        break
      case 7: {
        // UPDATE_MESSAGE
        inter.originalId = inter.sourceMessageId
        const target = inter.sourceMessageId ? this.messages.get(inter.sourceMessageId) : undefined
        if (target) Object.assign(target, pickMessageFields(data), { edited_timestamp: new Date().toISOString() })
        message = target
        break
      }
      case 9: // MODAL
        inter.modal = data
        break
      default:
        return [400, { message: `fake: unsupported callback type ${body?.type}`, code: 0 }]
    }
    if (query.get('with_response') === 'true') {
      return [200, { interaction: { id: inter.id, type: inter.type, activity_instance_id: null, response_message_id: message?.id ?? null, response_message_loading: body.type === 5, response_message_ephemeral: Boolean((data.flags ?? 0) & 64) }, resource: { type: body.type, ...(message ? { message } : {}) } }]
    }
    return [204, undefined]
  }

  // ------------------------------------------------------------------ data

  botUser() {
    return { id: IDS.bot, username: 'claude-auth-bot', discriminator: '0', global_name: null, avatar: null, bot: true }
  }
  humanUser(id: string = IDS.user) {
    return { id, username: id === IDS.user ? 'alice' : 'bob', discriminator: '0', global_name: id === IDS.user ? 'Alice' : 'Bob', avatar: null }
  }
  otherBotUser() {
    return { id: IDS.otherBot, username: 'ci-bot', discriminator: '0', global_name: null, avatar: null, bot: true }
  }
  member(user: Json) {
    return { user, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, permissions: '2248473465835073', pending: false, nick: null, avatar: null }
  }
  message(over: Json): Json {
    const msg: Json = { id: this.nextId(), channel_id: IDS.channel, guild_id: IDS.guild, author: this.humanUser(), content: '', timestamp: new Date().toISOString(), edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], embeds: [], pinned: false, type: 0, flags: 0, components: [], ...over }
    for (const k of Object.keys(msg)) if (msg[k] === undefined) delete msg[k]
    return msg
  }
  private storeMessage(msg: Json) {
    this.messages.set(msg.id, msg)
    return msg
  }
  channels(): Json[] {
    return [IDS.channel, IDS.channel2].map((id, i) => ({ id, type: 0, guild_id: IDS.guild, name: i === 0 ? 'general' : 'ops', position: i, permission_overwrites: [], nsfw: false, parent_id: null, topic: null, last_message_id: null, rate_limit_per_user: 0 }))
  }
  /** public threads started from a message (the thread id is the starter message's id, as on Discord) */
  threads: Json[] = []
  private channelExists(id: string) {
    return this.channels().some((c) => c.id === id) || this.threads.some((t) => t.id === id)
  }

  /** Someone posts `starterContent` in `parentId` and opens a thread on it (THREAD_CREATE to every session). */
  createThread(starterContent: string, parentId: string = IDS.channel, author: Json = this.humanUser()): Json {
    const starter = this.storeMessage(this.message({ channel_id: parentId, content: starterContent, author }))
    const thread = {
      id: starter.id, guild_id: IDS.guild, parent_id: parentId, owner_id: author.id, name: 'help with login', type: 11,
      last_message_id: null, message_count: 0, member_count: 1, rate_limit_per_user: 0, flags: 0, total_message_sent: 0,
      thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
    }
    this.threads.push(thread)
    for (const s of this.sessions.filter((x) => !x.closed && x.intents & INTENTS.Guilds)) this.dispatchTo(s, 'THREAD_CREATE', { ...thread, newly_created: true })
    return thread
  }

  /** What a connection with `intents` (or REST, with the granted intents) sees of a message. */
  view(msg: Json, intents: number): Json {
    const readable = Boolean(intents & INTENTS.MessageContent) || msg.author?.id === IDS.bot || (msg.mentions ?? []).some((u: Json) => u.id === IDS.bot)
    const out: Json = readable ? { ...msg } : { ...msg, content: '', embeds: [], attachments: [], components: [] }
    if (msg.referenced_message) out.referenced_message = this.view(msg.referenced_message, intents)
    return out
  }

  // ------------------------------------------------------------------ gateway

  private send(ws: WebSocket, payload: Json) {
    this.gatewayLog.push({ dir: 'out', ...payload })
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload))
  }

  /** Dispatch an event to every identified session (as Discord does to every connection of the shard). */
  dispatch(t: string, d: Json | ((s: Session) => Json)) {
    const live = this.sessions.filter((s) => !s.closed)
    if (live.length === 0) throw new Error('fake discord: no identified session')
    for (const s of live) this.dispatchTo(s, t, typeof d === 'function' ? d(s) : d)
  }

  private dispatchTo(s: Session, t: string, d: Json) {
    s.seq += 1
    s.log.push({ s: s.seq, t, d })
    this.send(s.ws, { op: 0, t, s: s.seq, d })
  }

  private onGateway(ws: WebSocket, u: URL) {
    if (u.searchParams.get('v') !== '10' || u.searchParams.get('encoding') !== 'json' || u.searchParams.has('compress')) {
      ws.close(4012, 'fake supports only v=10 encoding=json, no compress')
      return
    }
    this.send(ws, { op: 10, s: null, t: null, d: { heartbeat_interval: this.heartbeatInterval, _trace: ['fake'] } })
    let session: Session | null = null
    ws.on('close', () => {
      if (session && session.ws === ws) session.closed = true
    })
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(4002, 'Decode error')
      const msg = JSON.parse(data.toString())
      this.gatewayLog.push({ dir: 'in', ...msg, ...(msg.op === 2 || msg.op === 6 ? { d: { ...msg.d, token: '[token]' } } : {}) })
      switch (msg.op) {
        case 1:
          return this.send(ws, { op: 11, s: null, t: null, d: null })
        case 2: {
          if (session) return ws.close(4005, 'Already authenticated')
          if (msg.d.token !== this.token) return ws.close(4004, 'Authentication failed')
          const intents = Number(msg.d.intents)
          if (intents & PRIVILEGED & ~this.grantedIntents) return ws.close(4014, 'Disallowed intent(s).')
          session = { id: `fake-session-${++this.sessionCounter}`, ws, intents, seq: 0, log: [], closed: false }
          this.sessions.push(session)
          this.dispatchTo(session, 'READY', {
            v: 10,
            user_settings: {},
            user: { ...this.botUser(), verified: true, flags: 0, mfa_enabled: false },
            guilds: [{ id: IDS.guild, unavailable: true }],
            session_id: session.id,
            session_type: 'normal',
            resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`,
            shard: msg.d.shard ?? [0, 1],
            application: { id: IDS.app, flags: 0 },
            private_channels: [],
            relationships: [],
            presences: [],
            geo_ordered_rtc_regions: [],
            guild_join_requests: [],
            _trace: ['fake'],
          })
          if (intents & INTENTS.Guilds) this.dispatchTo(session, 'GUILD_CREATE', this.guildCreate())
          return
        }
        case 6: {
          // RESUME: reattach the session and replay what it missed
          const old = this.sessions.find((s) => s.id === msg.d.session_id)
          if (!old || msg.d.token !== this.token) return this.send(ws, { op: 9, s: null, t: null, d: false })
          old.ws = ws
          old.closed = false
          session = old
          for (const e of old.log.filter((e) => e.s > Number(msg.d.seq))) this.send(ws, { op: 0, t: e.t, s: e.s, d: e.d })
          this.dispatchTo(old, 'RESUMED', { _trace: ['fake'] })
          return
        }
        default:
          return
      }
    })
  }

  guildCreate(): Json {
    return {
      id: IDS.guild, name: 'Fake Guild', icon: null, owner_id: IDS.user, unavailable: false, large: false, member_count: 3,
      joined_at: new Date().toISOString(), afk_channel_id: null, afk_timeout: 300, verification_level: 0, default_message_notifications: 0, explicit_content_filter: 0,
      mfa_level: 0, system_channel_id: null, system_channel_flags: 0, premium_tier: 0, preferred_locale: 'en-US', nsfw_level: 0, features: [], emojis: [], stickers: [],
      roles: [{ id: IDS.everyone, name: '@everyone', color: 0, hoist: false, position: 0, permissions: '2248473465835073', managed: false, mentionable: false, flags: 0 }],
      channels: this.channels(),
      threads: this.threads,
      members: [{ user: this.botUser(), roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 }],
      voice_states: [], presences: [], stage_instances: [], guild_scheduled_events: [], soundboard_sounds: [],
    }
  }

  // ------------------------------------------------------------------ what people do

  private newInteraction(type: number, data: Json, over: { sourceMessage?: Json; userId?: string; channelId?: string } = {}) {
    const id = this.nextId()
    const token = `itok-${id}-${Math.random().toString(36).slice(2)}`
    const channelId = over.channelId ?? over.sourceMessage?.channel_id ?? IDS.channel
    const channel = [...this.channels(), ...this.threads].find((c) => c.id === channelId)
    this.interactions.set(id, { id, token, type, sourceMessageId: over.sourceMessage?.id ?? null, originalId: null, callbacks: [], modal: null, userId: over.userId ?? IDS.user, createdAt: Date.now() })
    this.dispatch('INTERACTION_CREATE', {
      id, application_id: IDS.app, type, token, version: 1, locale: 'en-US', guild_locale: 'en-US', guild_id: IDS.guild, channel_id: channelId,
      channel: { ...channel, flags: 0 },
      data,
      ...(over.sourceMessage ? { message: over.sourceMessage } : {}),
      member: this.member(this.humanUser(over.userId)),
      app_permissions: '2248473465835073', entitlements: [], authorizing_integration_owners: { '0': IDS.guild }, context: 0, attachment_size_limit: 10_485_760,
    })
    return { id, token }
  }

  private commandId(name: string) {
    for (const list of this.commands.values()) {
      const c = list.find((x) => x.name === name)
      if (c) return c.id as string
    }
    return this.nextId()
  }

  /** `/name subcommand option:value ...` */
  slash(name: string, subcommand: string | null, options: Json[] = [], over: { userId?: string; channelId?: string } = {}) {
    const opts = subcommand ? [{ name: subcommand, type: 1, options }] : options
    return this.newInteraction(2, { id: this.commandId(name), name, type: 1, guild_id: IDS.guild, options: opts }, over)
  }

  /** A message context menu command on `target` (the target's content is always delivered, as on Discord). */
  contextMenu(name: string, target: Json, over: { userId?: string } = {}) {
    return this.newInteraction(2, { id: this.commandId(name), name, type: 3, guild_id: IDS.guild, target_id: target.id, resolved: { messages: { [target.id]: target } } }, { ...over, channelId: target.channel_id })
  }

  /** Submit a modal: `fields` maps text input custom_id -> value; `selects` maps select custom_id -> values. */
  submitModal(customId: string, fields: Record<string, string>, selects: Record<string, string[]> = {}, over: { userId?: string } = {}) {
    const components = [
      ...Object.entries(fields).map(([cid, value], i) => ({ type: 18, id: i + 1, component: { type: 4, id: 100 + i, custom_id: cid, value } })),
      ...Object.entries(selects).map(([cid, values], i) => ({ type: 18, id: 50 + i, component: { type: 3, id: 150 + i, custom_id: cid, values } })),
    ]
    return this.newInteraction(5, { custom_id: customId, components }, over)
  }

  /** Click a button on a message the bot sent. */
  clickButton(message: Json, customId: string, over: { userId?: string } = {}) {
    return this.newInteraction(3, { custom_id: customId, component_type: 2 }, { ...over, sourceMessage: message })
  }

  /** Pick values in a string select on a message the bot sent. */
  selectMenu(message: Json, customId: string, values: string[], over: { userId?: string } = {}) {
    return this.newInteraction(3, { custom_id: customId, component_type: 3, values }, { ...over, sourceMessage: message })
  }

  /** Someone posts a message; each session gets it as its intents allow (nothing without GuildMessages). */
  userMessage(content: string, o: UserMessageOptions = {}): Json {
    const author = o.author ?? (o.bot ? this.otherBotUser() : this.humanUser())
    const text = o.mentionBot ? `<@${IDS.bot}> ${content}`.trimEnd() : content
    const mentionsBot = text.includes(`<@${IDS.bot}>`) || text.includes(`<@!${IDS.bot}>`)
    const referenced = o.replyTo ? this.messages.get(o.replyTo) : undefined
    const msg = this.storeMessage(
      this.message({
        ...(o.id ? { id: o.id } : {}),
        channel_id: o.channelId ?? IDS.channel,
        author,
        content: text,
        mentions: mentionsBot ? [this.botUser()] : [],
        member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
        ...(referenced ? { type: 19, message_reference: { type: 0, message_id: referenced.id, channel_id: referenced.channel_id, guild_id: IDS.guild }, ...(o.withReferencedMessage === false ? {} : { referenced_message: referenced }) } : {}),
      }),
    )
    this.deliverMessage(msg)
    return msg
  }

  /** (Re)deliver MESSAGE_CREATE for a stored message, as a duplicate delivery or replay would. */
  deliverMessage(msg: Json) {
    for (const s of this.sessions.filter((x) => !x.closed)) {
      if (!(s.intents & INTENTS.GuildMessages)) continue
      this.dispatchTo(s, 'MESSAGE_CREATE', this.view(msg, s.intents))
    }
  }

  // ------------------------------------------------------------------ assertions

  /** REST calls that answer or edit interaction `id` (callback, webhook edits and follow-ups) */
  callsFor(interaction: { id: string; token: string }) {
    return this.calls.filter((c) => c.path.includes(`/interactions/${interaction.id}/`) || c.path.includes(`/${interaction.token}`))
  }
  /** the message an interaction's response ended as (after edits) */
  responseOf(interaction: { id: string }) {
    const i = this.interactions.get(interaction.id)
    return i?.originalId ? this.messages.get(i.originalId) : undefined
  }
  /** bot messages posted to a channel (not interaction responses), in order */
  channelPosts(channelId: string = IDS.channel) {
    return this.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${channelId}/messages` && c.status === 200)
  }

  async waitFor<T>(pred: () => T | undefined | null | false, ms = 5_000, what = 'condition'): Promise<T> {
    const end = Date.now() + ms
    for (;;) {
      const v = pred()
      if (v) return v
      if (Date.now() > end) throw new Error(`fake discord: timed out after ${ms} ms waiting for ${what}`)
      await new Promise((r) => setTimeout(r, 10))
    }
  }

  /** await a REST call matching `pred` (successful unless `anyStatus`) */
  waitForCall(pred: (c: RestCall) => boolean, ms = 10_000, options: { anyStatus?: boolean } = {}) {
    return this.waitFor(() => this.calls.find((c) => c.status !== 0 && (options.anyStatus || c.status < 300) && pred(c)), ms, 'a REST call')
  }

  /** await the first answer (callback, edit, follow-up) to an interaction with a message body, after edits */
  async waitForResponse(interaction: { id: string; token: string }, ms = 10_000): Promise<Json> {
    return this.waitFor(() => {
      const i = this.interactions.get(interaction.id)
      if (!i || i.callbacks.length === 0) return undefined
      const cb = i.callbacks[0]!
      if (cb.type === 9) return { modal: i.modal }
      if (cb.type === 5 || cb.type === 6) {
        const edited = this.callsFor(interaction).some((c) => c.method === 'PATCH' && c.status === 200)
        return edited ? this.messages.get(i.originalId!) : undefined
      }
      return i.originalId ? this.messages.get(i.originalId) : undefined
    }, ms, `a response to interaction ${interaction.id}`)
  }
}

// ------------------------------------------------------------------ validation, like Discord's

function pickMessageFields(body: Json | undefined): Json {
  const out: Json = {}
  for (const k of ['content', 'embeds', 'components', 'flags', 'allowed_mentions']) if (body && body[k] !== undefined) out[k] = body[k]
  return out
}

function len(s: unknown) {
  return typeof s === 'string' ? s.length : 0
}

export function validateMessage(body: Json | undefined): string[] {
  const p: string[] = []
  if (!body) return p
  const L = DISCORD_LIMITS
  if (len(body.content) > L.content) p.push(`content: ${len(body.content)} > ${L.content}`)
  const embeds: Json[] = body.embeds ?? []
  if (embeds.length > L.embeds) p.push(`embeds: ${embeds.length} > ${L.embeds}`)
  let total = 0
  embeds.forEach((e, i) => {
    const fields: Json[] = e.fields ?? []
    if (len(e.title) > L.embedTitle) p.push(`embeds[${i}].title: ${len(e.title)} > ${L.embedTitle}`)
    if (len(e.description) > L.embedDescription) p.push(`embeds[${i}].description: ${len(e.description)} > ${L.embedDescription}`)
    if (fields.length > L.embedFields) p.push(`embeds[${i}].fields: ${fields.length} > ${L.embedFields}`)
    fields.forEach((f, j) => {
      if (!f.name || len(f.name) > L.fieldName) p.push(`embeds[${i}].fields[${j}].name: ${len(f.name)} not in 1..${L.fieldName}`)
      if (!f.value || len(f.value) > L.fieldValue) p.push(`embeds[${i}].fields[${j}].value: ${len(f.value)} not in 1..${L.fieldValue}`)
    })
    if (len(e.footer?.text) > L.footer) p.push(`embeds[${i}].footer: ${len(e.footer?.text)} > ${L.footer}`)
    if (len(e.author?.name) > L.authorName) p.push(`embeds[${i}].author: too long`)
    total += len(e.title) + len(e.description) + len(e.footer?.text) + len(e.author?.name) + fields.reduce((n, f) => n + len(f.name) + len(f.value), 0)
  })
  if (total > L.embedTotal) p.push(`embeds: ${total} characters in all > ${L.embedTotal}`)
  const rows: Json[] = body.components ?? []
  if (rows.length > L.actionRows) p.push(`components: ${rows.length} rows > ${L.actionRows}`)
  rows.forEach((row, i) => {
    if (row.type !== 1) return p.push(`components[${i}]: top level must be an action row`)
    const items: Json[] = row.components ?? []
    if (items.length === 0 || items.length > L.buttonsPerRow) p.push(`components[${i}]: ${items.length} items not in 1..${L.buttonsPerRow}`)
    if (items.some((c) => c.type !== 2) && items.length > 1) p.push(`components[${i}]: a select menu must be alone in its row`)
    for (const c of items) {
      if (c.custom_id !== undefined && (len(c.custom_id) === 0 || len(c.custom_id) > L.customId)) p.push(`custom_id "${c.custom_id}": ${len(c.custom_id)} not in 1..${L.customId}`)
      if (c.type === 2) {
        if (len(c.label) > L.buttonLabel) p.push(`button label: ${len(c.label)} > ${L.buttonLabel}`)
        if (c.style === 5 ? !c.url : !c.custom_id) p.push('button: needs custom_id (or url for link buttons)')
      }
      if (c.type === 3) {
        const opts: Json[] = c.options ?? []
        if (opts.length === 0 || opts.length > L.selectOptions) p.push(`select options: ${opts.length} not in 1..${L.selectOptions}`)
        if (len(c.placeholder) > L.placeholder) p.push(`select placeholder: too long`)
        for (const o of opts) {
          if (!o.label || len(o.label) > L.selectOptionLabel) p.push(`select option label: ${len(o.label)}`)
          if (!o.value || len(o.value) > L.selectOptionValue) p.push(`select option value: ${len(o.value)}`)
          if (len(o.description) > L.selectOptionDescription) p.push(`select option description: ${len(o.description)}`)
        }
      }
    }
  })
  return p
}

/** The parts of Discord's command validation a schema mistake would trip. */
export function validateCommands(body: unknown): string[] {
  const p: string[] = []
  if (!Array.isArray(body)) return ['body: expected an array of commands']
  const seen = new Set<string>()
  for (const [i, c] of body.entries()) {
    const type = c.type ?? 1
    const key = `${type}:${c.name}`
    if (seen.has(key)) p.push(`[${i}] duplicate name ${c.name}`)
    seen.add(key)
    if (type === 1) {
      if (!/^[-_\p{Ll}\p{N}]{1,32}$/u.test(c.name ?? '')) p.push(`[${i}].name "${c.name}": lowercase, 1-32 chars`)
      if (!c.description || len(c.description) > 100) p.push(`[${i}].description: 1-100 chars`)
      p.push(...validateOptions(c.options ?? [], `[${i}]`, 0))
    } else {
      if (!c.name || len(c.name) > 32) p.push(`[${i}].name: 1-32 chars`)
      if (c.description) p.push(`[${i}].description: must be empty for context menu commands`)
      if (c.options?.length) p.push(`[${i}].options: not allowed for context menu commands`)
    }
  }
  return p
}

function validateOptions(options: Json[], where: string, depth: number): string[] {
  const p: string[] = []
  if (options.length > 25) p.push(`${where}.options: ${options.length} > 25`)
  const hasSub = options.some((o) => o.type === 1 || o.type === 2)
  if (hasSub && options.some((o) => o.type !== 1 && o.type !== 2)) p.push(`${where}.options: subcommands cannot be mixed with other options`)
  let optionalSeen = false
  for (const [i, o] of options.entries()) {
    const w = `${where}.options[${i}]`
    if (!/^[-_\p{Ll}\p{N}]{1,32}$/u.test(o.name ?? '')) p.push(`${w}.name "${o.name}": lowercase, 1-32 chars`)
    if (!o.description || len(o.description) > 100) p.push(`${w}.description: 1-100 chars`)
    if ((o.type === 1 || o.type === 2) && depth >= (o.type === 2 ? 1 : 2)) p.push(`${w}: subcommand nested too deep`)
    if (o.type === 1 || o.type === 2) p.push(...validateOptions(o.options ?? [], w, depth + 1))
    else {
      if (o.required && optionalSeen) p.push(`${w}: required options must come before optional ones`)
      if (!o.required) optionalSeen = true
    }
    if (o.choices && (o.choices.length > 25 || o.autocomplete)) p.push(`${w}.choices: at most 25 and not with autocomplete`)
    if (o.type === 3 && o.max_length !== undefined && (o.max_length < 1 || o.max_length > 6000)) p.push(`${w}.max_length: 1..6000`)
  }
  return p
}
