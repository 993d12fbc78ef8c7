// The WebAssembly copy loop (src/diagnosis/plain-run.wat) must be an exact stand-in for the JavaScript one: the
// same normalised text, offsets and anchor hits for any input; and its embedded bytes must be its source assembled.
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { assemble, embeddingModule, WASM_SOURCES } from '../../src/cli/assemble-wasm.js'
import { SCANNER } from '../../src/diagnosis/engine.js'
import { normaliseCore } from '../../src/diagnosis/normalise.js'
import { plainRunnerFor } from '../../src/diagnosis/plain-run.js'

const root = path.resolve(import.meta.dirname, '../..')

/** everything normaliseCore gives, as plain data, read before the next call reuses its buffers */
function snapshot(text: string, useWasm: boolean) {
  const r = normaliseCore(text, false, SCANNER, useWasm)
  const hits = r.hits!
  return {
    lower: r.lower,
    starts: Array.from({ length: r.map.length }, (_, u) => r.map.start(u)),
    ends: Array.from({ length: r.map.length }, (_, u) => r.map.end(u)),
    found: hits.found.map((a) => ({ anchor: SCANNER.anchors[a], count: hits.count(a), at: Array.from(hits.positions(a)) })),
  }
}

describe('plain run in WebAssembly', () => {
  it('GIVEN this machine WHEN a runner is built THEN it exists and copies a plain run (so the tests here exercise it)', () => {
    const plainClass = new Uint16Array(65536)
    for (const c of 'abcAPI') plainClass[c.charCodeAt(0)] = SCANNER.classOf[c.charCodeAt(0)]!
    const runner = plainRunnerFor(SCANNER, plainClass, 64)!
    expect(runner).not.toBeNull()
    runner.load('xAPI abc!')
    // from index 1: "API abc" is one run (a single space between plain characters stays in it), '!' ends it
    expect(runner.run(1, 9, 0, 0)).toBe(8)
    expect(runner.decode(7)).toBe('api abc')
  })

  it('GIVEN any text WHEN normalised with the WebAssembly loop and with the JavaScript loop THEN text, offsets and hits are the same', () => {
    const words = [
      'API Error: 401',
      ' invalid x-api-key',
      'OAuth token has expired',
      'ANTHROPIC_API_KEY',
      'api_\n   key',
      'api_\nkey',
      '_',
      '^\n',
      ' ',
      '  ',
      '\n',
      '\n\n',
      '\t',
      '\\"',
      '\\n',
      '&amp;',
      '\u001b[31m',
      '[0m',
      '**',
      '`',
      '<https://x.io|docs>',
      '⎿',
      '…',
      'ÉTÉ',
      '認証',
      '\ud83d',
      '😀',
      '\u200b',
      '14012',
      '401',
      'pod',
      'cast',
      'ECONNREFUSED',
      'vs code',
    ]
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 60 }), (parts) => {
        const text = parts.join('')
        expect(snapshot(text, true)).toEqual(snapshot(text, false))
      }),
      { numRuns: 2000 },
    )
  })

  it('GIVEN a text of exactly the runner capacity and one just above WHEN normalised THEN both loops agree', () => {
    const line = 'INFO  [worker-1] processed batch 42 in 7ms\nAPI Error: 401 invalid x-api-key · Please run /login\n'
    for (const size of [1 << 16, (1 << 16) + 1]) {
      const text = line.repeat(Math.ceil(size / line.length)).slice(0, size)
      expect(snapshot(text, true)).toEqual(snapshot(text, false))
    }
  })
})

describe('embedded WebAssembly', () => {
  it('GIVEN each .wat source WHEN assembled THEN the checked-in module embeds exactly those bytes', async () => {
    for (const { source, module, exportName } of WASM_SOURCES) {
      const bytes = await assemble(fs.readFileSync(path.join(root, source), 'utf8'), source)
      expect(fs.readFileSync(path.join(root, module), 'utf8'), `${module} is stale: run npm run assemble-wasm`).toBe(embeddingModule(bytes, source, exportName))
    }
  })

  it('GIVEN a source with a mistake WHEN assembled THEN it is refused (the check above can fail)', async () => {
    await expect(assemble('(module (func (result i32) (i32.add (i32.const 1))))', 'broken.wat')).rejects.toThrow()
  })
})
