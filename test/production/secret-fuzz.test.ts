// Proof: 10,000 generated pastes with planted fake secrets of real shapes (Anthropic API/OAuth/admin keys, bearer
// tokens, AWS keys, GitHub tokens, proxy passwords, JWTs, e-mail addresses) through every entry point the service
// has: channel pastes, pastes in threads, direct messages, @mentions (with text, and bare in a thread whose first
// message is the paste), /claude-auth, the "Diagnose this error" shortcut, POST /api/classify and doctor uploads;
// then clicks on the replies (Still failing, Share, platform picker). Afterwards no planted secret body is in any
// table of the database, in the logs (at trace level), in any Web API call or response_url post, or in any HTTP
// answer of the service.
//
// The service runs as real bot processes (`node dist/main.js`, as `npm start` runs them, LOG_LEVEL=trace, JSON logs on stdout
// captured whole): two replicas sharing PostgreSQL when TEST_DATABASE_URL is set (both cores work), one process on the
// embedded database otherwise. Slack is the fake, in HTTP mode.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import pg from 'pg'
import { openStore } from '../../src/store/open-store.js'
import { decodeAction } from '../../src/replies/action-ids.js'
import { FakeSlack } from '../fakes/fake-slack.js'
import { appMentionEvent, blockAction, formBody, messageEvent, messageShortcut, postSigned, slashCommand, JSON_TYPE } from '../fakes/fake-slack-payloads.js'
import { createTestDatabase, testBackends } from '../support/test-store.js'
import { killAllBots, startBot, type BotProcess } from '../support/process-harness.js'
import { PasteGenerator, SecretScanner, type Leak, type Paste } from './lib/pastes.js'
import { doctorCodeIn, doctorReport } from './lib/doctor-report.js'
import { SIGNING_SECRET, dumpTables, pool, slackHttpEnv } from './lib/common.js'

const PASTES = Number(process.env.PROOF_FUZZ_PASTES ?? 10_000)
const SEED = Number(process.env.PROOF_FUZZ_SEED ?? 20_261_124)
const CONCURRENCY = 16

const ENTRY_POINTS = ['channel', 'channel', 'channel', 'thread', 'thread', 'dm', 'mention', 'mention', 'mention-thread', 'slash', 'slash', 'shortcut', 'shortcut', 'classify', 'classify', 'doctor'] as const
type EntryPoint = (typeof ENTRY_POINTS)[number]

const backend = testBackends().at(-1)!

describe(`${PASTES} pastes with planted secrets through every entry point (${backend})`, () => {
  const fake = new FakeSlack()
  let db: { url: string; drop(): Promise<void> }
  let bots: BotProcess[] = []
  /** every HTTP answer the service gave (acks, /api/classify, /api/doctor) */
  const answers: string[] = []

  beforeAll(async () => {
    await fake.start()
    db = await createTestDatabase(backend)
    const env = slackHttpEnv(fake.apiUrl, db.url, { LOG_LEVEL: 'trace', DOCTOR_UPLOADS_PER_MINUTE: '10000' })
    bots = await Promise.all((backend === 'postgres' ? ['fuzz-a', 'fuzz-b'] : ['fuzz']).map((name) => startBot({ name, env })))
  }, 120_000)

  afterAll(async () => {
    await killAllBots()
    await fake.stop()
    await db?.drop()
  })

  it('GIVEN the scanner WHEN it reads the pastes themselves THEN it finds the planted secrets (the check can fail)', () => {
    const gen = new PasteGenerator(SEED)
    const scanner = new SecretScanner()
    const shapes = gen.everyShape()
    shapes.forEach((p) => scanner.add(p))
    for (const p of shapes) expect(scanner.scan('self-test', `some text ${p.text} more text`), p.shape).not.toEqual([])
    expect(scanner.scan('self-test', 'API Error: 401 invalid x-api-key [anthropic-api-key] sk-ant-api03-[redacted]')).toEqual([])
  })

  it(`GIVEN ${PASTES} pastes with planted secrets WHEN sent through every entry point THEN no secret is in the database, the logs, any Slack call or any HTTP answer`, async () => {
    const gen = new PasteGenerator(SEED)
    const scanner = new SecretScanner()
    const pastes: Paste[] = Array.from({ length: PASTES }, () => gen.paste())
    for (const p of pastes) p.planted.forEach((s) => scanner.add(s))
    const counts: Record<string, number> = {}
    const failures: string[] = []
    const botFor = (i: number) => bots[i % bots.length]!
    const sign = async (body: string, contentType?: string, i = 0) => {
      const r = await postSigned(`${botFor(i).url}/slack/events`, SIGNING_SECRET, body, contentType ? { contentType } : {})
      answers.push(r.text)
      if (r.status !== 200) failures.push(`POST /slack/events ${r.status} ${r.text.slice(0, 200)}`)
    }
    const post = async (path: string, body: unknown, ok: number[], i: number) => {
      const res = await fetch(`${botFor(i).url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      const text = await res.text()
      answers.push(text)
      if (!ok.includes(res.status)) failures.push(`POST ${path} ${res.status} ${text.slice(0, 200)}`)
      return res.status
    }

    const t0 = Date.now()
    await pool(PASTES, CONCURRENCY, async (i) => {
      const text = pastes[i]!.text
      const entry: EntryPoint = ENTRY_POINTS[i % ENTRY_POINTS.length]!
      counts[entry] = (counts[entry] ?? 0) + 1
      const channel = `C-fz-${i % 50}`
      switch (entry) {
        case 'channel':
          return sign(JSON.stringify(messageEvent(fake, text, { channel })), JSON_TYPE, i)
        case 'thread':
          return sign(JSON.stringify(messageEvent(fake, text, { channel, thread_ts: fake.nextTs() })), JSON_TYPE, i)
        case 'dm':
          return sign(JSON.stringify(messageEvent(fake, text, { channel: `D-fz-${i % 20}`, channel_type: 'im' })), JSON_TYPE, i)
        case 'mention':
          return sign(JSON.stringify(appMentionEvent(fake, text, { channel })), JSON_TYPE, i)
        case 'mention-thread': {
          const parent = fake.addMessage(channel, { text, user: 'U-asker' })
          return sign(JSON.stringify(appMentionEvent(fake, '', { channel, thread_ts: parent })), JSON_TYPE, i)
        }
        case 'slash':
          return sign(formBody(slashCommand(fake, text, { channel }).payload), undefined, i)
        case 'shortcut': {
          const ts = fake.addMessage(channel, { text, user: 'U-asker' })
          return sign(formBody({ payload: JSON.stringify(messageShortcut(fake, { channel, ts, text }).payload) }), undefined, i)
        }
        case 'classify':
          await post('/api/classify', { text }, [200], i)
          return
        case 'doctor': {
          // `/claude-auth doctor` hands out the one-time code, then a doctor build that leaks uploads the paste in its
          // report: the service refuses it (422) or keeps it redacted (200).
          const cmd = slashCommand(fake, 'doctor', { channel })
          await sign(formBody(cmd.payload), undefined, i)
          const code = doctorCodeIn((await fake.waitForResponse(cmd.responseId, 30_000)).body)
          if (!code) {
            failures.push('no doctor code in the /claude-auth doctor answer')
            return
          }
          const lines = text.split('\n')
          await post('/api/doctor', { code, report: doctorReport({ summary: lines[0]!.slice(0, 900), detail: text.slice(0, 1_900) }) }, [200, 422], i)
          return
        }
      }
    })
    const sentMs = Date.now() - t0

    // Replies are asynchronous (ack first): wait until the Slack traffic has settled (no new call for a while).
    let last = -1
    for (let tries = 0; tries < 600; tries++) {
      const now = fake.calls.length + fake.responsePosts.length
      if (now === last) break
      last = now
      await new Promise((r) => setTimeout(r, 500))
    }

    // Clicks on the replies: still failing (next cause, from the stored excerpt), share (ephemeral -> channel), and
    // the platform picker.
    const threaded = fake.callsTo('chat.postMessage').filter((c) => c.args.metadata?.event_payload?.incident_id).slice(0, 150)
    const ephemeral = fake.responsePosts.filter((p) => JSON.stringify(p.body?.blocks ?? []).includes('|share|')).slice(0, 100)
    const elementFor = (blocks: any[], action: string) => elementsOf(blocks).find((e) => decodeAction(String(e.action_id))?.action === action)
    await pool(threaded.length, CONCURRENCY, async (k) => {
      const call = threaded[k]!
      const channel = String(call.args.channel)
      const ts = fake.messages.get(channel)?.find((m) => m.blocks === call.args.blocks)?.ts ?? fake.nextTs()
      if (k % 2 === 0) {
        const e = elementFor(call.args.blocks, 'still_failing')
        if (e) await sign(formBody({ payload: JSON.stringify(blockAction(fake, { type: 'button', action_id: e.action_id, value: e.value }, { channel, ts, thread_ts: call.args.thread_ts, blocks: call.args.blocks }).payload) }), undefined, k)
      } else {
        const e = elementFor(call.args.blocks, 'pick_platform')
        const value = e?.options?.[1]?.value ?? 'windows'
        if (e) await sign(formBody({ payload: JSON.stringify(blockAction(fake, { type: 'static_select', action_id: e.action_id, selected: value }, { channel, ts, thread_ts: call.args.thread_ts, blocks: call.args.blocks }).payload) }), undefined, k)
      }
    })
    await pool(ephemeral.length, CONCURRENCY, async (k) => {
      const e = elementFor(ephemeral[k]!.body.blocks, 'share')
      if (e) await sign(formBody({ payload: JSON.stringify(blockAction(fake, { type: 'button', action_id: e.action_id, value: e.value }, { channel: 'C-fz-share', ephemeral: true }).payload) }), undefined, k)
    })
    last = -1
    for (let tries = 0; tries < 120; tries++) {
      const now = fake.calls.length + fake.responsePosts.length
      if (now === last) break
      last = now
      await new Promise((r) => setTimeout(r, 500))
    }
    const clicks = threaded.length + ephemeral.length

    // Stop the service (SIGTERM): every queued write is flushed, the database is closed; then read what it wrote.
    // (At trace level the bot logs about one line per paste: start-up, Bolt, claims, "incident recorded", warnings.)
    for (const exit of await Promise.all(bots.map((b) => b.stop()))) expect(exit.code).toBe(0)
    const logs = bots.map((b) => b.stdout() + b.stderr()).join('\n')
    const tables = await readTables(db.url, backend)
    const totalMs = Date.now() - t0

    const leaks: Leak[] = []
    const scan = (where: string, text: string) => leaks.push(...scanner.scan(where, text, 5))
    scan('logs', logs)
    for (const c of fake.calls) {
      scan(`Web API ${c.method} (raw)`, c.raw)
      scan(`Web API ${c.method} (decoded)`, JSON.stringify(c.args))
    }
    for (const p of fake.responsePosts) scan('response_url post', p.raw)
    scan('HTTP answers', answers.join('\n'))
    for (const t of tables) scan(`table ${t.table}`, t.rows.join('\n'))

    const rows = Object.fromEntries(tables.map((t) => [t.table, t.rows.length]))
    const replies = fake.deliveries().length
    console.log(
      `[secret-fuzz] ${PASTES} pastes (seed ${SEED}), ${scanner.planted} planted secrets (${scanner.size} fingerprints), entry points ${JSON.stringify(counts)}, ${clicks} clicks; ` +
        `sent in ${sentMs} ms, done in ${totalMs} ms; ${bots.length} bot process(es), scanned ${(logs.length / 1e6).toFixed(1)} MB of logs, ${fake.calls.length} Web API calls, ` +
        `${fake.responsePosts.length} response_url posts, ${answers.length} HTTP answers, rows ${JSON.stringify(rows)}; replies ${replies}; leaks ${leaks.length}`,
    )
    expect(failures.slice(0, 10)).toEqual([])
    expect(leaks.slice(0, 10)).toEqual([])
    // The haystacks were not empty: the proof looked at real output.
    expect(rows.Incident).toBeGreaterThan(PASTES / 2)
    expect(rows.DoctorReport).toBeGreaterThan(0)
    expect(replies).toBeGreaterThan(PASTES / 2)
    expect(logs.split('\n').length).toBeGreaterThan(PASTES / 2)
  }, 600_000)
})

function elementsOf(blocks: any[] | undefined): any[] {
  const out: any[] = []
  for (const b of blocks ?? []) {
    if (b.type === 'actions') out.push(...(b.elements ?? []))
    if (b.accessory) out.push(b.accessory)
  }
  return out
}

async function readTables(url: string, kind: 'pglite' | 'postgres') {
  if (kind === 'postgres') {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      return await dumpTables(async (sql) => (await client.query(sql)).rows)
    } finally {
      await client.end()
    }
  }
  const store = await openStore({ url, migrate: 'never' })
  try {
    return await dumpTables((sql) => store.prisma.$queryRawUnsafe<any[]>(sql))
  } finally {
    await store.close()
  }
}

