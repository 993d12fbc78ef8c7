// Durability: a process killed with SIGKILL in the middle of a write load loses no acknowledged write, and the
// database (and, for PGlite, its directory lock) can be reopened afterwards.
import { afterAll, describe, expect, it } from 'vitest'
import { openStore } from '../../src/store/open-store.js'
import { createTestDatabase, testBackends } from '../support/test-store.js'
import { spawnTs } from '../support/spawn-ts.js'

describe.each(testBackends())('Crash safety on %s', (backend) => {
  const drops: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const d of drops) await d()
  })

  it('GIVEN a process writing incidents WHEN it is killed with SIGKILL mid-load THEN every acknowledged incident is there after reopening', { timeout: 180_000 }, async () => {
    const db = await createTestDatabase(backend)
    drops.push(db.drop)
    const writer = spawnTs('test/store/fixtures/crash-writer.ts', [], { DATABASE_URL: db.url })
    try {
      await writer.waitFor(/^READY$/)
      // let it get well into the load, then kill it without warning
      await new Promise<void>((resolve, reject) => {
        const started = Date.now()
        const tick = setInterval(() => {
          const acks = writer.lines.filter((l) => l.startsWith('ACK ')).length
          if (acks >= 400 || (acks > 0 && Date.now() - started > 15_000)) {
            clearInterval(tick)
            resolve()
          } else if (writer.child.exitCode !== null) {
            clearInterval(tick)
            reject(new Error(`writer exited early: ${writer.stderr()}`))
          }
        }, 20)
      })
      writer.child.kill('SIGKILL')
    } finally {
      if (writer.child.exitCode === null) writer.child.kill('SIGKILL')
    }
    const exit = await writer.exited
    expect(exit.signal).toBe('SIGKILL')
    const acked = writer.lines.filter((l) => l.startsWith('ACK ')).map((l) => l.slice(4).trim())
    expect(acked.length).toBeGreaterThan(0)

    // reopen (for PGlite this also proves the dead writer's lock is recognised as stale)
    const store = await openStore({ url: db.url, migrate: 'never' })
    try {
      const found = new Set<string>()
      for (let i = 0; i < acked.length; i += 500) {
        const rows = await store.prisma.incident.findMany({ where: { id: { in: acked.slice(i, i + 500) } }, select: { id: true } })
        for (const r of rows) found.add(r.id)
      }
      const missing = acked.filter((id) => !found.has(id))
      expect(missing).toEqual([])
      // and the database is usable: writes still work after the crash
      await store.recordIncident({ workspace: { platform: 'slack', externalId: 'T-crash' }, cause: 'none', confidence: 0, excerpt: 'after', source: 'paste' })
      expect(await store.prisma.incident.count()).toBeGreaterThanOrEqual(acked.length + 1)
    } finally {
      await store.close()
    }
  })
})
