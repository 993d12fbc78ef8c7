import { readFileSync, statSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDoctor, run } from '../../src/doctor/build.js'
import type { DoctorReport, UploadPayload } from '../../src/doctor/types.js'
import { containsSecret, DETECTORS } from '../../src/redaction/index.js'
import { fakeClaudeScript, fakeKey, symlink, tempHome, writeFile, type TempDirs } from './helpers.js'
import { runProcess, type Run } from '../support/run-process.js'


/** runs the bundle with plain `node`, from a directory with no node_modules anywhere above it */
function runBundle(file: string, args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  return runProcess(process.execPath, [file, ...args], { cwd, env })
}

const PLANTED = fakeKey('api03', 4242)
let dirs: TempDirs
let bundle: string
let bundleFile: string
let uploadServer: http.Server
let serverUrl: string
const uploads: string[] = []
let closedPort: number

beforeAll(async () => {
  dirs = tempHome()
  // a secret in the build's own environment must not end up in the file
  process.env.DOCTOR_TEST_PLANTED_KEY = PLANTED
  uploadServer = http.createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      uploads.push(body)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ ok: true, cause: 'none', posted: true, message: 'Thanks: the verdict is posted in your thread.' }))
    })
  })
  await new Promise<void>((r) => uploadServer.listen(0, '127.0.0.1', () => r()))
  serverUrl = `http://127.0.0.1:${(uploadServer.address() as AddressInfo).port}`
  closedPort = await new Promise<number>((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port
      s.close(() => resolve(p))
    })
  })
  bundle = await buildDoctor({ defaultServer: serverUrl })
  bundleFile = writeFile(path.join(dirs.root, 'dist', 'doctor.mjs'), bundle)
}, 60_000)

afterAll(async () => {
  delete process.env.DOCTOR_TEST_PLANTED_KEY
  await new Promise<void>((r) => uploadServer.close(() => r()))
  dirs.cleanup()
})

/** a user's machine: temp HOME, a fake npm install of claude, a key with a trailing newline in env and rc file */
function machine(extra: Record<string, string> = {}): Record<string, string> {
  const cli = writeFile(path.join(dirs.root, 'npm', 'lib', 'node_modules', '@anthropic-ai', 'claude-code', 'cli.js'), fakeClaudeScript({ version: '1.0.3' }), 0o755)
  try {
    symlink(cli, path.join(dirs.root, 'npm', 'bin', 'claude'))
  } catch {
    /* made by an earlier test */
  }
  writeFile(path.join(dirs.home, '.zshrc'), `export ANTHROPIC_API_KEY="${PLANTED}"\n`)
  writeFile(path.join(dirs.home, '.claude', '.credentials.json'), JSON.stringify({ claudeAiOauth: { accessToken: fakeKey('oat01', 4243), refreshToken: fakeKey('ort01', 4244), expiresAt: Date.now() + 3_600_000, scopes: ['user:inference'] } }), 0o600)
  return { PATH: path.join(dirs.root, 'npm', 'bin'), HOME: dirs.home, SHELL: '/bin/zsh', ANTHROPIC_API_KEY: `${PLANTED}\n`, ...extra }
}

describe('the one-file doctor', () => {
  it('GIVEN the bundle WHEN inspected THEN it is one ESM file with a shebang that imports only Node built-ins', () => {
    expect(bundle.startsWith('#!/usr/bin/env node\n')).toBe(true)
    const imports = [...bundle.matchAll(/^import .* from ["']([^"']+)["']/gm)].map((m) => m[1])
    expect(imports.length).toBeGreaterThan(0)
    for (const spec of imports) expect(spec).toMatch(/^node:/)
    expect(bundle).not.toMatch(/require\(["']undici["']\)/)
    expect(bundle).toContain('EnvHttpProxyAgent')
  })

  it('GIVEN the bundle WHEN searched for secrets THEN nothing from the build environment, and every key-shaped string is a redaction example', () => {
    expect(bundle).not.toContain(PLANTED.slice(13, 40))
    const examples = DETECTORS.flatMap((d) => d.truePositives.map((t) => t.text)).join('\n')
    const shaped = [...bundle.matchAll(/sk-ant-[a-z]+\d{2}-[A-Za-z0-9_-]{20,}/g)].map((m) => m[0])
    for (const s of shaped) expect(examples, s).toContain(s)
  })

  it('GIVEN a defaultServer WHEN built THEN that URL is built in; without one THEN no URL is', async () => {
    expect(bundle).toContain(JSON.stringify(serverUrl))
    const plain = await buildDoctor()
    expect(plain).not.toContain(serverUrl)
    await expect(buildDoctor({ defaultServer: 'javascript:alert(1)' })).rejects.toThrow(/http/)
  })

  it('GIVEN node WHEN the bundle runs with --help THEN usage and exit 0', async () => {
    const r = await runBundle(bundleFile, ['--help'], { PATH: '/usr/bin:/bin', HOME: dirs.home }, dirs.root)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Usage: node doctor.mjs [options]')
  })

  it('GIVEN a temporary HOME WHEN the bundle runs with --json THEN a complete JSON report, exit 1, and no key anywhere', async () => {
    const r = await runBundle(bundleFile, ['--json', '--show-key-suffix', '--api-url', `https://127.0.0.1:${closedPort}`], machine(), dirs.root)
    expect(r.code).toBe(1)
    const report = JSON.parse(r.stdout) as DoctorReport
    expect(report.checks.map((c) => c.id)).toEqual(expect.arrayContaining(['installs', 'api-key', 'shell-files', 'credentials-file', 'tcp', 'https']))
    expect(report.checks.find((c) => c.id === 'installs')?.summary).toContain('npm global 1.0.3')
    expect(report.checks.find((c) => c.id === 'api-key')?.findings).toEqual([{ code: 'api_key.hidden_characters', severity: 'error' }])
    expect(report.checks.find((c) => c.id === 'tcp')?.facts.error).toBe('ECONNREFUSED')
    expect(report.verdict.cause).toBe('network_blocked')
    const all = r.stdout + r.stderr
    for (let i = 13; i + 8 <= PLANTED.length - 4; i++) expect(all).not.toContain(PLANTED.slice(i, i + 8))
    expect(containsSecret(all)).toBe(false)
  })

  it('GIVEN --upload without --yes and no terminal WHEN run THEN it refuses, sends nothing, exit 2', async () => {
    const before = uploads.length
    const r = await runBundle(bundleFile, ['--upload', 'ABCD-1234', '--api-url', `https://127.0.0.1:${closedPort}`], machine(), dirs.root)
    expect(r.code).toBe(2)
    expect(r.stdout).toContain('Not sent: there is no terminal to ask for your consent')
    expect(uploads.length).toBe(before)
  })

  it('GIVEN --upload --yes WHEN run THEN the built-in server gets { code, report }, redacted, and its answer is printed', async () => {
    const r = await runBundle(bundleFile, ['--upload', 'ABCD-1234', '--yes', '--api-url', `https://127.0.0.1:${closedPort}`], machine(), dirs.root)
    expect(r.stdout).toContain('Uploaded: Thanks: the verdict is posted in your thread.')
    expect(r.code).toBe(1) // the upload worked; the machine still has problems
    const body = uploads.at(-1) as string
    const payload = JSON.parse(body) as UploadPayload
    expect(payload.code).toBe('ABCD-1234')
    expect(payload.report.schema).toBe('claude-auth-doctor/1')
    expect(containsSecret(body)).toBe(false)
    expect(body).not.toContain(PLANTED.slice(13, 30))
  })

  it('GIVEN build-doctor --out WHEN run THEN an executable file is written', async () => {
    const out = path.join(dirs.root, 'out', 'doctor.mjs')
    const write = process.stdout.write
    process.stdout.write = (() => true) as typeof process.stdout.write
    try {
      expect(await run(['--out', out])).toBe(0)
    } finally {
      process.stdout.write = write
    }
    expect(readFileSync(out, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true)
    expect(statSync(out).mode & 0o111).not.toBe(0)
    expect(await run(['--bogus'])).toBe(2)
  })
})
