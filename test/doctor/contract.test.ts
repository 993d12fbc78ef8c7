// The upload the doctor sends is what the service's POST /api/doctor accepts: its own zod schema, and no secret left
// for its refusal check.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_CHECKS } from '../../src/doctor/checks/index.js'
import { buildReport } from '../../src/doctor/report.js'
import { runChecks } from '../../src/doctor/runner.js'
import { preparePayload } from '../../src/doctor/upload.js'
import { containsSecret } from '../../src/redaction/index.js'
import { uploadSchema } from '../../src/web/doctor-routes.js'
import { fakeClaudeScript, fakeKey, makeEnv, OPTIONS, symlink, tempHome, writeFile, type TempDirs } from './helpers.js'

let dirs: TempDirs
let closedPort: number
beforeAll(async () => {
  dirs = tempHome()
  closedPort = await new Promise<number>((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port
      s.close(() => resolve(p))
    })
  })
})
afterAll(() => dirs.cleanup())

describe('upload contract with the service', () => {
  it('GIVEN a troubled machine WHEN its report is prepared for upload THEN the service schema accepts it and finds no secret', async () => {
    const key = fakeKey('api03', 900)
    const cli = writeFile(path.join(dirs.root, 'npm', 'lib', 'node_modules', '@anthropic-ai', 'claude-code', 'cli.js'), fakeClaudeScript({ version: '1.0.3', auth: 'not-logged-in' }), 0o755)
    symlink(cli, path.join(dirs.root, 'npm', 'bin', 'claude'))
    const native = writeFile(path.join(dirs.home, '.local', 'share', 'claude', 'versions', '2.0.14'), fakeClaudeScript({ version: '2.0.14', auth: 'not-logged-in' }), 0o755)
    symlink(native, path.join(dirs.home, '.local', 'bin', 'claude'))
    writeFile(path.join(dirs.home, '.bashrc'), `export ANTHROPIC_API_KEY='${key}'\r\n`)
    writeFile(path.join(dirs.home, '.claude', '.credentials.json'), '{"claudeAiOauth": {"accessToken": "sk-ant-oat01-', 0o644)
    const env = makeEnv(dirs, {
      PATH: `${path.join(dirs.root, 'npm', 'bin')}:${path.join(dirs.home, '.local', 'bin')}`,
      SHELL: '/bin/bash',
      ANTHROPIC_API_KEY: ` ${key}`,
      HTTPS_PROXY: 'http://bob:hunter2hunter2@127.0.0.1:1',
      TERM_PROGRAM: 'vscode',
    })
    const options = { ...OPTIONS, apiUrl: `https://127.0.0.1:${closedPort}`, checkKey: true, showKeySuffix: true }
    const report = buildReport(env, options, await runChecks(ALL_CHECKS, env, options))
    const { payload } = preparePayload('ABCD-1234', report)
    const parsed = uploadSchema.safeParse(JSON.parse(JSON.stringify(payload)))
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true)
    expect(containsSecret(JSON.stringify(payload.report))).toBe(false)
    expect(payload.report.verdict.cause).not.toBe('none')
  })
})
