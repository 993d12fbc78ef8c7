// `npm run register-commands` against the fake Discord: global and guild registration, the PUT body, and the
// errors a person gets for missing or wrong settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../../src/chat/discord/register-commands.js'
import { commandDefinitions, COMMAND_NAME, CONTEXT_MENU_NAME, SUBCOMMANDS } from '../../../src/chat/discord/command-schema.js'
import { FakeDiscord, IDS, validateCommands } from '../../fakes/fake-discord.js'

let fake: FakeDiscord
const env = (over: Record<string, string> = {}) => ({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: IDS.app, DISCORD_API_URL: fake.api, ...over })
const sink = () => {
  const lines: string[] = []
  return { out: { write: (s: string) => lines.push(s) }, text: () => lines.join('') }
}

beforeAll(async () => {
  fake = await new FakeDiscord().start()
})
afterAll(() => fake.stop())

describe('register-commands', () => {
  it('GIVEN the command schema WHEN validated like Discord does THEN it has no problems and one definition serves both commands', () => {
    const body = commandDefinitions()
    expect(validateCommands(body)).toEqual([])
    expect(body.map((c) => c.name)).toEqual([COMMAND_NAME, CONTEXT_MENU_NAME])
    const slash = body[0] as { options: { name: string }[] }
    expect(slash.options.map((o) => o.name)).toEqual(Object.keys(SUBCOMMANDS))
    expect(Object.keys(SUBCOMMANDS)).toEqual(expect.arrayContaining(['diagnose', 'paste', 'help', 'checklist', 'doctor', 'event', 'events', 'stats', 'admin']))
  })

  it('GIVEN no DISCORD_GUILD_ID WHEN run THEN it PUTs the commands globally with the bot token', async () => {
    const o = sink()
    const before = fake.calls.length
    expect(await run([], { env: env(), out: o.out })).toBe(0)
    const put = fake.calls.slice(before).find((c) => c.method === 'PUT')!
    expect(put.path).toBe(`/applications/${IDS.app}/commands`)
    expect(put.status).toBe(200)
    expect(put.headers.authorization).toBe(`Bot ${fake.token}`)
    expect(put.body).toEqual(JSON.parse(JSON.stringify(commandDefinitions())))
    expect(put.body[1]).toMatchObject({ type: 3, name: CONTEXT_MENU_NAME })
    expect(fake.commands.get('global')?.map((c) => c.name)).toEqual([COMMAND_NAME, CONTEXT_MENU_NAME])
    expect(o.text()).toMatch(/Registered 2 commands globally/)
  })

  it('GIVEN DISCORD_GUILD_ID WHEN run THEN it PUTs them in that server only (instant)', async () => {
    const o = sink()
    const before = fake.calls.length
    expect(await run([], { env: env({ DISCORD_GUILD_ID: IDS.guild }), out: o.out })).toBe(0)
    const put = fake.calls.slice(before).find((c) => c.method === 'PUT')!
    expect(put.path).toBe(`/applications/${IDS.app}/guilds/${IDS.guild}/commands`)
    expect(fake.commands.get(`guild:${IDS.guild}`)?.[0]).toMatchObject({ name: COMMAND_NAME, guild_id: IDS.guild })
    expect(o.text()).toMatch(new RegExp(`in server ${IDS.guild}`))
  })

  it('GIVEN DISCORD_GUILD_ID and --global WHEN run THEN it registers globally', async () => {
    const before = fake.calls.length
    expect(await run(['--global'], { env: env({ DISCORD_GUILD_ID: IDS.guild }), out: sink().out })).toBe(0)
    expect(fake.calls.slice(before).find((c) => c.method === 'PUT')!.path).toBe(`/applications/${IDS.app}/commands`)
  })

  it('GIVEN --dry-run WHEN run without any settings THEN it prints the JSON and sends nothing', async () => {
    const o = sink()
    const before = fake.calls.length
    expect(await run(['--dry-run'], { env: {}, out: o.out })).toBe(0)
    expect(fake.calls.length).toBe(before)
    expect(JSON.parse(o.text())).toEqual(JSON.parse(JSON.stringify(commandDefinitions())))
  })

  it('GIVEN no DISCORD_TOKEN WHEN run THEN it fails naming DISCORD_TOKEN', async () => {
    await expect(run([], { env: { DISCORD_APPLICATION_ID: IDS.app, DISCORD_API_URL: fake.api }, out: sink().out })).rejects.toMatchObject({ code: 'DISCORD_TOKEN_MISSING', message: expect.stringContaining('DISCORD_TOKEN') })
  })

  it('GIVEN no DISCORD_APPLICATION_ID WHEN run THEN it fails naming DISCORD_APPLICATION_ID', async () => {
    await expect(run([], { env: { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.api }, out: sink().out })).rejects.toMatchObject({ code: 'DISCORD_APPLICATION_ID_MISSING', message: expect.stringContaining('DISCORD_APPLICATION_ID') })
  })

  it('GIVEN a wrong token WHEN run THEN Discord answers 401 and the error names DISCORD_TOKEN', async () => {
    await expect(run([], { env: env({ DISCORD_TOKEN: 'wrong.token.value' }), out: sink().out })).rejects.toMatchObject({ code: 'DISCORD_TOKEN_INVALID', message: expect.stringContaining('DISCORD_TOKEN') })
  })

  it('GIVEN an application id Discord does not know WHEN run THEN the error names DISCORD_APPLICATION_ID', async () => {
    await expect(run([], { env: env({ DISCORD_APPLICATION_ID: '1999999999999999999' }), out: sink().out })).rejects.toMatchObject({ code: 'DISCORD_APPLICATION_ID_INVALID', message: expect.stringContaining('DISCORD_APPLICATION_ID') })
  })

  it('GIVEN a server the bot is not in WHEN run THEN the error says to invite it with applications.commands', async () => {
    await expect(run(['--guild', '1299999999999999999'], { env: env(), out: sink().out })).rejects.toMatchObject({ code: 'DISCORD_MISSING_ACCESS', message: expect.stringContaining('applications.commands') })
  })

  it('GIVEN an unknown argument WHEN run THEN it fails with the usage', async () => {
    await expect(run(['--bogus'], { env: env(), out: sink().out })).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('Usage: npm run register-commands') })
  })
})

describe('npm run register-commands (the CLI)', () => {
  it('GIVEN the settings in the environment WHEN the CLI runs THEN it registers through DISCORD_API_URL and exits 0', async () => {
    const { spawn, spawnSync } = await import('node:child_process')
    const before = fake.calls.length
    // spawnSync would block the fake's event loop (in this process): the registering run is asynchronous
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'register-commands'], {
      env: { ...process.env, ...env({ DISCORD_GUILD_ID: IDS.guild }), LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    const code = await new Promise<number | null>((r) => child.on('close', r))
    expect(out).toMatch(/Registered 2 commands in server/)
    expect(code).toBe(0)
    expect(fake.calls.slice(before).some((c) => c.method === 'PUT' && c.path === `/applications/${IDS.app}/guilds/${IDS.guild}/commands`)).toBe(true)
    // and a missing setting is a clear message and exit 1
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'register-commands'], { env: { ...process.env, DISCORD_TOKEN: '', DISCORD_APPLICATION_ID: IDS.app }, encoding: 'utf8' })
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/\[DISCORD_TOKEN_MISSING\] DISCORD_TOKEN is not set/)
  }, 60_000)
})

describe('invite URL', () => {
  it('GIVEN the README section "Add to Discord" WHEN read THEN its invite URL asks for exactly the permissions the code needs', async () => {
    const { readFile } = await import('node:fs/promises')
    const { inviteUrl, BOT_PERMISSIONS } = await import('../../../src/chat/discord/command-schema.js')
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8')
    const section = readme.slice(readme.indexOf('## Add to Discord'))
    expect(section).toContain(inviteUrl('APPLICATION_ID'))
    expect(BOT_PERMISSIONS).toBe(274877991936n)
  })
})
