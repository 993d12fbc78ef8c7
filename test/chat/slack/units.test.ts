// Unit tests of the Slack adapter's pure parts and its delivery/claim services (no Bolt, no startApp).
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { webApi } from '@slack/bolt'
import { computeSlackSignature, verifySlackRequest, checkSlackTimestamp } from '../../../src/chat/slack/signature.js'
import { slackToPlain, stripBotMention, mentionsBot } from '../../../src/chat/slack/text.js'
import { fitBlocks, truncateText, SLACK_LIMITS, type SlackBlock } from '../../../src/chat/slack/limits.js'
import { Claims } from '../../../src/chat/slack/claims.js'
import { SlackDelivery, SlackApiError, cannotPostInChannel } from '../../../src/chat/slack/delivery.js'
import { Metrics } from '../../../src/metrics.js'
import { createLogger } from '../../../src/log.js'
import type { Store } from '../../../src/store/types.js'
import { FakeSlack } from '../../fakes/fake-slack.js'
import { slackSignature } from '../../fakes/fake-slack-payloads.js'
import { failingStore } from './failing-store.js'

const log = createLogger({ level: 'silent' })
const SECRET = 'sekrit'

describe('Slack request signature', () => {
  const now = 1_700_000_000_000
  const ts = String(now / 1000)
  const body = 'token=x&text=hello'

  it('GIVEN a body signed like Slack WHEN verified THEN it is accepted', () => {
    const sig = slackSignature(SECRET, body, Number(ts))
    expect(computeSlackSignature(SECRET, ts, body)).toBe(sig)
    expect(verifySlackRequest({ signingSecret: SECRET, timestampHeader: ts, signatureHeader: sig, rawBody: Buffer.from(body), nowMs: now })).toEqual({ ok: true, timestamp: Number(ts) })
  })

  it('GIVEN a signature made with another secret, a changed body or none THEN it is rejected', () => {
    const forged = slackSignature('other', body, Number(ts))
    expect(verifySlackRequest({ signingSecret: SECRET, timestampHeader: ts, signatureHeader: forged, rawBody: body, nowMs: now })).toMatchObject({ ok: false, reason: 'bad_signature' })
    const sig = slackSignature(SECRET, body, Number(ts))
    expect(verifySlackRequest({ signingSecret: SECRET, timestampHeader: ts, signatureHeader: sig, rawBody: body + '&x=1', nowMs: now })).toMatchObject({ ok: false, reason: 'bad_signature' })
    expect(verifySlackRequest({ signingSecret: SECRET, timestampHeader: ts, signatureHeader: 'v0=abc', rawBody: body, nowMs: now })).toMatchObject({ ok: false, reason: 'bad_signature' })
    expect(verifySlackRequest({ signingSecret: SECRET, timestampHeader: ts, signatureHeader: undefined, rawBody: body, nowMs: now })).toMatchObject({ ok: false, reason: 'missing_signature' })
  })

  it('GIVEN timestamps more than 5 minutes away in either direction THEN they are rejected; within 5 minutes accepted', () => {
    const at = (deltaSec: number) => checkSlackTimestamp(String(now / 1000 + deltaSec), now)
    expect(at(-301)).toMatchObject({ ok: false, reason: 'stale_timestamp' })
    expect(at(301)).toMatchObject({ ok: false, reason: 'future_timestamp' })
    expect(at(-300).ok).toBe(true)
    expect(at(300).ok).toBe(true)
    expect(checkSlackTimestamp(undefined, now)).toMatchObject({ ok: false, reason: 'missing_timestamp' })
    expect(checkSlackTimestamp('12abc', now)).toMatchObject({ ok: false, reason: 'bad_timestamp' })
  })
})

describe('Slack text', () => {
  it('GIVEN Slack-formatted text WHEN made plain THEN entities, links and mentions are undone', () => {
    expect(slackToPlain('Error: &lt;html&gt; &amp;&amp; <https://api.anthropic.com|api.anthropic.com> <http://x.y/z> <@U123> <#C1|general> <!here>')).toBe(
      'Error: <html> && api.anthropic.com http://x.y/z @U123 #general @here',
    )
    expect(slackToPlain('&amp;lt;')).toBe('&lt;')
  })

  it('GIVEN a mention of the bot THEN it is detected and stripped', () => {
    expect(mentionsBot('hey <@UBOT> look', 'UBOT')).toBe(true)
    expect(mentionsBot('hey <@UOTHER>', 'UBOT')).toBe(false)
    expect(stripBotMention('<@UBOT> 401 invalid x-api-key', 'UBOT')).toBe('401 invalid x-api-key')
    expect(stripBotMention('<@UBOT>', 'UBOT')).toBe('')
  })
})

describe('Block Kit limits', () => {
  it('GIVEN a section longer than 3,000 chars THEN it is cut at a line end with fences balanced', () => {
    const text = '```\n' + 'x'.repeat(80).concat('\n').repeat(100)
    const out = truncateText(text, SLACK_LIMITS.sectionText)
    expect(out.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText)
    expect((out.match(/```/g) ?? []).length % 2).toBe(0)
    expect(out).toMatch(/shortened/)
  })

  it('GIVEN 80 blocks with an actions block last THEN 50 remain and the actions block is kept', () => {
    const blocks: SlackBlock[] = Array.from({ length: 79 }, (_, i) => ({ type: 'section', text: { type: 'mrkdwn', text: `s${i} ${'y'.repeat(4000)}` } }))
    blocks.push({ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'z'.repeat(100) } }] })
    const out = fitBlocks(blocks)
    expect(out).toHaveLength(SLACK_LIMITS.blocks)
    expect(out.at(-1)!.type).toBe('actions')
    for (const b of out) {
      const t = (b.text as { text?: string } | undefined)?.text
      if (t) expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText)
    }
    const button = (out.at(-1)!.elements as any[])[0]
    expect(button.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText)
  })
})

describe('Claims', () => {
  it('GIVEN the same id twice THEN the second is a duplicate (memo) and counted', async () => {
    const metrics = new Metrics()
    const seen = new Set<string>()
    const store = { claimEvent: async (_p: string, id: string) => (seen.has(id) ? false : (seen.add(id), true)) } as unknown as Store
    const claims = new Claims({ store, log, metrics })
    expect(await claims.claim('a')).toBe('first')
    expect(await claims.claim('a')).toBe('duplicate')
    // another replica already claimed 'b'
    seen.add('b')
    expect(await claims.claim('b')).toBe('duplicate')
    expect(metrics.duplicatesDropped.get({ platform: 'slack' })).toBe(2)
  })

  it('GIVEN the database is down THEN the claim goes ahead once ("unverified") and local duplicates are still dropped', async () => {
    const metrics = new Metrics()
    const claims = new Claims({ store: failingStore(), log, metrics })
    expect(await claims.claim('x')).toBe('unverified')
    expect(await claims.claim('x')).toBe('duplicate')
    expect(metrics.dbErrors.get({ operation: 'claim_event' })).toBe(1)
  })

  it('GIVEN a database that hangs THEN the claim gives up after the timeout and goes ahead', async () => {
    const store = { claimEvent: () => new Promise<boolean>(() => undefined) } as unknown as Store
    const claims = new Claims({ store, log, metrics: new Metrics(), timeoutMs: 50 })
    const t0 = Date.now()
    expect(await claims.claim('y')).toBe('unverified')
    expect(Date.now() - t0).toBeLessThan(1_000)
  })
})

describe('SlackDelivery against the fake Web API', () => {
  const fake = new FakeSlack()
  let delivery: SlackDelivery
  const sleeps: number[] = []
  beforeAll(async () => {
    await fake.start()
    const client = new webApi.WebClient('xoxb-unit', { slackApiUrl: fake.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } })
    delivery = new SlackDelivery(client, { log, metrics: new Metrics(), sleep: async (ms) => void sleeps.push(ms) })
  })
  afterAll(() => fake.stop())

  it('GIVEN chat.postMessage answers 429 Retry-After: 3 twice WHEN posting THEN it waits 3 s each time and posts exactly once', async () => {
    fake.rateLimit('chat.postMessage', { times: 2, retryAfterSec: 3 })
    sleeps.length = 0
    const { ts } = await delivery.postMessage('C9', { text: 'hi', blocks: [] }, '1.2')
    expect(ts).toBeTruthy()
    expect(sleeps).toEqual([3000, 3000])
    expect(fake.messages.get('C9')).toHaveLength(1)
  })

  it('GIVEN a response_url that answers 429 THEN the post is retried after Retry-After', async () => {
    fake.rateLimit('response_url', { times: 1, retryAfterSec: 2 })
    sleeps.length = 0
    const url = fake.responseUrl('unit-1')
    await delivery.respond(url, { text: 'hello', response_type: 'ephemeral' })
    expect(sleeps).toEqual([2000])
    expect(fake.responsePosts.filter((p) => p.id === 'unit-1')).toHaveLength(1)
  })

  it('GIVEN endless rate limiting THEN it gives up once the retry budget is spent, with a clear error', async () => {
    const client = new webApi.WebClient('xoxb-unit', { slackApiUrl: fake.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } })
    const waits: number[] = []
    const budgeted = new SlackDelivery(client, { log, metrics: new Metrics(), retryBudgetMs: 5_000, sleep: async (ms) => void waits.push(ms) })
    fake.rateLimit('chat.update', { times: 100, retryAfterSec: 1 })
    await expect(budgeted.update('C9', '1.1', { text: 'x', blocks: [] })).rejects.toMatchObject({ error: 'ratelimited' })
    expect(waits).toEqual([1000, 1000, 1000, 1000, 1000])
  })

  it('GIVEN chat.postMessage answers 500 for a while WHEN posting THEN it backs off, retries and posts exactly once', async () => {
    fake.serverError('chat.postMessage', { times: 6 })
    sleeps.length = 0
    await delivery.postMessage('C500', { text: 'after the outage', blocks: [] })
    expect(sleeps).toEqual([250, 500, 1000, 2000, 4000, 8000])
    expect(fake.messages.get('C500')).toHaveLength(1)
  })

  it('GIVEN a response_url that answers 503 twice WHEN responding THEN the reply arrives once', async () => {
    fake.serverError('response_url', { times: 2, status: 503 })
    const url = fake.responseUrl('unit-503')
    await delivery.respond(url, { text: 'hello again', response_type: 'ephemeral' })
    expect(fake.responsePosts.filter((p) => p.id === 'unit-503')).toHaveLength(1)
  })

  it('GIVEN an error a retry cannot fix (invalid_blocks) WHEN posting THEN it fails at once without waiting', async () => {
    fake.failWith('chat.postMessage', 'invalid_blocks')
    sleeps.length = 0
    await expect(delivery.postMessage('C9', { text: 'x', blocks: [] })).rejects.toMatchObject({ error: 'invalid_blocks' })
    expect(sleeps).toEqual([])
  })

  it('GIVEN the bot is not in the channel THEN the error says so', async () => {
    fake.notInChannel.add('C404')
    const err = await delivery.postMessage('C404', { text: 'x', blocks: [] }).catch((e) => e)
    expect(err).toBeInstanceOf(SlackApiError)
    expect(cannotPostInChannel(err)).toBe(true)
  })
})

describe('SlackDelivery and connections closed under it', () => {
  it('GIVEN the response_url server resets the first connection THEN the post is sent again and arrives once', async () => {
    const http = await import('node:http')
    let resets = 1
    const bodies: string[] = []
    const server = http.createServer((req, res) => {
      if (resets-- > 0) {
        req.socket.destroy()
        return
      }
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        bodies.push(body)
        res.end('ok')
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as { port: number }).port
    const client = new webApi.WebClient('xoxb-unit', { retryConfig: { retries: 0 } })
    const delivery = new SlackDelivery(client, { log, metrics: new Metrics(), sleep: async () => undefined })
    await delivery.respond(`http://127.0.0.1:${port}/response/x`, { text: 'hi' })
    expect(bodies).toHaveLength(1)
    server.close()
  })
})
