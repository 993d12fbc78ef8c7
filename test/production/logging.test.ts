// The logs never carry credentials: pino censors the secret-bearing paths, the bot process at trace level prints none
// of its tokens, signing secret or database password, and a start-up refused for a bad setting names the variable
// without echoing secret values. (Pasted text in logs: secret-fuzz.test.ts.)
import { describe, it, expect, afterAll } from 'vitest'
import { createLogger } from '../../src/log.js'
import { FakeSlack } from '../fakes/fake-slack.js'
import { messageEvent } from '../fakes/fake-slack-payloads.js'
import { createTestDatabase } from '../support/test-store.js'
import { killAllBots, serviceArgs, startBot } from '../support/process-harness.js'
import { spawn } from 'node:child_process'
import { PROJECT_ROOT } from '../support/spawn-ts.js'
import { SERVER_ENV } from '../../src/server-bundle.js'
import { BOT_TOKEN, POSTGRES_URL, SIGNING_SECRET, deliverEvent, slackHttpEnv } from './lib/common.js'

afterAll(() => killAllBots())

describe('logs carry no credentials', () => {
  it('GIVEN objects with secret-bearing fields WHEN logged THEN pino censors them', () => {
    const lines: string[] = []
    const log = createLogger({ level: 'trace', destination: { write: (s: string) => void lines.push(s) } })
    log.info({ config: { SLACK_BOT_TOKEN: 'xoxb-1-secret-bot', SLACK_APP_TOKEN: 'xapp-1-secret-app', SLACK_SIGNING_SECRET: 'sig-secret-1', DISCORD_TOKEN: 'discord-secret-1', EVENTS_API_TOKEN: 'events-secret-1', DATABASE_URL: 'postgresql://u:db-secret-1@h/db' } }, 'config')
    log.info({ req: { headers: { authorization: 'Bearer bearer-secret-1', cookie: 'sid=cookie-secret-1', 'x-slack-signature': 'v0=sig-header-secret-1' } } }, 'request')
    log.info({ client: { token: 'tok-secret-1', password: 'pw-secret-1', apiKey: 'key-secret-1' } }, 'nested')
    const out = lines.join('')
    for (const secret of ['xoxb-1-secret-bot', 'xapp-1-secret-app', 'sig-secret-1', 'discord-secret-1', 'events-secret-1', 'db-secret-1', 'bearer-secret-1', 'cookie-secret-1', 'sig-header-secret-1', 'tok-secret-1', 'pw-secret-1', 'key-secret-1']) {
      expect(out, secret).not.toContain(secret)
    }
    expect(out.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(12)
  })

  it.skipIf(!POSTGRES_URL)('GIVEN a bot process at trace level with a database password WHEN it starts and answers THEN no token, signing secret or password is in its output', async () => {
    const fake = await new FakeSlack().start()
    const db = await createTestDatabase('postgres')
    try {
      // The test server trusts local connections, so any password is accepted: it must still never be printed.
      const password = 'Pw-NeverLogged-7Qx2'
      const url = new URL(db.url)
      url.password = password
      const bot = await startBot({ name: 'trace', env: slackHttpEnv(fake.apiUrl, url.toString(), { LOG_LEVEL: 'trace' }) })
      const body = messageEvent(fake, 'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}', { channel: 'C-log' })
      expect((await deliverEvent(bot.url, body)).status).toBe(200)
      await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C-log', 20_000)
      await bot.waitForLog((l) => l.msg === 'incident recorded', 20_000, 'the incident written')
      expect((await bot.stop()).code).toBe(0)
      const out = bot.stdout() + bot.stderr()
      expect(out.length).toBeGreaterThan(1_000)
      for (const secret of [password, BOT_TOKEN, SIGNING_SECRET]) expect(out, secret).not.toContain(secret)
    } finally {
      await fake.stop()
      await db.drop()
    }
  }, 90_000)

  const startWith = async (env: Record<string, string>) => {
    const child = spawn(process.execPath, serviceArgs(), {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'pglite:memory', ...SERVER_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    return { code, out }
  }

  it('GIVEN a bad setting next to secret values WHEN the process starts THEN it exits 1 naming the variable, without echoing the secrets', async () => {
    const { code, out } = await startWith({ SLACK_BOT_TOKEN: 'xoxb-1-EchoMeNot-9931', SLACK_SIGNING_SECRET: 'EchoMeNot-sig-4417', PASSIVE_THRESHOLD: 'lots' })
    expect(code).toBe(1)
    expect(out).toMatch(/PASSIVE_THRESHOLD/)
    expect(out).not.toContain('EchoMeNot')
  }, 60_000)

  // loadConfig masks credentials inside URLs when it echoes a bad value (src/config.ts).
  it('GIVEN an invalid DATABASE_URL holding a password WHEN the process starts THEN the error names DATABASE_URL without the password', async () => {
    const { code, out } = await startWith({ DATABASE_URL: 'mysql://bot:Pw-EchoMeNot-123@db.example/x' })
    expect(code).toBe(1)
    expect(out).toMatch(/DATABASE_URL/)
    expect(out).not.toContain('Pw-EchoMeNot-123')
  }, 60_000)
})
