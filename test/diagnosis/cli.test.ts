// The classify CLI through the real dispatcher (src/cli.ts), as the eval tool runs it.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')
const tsx = path.join(root, 'node_modules/.bin/tsx')
const cli = (args: string[], input?: string) => spawnSync(tsx, ['src/cli.ts', 'classify', ...args], { cwd: root, input, encoding: 'utf8', timeout: 60_000 })

describe('classify CLI', () => {
  it('GIVEN JSON lines on stdin WHEN run with --batch THEN it writes one JSON line per input with the id and the Diagnosis', () => {
    const input = [
      JSON.stringify({ id: 'a', text: 'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}' }),
      JSON.stringify({ id: 7, text: 'thanks!' }),
    ].join('\n')
    const run = cli(['--batch'], input + '\n')
    expect(run.status).toBe(0)
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatchObject({ id: 'a', cause: 'invalid_api_key', symptom: 'unauthorized_401' })
    expect(Object.keys(lines[0]).sort()).toEqual(['alternatives', 'cause', 'confidence', 'evidence', 'fingerprint', 'id', 'notAuthKind', 'platform', 'symptom'])
    expect(lines[1]).toMatchObject({ id: 7, cause: 'none' })
  })

  it('GIVEN bad lines among good ones WHEN run with --batch THEN each bad line gets {"id":null,"error"} and the batch goes on', () => {
    const input = ['not json', JSON.stringify({ id: 'x' }), JSON.stringify({ id: 'ok', text: 'Auth conflict: both set' }), ''].join('\n')
    const run = cli(['--batch'], input)
    expect(run.status).toBe(0)
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatchObject({ id: null })
    expect(lines[0].error).toMatch(/invalid JSON/)
    expect(lines[1].error).toMatch(/text/)
    expect(lines[2]).toMatchObject({ id: 'ok', cause: 'credential_conflict' })
    expect(run.stderr).toMatch(/2 bad input lines/)
  })

  it('GIVEN a file WHEN run with --json THEN it prints the Diagnosis of the file', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'classify-')), 'paste.txt')
    fs.writeFileSync(file, 'Error: getaddrinfo ENOTFOUND api.anthropic.com')
    const run = cli(['--json', file])
    expect(run.status).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ cause: 'network_blocked' })
  })

  it('GIVEN stdin without flags WHEN run THEN it prints a human reply in Markdown', () => {
    const run = cli([], 'OAuth token has expired · Please run /login')
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/^## /)
    expect(run.stdout.length).toBeGreaterThan(100)
  })

  it('GIVEN a missing file WHEN run THEN it explains and exits 2', () => {
    const run = cli(['/no/such/paste.txt'])
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(/cannot read \/no\/such\/paste\.txt: no such file/)
  })

  it('GIVEN an unknown option WHEN run THEN it prints the usage and exits 2', () => {
    const run = cli(['--frobnicate'])
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(/Usage: classify/)
  })
})
