// Second line of defence: whatever a caller hands to the store, no secret reaches a row. Every repository method is
// called with secrets (fake keys of real shapes, and every true-positive example of every credential detector) in
// every string it takes; then the text of every row of every table is scanned.
import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DETECTORS } from '../../src/redaction/index.js'
import type { PrismaStore } from '../../src/store/prisma-store.js'
import type { WorkspaceRef } from '../../src/store/types.js'
import { createTestStore, testBackends, type TestStore } from '../support/test-store.js'

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const rnd = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[crypto.randomInt(alphabet.length)]).join('')

/** Fake credentials of the real shapes; `needle` is what must never be found in the database. */
function fakeSecrets(): { text: string; needle: string }[] {
  const apiKey = 'sk-ant-api03-' + rnd(B64URL, 93) + 'AA'
  const oauth = 'sk-ant-oat01-' + rnd(B64URL, 93) + 'AA'
  const admin = 'sk-ant-admin01-' + rnd(B64URL, 93) + 'AA'
  const github = 'ghp_' + rnd(ALNUM, 36)
  const aws = 'AKIA' + rnd('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)
  const slack = `xoxb-${rnd('0123456789', 12)}-${rnd('0123456789', 13)}-${rnd(ALNUM, 24)}`
  return [
    { text: `Invalid API key: ${apiKey}`, needle: apiKey.slice(20, 60) },
    { text: `ANTHROPIC_API_KEY=${apiKey}`, needle: apiKey },
    { text: `CLAUDE_CODE_OAUTH_TOKEN=${oauth}`, needle: oauth.slice(15, 70) },
    { text: admin, needle: admin.slice(16, 80) },
    { text: `git remote: ${github}`, needle: github },
    { text: `aws_access_key_id = ${aws}`, needle: aws },
    { text: `SLACK_BOT_TOKEN=${slack}`, needle: slack },
  ]
}

/** Every true-positive example of every credential detector (personal-data detectors are not secrets). */
function detectorSecrets(): { text: string; needle: string }[] {
  return DETECTORS.filter((d) => d.secret).flatMap((d) => d.truePositives.map((e) => ({ text: e.text, needle: e.secret })))
}

async function allText(store: PrismaStore): Promise<string> {
  const tables = await store.prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  )
  expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['Incident', 'CredentialEvent', 'DoctorToken', 'DoctorReport', 'ProcessedEvent', 'SpikeAlert', 'AdminLogin', 'AdminSession', 'Workspace']))
  const parts: string[] = []
  for (const { name } of tables) {
    const rows = await store.prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT t::text AS row FROM "${name}" t`)
    for (const r of rows) parts.push(`${name}: ${r.row}`)
  }
  return parts.join('\n')
}

/** Calls every method of the Store that takes text, with `s` in every string. */
async function writeEverywhere(store: PrismaStore, s: string, i: number): Promise<void> {
  const ws: WorkspaceRef = { platform: i % 2 ? 'discord' : 'slack', externalId: `${s} T${i}`, name: s }
  const inc = await store.recordIncident({
    workspace: ws,
    channelId: s,
    threadId: s,
    messageId: s,
    userId: s,
    cause: s,
    symptom: s,
    confidence: 0.5,
    fingerprint: s,
    excerpt: `Error: ${s}\n${s}`,
    os: s,
    source: 'paste',
  })
  await store.setFeedback(inc.id, 'fixed', s)
  await store.recordCredentialEvent({ workspace: ws, kind: 'key_rotated', subject: s, note: `rotated ${s}`, actor: s, source: 'api' })
  const tok = await store.issueDoctorToken({ workspace: ws, channelId: s, threadId: s, userId: s }, 60_000)
  await store.consumeDoctorToken(s)
  const consumed = await store.consumeDoctorToken(tok.code)
  if (!consumed.ok) throw new Error('code should be consumable')
  await store.saveDoctorReport({
    tokenId: consumed.tokenId,
    workspace: ws,
    userId: s,
    cause: s,
    report: { env: { ANTHROPIC_API_KEY: s, [s]: 'key as a name', nested: [s, { deeper: `value ${s}` }] }, log: `line 1\n${s}\nline 3` },
    findings: [{ evidence: s, [s]: s }],
  })
  await store.claimEvent(ws.platform, s)
  await store.claimSpikeAlert(ws, s, new Date('2026-01-01T00:00:00Z'), 3)
  const link = await store.issueAdminLogin({ platform: ws.platform, workspaceExternalId: s, userId: s }, 60_000)
  await store.consumeAdminLogin(s, 60_000)
  const session = await store.consumeAdminLogin(link.token, 60_000)
  await store.getAdminSession(s)
  await store.deleteAdminSession(s)
  if (!session) throw new Error('link should open a session')
  await store.listCredentialEvents(ws, { limit: 5 })
  await store.recurring(ws, { since: new Date(0) }, { cause: s })
  await store.peopleWithCause(ws, s, { since: new Date(0) })
}

describe.each(testBackends())('No secret reaches the database on %s', (backend) => {
  let t: TestStore
  beforeAll(async () => {
    t = await createTestStore(backend)
  }, 180_000)
  afterAll(async () => {
    await t?.cleanup()
  })

  it('GIVEN secrets in every string handed to every store method WHEN all tables are scanned THEN no secret is found, but the rows are there', { timeout: 180_000 }, async () => {
    const secrets = [...fakeSecrets(), ...detectorSecrets()]
    expect(secrets.length).toBeGreaterThan(20)
    for (const [i, s] of secrets.entries()) await writeEverywhere(t.store, s.text, i)
    const text = await allText(t.store)
    // the writes happened: one incident per secret, with placeholders where the secrets were
    expect(await t.store.prisma.incident.count()).toBe(secrets.length)
    expect(text).toContain('[anthropic-api-key]')
    const leaked = secrets.filter((s) => text.includes(s.needle)).map((s) => s.needle)
    expect(leaked).toEqual([])
  })

  it('GIVEN the scan WHEN a secret is written around the store THEN the scan finds it (the check can fail)', async () => {
    const needle = 'sk-ant-api03-' + rnd(B64URL, 93) + 'AA'
    await t.store.prisma.processedEvent.create({ data: { platform: 'slack', eventId: needle } })
    expect(await allText(t.store)).toContain(needle)
  })
})
