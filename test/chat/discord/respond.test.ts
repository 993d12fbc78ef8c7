// respond(): one callback when the work is quick, defer-then-edit when it is slow, and an answer even when the
// work fails. Driven with a stand-in interaction that records what discord.js would have been asked to do.
import { describe, expect, it } from 'vitest'
import { FAILURE_NOTE, respond } from '../../../src/chat/discord/respond.js'
import { createLogger } from '../../../src/log.js'
import { Metrics } from '../../../src/metrics.js'

function stand(kind: 'command' | 'button') {
  const calls: { op: string; arg?: any }[] = []
  const rec = (op: string) => async (arg?: any) => void calls.push({ op, arg })
  const i = {
    id: '1',
    isButton: () => kind === 'button',
    isStringSelectMenu: () => false,
    reply: rec('reply'),
    update: rec('update'),
    deferReply: rec('deferReply'),
    deferUpdate: rec('deferUpdate'),
    editReply: rec('editReply'),
    followUp: rec('followUp'),
  }
  return { i: i as any, calls }
}
const deps = (deferAfterMs: number) => ({ log: createLogger({ level: 'silent' }), metrics: new Metrics(), deferAfterMs, source: 'slash' as const, receivedAt: Date.now() })
const later = <T>(ms: number, v: T) => new Promise<T>((r) => setTimeout(() => r(v), ms))

describe('respond', () => {
  it('GIVEN quick work WHEN answering THEN one reply with the flags', async () => {
    const { i, calls } = stand('command')
    expect(await respond(i, { kind: 'reply', ephemeral: true }, async () => ({ content: 'done' }), deps(500))).toBe(true)
    expect(calls).toEqual([{ op: 'reply', arg: { content: 'done', flags: 64 } }])
  })

  it('GIVEN slow work WHEN answering THEN deferred first, then edited', async () => {
    const { i, calls } = stand('command')
    await respond(i, { kind: 'reply', ephemeral: false }, () => later(150, { content: 'late' }), deps(20))
    expect(calls.map((c) => c.op)).toEqual(['deferReply', 'editReply'])
    expect(calls[1]!.arg).toEqual({ content: 'late' })
  })

  it('GIVEN slow work on a button that edits its message WHEN answering THEN deferUpdate, then the edit', async () => {
    const { i, calls } = stand('button')
    await respond(i, { kind: 'update' }, () => later(150, { content: 'edited' }), deps(20))
    expect(calls.map((c) => c.op)).toEqual(['deferUpdate', 'editReply'])
  })

  it('GIVEN work that fails WHEN answering a public reply THEN a private note, never silence', async () => {
    const { i, calls } = stand('command')
    const d = deps(500)
    await respond(i, { kind: 'reply', ephemeral: false }, async () => Promise.reject(new Error('boom with sk-ant-secret')), d)
    expect(calls).toEqual([{ op: 'reply', arg: { content: FAILURE_NOTE, embeds: [], components: [], flags: 64 } }])
  })

  it('GIVEN Discord refuses the answer WHEN answering THEN it is counted as a reply error', async () => {
    const { i } = stand('command')
    i.reply = async () => Promise.reject(Object.assign(new Error('Unknown interaction'), { code: 10062, status: 404 }))
    const d = deps(500)
    expect(await respond(i, { kind: 'reply', ephemeral: true }, async () => ({ content: 'x' }), d)).toBe(false)
    expect(d.metrics.replyErrors.get({ platform: 'discord' })).toBe(1)
  })
})
