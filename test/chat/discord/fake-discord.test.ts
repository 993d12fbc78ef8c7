// The fake Discord itself, driven by the real discord.js: it must enforce what the real one does, or the
// end-to-end tests prove nothing.
import { once } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { Client, Events, GatewayIntentBits, type Message } from 'discord.js'
import { FakeDiscord, IDS, INTENTS } from '../../fakes/fake-discord.js'

let fake: FakeDiscord | null = null
let client: Client | null = null
afterEach(async () => {
  await client?.destroy()
  await fake?.stop()
  client = fake = null
})

async function connect(intents: GatewayIntentBits[], setup: (f: FakeDiscord) => void = () => {}) {
  fake = new FakeDiscord()
  setup(fake)
  await fake.start()
  client = new Client({ intents, rest: { api: fake.api } })
  const ready = once(client, Events.ClientReady)
  await client.login(fake.token)
  await ready
  return { fake, client }
}

const nextMessage = (c: Client) => once(c, Events.MessageCreate).then(([m]) => m as Message)

describe('fake Discord', () => {
  it('GIVEN GuildMessages without MessageContent WHEN people post THEN content is blank except when the bot is mentioned', async () => {
    const { fake, client } = await connect([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages])
    let got = nextMessage(client)
    fake.userMessage('Invalid API key')
    expect((await got).content).toBe('')
    got = nextMessage(client)
    fake.userMessage('Invalid API key', { mentionBot: true })
    expect((await got).content).toBe(`<@${IDS.bot}> Invalid API key`)
  })

  it('GIVEN the MessageContent intent requested but not granted WHEN logging in THEN the gateway closes with 4014', async () => {
    await expect(
      connect([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent], (f) => (f.grantedIntents = 0)),
    ).rejects.toThrow(/disallowed intents/i)
  })

  it('GIVEN no GuildMessages intent WHEN people post THEN nothing is dispatched', async () => {
    const { fake } = await connect([GatewayIntentBits.Guilds])
    const before = fake.gatewayLog.length
    fake.userMessage('hello')
    expect(fake.gatewayLog.slice(before).some((e) => e.t === 'MESSAGE_CREATE')).toBe(false)
  })

  it('GIVEN a fast heartbeat WHEN connected THEN heartbeats are sent and acknowledged', async () => {
    const { fake } = await connect([GatewayIntentBits.Guilds], (f) => (f.heartbeatInterval = 100))
    await fake.waitFor(() => fake.gatewayLog.filter((e) => e.dir === 'in' && e.op === 1).length >= 2, 3_000, 'two heartbeats')
    expect(fake.gatewayLog.some((e) => e.dir === 'out' && e.op === 11)).toBe(true)
    const identify = fake.gatewayLog.find((e) => e.dir === 'in' && e.op === 2)!
    expect(identify.d.token).toBe('[token]')
    expect(identify.d.intents & INTENTS.Guilds).toBeTruthy()
  })

  it('GIVEN a message over 2,000 characters WHEN sent THEN the fake refuses it with 400 like Discord', async () => {
    const { fake, client } = await connect([GatewayIntentBits.Guilds])
    const channel = await client.channels.fetch(IDS.channel)
    if (!channel?.isSendable()) throw new Error('not sendable')
    await expect(channel.send('x'.repeat(2_001))).rejects.toThrow(/Invalid Form Body/)
    expect(fake.violations[0]!.problems[0]).toMatch(/content: 2001 > 2000/)
  })

  it('GIVEN a 429 with Retry-After WHEN discord.js sends THEN it waits and retries: one message', async () => {
    const { fake, client } = await connect([GatewayIntentBits.Guilds])
    fake.rateLimitNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/ }, 0.2)
    const channel = await client.channels.fetch(IDS.channel)
    if (!channel?.isSendable()) throw new Error('not sendable')
    const t0 = Date.now()
    await channel.send('hello')
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150)
    const posts = fake.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${IDS.channel}/messages`)
    expect(posts.map((c) => c.status)).toEqual([429, 200])
  })
})
