// src/diagnosis is the pure core: no I/O, no SDK, no clock, no randomness, no network, no node: modules.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const dir = path.resolve(import.meta.dirname, '../../src/diagnosis')
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))

describe('purity of src/diagnosis', () => {
  it('GIVEN the diagnosis sources WHEN their imports are listed THEN they only import each other', () => {
    const bad: string[] = []
    for (const f of files) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8')
      for (const m of src.matchAll(/\b(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]/g)) {
        const spec = m[1] ?? m[2] ?? m[3]!
        if (!spec.startsWith('./')) bad.push(`${f}: ${spec}`)
      }
    }
    expect(bad).toEqual([])
  })

  it('GIVEN the diagnosis sources WHEN scanned THEN they use no clock, randomness, process, network or timers', () => {
    const forbidden = /\bDate\.now\(|\bnew Date\(|\bMath\.random\(|\bprocess\.|\bfetch\(|\bsetTimeout\(|\bsetInterval\(|\bperformance\.now\(|\bcrypto\./
    const bad = files.filter((f) => forbidden.test(fs.readFileSync(path.join(dir, f), 'utf8')))
    expect(bad).toEqual([])
  })

  it('GIVEN a forbidden import planted in a copy of a source WHEN checked THEN the check reports it (the test can fail)', () => {
    const planted = "import fs from 'node:fs'\n" + fs.readFileSync(path.join(dir, 'classify.ts'), 'utf8')
    expect([...planted.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)].map((m) => m[1]).filter((s) => !s!.startsWith('./'))).toEqual(['node:fs'])
  })
})
