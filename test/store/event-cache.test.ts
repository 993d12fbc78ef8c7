import { describe, expect, it } from 'vitest'
import { withEventCache } from '../../src/store/event-cache.js'
import type { CredentialEvent, NewCredentialEvent, Store } from '../../src/store/types.js'

/** Counts the queries that reach the "database". */
function countingStore() {
  const events: CredentialEvent[] = []
  const calls = { list: 0 }
  const store = {
    backend: 'pglite',
    async listCredentialEvents(_w: unknown, opts: { since?: Date; limit?: number } = {}) {
      calls.list++
      return events.filter((e) => e.occurredAt >= (opts.since ?? new Date(0))).slice(0, opts.limit ?? 50)
    },
    async recordCredentialEvent(e: NewCredentialEvent) {
      const row = { ...e, id: String(events.length), workspaceId: 'w', occurredAt: e.occurredAt ?? new Date(), recordedAt: new Date() } as CredentialEvent
      events.unshift(row)
      return row
    },
    async ping() {},
  }
  return { store: store as unknown as Store, calls, events }
}

const ws = { platform: 'slack' as const, externalId: 'T1' }

describe('recent credential events cache', () => {
  it('GIVEN several diagnoses in one workspace within the TTL WHEN events are listed THEN the database is asked once', async () => {
    const { store, calls } = countingStore()
    let t = 1_000
    const cached = withEventCache(store, { ttlMs: 5_000, now: () => t })
    for (let i = 0; i < 10; i++) {
      await cached.listCredentialEvents(ws, { since: new Date(t - 86_400_000), limit: 50 })
      t += 100
    }
    expect(calls.list).toBe(1)
    t += 5_000
    await cached.listCredentialEvents(ws, { since: new Date(t - 86_400_000), limit: 50 })
    expect(calls.list).toBe(2)
  })

  it('GIVEN a cached empty list WHEN this process records a rotation THEN the next diagnosis sees it at once', async () => {
    const { store } = countingStore()
    const cached = withEventCache(store, { ttlMs: 60_000 })
    expect(await cached.listCredentialEvents(ws, { limit: 50 })).toEqual([])
    await cached.recordCredentialEvent({ workspace: ws, kind: 'key_rotated', source: 'command' })
    const after = await cached.listCredentialEvents(ws, { limit: 50 })
    expect(after.map((e) => e.kind)).toEqual(['key_rotated'])
  })

  it('GIVEN a cached list WHEN a query asks for more or older events than were cached THEN it goes to the database', async () => {
    const { store, calls } = countingStore()
    const cached = withEventCache(store, { ttlMs: 60_000 })
    await cached.listCredentialEvents(ws, { since: new Date(5_000), limit: 10 })
    await cached.listCredentialEvents(ws, { since: new Date(1_000), limit: 10 })
    await cached.listCredentialEvents(ws, { since: new Date(1_000), limit: 100 })
    expect(calls.list).toBe(3)
  })

  it('GIVEN the wrapped store WHEN other methods are called THEN they reach the real store unchanged', async () => {
    const { store } = countingStore()
    const cached = withEventCache(store, { ttlMs: 1_000 })
    expect(cached.backend).toBe('pglite')
    await expect(cached.ping()).resolves.toBeUndefined()
  })
})
