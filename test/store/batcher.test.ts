// Group commit for inserts: lone calls go at once, calls made meanwhile share one statement, a bad row fails alone.
import { describe, expect, it } from 'vitest'
import { Batcher } from '../../src/store/batcher.js'

function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

describe('Batcher', () => {
  it('GIVEN an idle writer WHEN one item is added THEN it is flushed at once, alone', async () => {
    const batches: number[][] = []
    const b = new Batcher<number, number>(async (xs) => (batches.push(xs), xs.map((x) => x * 2)), { maxInFlight: 1, maxBatch: 10 })
    expect(await b.add(21)).toBe(42)
    expect(batches).toEqual([[21]])
  })

  it('GIVEN a flush in progress WHEN more items arrive THEN they go out together in the next flush, each caller getting its own result', async () => {
    const batches: number[][] = []
    const gate = deferred()
    const b = new Batcher<number, string>(
      async (xs) => {
        batches.push(xs)
        if (batches.length === 1) await gate.promise
        return xs.map((x) => `r${x}`)
      },
      { maxInFlight: 1, maxBatch: 3 },
    )
    const results = [1, 2, 3, 4, 5, 6].map((x) => b.add(x))
    await new Promise((r) => setTimeout(r, 10))
    expect(batches).toEqual([[1]])
    gate.resolve()
    expect(await Promise.all(results)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6'])
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]])
  })

  it('GIVEN a batch that fails because of one item WHEN flushed THEN the others are retried alone and succeed; only the bad one rejects', async () => {
    const gate = deferred()
    let calls = 0
    const b = new Batcher<number, number>(
      async (xs) => {
        if (++calls === 1) await gate.promise
        if (xs.includes(13)) throw new Error('bad row 13')
        return xs
      },
      { maxInFlight: 1, maxBatch: 10 },
    )
    const first = b.add(1)
    const rest = [12, 13, 14].map((x) => b.add(x).then((v) => ({ ok: v }), (e: Error) => ({ err: e.message })))
    gate.resolve()
    expect(await first).toBe(1)
    expect(await Promise.all(rest)).toEqual([{ ok: 12 }, { err: 'bad row 13' }, { ok: 14 }])
  })

  it('GIVEN maxInFlight 2 WHEN three items arrive at once THEN two flushes run together and the third waits', async () => {
    let running = 0
    let peak = 0
    const b = new Batcher<number, number>(
      async (xs) => {
        peak = Math.max(peak, ++running)
        await new Promise((r) => setTimeout(r, 20))
        running--
        return xs
      },
      { maxInFlight: 2, maxBatch: 1 },
    )
    expect(await Promise.all([1, 2, 3].map((x) => b.add(x)))).toEqual([1, 2, 3])
    expect(peak).toBe(2)
  })

  it('GIVEN writes in flight and queued WHEN drained THEN it resolves only after all of them are answered', async () => {
    const done: number[] = []
    const b = new Batcher<number, number>(
      async (xs) => {
        await new Promise((r) => setTimeout(r, 15))
        done.push(...xs)
        return xs
      },
      { maxInFlight: 1, maxBatch: 2 },
    )
    await b.drain() // idle: at once
    for (const x of [1, 2, 3, 4, 5]) void b.add(x)
    await b.drain()
    expect(done.sort()).toEqual([1, 2, 3, 4, 5])
  })
})
