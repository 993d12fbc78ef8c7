// The one-file doctor on Node.js 18, the oldest Node it promises to run on: Debian bookworm's Node 18 (fetched and
// unpacked by test/support/node18.ts, the system's Node untouched) runs the bundle from a directory with no
// node_modules, in a temporary HOME. Beyond --help and --json, the requests go through the bundled undici 7 (which
// itself asks for Node >= 20.18): an HTTPS API behind a CONNECT proxy with a company CA, --check-key, and --upload to
// a receiver that validates the body with the service's own upload schema.
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDoctor } from '../../src/doctor/build.js'
import type { DoctorReport } from '../../src/doctor/types.js'
import { DOCTOR_VERSION } from '../../src/doctor/version.js'
import { containsSecret } from '../../src/redaction/index.js'
import { uploadSchema } from '../../src/web/doctor-routes.js'
import { node18, type Node18 } from '../support/node18.js'
import { fakeClaudeScript, fakeKey, writeFile } from './helpers.js'
import { makeCerts, startApi, startProxy, type ApiServer, type Certs, type Proxy } from './tls-fixtures.js'
import { runProcess, type Run } from '../support/run-process.js'


let n18: Node18
let root: string
let bundleFile: string
let certs: Certs
let caFile: string

/** runs the bundle with Node 18 and only the variables given (plus what the unpacked node needs) */
function runBundle(args: string[], env: Record<string, string>): Promise<Run> {
  return runProcess(n18.node, [bundleFile, ...args], { cwd: path.join(root, 'project'), env: { ...env, ...n18.env } })
}

const KEY = fakeKey('api03', 1818)
const OAUTH = fakeKey('oat01', 1819)

/**
 * a user's machine: a temporary HOME with a key in the shell rc file and a fake `claude` on PATH; with `login`, also
 * a Claude account login (a credentials file with OAuth tokens, `claude auth status` logged in)
 */
function machine(extra: Record<string, string> = {}, options: { login?: boolean } = { login: true }): Record<string, string> {
  const home = path.join(root, options.login ? 'home' : 'home-key-only')
  const bin = path.join(root, options.login ? 'bin' : 'bin-key-only')
  writeFile(path.join(bin, 'claude'), fakeClaudeScript({ version: '1.0.40', auth: options.login ? 'logged-in' : 'absent' }), 0o755)
  writeFile(path.join(home, '.bashrc'), `export ANTHROPIC_API_KEY="${KEY}"\n`)
  if (options.login) {
    writeFile(path.join(home, '.claude', '.credentials.json'), JSON.stringify({ claudeAiOauth: { accessToken: OAUTH, refreshToken: fakeKey('ort01', 1820), expiresAt: Date.now() + 3_600_000 } }), 0o600)
  }
  return { HOME: home, PATH: `${bin}:/usr/bin:/bin`, SHELL: '/bin/bash', ...extra }
}

const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port
      s.close(() => resolve(p))
    })
  })

/** no Node warnings, no crash traces: what a Node 18 user would see if the bundle used something newer */
function expectCleanStderr(stderr: string) {
  expect(stderr).not.toMatch(/Warning|TypeError|ReferenceError|SyntaxError|is not a function|is not defined|unexpected failure/)
}

beforeAll(async () => {
  // Fetches Debian's packages the first time (about 11 MB), then reuses the cache; throws (fails) when it cannot.
  n18 = node18()
  root = mkdtempSync(path.join(tmpdir(), 'doctor-node18-'))
  writeFile(path.join(root, 'project', 'README'), 'a project\n')
  bundleFile = writeFile(path.join(root, 'dist', 'claude-auth-doctor.mjs'), await buildDoctor())
  certs = makeCerts()
  caFile = writeFile(path.join(root, 'corp-ca.pem'), certs.caCert)
}, 300_000)

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('the doctor bundle on Node 18', () => {
  it('GIVEN the Node fetched for this test WHEN asked THEN it is a Node 18 (not the system Node 20)', async () => {
    expect(n18.version).toMatch(/^v18\.\d+\.\d+$/)
    const r = await runBundle(['--version'], machine())
    expect(r).toMatchObject({ code: 0, stdout: `${DOCTOR_VERSION}\n` })
    expectCleanStderr(r.stderr)
  })

  it('GIVEN Node 18 WHEN the bundle runs with --help THEN the usage and exit 0', async () => {
    const r = await runBundle(['--help'], { HOME: path.join(root, 'home'), PATH: '/usr/bin:/bin' })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Usage: node doctor.mjs [options]')
    expect(r.stdout).toContain('--upload CODE')
    expect(r.stderr).toBe('')
  })

  it('GIVEN Node 18 and an unreachable API WHEN --json runs in a temporary HOME THEN a complete report that the service accepts, the network named as the cause, exit 1, no secret', async () => {
    const port = await closedPort()
    const r = await runBundle(['--json', '--api-url', `https://127.0.0.1:${port}`], machine({ ANTHROPIC_API_KEY: `${KEY}\r` }))
    expectCleanStderr(r.stderr)
    expect(r.code).toBe(1)
    const report = JSON.parse(r.stdout) as DoctorReport
    expect(report.system.node).toBe(n18.version)
    expect(report.checks.find((c) => c.id === 'node')?.state).toBe('ok')
    expect(report.checks.map((c) => c.id)).toEqual(expect.arrayContaining(['installs', 'auth-status', 'api-key', 'shell-files', 'credentials-file', 'proxy', 'tcp', 'tls', 'https']))
    expect(report.checks.filter((c) => c.state === 'crashed')).toEqual([])
    expect(report.checks.find((c) => c.id === 'installs')?.summary).toContain('1.0.40')
    expect(report.checks.find((c) => c.id === 'api-key')?.findings).toEqual([{ code: 'api_key.hidden_characters', severity: 'error' }])
    expect(report.checks.find((c) => c.id === 'tcp')?.facts.error).toBe('ECONNREFUSED')
    expect(report.checks.find((c) => c.id === 'https')?.state).toBe('error')
    expect(report.verdict.cause).toBe('network_blocked')
    expect(uploadSchema.safeParse({ code: 'ABCDE-12345', report }).success).toBe(true)
    const all = r.stdout + r.stderr
    for (const secret of [KEY, OAUTH]) expect(all).not.toContain(secret.slice(13, 40))
    expect(containsSecret(all)).toBe(false)
  })

  describe('requests through the bundled undici 7', () => {
    let api: ApiServer
    let proxy: Proxy
    beforeAll(async () => {
      api = await startApi({ key: certs.leafKey, cert: certs.leafCert }, { goodKey: KEY })
      proxy = await startProxy()
    })
    afterAll(async () => {
      await api?.close()
      await proxy?.close()
    })

    it('GIVEN Node 18, HTTPS_PROXY and a company CA in NODE_EXTRA_CA_CERTS WHEN --check-key runs on a machine with only a good key THEN TLS, HTTPS and the key check all pass through the proxy, nothing wrong, exit 0', async () => {
      const before = { proxy: proxy.requests.length, api: api.requests.length }
      const r = await runBundle(['--json', '--check-key', '--api-url', api.url], machine({ ANTHROPIC_API_KEY: KEY, HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: caFile }, { login: false }))
      expectCleanStderr(r.stderr)
      const report = JSON.parse(r.stdout) as DoctorReport
      const check = (id: string) => report.checks.find((c) => c.id === id)!
      expect({ tls: check('tls').state, https: check('https').state, key: check('api-key-check').state }).toEqual({ tls: 'ok', https: 'ok', key: 'ok' })
      expect(check('https').summary).toContain(`through ${proxy.url}`)
      expect(check('https').facts.status).toBe(401) // the plain HTTPS check sends no key
      expect(check('api-key-check').facts.status).toBe(200)
      expect(report.verdict.cause).toBe('none')
      expect(r.code).toBe(0)
      // every connection went through the proxy: the TLS probe, the HTTPS check and the key check
      expect(proxy.requests.slice(before.proxy).map((p) => p.path)).toEqual(Array(3).fill(`127.0.0.1:${api.port}`))
      expect(api.requests.slice(before.api)).toEqual([
        { path: '/v1/models', key: undefined },
        { path: '/v1/models', key: KEY },
      ])
      expect(r.stdout).not.toContain(KEY.slice(13, 40))
    })

    it('GIVEN Node 18 WHEN --upload CODE --yes runs THEN the receiver gets one JSON POST that the service\'s schema accepts, with no secret, and its answer is printed', async () => {
      const bodies: { type: string | undefined; body: string }[] = []
      const receiver = http.createServer((req, res) => {
        let body = ''
        req.setEncoding('utf8')
        req.on('data', (d: string) => (body += d))
        req.on('end', () => {
          bodies.push({ type: req.headers['content-type'], body })
          res.writeHead(200, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ ok: true, cause: 'invalid_api_key', posted: true, message: 'Thanks: the verdict is posted in your thread.' }))
        })
      })
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()))
      try {
        const server = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
        const r = await runBundle(['--upload', 'abcde-12345', '--yes', '--server', server, '--api-url', api.url], machine({ ANTHROPIC_API_KEY: `${KEY}\n`, NODE_EXTRA_CA_CERTS: caFile }))
        expectCleanStderr(r.stderr)
        expect(r.stdout).toContain('Uploaded: Thanks: the verdict is posted in your thread.')
        expect(r.code).toBe(1) // uploaded; the key's trailing newline is still an error on this machine
        expect(bodies).toHaveLength(1)
        expect(bodies[0]!.type).toBe('application/json')
        const parsed = uploadSchema.safeParse(JSON.parse(bodies[0]!.body))
        expect(parsed.success, JSON.stringify(parsed.error?.issues?.slice(0, 3))).toBe(true)
        expect(parsed.data!.code).toBe('abcde-12345')
        expect(parsed.data!.report.system.node).toBe(n18.version)
        expect(parsed.data!.report.verdict.cause).toBe('invalid_api_key')
        expect(containsSecret(bodies[0]!.body)).toBe(false)
        for (const secret of [KEY, OAUTH]) expect(bodies[0]!.body).not.toContain(secret.slice(13, 40))
      } finally {
        await new Promise<void>((r) => receiver.close(() => r()))
      }
    })
  })
})
