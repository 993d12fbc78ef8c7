import { describe, expect, it } from 'vitest'
import { IncidentRecorder } from '../../src/chat/incident-recorder.js'
import { Metrics } from '../../src/metrics.js'
import { createLogger } from '../../src/log.js'
import type { Incident, NewIncident, Store } from '../../src/store/types.js'

/** An in-memory stand-in for the incident table whose database can be switched off. */
function flakyStore() {
  const rows = new Map<string, Incident>()
  const state = { down: false, calls: 0 }
  const fail = () => {
    state.calls++
    if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432')
  }
  const store = {
    async recordIncident(i: NewIncident) {
      fail()
      if (rows.has(i.id!)) throw new Error('duplicate key')
      const row = { ...i, id: i.id!, workspaceId: 'w', feedback: null, resolved: false, createdAt: new Date() } as unknown as Incident
      rows.set(row.id, row)
      return row
    },
    async getIncident(id: string) {
      fail()
      return rows.get(id) ?? null
    },
    async setFeedback(id: string, feedback: 'fixed' | 'still_failing') {
      fail()
      const row = rows.get(id)
      if (!row) return null
      row.feedback = feedback
      return row
    },
  }
  return { store: store as unknown as Store, rows, state }
}

const incident = (n: number) => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  workspace: { platform: 'slack' as const, externalId: 'T1' },
  cause: 'invalid_api_key',
  confidence: 0.9,
  excerpt: 'invalid x-api-key',
  source: 'paste' as const,
})

const quietLog = createLogger({ level: 'silent' })

describe('write-behind incident recording', () => {
  it('GIVEN the database is down WHEN incidents and feedback are queued and the database returns THEN every write lands, in order', async () => {
    const { store, rows, state } = flakyStore()
    const metrics = new Metrics()
    const recorder = new IncidentRecorder({ store, log: quietLog, metrics, baseDelayMs: 5, maxDelayMs: 20 })
    state.down = true
    for (let i = 0; i < 50; i++) recorder.recordIncident(incident(i))
    recorder.recordFeedback(incident(3).id, 'fixed', 'U1')
    await new Promise((r) => setTimeout(r, 60))
    expect(rows.size).toBe(0)
    expect(recorder.pending).toBe(51)
    expect(metrics.dbErrors.get({ operation: 'incident' })).toBeGreaterThan(0)
    state.down = false
    expect(await recorder.flush(5_000)).toBe(true)
    expect(rows.size).toBe(50)
    expect(rows.get(incident(3).id)!.feedback).toBe('fixed')
  })

  it('GIVEN a write whose answer was lost but which landed WHEN retried THEN it is not written twice and the queue moves on', async () => {
    const { store, rows } = flakyStore()
    const recorder = new IncidentRecorder({ store, log: quietLog, metrics: new Metrics(), baseDelayMs: 5 })
    await store.recordIncident(incident(1))
    recorder.recordIncident(incident(1))
    recorder.recordIncident(incident(2))
    expect(await recorder.flush(2_000)).toBe(true)
    expect(rows.size).toBe(2)
  })

  it('GIVEN feedback for an incident that never appears WHEN retried THEN it is given up and later writes still land', async () => {
    const { store, rows } = flakyStore()
    const recorder = new IncidentRecorder({ store, log: quietLog, metrics: new Metrics(), baseDelayMs: 1, maxDelayMs: 2, maxFeedbackAttempts: 3 })
    recorder.recordFeedback('00000000-0000-4000-8000-999999999999', 'still_failing', null)
    recorder.recordIncident(incident(7))
    expect(await recorder.flush(2_000)).toBe(true)
    expect(rows.has(incident(7).id)).toBe(true)
  })

  it('GIVEN a full queue WHEN one more write arrives THEN the oldest is dropped and counted, memory stays bounded', async () => {
    const { store, state } = flakyStore()
    const metrics = new Metrics()
    state.down = true
    const recorder = new IncidentRecorder({ store, log: quietLog, metrics, maxQueue: 10, baseDelayMs: 1000 })
    for (let i = 0; i < 12; i++) recorder.recordIncident(incident(i))
    expect(recorder.pending).toBe(10)
    expect(metrics.dbErrors.get({ operation: 'queue_overflow' })).toBe(2)
    await recorder.stop(10)
  })
})
