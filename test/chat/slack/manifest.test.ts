// The checked-in manifests are exactly what manifest.ts generates, and they ask for exactly what the code uses.
import fs from 'node:fs'
import path from 'node:path'
import { describe, it, expect } from 'vitest'
import { BOT_EVENTS, BOT_SCOPES, manifestJson, run as runManifest, slackManifest } from '../../../src/chat/slack/manifest.js'
import { DIAGNOSE_SHORTCUT_ID, SLASH_COMMAND } from '../../../src/chat/slack/constants.js'

const dir = path.resolve(import.meta.dirname, '../../../src/chat/slack')
const source = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
  .join('\n')

/** Web API methods the adapter calls, and the bot scopes each needs. */
const METHOD_SCOPES: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history'],
  'auth.test': [],
}

describe('Slack app manifest', () => {
  it.each(['socket', 'http'] as const)('GIVEN mode %s THEN the checked-in manifest.%s.json is the generated one', (mode) => {
    const file = path.join(dir, `manifest.${mode}.json`)
    expect(fs.readFileSync(file, 'utf8'), `regenerate: npx tsx src/cli.ts slack-manifest ${mode} > src/chat/slack/manifest.${mode}.json`).toBe(manifestJson(mode))
  })

  it('GIVEN socket mode THEN no URL is needed; GIVEN http mode THEN every URL is <public url>/slack/events', () => {
    const socket = slackManifest('socket')
    expect(socket.settings.socket_mode_enabled).toBe(true)
    expect(JSON.stringify(socket)).not.toMatch(/https?:\/\//)
    const http = slackManifest('http', 'https://bot.example.org/')
    expect(http.settings.socket_mode_enabled).toBe(false)
    expect(http.settings.event_subscriptions.request_url).toBe('https://bot.example.org/slack/events')
    expect(http.settings.interactivity.request_url).toBe('https://bot.example.org/slack/events')
    expect(http.features.slash_commands[0]!.url).toBe('https://bot.example.org/slack/events')
  })

  it('THEN the command and shortcut are the ones the listeners are registered for', () => {
    const m = slackManifest('socket')
    expect(m.features.slash_commands.map((c) => c.command)).toEqual([SLASH_COMMAND])
    expect(m.features.shortcuts).toEqual([expect.objectContaining({ type: 'message', callback_id: DIAGNOSE_SHORTCUT_ID, name: 'Diagnose this error' })])
    expect(source).toMatch(/app\.command\(SLASH_COMMAND/)
    expect(source).toMatch(/app\.shortcut\(\{ callback_id: DIAGNOSE_SHORTCUT_ID, type: 'message_action' \}/)
  })

  it('THEN the events are exactly those the listeners handle', () => {
    expect([...BOT_EVENTS].sort()).toEqual(['app_home_opened', 'app_mention', 'message.channels', 'message.groups', 'message.im', 'user_change'])
    expect(source).toMatch(/app\.event\('app_mention'/)
    // issue #7: the Home tab and members removed from the workspace
    expect(source).toMatch(/app\.event\('app_home_opened'/)
    expect(source).toMatch(/app\.event\('user_change'/)
    expect(source).toMatch(/app\.event\('message'/)
    // message.im is handled: direct messages are answered explicitly
    expect(source).toMatch(/channel_type === 'im'/)
  })

  it('THEN the scopes are exactly those the events, command, shortcut and Web API calls need', () => {
    const called = new Set<string>()
    for (const m of source.matchAll(/client\.(chat|conversations|auth)\.(\w+)\(/g)) called.add(`${m[1]}.${m[2]}`)
    for (const method of called) expect(METHOD_SCOPES, `add ${method} to METHOD_SCOPES and the manifest`).toHaveProperty([method])
    const needed = new Set<string>(['commands', 'app_mentions:read'])
    for (const method of called) for (const s of METHOD_SCOPES[method]!) needed.add(s)
    // message.channels / message.groups / message.im events need the matching history scopes
    needed.add('channels:history').add('groups:history').add('im:history')
    // user_change events and users.info (admin check, src/team/slack.ts) need users:read; views.publish needs none
    needed.add('users:read')
    expect([...BOT_SCOPES].sort()).toEqual([...needed].sort())
  })

  it('THEN the texts fit the manifest limits (description 140, long description 175..4000)', () => {
    const m = slackManifest('http')
    expect(m.display_information.description.length).toBeLessThanOrEqual(140)
    expect(m.display_information.long_description!.length).toBeGreaterThanOrEqual(175)
    expect(m.display_information.long_description!.length).toBeLessThanOrEqual(4000)
    expect(m.features.shortcuts[0]!.description.length).toBeLessThanOrEqual(80)
  })
})

describe('the slack-manifest command', () => {
  const capture = async (args: string[]) => {
    const out: string[] = []
    const err: string[] = []
    const o = process.stdout.write.bind(process.stdout)
    const e = process.stderr.write.bind(process.stderr)
    process.stdout.write = ((c: string) => (out.push(c), true)) as typeof process.stdout.write
    process.stderr.write = ((c: string) => (err.push(c), true)) as typeof process.stderr.write
    try {
      const code = await runManifest(args)
      return { code, out: out.join(''), err: err.join('') }
    } finally {
      process.stdout.write = o
      process.stderr.write = e
    }
  }

  it('GIVEN http and a public URL WHEN run THEN it prints the manifest pointing at that URL', async () => {
    const { code, out } = await capture(['http', 'https://bot.example.org/'])
    expect(code).toBe(0)
    expect(JSON.parse(out).settings.event_subscriptions.request_url).toBe('https://bot.example.org/slack/events')
  })

  it('GIVEN an unknown mode or a URL that is not http(s) WHEN run THEN it exits 2 with a message and prints no manifest', async () => {
    for (const args of [['websocket'], ['http', 'bot.example.org']]) {
      const { code, out, err } = await capture(args)
      expect(code).toBe(2)
      expect(out).toBe('')
      expect(err).toMatch(/slack-manifest: /)
    }
  })
})
