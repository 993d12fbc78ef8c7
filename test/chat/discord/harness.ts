// Starts the whole service (startApp, config from loadConfig) with Discord pointed at a fake Discord and a fresh
// test database, and gives the tests what they assert on: recorded REST calls, the store, captured logs.
import { startApp, type App } from '../../../src/app.js'
import { loadConfig } from '../../../src/config.js'
import { createLogger } from '../../../src/log.js'
import type { Store } from '../../../src/store/types.js'
import { createTestStore, testBackends, type TestStore } from '../../support/test-store.js'
import { FakeDiscord, IDS, type RestCall } from '../../fakes/fake-discord.js'
import { decodeAction } from '../../../src/replies/action-ids.js'

export { IDS }

export type Bot = {
  fake: FakeDiscord
  app: App
  store: Store
  testStore: TestStore
  /** every log line the service wrote (JSON) */
  logs: string[]
  stop(): Promise<void>
}

export type BotOptions = {
  env?: Record<string, string>
  /** reuse a fake (two replicas on one Discord) */
  fake?: FakeDiscord
  /** reuse a test store (two replicas on one database) */
  testStore?: TestStore
  /** wrap the store (a failing or slow database) */
  wrapStore?: (store: Store) => Store
  setupFake?: (fake: FakeDiscord) => void
}

export const backend = testBackends()[0]!

export async function startBot(options: BotOptions = {}): Promise<Bot> {
  const ownFake = !options.fake
  const fake = options.fake ?? new FakeDiscord()
  options.setupFake?.(fake)
  if (ownFake) await fake.start()
  const ownStore = !options.testStore
  const testStore = options.testStore ?? (await createTestStore(backend))
  const store = options.wrapStore ? options.wrapStore(testStore.store) : testStore.store
  const logs: string[] = []
  const log = createLogger({ level: 'debug', destination: { write: (s: string) => void logs.push(s) } })
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: IDS.app,
    DISCORD_API_URL: fake.api,
    DISCORD_MESSAGE_CONTENT: 'true',
    PUBLIC_URL: 'https://bot.example.test',
    ...options.env,
  })
  let app: App
  try {
    app = await startApp({ config, log, store })
  } catch (err) {
    if (ownStore) await testStore.cleanup()
    if (ownFake) await fake.stop()
    throw err
  }
  return {
    fake,
    app,
    store,
    testStore,
    logs,
    async stop() {
      await app.stop()
      if (ownStore) await testStore.cleanup()
      if (ownFake) await fake.stop()
    },
  }
}

/** A store whose methods throw (or wait) while `state.failing` / `state.delayMs` say so. */
export function wrapStore(state: { failing?: boolean; delayMs?: Partial<Record<keyof Store, number>> }) {
  return (inner: Store): Store =>
    new Proxy(inner, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver)
        if (typeof value !== 'function' || prop === 'close') return value
        return async (...args: unknown[]) => {
          const delay = state.delayMs?.[prop as keyof Store]
          if (delay) await new Promise((r) => setTimeout(r, delay))
          if (state.failing) throw new Error(`database unavailable (test: ${String(prop)})`)
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      },
    })
}

/** every custom_id in a message's components (rows of buttons/selects) */
export function customIds(message: { components?: { components?: { custom_id?: string }[] }[] }): string[] {
  return (message.components ?? []).flatMap((row) => (row.components ?? []).map((c) => c.custom_id).filter((x): x is string => Boolean(x)))
}

export function actionsOf(message: Parameters<typeof customIds>[0]) {
  return customIds(message).map((id) => ({ id, ref: decodeAction(id) }))
}

/** the custom_id of the first component with this action */
export function actionId(message: Parameters<typeof customIds>[0], action: string): string {
  const found = actionsOf(message).find((a) => a.ref?.action === action)
  if (!found) throw new Error(`no ${action} component in ${JSON.stringify(customIds(message))}`)
  return found.id
}

/** all text a message shows (content, embed titles, descriptions, fields, footers) */
export function textOf(message: { content?: string; embeds?: any[] }): string {
  const parts = [message.content ?? '']
  for (const e of message.embeds ?? []) {
    parts.push(e.title ?? '', e.description ?? '', e.footer?.text ?? '', e.author?.name ?? '')
    for (const f of e.fields ?? []) parts.push(f.name, f.value)
  }
  return parts.join('\n')
}

/** posts the bot made in reply to message `id` */
export function repliesTo(fake: FakeDiscord, id: string): RestCall[] {
  return fake.calls.filter((c) => c.method === 'POST' && /^\/channels\/\d+\/messages$/.test(c.path) && c.body?.message_reference?.message_id === id && c.status === 200)
}

/** waits until `fn` returns a truthy value (polling, with a deadline) */
export async function eventually<T>(fn: () => T | Promise<T>, ms = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const end = Date.now() + ms
  let last: unknown
  for (;;) {
    try {
      const v = await fn()
      if (v) return v as NonNullable<T>
    } catch (err) {
      last = err
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/**
 * Sends a mention in the channel and waits for the bot's reply to it: everything dispatched before it has been
 * handled (the bot handles events in order, and ignoring a message needs no I/O). Proves silence without sleeping.
 */
export async function barrier(fake: FakeDiscord, channelId: string = IDS.channel) {
  const m = fake.userMessage('help', { mentionBot: true, channelId })
  await fake.waitFor(() => repliesTo(fake, m.id)[0], 10_000, 'the barrier reply')
}

/** A fake Anthropic API key of the real shape (sk-ant-api03- + 93 base64url chars + AA). Not a real key. */
export function fakeAnthropicKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  let body = ''
  for (let i = 0; i < 93; i++) body += alphabet[(i * 37 + 11) % alphabet.length]
  return `sk-ant-api03-${body}AA`
}
