// Starts the whole service (startApp) with Slack on, against the fake Slack, in HTTP or Socket Mode, on a test
// database. Tests drive it with the same payloads in both modes (SlackDriver).
import { startApp, type App } from '../../../src/app.js'
import { loadConfig } from '../../../src/config.js'
import { createLogger } from '../../../src/log.js'
import type { Store } from '../../../src/store/types.js'
import { FakeSlack } from '../../fakes/fake-slack.js'
import { httpDriver, socketDriver, type SlackDriver } from '../../fakes/fake-slack-payloads.js'

export { failingStore } from './failing-store.js'

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef'
export const BOT_TOKEN = 'xoxb-1111-2222-fake-bot-token'
export const APP_TOKEN = 'xapp-1-A1-3333-fake-app-token'

export type Mode = 'http' | 'socket'

export type Harness = {
  app: App
  fake: FakeSlack
  driver: SlackDriver
  /** http://127.0.0.1:<port>/slack/events (HTTP mode) */
  eventsUrl: string
  stop(): Promise<void>
}

export async function startHarness(options: { mode: Mode; store: Store; fake: FakeSlack; env?: Record<string, string>; clock?: () => Date }): Promise<Harness> {
  const { mode, fake } = options
  const socketsBefore = fake.openSockets().length
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: 'pglite:memory',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: fake.apiUrl,
    ...(mode === 'socket' ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    ...options.env,
  })
  const log = createLogger({ level: config.LOG_LEVEL })
  const app = await startApp({ config, log, store: options.store, clock: options.clock })
  const eventsUrl = `http://127.0.0.1:${app.port}/slack/events`
  let driver: SlackDriver
  if (mode === 'socket') {
    const socket = await fake.waitFor(() => fake.openSockets()[socketsBefore], 10_000, 'the socket-mode connection')
    const base = socketDriver(fake)
    // Deliver to this instance's connection (two instances may be connected to one fake).
    driver = {
      ...base,
      command: async (payload) => fake.waitForAck(fake.sendEnvelope('slash_commands', payload, { socket }), 10_000),
      event: async (body, o = {}) => fake.waitForAck(fake.sendEnvelope('events_api', body, { socket, retryAttempt: o.retryNum }), 10_000),
      interaction: async (payload) => fake.waitForAck(fake.sendEnvelope('interactive', payload, { socket }), 10_000),
    }
  } else {
    driver = httpDriver(eventsUrl, SIGNING_SECRET)
  }
  return { app, fake, driver, eventsUrl, stop: () => app.stop() }
}

/** The last diagnosis message posted with chat.postMessage (its metadata says the verdict). */
export function metadataOf(args: Record<string, any>): { event_type: string; event_payload: Record<string, unknown> } | undefined {
  return args.metadata
}

/** The verdict block's cause (block_id `diagnosis:<cause>`). */
export function verdictCause(blocks: any[] | undefined): string | undefined {
  const block = (blocks ?? []).find((b) => typeof b?.block_id === 'string' && b.block_id.startsWith('diagnosis:'))
  return block?.block_id.slice('diagnosis:'.length)
}

/** Every interactive element in the blocks, with its action_id. */
export function elementsOf(blocks: any[] | undefined): any[] {
  const out: any[] = []
  for (const b of blocks ?? []) {
    if (b.type === 'actions') out.push(...(b.elements ?? []))
    if (b.accessory) out.push(b.accessory)
  }
  return out
}
