// Payloads shaped like the ones Slack sends (Events API, slash commands, block actions, message shortcuts), the
// request signer, and helpers to deliver them to the app over HTTP (signed) or Socket Mode (envelopes).
import { createHmac, randomUUID } from 'node:crypto'
import type { FakeSlack } from './fake-slack.js'

export const FORM = 'application/x-www-form-urlencoded'
export const JSON_TYPE = 'application/json'

let counter = 0
const unique = () => `${Date.now().toString(36)}${(++counter).toString(36)}`

/** v0=hex(HMAC_SHA256(secret, `v0:${ts}:${rawBody}`)), exactly like Slack. */
export function slackSignature(secret: string, body: string, ts: number): string {
  return 'v0=' + createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')
}

export type SignedPostOptions = {
  /** seconds since the epoch; default now */
  ts?: number
  contentType?: string
  retryNum?: number
  retryReason?: string
  headers?: Record<string, string>
  /** sign with this secret instead (forgeries) */
  secret?: string
  /** leave the signature headers out */
  unsigned?: boolean
}

export type PostResult = { status: number; text: string; headers: Record<string, string>; ms: number }

export async function postSigned(url: string, secret: string, body: string, options: SignedPostOptions = {}): Promise<PostResult> {
  const ts = options.ts ?? Math.floor(Date.now() / 1000)
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? FORM,
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    ...(options.unsigned ? {} : { 'x-slack-signature': slackSignature(options.secret ?? secret, body, ts), 'x-slack-request-timestamp': String(ts) }),
    ...(options.retryNum !== undefined ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': options.retryReason ?? 'http_timeout' } : {}),
    ...options.headers,
  }
  const t0 = performance.now()
  const res = await fetch(url, { method: 'POST', headers, body })
  const text = await res.text()
  return { status: res.status, text, headers: Object.fromEntries(res.headers), ms: performance.now() - t0 }
}

// ---------- slash commands ----------

export type SlashCommand = Record<string, string>

export function slashCommand(fake: FakeSlack, text: string, options: { id?: string; channel?: string; user?: string; command?: string } = {}): { payload: SlashCommand; responseId: string } {
  const responseId = options.id ?? `cmd-${unique()}`
  return {
    responseId,
    payload: {
      token: 'deprecated-verification-token',
      team_id: fake.teamId,
      team_domain: 'fake',
      channel_id: options.channel ?? 'C1',
      channel_name: 'general',
      user_id: options.user ?? 'U1',
      user_name: 'alice',
      command: options.command ?? '/claude-auth',
      text,
      api_app_id: 'A1',
      is_enterprise_install: 'false',
      response_url: fake.responseUrl(responseId),
      trigger_id: `${Date.now()}.${unique()}.trigger`,
    },
  }
}

export const formBody = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

// ---------- Events API ----------

export type MessageEventOptions = {
  channel?: string
  user?: string
  ts?: string
  thread_ts?: string
  channel_type?: 'channel' | 'group' | 'im' | 'mpim'
  subtype?: string
  bot_id?: string
  eventId?: string
}

export function messageEvent(fake: FakeSlack, text: string, options: MessageEventOptions = {}) {
  const ts = options.ts ?? fake.nextTs()
  const event: SlackEventFields = {
    type: 'message',
    channel: options.channel ?? 'C1',
    user: options.user ?? 'U1',
    text,
    ts,
    event_ts: ts,
    channel_type: options.channel_type ?? 'channel',
    client_msg_id: randomUUID(),
  }
  if (options.thread_ts) event.thread_ts = options.thread_ts
  if (options.subtype) event.subtype = options.subtype
  if (options.bot_id) event.bot_id = options.bot_id
  return eventCallback(fake, event, options.eventId)
}

export function appMentionEvent(fake: FakeSlack, text: string, options: Omit<MessageEventOptions, 'channel_type' | 'subtype' | 'bot_id'> = {}) {
  const ts = options.ts ?? fake.nextTs()
  const event: SlackEventFields = {
    type: 'app_mention',
    channel: options.channel ?? 'C1',
    user: options.user ?? 'U1',
    text: `<@${fake.botUserId}> ${text}`.trimEnd(),
    ts,
    event_ts: ts,
    client_msg_id: randomUUID(),
  }
  if (options.thread_ts) event.thread_ts = options.thread_ts
  return eventCallback(fake, event, options.eventId)
}

export type SlackEventFields = { type: string; channel: string; user: string; text: string; ts: string; event_ts: string; [key: string]: unknown }

function eventCallback(fake: FakeSlack, event: SlackEventFields, eventId?: string) {
  return {
    token: 'deprecated-verification-token',
    team_id: fake.teamId,
    api_app_id: 'A1',
    event,
    type: 'event_callback',
    event_id: eventId ?? `Ev${unique().toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: fake.teamId, user_id: fake.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${unique()}`,
  }
}

// ---------- interactivity ----------

export type ClickedMessage = { channel: string; ts?: string; ephemeral?: boolean; thread_ts?: string; blocks?: any[]; text?: string }

/** A block_actions payload for a click on `element` (a button or a static_select with the chosen value). */
export function blockAction(
  fake: FakeSlack,
  element: { type: 'button'; action_id: string; value?: string; block_id?: string } | { type: 'static_select'; action_id: string; selected: string; block_id?: string },
  message: ClickedMessage,
  options: { user?: string; responseId?: string } = {},
) {
  const responseId = options.responseId ?? `act-${unique()}`
  const action =
    element.type === 'button'
      ? { type: 'button', action_id: element.action_id, block_id: element.block_id ?? 'actions', value: element.value, text: { type: 'plain_text', text: 'x' }, action_ts: `${Date.now() / 1000}` }
      : { type: 'static_select', action_id: element.action_id, block_id: element.block_id ?? 'platform', selected_option: { text: { type: 'plain_text', text: element.selected }, value: element.selected }, action_ts: `${Date.now() / 1000}` }
  const ts = message.ts ?? fake.nextTs()
  const payload: Record<string, unknown> = {
    type: 'block_actions',
    user: { id: options.user ?? 'U1', username: 'alice', name: 'alice', team_id: fake.teamId },
    api_app_id: 'A1',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: ts, channel_id: message.channel, is_ephemeral: Boolean(message.ephemeral), ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}) },
    trigger_id: `${Date.now()}.${unique()}.trigger`,
    team: { id: fake.teamId, domain: 'fake' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: message.channel, name: 'general' },
    state: { values: {} },
    response_url: fake.responseUrl(responseId),
    actions: [action],
  }
  if (!message.ephemeral) {
    payload.message = { type: 'message', user: fake.botUserId, bot_id: fake.botId, ts, text: message.text ?? '', blocks: message.blocks ?? [], ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}) }
  }
  return { payload, responseId }
}

export function messageShortcut(
  fake: FakeSlack,
  target: { channel: string; ts: string; text: string; thread_ts?: string; user?: string },
  options: { user?: string; callbackId?: string; responseId?: string } = {},
) {
  const responseId = options.responseId ?? `sc-${unique()}`
  return {
    responseId,
    payload: {
      type: 'message_action',
      token: 'deprecated-verification-token',
      action_ts: `${Date.now() / 1000}`,
      team: { id: fake.teamId, domain: 'fake' },
      user: { id: options.user ?? 'U2', username: 'bob', team_id: fake.teamId, name: 'bob' },
      channel: { id: target.channel, name: 'general' },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: options.callbackId ?? 'diagnose_error',
      trigger_id: `${Date.now()}.${unique()}.trigger`,
      response_url: fake.responseUrl(responseId),
      message_ts: target.ts,
      message: { type: 'message', user: target.user ?? 'U1', ts: target.ts, text: target.text, ...(target.thread_ts ? { thread_ts: target.thread_ts } : {}) },
    },
  }
}

// ---------- delivery to the app ----------

/** How a test talks to the app: signed HTTP posts to /slack/events, or Socket Mode envelopes. Same payloads. */
export type SlackDriver = {
  mode: 'http' | 'socket'
  command(payload: SlashCommand): Promise<unknown>
  event(body: object, options?: { retryNum?: number }): Promise<unknown>
  interaction(payload: object): Promise<unknown>
}

export function httpDriver(url: string, secret: string): SlackDriver {
  const expectOk = (r: PostResult) => {
    if (r.status !== 200) throw new Error(`POST /slack/events answered ${r.status}: ${r.text}`)
    return r
  }
  return {
    mode: 'http',
    command: async (payload) => expectOk(await postSigned(url, secret, formBody(payload))),
    event: async (body, options = {}) => expectOk(await postSigned(url, secret, JSON.stringify(body), { contentType: JSON_TYPE, retryNum: options.retryNum })),
    interaction: async (payload) => expectOk(await postSigned(url, secret, formBody({ payload: JSON.stringify(payload) }))),
  }
}

export function socketDriver(fake: FakeSlack): SlackDriver {
  const deliver = async (type: 'events_api' | 'slash_commands' | 'interactive', payload: unknown, retryAttempt?: number) => {
    const id = fake.sendEnvelope(type, payload, { retryAttempt })
    return fake.waitForAck(id, 10_000)
  }
  return {
    mode: 'socket',
    command: (payload) => deliver('slash_commands', payload),
    event: (body, options = {}) => deliver('events_api', body, options.retryNum),
    interaction: (payload) => deliver('interactive', payload),
  }
}
