// The doctor end to end on Discord: the whole service (startApp) with the real discord.js against the fake Discord;
// `/claude-auth doctor` run inside a thread issues a private code (stored hashed); the doctor fetched from
// GET /doctor.mjs runs with plain `node` on a machine with planted secrets and uploads; the verdict lands in that
// thread, mentioning the person; the report and an incident with source 'doctor' are stored; no secret anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COMMAND_NAME } from '../../src/chat/discord/command-schema.js'
import type { DoctorReport } from '../../src/doctor/types.js'
import { actionsOf, IDS, startBot, textOf, type Bot } from '../chat/discord/harness.js'
import { codeIn, eventually, fetchDoctor, leaksOf, oneLiners, runDoctor, startApiStub, userMachine, type ApiStub, type Machine } from './doctor-e2e.js'

const EPHEMERAL = 64

describe('the doctor end to end: /claude-auth doctor in a Discord thread, the verdict back in that thread', () => {
  let bot: Bot
  let api: ApiStub
  let machine: Machine

  beforeAll(async () => {
    bot = await startBot() // PUBLIC_URL https://bot.example.test
    api = await startApiStub()
    machine = userMachine()
  }, 120_000)
  afterAll(async () => {
    await bot?.stop()
    await api?.close()
    machine?.cleanup()
  })

  it('GIVEN /claude-auth doctor in a thread WHEN the served doctor runs with --upload CODE --yes THEN the verdict is posted in that thread for the person, the report and a doctor incident are stored, and no planted secret is anywhere', async () => {
    const thread = bot.fake.createThread('claude says Invalid API key since this morning', IDS.channel)
    const interaction = bot.fake.slash(COMMAND_NAME, 'doctor', [], { channelId: thread.id })
    const shown = await bot.fake.waitForResponse(interaction)
    expect(shown.flags & EPHEMERAL).toBe(EPHEMERAL)
    const code = codeIn(textOf(shown))
    const lines = oneLiners('https://bot.example.test', code)
    expect(textOf(shown)).toContain(lines.posix)
    expect(textOf(shown)).toContain(lines.powershell)
    const prisma = (bot.testStore.store as any).prisma
    const [token] = await prisma.doctorToken.findMany({ where: { threadId: thread.id } })
    expect(token).toMatchObject({ channelId: IDS.channel, threadId: thread.id, userId: IDS.user, usedAt: null })
    expect(JSON.stringify(token)).not.toContain(code)

    const service = `http://127.0.0.1:${bot.app.port}`
    const fetched = await fetchDoctor(service, machine.root)
    expect(fetched.status).toBe(200)
    const run = await runDoctor(fetched.file, ['--upload', code, '--yes', '--server', service, '--api-url', api.url], machine)
    expect(run.stdout).toContain('Uploaded: Thanks: the verdict is posted in your thread.')
    expect(run.code).toBe(1)

    // the answer is in the thread, for the person who ran the command
    const post = await bot.fake.waitFor(() => bot.fake.channelPosts(thread.id)[0], 10_000, 'the doctor answer in the thread')
    expect(post.body.content).toContain(`<@${IDS.user}>`)
    expect(post.body.allowed_mentions).toEqual({ parse: [], users: [IDS.user] })
    expect(textOf(post.body)).toContain('Doctor report')
    expect(bot.fake.channelPosts(IDS.channel)).toEqual([]) // not in the parent channel

    const [row] = await prisma.doctorReport.findMany({ where: { tokenId: token.id } })
    const report = row.report as DoctorReport
    expect(row.cause).toBe(report.verdict.cause)
    expect(report.verdict.cause).not.toBe('none')
    const causes = actionsOf(post.body).map((a) => a.ref?.cause).filter(Boolean)
    expect(causes.length).toBeGreaterThan(0)
    expect(new Set(causes)).toEqual(new Set([report.verdict.cause]))
    const incident = await eventually(async () => (await prisma.incident.findMany({ where: { source: 'doctor' } }))[0], 10_000, 'the doctor incident')
    expect(incident).toMatchObject({ cause: report.verdict.cause, channelId: IDS.channel, threadId: thread.id, userId: IDS.user })

    const database = JSON.stringify([await prisma.doctorReport.findMany(), await prisma.incident.findMany(), await prisma.doctorToken.findMany()])
    expect(database).toContain('api_key.hidden_characters')
    expect(leaksOf(database)).toEqual([])
    expect(leaksOf(bot.fake.calls.map((c) => `${c.rawBody}\n${JSON.stringify(c.body)}`).join('\n'))).toEqual([])
    expect(leaksOf(`${run.stdout}\n${run.stderr}`)).toEqual([])
    expect(leaksOf(bot.logs.join('\n'))).toEqual([])
  }, 90_000)
})
