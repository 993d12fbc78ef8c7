// Issue #6, the service side of the doctor, end to end and at its edges:
//   1. the whole service (startApp) with Slack on against the fake Slack: `/claude-auth doctor` through the real
//      Bolt path issues a code (stored hashed); the doctor is fetched from GET /doctor.mjs and run with plain `node`
//      on a machine with planted secrets; its upload lands as a stored report, an incident with source 'doctor', and
//      the verdict posted where the code was issued (the channel; a thread for "Run the doctor"), and no planted
//      secret reaches the database, Slack or the answers;
//   2. bad uploads, each refused with its own status and code, storing nothing: too big, wrong content type,
//      malformed JSON, wrong schema, a secret left in (and the code still usable), unknown, expired and reused
//      codes, and the per-address rate limit; then /metrics counts each outcome.
import http from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startApp, type App } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import type { DoctorReport } from '../../src/doctor/types.js'
import { createLogger } from '../../src/log.js'
import { decodeAction, encodeAction } from '../../src/replies/action-ids.js'
import { FakeSlack } from '../fakes/fake-slack.js'
import { blockAction, messageEvent, slashCommand } from '../fakes/fake-slack-payloads.js'
import { elementsOf, startHarness, verdictCause, type Harness } from '../chat/slack/harness.js'
import { createTestStore, type TestStore } from '../support/test-store.js'
import { codeIn, eventually, fetchDoctor, leaksOf, oneLiners, runDoctor, slackText, startApiStub, userMachine, type ApiStub, type Machine } from './doctor-e2e.js'

const PUBLIC_URL = 'https://bot.example.test'
const PASTE_401 = 'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}'

describe('the doctor end to end: /claude-auth doctor in Slack, the served doctor run on a machine, the verdict back in Slack', () => {
  const fake = new FakeSlack()
  let t: TestStore
  let h: Harness
  let api: ApiStub
  let machine: Machine
  let service: string
  /** the report the doctor printed (--json), reused for the thread upload */
  let report: DoctorReport
  const answers: string[] = []

  beforeAll(async () => {
    await fake.start()
    t = await createTestStore('pglite')
    h = await startHarness({ mode: 'http', store: t.store, fake, env: { PUBLIC_URL } })
    service = `http://127.0.0.1:${h.app.port}`
    api = await startApiStub()
    machine = userMachine()
  }, 120_000)
  afterAll(async () => {
    await h?.stop()
    await t?.cleanup()
    await fake.stop()
    await api?.close()
    machine?.cleanup()
  })

  it('GIVEN /claude-auth doctor in a channel WHEN the doctor from GET /doctor.mjs runs there with --upload CODE --yes THEN the report is stored, an incident recorded, the verdict posted in that channel, and no planted secret anywhere', async () => {
    // the person runs the slash command: the code is shown privately with the one-line commands, stored hashed
    const { payload, responseId } = slashCommand(fake, 'doctor', { channel: 'C-doc-e2e', user: 'U-doc' })
    await h.driver.command(payload)
    const shown = await fake.waitForResponse(responseId)
    expect(shown.body.response_type).toBe('ephemeral')
    const code = codeIn(shown.body)
    const lines = oneLiners(PUBLIC_URL, code)
    expect(slackText(shown.body)).toContain(lines.posix)
    expect(slackText(shown.body)).toContain(lines.powershell)
    const [token] = await t.store.prisma.doctorToken.findMany({ where: { channelId: 'C-doc-e2e' } })
    expect(token).toMatchObject({ userId: 'U-doc', threadId: null, usedAt: null })
    expect(JSON.stringify(token)).not.toContain(code.replace('-', ''))
    expect(JSON.stringify(token)).not.toContain(code)

    // the service serves the one-file doctor with its public URL built in
    const fetched = await fetchDoctor(service, machine.root)
    expect(fetched.status).toBe(200)
    expect(fetched.contentType).toMatch(/^text\/javascript/)
    expect(fetched.text.startsWith('#!/usr/bin/env node\n')).toBe(true)
    expect(fetched.text).toContain(JSON.stringify(PUBLIC_URL))

    // it runs with plain node and nothing installed; --json keeps the report on stdout and the upload talk on stderr
    const run = await runDoctor(fetched.file, ['--json', '--upload', code, '--yes', '--server', service, '--api-url', api.url], machine)
    expect(run.stderr).toContain('Uploaded: Thanks: the verdict is posted in your thread.')
    expect(run.code).toBe(1) // uploaded; the machine still has something wrong
    report = JSON.parse(run.stdout) as DoctorReport
    expect(report.checks.find((c) => c.id === 'api-key')?.findings).toEqual([{ code: 'api_key.hidden_characters', severity: 'error' }])
    expect(report.verdict.cause).not.toBe('none')
    const cause = report.verdict.cause
    answers.push(run.stdout, run.stderr)

    // the verdict and the fix are posted where the code was issued (the channel: slash commands have no thread)
    const post = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-doc-e2e', 10_000)
    expect(verdictCause(post.args.blocks)).toBe(cause)
    expect(post.args.thread_ts).toBeUndefined()
    expect(slackText(post.args.blocks)).toContain('Doctor report')
    expect(slackText(post.args.blocks)).toContain(report.verdict.headline.slice(0, 40))

    // stored: the code spent, the report kept (redacted), an incident with source 'doctor'
    const used = await t.store.prisma.doctorToken.findUnique({ where: { id: token!.id } })
    expect(used?.usedAt).not.toBeNull()
    const reports = await t.store.prisma.doctorReport.findMany({ where: { tokenId: token!.id } })
    expect(reports).toHaveLength(1)
    expect(reports[0]).toMatchObject({ cause, userId: 'U-doc' })
    expect((reports[0]!.report as DoctorReport).checks.map((c) => c.id)).toEqual(report.checks.map((c) => c.id))
    const incident = await eventually(async () => (await t.store.prisma.incident.findMany({ where: { channelId: 'C-doc-e2e' } }))[0], 10_000, 'the doctor incident')
    expect(incident).toMatchObject({ source: 'doctor', cause, userId: 'U-doc' })
  }, 90_000)

  it('GIVEN "Run the doctor" on a diagnosis in a thread WHEN the report is uploaded with that code THEN the verdict is posted in that thread', async () => {
    expect(report, 'the first test ran the doctor').toBeDefined()
    await h.driver.event(messageEvent(fake, PASTE_401, { channel: 'C-doc-thread' }))
    const diagnosis = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-doc-thread')
    const thread = diagnosis.args.thread_ts as string
    expect(thread).toBeTruthy()
    const still = elementsOf(diagnosis.args.blocks).find((e) => decodeAction(e.action_id)?.action === 'still_failing')
    const click = blockAction(fake, { type: 'button', action_id: encodeAction({ ...decodeAction(still.action_id)!, action: 'run_doctor' }) }, { channel: 'C-doc-thread', ts: fake.messages.get('C-doc-thread')!.at(-1)!.ts, thread_ts: thread })
    await h.driver.interaction(click.payload)
    const code = codeIn((await fake.waitForResponse(click.responseId)).body)

    const res = await fetch(`${service}/api/doctor`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, report }) })
    const body = (await res.json()) as Record<string, unknown>
    expect(res.status).toBe(200)
    expect(body).toEqual({ ok: true, cause: report.verdict.cause, posted: true, message: 'Thanks: the verdict is posted in your thread.' })
    answers.push(JSON.stringify(body))
    const posted = await fake.waitFor(() => fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C-doc-thread')[1], 10_000, 'the doctor answer in the thread')
    expect(posted.args.thread_ts).toBe(thread)
    expect(verdictCause(posted.args.blocks)).toBe(report.verdict.cause)
    const incident = await eventually(async () => (await t.store.prisma.incident.findMany({ where: { channelId: 'C-doc-thread', source: 'doctor' } }))[0], 10_000, 'the thread incident')
    expect(incident.threadId).toBe(thread)
  }, 60_000)

  it('GIVEN both uploads WHEN the database, every Slack call and every answer are searched THEN no planted secret is in any of them', async () => {
    expect(answers.length).toBeGreaterThanOrEqual(3)
    const prisma = t.store.prisma
    const database = JSON.stringify([await prisma.doctorReport.findMany(), await prisma.incident.findMany(), await prisma.doctorToken.findMany()])
    expect(database).toContain('api_key.hidden_characters') // the search looks at real content
    expect(leaksOf(database)).toEqual([])
    // Web API calls arrive form-encoded: search them decoded, and as parsed arguments
    const decoded = (raw: string) => {
      try {
        return decodeURIComponent(raw.replace(/\+/g, ' '))
      } catch {
        return raw
      }
    }
    const slack = [...fake.calls.flatMap((c) => [c.raw, decoded(c.raw), JSON.stringify(c.args)]), ...fake.responsePosts.map((p) => p.raw)].join('\n')
    expect(slack).toContain('Doctor report')
    expect(leaksOf(slack)).toEqual([])
    expect(leaksOf(answers.join('\n'))).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------------------------
// bad uploads

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: any; text: string }

/** POST with full control of the body, its type and length, and the client address */
function post(url: string, body: string | Buffer, options: { type?: string | null; chunked?: boolean; localAddress?: string } = {}): Promise<Answer> {
  const data = typeof body === 'string' ? Buffer.from(body) : body
  const headers: Record<string, string> = {}
  if (options.type !== null) headers['content-type'] = options.type ?? 'application/json'
  if (!options.chunked) headers['content-length'] = String(data.length)
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers, localAddress: options.localAddress, agent: false }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (text += d))
      res.on('end', () => {
        let parsed: unknown = null
        try {
          parsed = JSON.parse(text)
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text })
      })
    })
    req.on('error', reject)
    if (options.chunked) {
      // in pieces, without a Content-Length: the limit must hold while reading, not only on the declared length
      for (let i = 0; i < data.length; i += 16 * 1024) req.write(data.subarray(i, i + 16 * 1024))
      req.end()
    } else req.end(data)
  })
}

/** A valid report (what the doctor sends), with optional text planted in a check */
function validReport(plant: { summary?: string; detail?: string } = {}): DoctorReport {
  return {
    schema: 'claude-auth-doctor/1',
    doctorVersion: '0.1.0',
    generatedAt: '2026-03-02T10:00:00.000Z',
    system: { platform: 'darwin', release: '24.3.0', arch: 'arm64', node: 'v22.14.0' },
    options: { checkKey: false, showKeySuffix: false, apiHost: 'api.anthropic.com' },
    checks: [
      {
        id: 'api-key',
        title: 'ANTHROPIC_API_KEY',
        state: 'error',
        summary: plant.summary ?? 'an API key (sk-ant-api03-…, 109 characters) with a trailing carriage return',
        details: [plant.detail ?? 'set in ~/.zshrc line 12'],
        fix: { text: 'Remove the carriage return from the line that sets the key.', commands: ["sed -i '' $'s/\\r$//' ~/.zshrc"] },
        facts: { length: 109, hiddenCharacters: ['CR'] },
        findings: [{ code: 'api_key.hidden_characters', severity: 'error' }],
        durationMs: 3,
      },
    ],
    verdict: { cause: 'invalid_api_key', headline: 'ANTHROPIC_API_KEY carries a hidden character, so the API rejects it.', because: ['api_key.hidden_characters'], fix: null, alternatives: [] },
    summary: { ok: 0, warning: 0, error: 1, crashed: 0, skipped: 0 },
  }
}

const KEY_IN_CLEAR = 'sk-ant-api03-Qm7Zp2Lk9Xw4Rt6Yv8Bn1Cs3Df5Gh7Jk9Lm2Np4Qr6St8Uv0Wx2Yz4Ab6Cd8Ef0Gh2Ij4Kl6Mn8Op0Qr2St4Uv6Wx8Yz0Ab2CdAA'
const AWS_SESSION = 'AQoDYXdzEJr1K2mVyZ3Rva2VuEXAMPLE0123456789'

describe('bad uploads to POST /api/doctor: each refused with its own status and code, nothing stored', () => {
  let now = Date.parse('2026-03-02T10:00:00.000Z')
  const clock = () => new Date(now)
  let t: TestStore
  let app: App
  let url: string
  const LIMIT = 5
  const workspace = { platform: 'slack' as const, externalId: 'T-bad' }
  const issue = async (ttlMs = 30 * 60_000, channelId = 'C-bad') => (await t.store.issueDoctorToken({ workspace, channelId, threadId: '1700000000.000100', userId: 'U-bad' }, ttlMs)).code
  const stored = async () => ({
    reports: await t.store.prisma.doctorReport.count(),
    incidents: await t.store.prisma.incident.count({ where: { source: 'doctor' } }),
    usedCodes: await t.store.prisma.doctorToken.count({ where: { NOT: { usedAt: null } } }),
  })
  let metricsBefore = ''

  beforeAll(async () => {
    t = await createTestStore('pglite', { now: clock })
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DATABASE_URL: 'pglite:memory',
      PUBLIC_URL,
      DOCTOR_UPLOADS_PER_MINUTE: String(LIMIT),
      DOCTOR_MAX_BYTES: String(64 * 1024),
    })
    app = await startApp({ config, log: createLogger({ level: 'silent' }), store: t.store, clock })
    url = `http://127.0.0.1:${app.port}/api/doctor`
    metricsBefore = await (await fetch(`http://127.0.0.1:${app.port}/metrics`)).text()
  }, 120_000)
  afterAll(async () => {
    await app?.stop()
    await t?.cleanup()
  })
  // every test starts in a fresh rate-limit window (the limiter runs on the app's clock)
  beforeEach(() => {
    now += 61_000
  })

  const refusedWith = (a: Answer, status: number, code: string) => {
    expect({ status: a.status, code: a.body?.error?.code }).toEqual({ status, code })
    expect(typeof a.body.error.message).toBe('string')
    expect(a.body.error.message.length).toBeGreaterThan(20)
  }

  it('GIVEN a body past DOCTOR_MAX_BYTES WHEN sent with its length or in chunks without one THEN 413 BODY_TOO_LARGE, the code untouched', async () => {
    const code = await issue()
    const big = JSON.stringify({ code, report: validReport({ detail: 'x'.repeat(70 * 1024) }) })
    refusedWith(await post(url, big), 413, 'BODY_TOO_LARGE')
    refusedWith(await post(url, big, { chunked: true }), 413, 'BODY_TOO_LARGE')
    expect(await stored()).toEqual({ reports: 0, incidents: 0, usedCodes: 0 })
  })

  it('GIVEN the wrong content type or none WHEN sent THEN 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const body = JSON.stringify({ code: await issue(), report: validReport() })
    refusedWith(await post(url, body, { type: 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE')
    refusedWith(await post(url, body, { type: 'application/x-www-form-urlencoded' }), 415, 'UNSUPPORTED_MEDIA_TYPE')
    refusedWith(await post(url, body, { type: null }), 415, 'UNSUPPORTED_MEDIA_TYPE')
    expect(await stored()).toEqual({ reports: 0, incidents: 0, usedCodes: 0 })
  })

  it('GIVEN malformed JSON WHEN sent THEN 400 MALFORMED_JSON', async () => {
    const body = JSON.stringify({ code: await issue(), report: validReport() })
    refusedWith(await post(url, body.slice(0, -10)), 400, 'MALFORMED_JSON')
    refusedWith(await post(url, '{"code": "ABCDE-12345", report: {}}'), 400, 'MALFORMED_JSON')
    expect(await stored()).toEqual({ reports: 0, incidents: 0, usedCodes: 0 })
  })

  it('GIVEN JSON that is not a doctor report WHEN sent THEN 400 INVALID_REPORT naming the field', async () => {
    const code = await issue()
    const badState = validReport()
    ;(badState.checks[0] as { state: string }).state = 'fine'
    const a = await post(url, JSON.stringify({ code, report: badState }))
    refusedWith(a, 400, 'INVALID_REPORT')
    expect(a.body.error.message).toContain('report.checks.0.state')
    const noCode = await post(url, JSON.stringify({ report: validReport() }))
    refusedWith(noCode, 400, 'INVALID_REPORT')
    expect(noCode.body.error.message).toMatch(/\bcode\b/)
    const oldDoctor = await post(url, JSON.stringify({ code, report: { ...validReport(), schema: 'claude-auth-doctor/0' } }))
    refusedWith(oldDoctor, 400, 'INVALID_REPORT')
    expect(oldDoctor.body.error.message).toContain('report.schema')
    refusedWith(await post(url, '[1,2,3]'), 400, 'INVALID_REPORT')
    expect(await stored()).toEqual({ reports: 0, incidents: 0, usedCodes: 0 })
  })

  it('GIVEN a report that still holds a secret WHEN sent THEN 422 REPORT_CONTAINS_SECRET naming the kind, not echoing it, the code still unused; WHEN sent clean with the same code THEN 200', async () => {
    const code = await issue()
    const inClear = await post(url, JSON.stringify({ code, report: validReport({ detail: `export ANTHROPIC_API_KEY=${KEY_IN_CLEAR}` }) }))
    refusedWith(inClear, 422, 'REPORT_CONTAINS_SECRET')
    expect(inClear.body.error.message).toContain('Anthropic API key')
    expect(inClear.text).not.toContain(KEY_IN_CLEAR.slice(13, 40))
    // inside quoted JSON (escaped quotes in the upload): a check on the whole JSON text alone misses this one
    const quoted = await post(url, JSON.stringify({ code, report: validReport({ detail: `~/.aws/cli/cache/x.json: {"SessionToken": "${AWS_SESSION}"}` }) }))
    refusedWith(quoted, 422, 'REPORT_CONTAINS_SECRET')
    expect(quoted.text).not.toContain(AWS_SESSION)
    // under a key that names a secret, in the facts
    const named = validReport()
    named.checks[0]!.facts = { refreshToken: 'Zq81Lm2Np3Kx4Vb5' }
    refusedWith(await post(url, JSON.stringify({ code, report: named })), 422, 'REPORT_CONTAINS_SECRET')
    expect(await stored()).toEqual({ reports: 0, incidents: 0, usedCodes: 0 })
    expect(JSON.stringify(await t.store.prisma.doctorToken.findMany())).not.toContain('Zq81Lm2Np3Kx4Vb5')

    const ok = await post(url, JSON.stringify({ code, report: validReport() }))
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ ok: true, cause: 'invalid_api_key', posted: false })
    expect(await stored()).toMatchObject({ reports: 1, usedCodes: 1 })
    await t.store.prisma.doctorReport.deleteMany()
    await eventually(async () => (await t.store.prisma.incident.count({ where: { source: 'doctor' } })) === 1, 10_000, 'the incident of the clean upload')
    await t.store.prisma.incident.deleteMany()
    await t.store.prisma.doctorToken.deleteMany()
  })

  it('GIVEN personal data (an email address) in a report WHEN sent THEN accepted, and stored with it masked: the report is redacted again', async () => {
    const code = await issue(30 * 60_000, 'C-pii')
    const ok = await post(url, JSON.stringify({ code, report: validReport({ summary: 'Logged in as ana.lopez@example.com (Max plan)' }) }))
    expect(ok.status).toBe(200)
    const [row] = await t.store.prisma.doctorReport.findMany()
    expect(JSON.stringify(row!.report)).not.toContain('ana.lopez@example.com')
    expect(JSON.stringify(row!.report)).toContain('[email]')
    await t.store.prisma.doctorReport.deleteMany()
    await eventually(async () => (await t.store.prisma.incident.count({ where: { source: 'doctor' } })) === 1, 10_000, 'the incident of the upload')
    const incidents = await t.store.prisma.incident.findMany({ where: { source: 'doctor' } })
    expect(JSON.stringify(incidents)).not.toContain('ana.lopez@example.com')
    await t.store.prisma.incident.deleteMany()
    await t.store.prisma.doctorToken.deleteMany()
  })

  it('GIVEN a well-formed code that was never issued WHEN sent THEN 404 CODE_UNKNOWN', async () => {
    refusedWith(await post(url, JSON.stringify({ code: 'ABCDE-23456', report: validReport() })), 404, 'CODE_UNKNOWN')
    refusedWith(await post(url, JSON.stringify({ code: 'not a code at all', report: validReport() })), 404, 'CODE_UNKNOWN')
    expect(await stored()).toEqual({ reports: 0, incidents: 0, usedCodes: 0 })
  })

  it('GIVEN a code past its lifetime WHEN sent THEN 410 CODE_EXPIRED, and it stays refused', async () => {
    const code = await issue(10 * 60_000)
    now += 10 * 60_000 + 1
    refusedWith(await post(url, JSON.stringify({ code, report: validReport() })), 410, 'CODE_EXPIRED')
    refusedWith(await post(url, JSON.stringify({ code, report: validReport() })), 410, 'CODE_EXPIRED')
    expect(await stored()).toEqual({ reports: 0, incidents: 0, usedCodes: 0 })
  })

  it('GIVEN a code already used WHEN sent again THEN 409 CODE_USED and the first report is the only one', async () => {
    const code = await issue()
    expect((await post(url, JSON.stringify({ code: code.toLowerCase(), report: validReport() }))).status).toBe(200) // codes are typed by people: case and dashes do not matter
    refusedWith(await post(url, JSON.stringify({ code, report: validReport({ summary: 'a second try' }) })), 409, 'CODE_USED')
    const rows = await t.store.prisma.doctorReport.findMany()
    expect(rows).toHaveLength(1)
    expect(JSON.stringify(rows[0]!.report)).not.toContain('a second try')
    await t.store.prisma.doctorReport.deleteMany()
    await eventually(async () => (await t.store.prisma.incident.count({ where: { source: 'doctor' } })) === 1, 10_000, 'the incident of the first upload')
    await t.store.prisma.incident.deleteMany()
    await t.store.prisma.doctorToken.deleteMany()
  })

  it(`GIVEN more than DOCTOR_UPLOADS_PER_MINUTE (${LIMIT}) uploads from one address WHEN sent THEN 429 RATE_LIMITED with Retry-After, other addresses unaffected, and the next window open again`, async () => {
    const code = await issue()
    const body = JSON.stringify({ code, report: validReport() })
    for (let i = 0; i < LIMIT; i++) refusedWith(await post(url, '{broken'), 400, 'MALFORMED_JSON') // refused ones count too
    const limited = await post(url, body)
    refusedWith(limited, 429, 'RATE_LIMITED')
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60)
    refusedWith(await post(url, body), 429, 'RATE_LIMITED')
    // a different client address (loopback has all of 127/8 on Linux) has its own window
    refusedWith(await post(url, '{broken', { localAddress: '127.0.0.2' }), 400, 'MALFORMED_JSON')
    expect(await stored()).toEqual({ reports: 0, incidents: 0, usedCodes: 0 })
    now += 60_000
    expect((await post(url, body)).status).toBe(200)
    await eventually(async () => (await t.store.prisma.incident.count({ where: { source: 'doctor' } })) === 1, 10_000, 'the incident of the upload')
    await t.store.prisma.doctorReport.deleteMany()
    await t.store.prisma.incident.deleteMany()
    await t.store.prisma.doctorToken.deleteMany()
  })

  it('GIVEN the database fails while storing WHEN a good report is sent THEN 503 REPORT_NOT_STORED saying the code is spent, nothing stored', async () => {
    const code = await issue()
    const save = t.store.saveDoctorReport
    t.store.saveDoctorReport = async () => {
      throw new Error('connection terminated (test)')
    }
    try {
      const a = await post(url, JSON.stringify({ code, report: validReport() }))
      refusedWith(a, 503, 'REPORT_NOT_STORED')
      expect(a.body.error.message).toContain('/claude-auth doctor')
    } finally {
      t.store.saveDoctorReport = save
    }
    expect(await stored()).toEqual({ reports: 0, incidents: 0, usedCodes: 1 })
    await t.store.prisma.doctorToken.deleteMany()
  })

  it('GIVEN the chat thread cannot be reached WHEN a good report is sent THEN 200 with posted false: the report is kept for the dashboard', async () => {
    const code = await issue()
    let calls = 0
    app.ctx.threadPosters.slack = async () => {
      calls++
      throw new Error('channel_not_found (test)')
    }
    try {
      const a = await post(url, JSON.stringify({ code, report: validReport() }))
      expect(a.status).toBe(200)
      expect(a.body).toMatchObject({ ok: true, posted: false, cause: 'invalid_api_key' })
      expect(a.body.message).toMatch(/dashboard/)
      expect(calls).toBe(1)
    } finally {
      delete app.ctx.threadPosters.slack
    }
    expect(await stored()).toMatchObject({ reports: 1, usedCodes: 1 })
    await t.store.prisma.doctorReport.deleteMany()
    await eventually(async () => (await t.store.prisma.incident.count({ where: { source: 'doctor' } })) === 1, 10_000, 'the incident of the upload')
    await t.store.prisma.incident.deleteMany()
    await t.store.prisma.doctorToken.deleteMany()
  })

  it('GIVEN all of the above WHEN /metrics is read THEN each outcome is counted', async () => {
    const after = await (await fetch(`http://127.0.0.1:${app.port}/metrics`)).text()
    const count = (text: string, outcome: string) => Number(new RegExp(`^claude_auth_doctor_uploads_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0)
    const delta = (outcome: string) => count(after, outcome) - count(metricsBefore, outcome)
    expect({
      too_large: delta('too_large'),
      wrong_content_type: delta('wrong_content_type'),
      malformed_json: delta('malformed_json'),
      invalid: delta('invalid'),
      secret_refused: delta('secret_refused'),
      code_unknown: delta('code_unknown'),
      code_expired: delta('code_expired'),
      code_used: delta('code_used'),
      rate_limited: delta('rate_limited'),
      store_failed: delta('store_failed'),
      accepted: delta('accepted'),
    }).toEqual({ too_large: 2, wrong_content_type: 3, malformed_json: 2 + LIMIT + 1, invalid: 4, secret_refused: 3, code_unknown: 2, code_expired: 2, code_used: 1, rate_limited: 2, store_failed: 1, accepted: 5 })
  })
})
