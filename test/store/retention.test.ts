import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRetention } from '../../src/store/retention.js'
import { createLogger } from '../../src/log.js'
import { createTestStore, type TestStore } from '../support/test-store.js'

const ws = { platform: 'slack' as const, externalId: 'T-RETAIN' }
let now = new Date('2026-06-01T00:00:00Z')
let t: TestStore

beforeAll(async () => {
  t = await createTestStore('pglite', { now: () => now })
}, 180_000)
afterAll(() => t?.cleanup())

describe('retention', () => {
  it('GIVEN incidents older and newer than RETENTION_DAYS WHEN the retention job runs THEN only the old ones are gone', async () => {
    const base = { workspace: ws, cause: 'invalid_api_key', confidence: 0.9, excerpt: 'invalid x-api-key', source: 'paste' as const }
    const old = await t.store.recordIncident({ ...base, createdAt: new Date('2026-01-01T00:00:00Z') })
    const fresh = await t.store.recordIncident({ ...base, createdAt: new Date('2026-05-30T00:00:00Z') })
    const job = startRetention({ store: t.store, log: createLogger({ level: 'silent' }), days: 90, firstDelayMs: 3_600_000 })
    try {
      await job.runNow()
    } finally {
      job.stop()
    }
    expect(await t.store.getIncident(old.id)).toBeNull()
    expect(await t.store.getIncident(fresh.id)).not.toBeNull()
  })

  it('GIVEN a database that fails WHEN the retention job runs THEN the failure is logged and the job survives', async () => {
    const failing = { purgeOlderThan: async () => Promise.reject(new Error('connection refused')) }
    const lines: string[] = []
    const log = createLogger({ level: 'warn', destination: { write: (l: string) => void lines.push(l) } })
    const job = startRetention({ store: failing as never, log, days: 30, firstDelayMs: 3_600_000 })
    await job.runNow()
    job.stop()
    expect(lines.join('')).toMatch(/retention purge failed/)
  })
})
