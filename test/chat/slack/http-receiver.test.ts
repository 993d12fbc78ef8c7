// The HTTP-mode door on its own: the real Bolt App behind SlackHttpReceiver mounted on the service's HTTP server.
// Every way a request can be refused, the url_verification handshake, ack-before-work, and retries handed to Bolt.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { App, LogLevel } from '@slack/bolt'
import { SlackHttpReceiver, SLACK_MAX_BODY_BYTES } from '../../../src/chat/slack/http-receiver.js'
import { createHttpServer, type HttpServer } from '../../../src/web/server.js'
import { createLogger } from '../../../src/log.js'
import { FakeSlack } from '../../fakes/fake-slack.js'
import { FORM, JSON_TYPE, formBody, messageEvent, postSigned, slashCommand } from '../../fakes/fake-slack-payloads.js'

const SECRET = 'receiver-secret'
const log = createLogger({ level: 'silent' })

describe('SlackHttpReceiver (POST /slack/events on the service port)', () => {
  const fake = new FakeSlack()
  let http: HttpServer
  let receiver: SlackHttpReceiver
  let app: App
  let url = ''
  const handled: { kind: string; text?: string; retryNum?: number; at: number }[] = []
  let clockOffsetMs = 0

  beforeAll(async () => {
    await fake.start()
    receiver = new SlackHttpReceiver({ signingSecret: SECRET, clock: () => new Date(Date.now() + clockOffsetMs), log, ackDeadlineMs: 500 })
    app = new App({ token: 'xoxb-r', botId: 'BBOT', botUserId: 'UBOT', receiver, clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } }, logLevel: LogLevel.ERROR })
    app.command('/claude-auth', async ({ ack, command }) => {
      await ack()
      // work after the ack: the HTTP answer must not wait for this
      await new Promise((r) => setTimeout(r, 1_500))
      handled.push({ kind: 'command', text: command.text, at: Date.now() })
    })
    app.command('/ack-body', async ({ ack }) => ack({ response_type: 'ephemeral', text: 'right away' }))
    app.event('message', async ({ event, context }) => {
      handled.push({ kind: 'message', text: (event as { text?: string }).text, retryNum: context.retryNum, at: Date.now() })
    })
    app.error(async () => undefined)
    await app.start()
    http = createHttpServer({ log, routes: [receiver.route()] })
    const port = await http.listen(0, '127.0.0.1')
    url = `http://127.0.0.1:${port}/slack/events`
  })
  afterAll(async () => {
    await app.stop()
    await http.close(100)
    await fake.stop()
  })

  const command = (text: string) => formBody(slashCommand(fake, text).payload)

  it('GIVEN a correctly signed slash command WHEN posted THEN 200 with an empty body arrives before the work is done', async () => {
    const t0 = Date.now()
    const r = await postSigned(url, SECRET, command('slow work'))
    expect(r.status).toBe(200)
    expect(r.text).toBe('')
    expect(r.ms).toBeLessThan(1_000)
    const done = await fake.waitFor(() => handled.find((h) => h.text === 'slow work'), 10_000)
    expect(done.at - t0).toBeGreaterThanOrEqual(1_400)
  })

  it('GIVEN a listener that acks with a body THEN the body is the HTTP answer', async () => {
    const r = await postSigned(url, SECRET, formBody(slashCommand(fake, '', { command: '/ack-body' }).payload))
    expect(r.status).toBe(200)
    expect(JSON.parse(r.text)).toEqual({ response_type: 'ephemeral', text: 'right away' })
  })

  it('GIVEN a body signed with the wrong secret THEN 401 and no listener runs', async () => {
    const before = handled.length
    const r = await postSigned(url, SECRET, command('forged'), { secret: 'not-the-secret' })
    expect(r.status).toBe(401)
    expect(JSON.parse(r.text).error.code).toBe('SLACK_BAD_SIGNATURE')
    await fake.settle(200)
    expect(handled.length).toBe(before)
  })

  it('GIVEN no signature headers THEN 401', async () => {
    const r = await postSigned(url, SECRET, command('unsigned'), { unsigned: true })
    expect(r.status).toBe(401)
  })

  it('GIVEN a correctly signed request 6 minutes old THEN 401 (stale)', async () => {
    const r = await postSigned(url, SECRET, command('stale'), { ts: Math.floor(Date.now() / 1000) - 360 })
    expect(r.status).toBe(401)
    expect(JSON.parse(r.text).error.code).toBe('SLACK_BAD_TIMESTAMP')
  })

  it('GIVEN a correctly signed request 6 minutes in the future THEN 401 (Bolt alone would accept it)', async () => {
    const r = await postSigned(url, SECRET, command('future'), { ts: Math.floor(Date.now() / 1000) + 360 })
    expect(r.status).toBe(401)
    expect(JSON.parse(r.text).error.code).toBe('SLACK_BAD_TIMESTAMP')
  })

  it('GIVEN the service clock is 10 minutes ahead of the sender THEN the window follows the injected clock', async () => {
    clockOffsetMs = 10 * 60_000
    try {
      const r = await postSigned(url, SECRET, command('clock'), { ts: Math.floor(Date.now() / 1000) })
      expect(r.status).toBe(401)
      const ok = await postSigned(url, SECRET, command('clock-ok'), { ts: Math.floor(Date.now() / 1000) + 600 })
      expect(ok.status).toBe(200)
    } finally {
      clockOffsetMs = 0
    }
  })

  it('GIVEN a signed body with a content type Slack never sends THEN 415', async () => {
    const r = await postSigned(url, SECRET, 'text=hello', { contentType: 'text/plain' })
    expect(r.status).toBe(415)
  })

  it('GIVEN the form content type with a charset parameter THEN it is accepted', async () => {
    const r = await postSigned(url, SECRET, command('charset'), { contentType: `${FORM}; charset=utf-8` })
    expect(r.status).toBe(200)
  })

  it('GIVEN a signed body over the size limit THEN 413 and nothing runs', async () => {
    const body = JSON.stringify(messageEvent(fake, 'x'.repeat(SLACK_MAX_BODY_BYTES)))
    const r = await postSigned(url, SECRET, body, { contentType: JSON_TYPE })
    expect(r.status).toBe(413)
  })

  it('GIVEN a signed body that is not JSON THEN 400', async () => {
    const r = await postSigned(url, SECRET, '{not json', { contentType: JSON_TYPE })
    expect(r.status).toBe(400)
  })

  it('GIVEN Slack url_verification THEN the challenge is echoed', async () => {
    const r = await postSigned(url, SECRET, JSON.stringify({ type: 'url_verification', token: 't', challenge: 'abc123' }), { contentType: JSON_TYPE })
    expect(r.status).toBe(200)
    expect(JSON.parse(r.text)).toEqual({ challenge: 'abc123' })
  })

  it('GIVEN a retried event (X-Slack-Retry-Num) THEN it is acked and Bolt sees the retry number', async () => {
    const body = JSON.stringify(messageEvent(fake, 'retry me'))
    const r = await postSigned(url, SECRET, body, { contentType: JSON_TYPE, retryNum: 2, retryReason: 'http_timeout' })
    expect(r.status).toBe(200)
    const h = await fake.waitFor(() => handled.find((x) => x.text === 'retry me'))
    expect(h.retryNum).toBe(2)
  })

  it('GIVEN a command no listener acks THEN the request is still answered 200 in time', async () => {
    const r = await postSigned(url, SECRET, formBody(slashCommand(fake, '', { command: '/nobody' }).payload))
    expect(r.status).toBe(200)
    expect(r.ms).toBeLessThan(2_500)
  })

  it('GIVEN the receiver is stopping THEN new requests get 503 (Slack retries elsewhere)', async () => {
    await receiver.stop(2_000)
    const r = await postSigned(url, SECRET, command('late'))
    expect(r.status).toBe(503)
    await receiver.start()
  })
})
