import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runDoctor, type ProgramDeps, type ProgramIO } from '../../src/doctor/program.js'
import { REPORT_SCHEMA, type Check, type DoctorReport, type UploadPayload } from '../../src/doctor/types.js'
import { containsSecret, redact } from '../../src/redaction/index.js'
import { fakeClaudeScript, fakeKey, hasOpenssl, makeEnv, symlink, tempHome, writeFile, type TempDirs } from './helpers.js'
import { makeCerts, startApi, startProxy, type ApiServer, type Certs, type Proxy } from './tls-fixtures.js'

type FakeIO = ProgramIO & { out: string; err: string }

function fakeIO(o: { interactive?: boolean; answers?: string[] } = {}): FakeIO {
  const answers = [...(o.answers ?? [])]
  const io: FakeIO = {
    out: '',
    err: '',
    interactive: o.interactive ?? false,
    stdout: (t) => void (io.out += t),
    stderr: (t) => void (io.err += t),
    readLine: async () => answers.shift() ?? null,
  }
  return io
}

const okCheck: Check = { id: 'fine', title: 'Fine', timeoutMs: 1_000, run: async () => ({ state: 'ok', summary: 'all good' }) }
const badCheck: Check = {
  id: 'bad',
  title: 'Bad',
  timeoutMs: 1_000,
  run: async () => ({ state: 'error', summary: 'broken', findings: [{ code: 'installs.multiple', severity: 'error' }], fix: { text: 'do it', commands: ['npm uninstall -g @anthropic-ai/claude-code'] } }),
}
/** a check that (wrongly) lets personal data and a key into its details: the upload must still redact them */
const leakyCheck = (key: string): Check => ({
  id: 'leaky',
  title: 'Leaky',
  timeoutMs: 1_000,
  run: async () => ({ state: 'warning', summary: 'contact ana.lopez@example.com', details: [`token ${key}`] }),
})

let dirs: TempDirs
beforeEach(() => {
  dirs = tempHome()
})
afterEach(() => dirs.cleanup())

const deps = (io: ProgramIO, extra: Partial<ProgramDeps> = {}, vars: Record<string, string> = {}): ProgramDeps => ({ env: makeEnv(dirs, vars), io, ...extra })

describe('command line', () => {
  it('GIVEN --help WHEN run THEN usage and exit 0', async () => {
    const io = fakeIO()
    expect(await runDoctor(['--help'], deps(io))).toBe(0)
    expect(io.out).toContain('--upload CODE')
    expect(io.out).toContain('--check-key')
  })

  it('GIVEN bad usage WHEN run THEN exit 2 with the reason', async () => {
    for (const argv of [['--bogus'], ['--upload'], ['--yes'], ['--server', 'https://x'], ['--api-url', 'ftp://x']]) {
      const io = fakeIO()
      expect(await runDoctor(argv, deps(io, { checks: [okCheck] })), argv.join(' ')).toBe(2)
      expect(io.err).toMatch(/^doctor: /)
    }
  })

  it('GIVEN all checks ok WHEN run THEN exit 0; GIVEN an error THEN exit 1 and the verdict names the cause and fix', async () => {
    const good = fakeIO()
    expect(await runDoctor([], deps(good, { checks: [okCheck] }))).toBe(0)
    expect(good.out).toContain('[✓] Fine: all good')
    expect(good.out).toContain('Verdict: none')
    const bad = fakeIO()
    expect(await runDoctor([], deps(bad, { checks: [okCheck, badCheck] }))).toBe(1)
    expect(bad.out).toContain('[✗] Bad: broken')
    expect(bad.out).toMatch(/Verdict: multiple_installs\n[\s\S]*\$ npm uninstall -g @anthropic-ai\/claude-code/)
  })

  it('GIVEN --json WHEN run THEN stdout is exactly one JSON report of the published shape', async () => {
    const io = fakeIO()
    expect(await runDoctor(['--json'], deps(io, { checks: [okCheck, badCheck] }))).toBe(1)
    const report = JSON.parse(io.out) as DoctorReport
    expect(report.schema).toBe(REPORT_SCHEMA)
    expect(Object.keys(report).sort()).toEqual(['checks', 'doctorVersion', 'generatedAt', 'options', 'schema', 'summary', 'system', 'verdict'])
    expect(report.checks[1]).toMatchObject({ id: 'bad', state: 'error', findings: [{ code: 'installs.multiple', severity: 'error' }] })
    expect(report.verdict.cause).toBe('multiple_installs')
    expect(report.summary).toEqual({ ok: 1, warning: 0, error: 1, crashed: 0, skipped: 0 })
    expect(io.err).toBe('')
  })
})

describe('upload', () => {
  let server: http.Server
  let url: string
  const received: { headers: http.IncomingHttpHeaders; body: string; path: string }[] = []
  let answer: { status: number; body: unknown } = { status: 200, body: { ok: true, message: 'Thanks: the verdict is posted in your thread.' } }
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => {
        received.push({ headers: req.headers, body, path: req.url ?? '' })
        res.writeHead(answer.status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(answer.body))
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))
  beforeEach(() => {
    received.length = 0
    answer = { status: 200, body: { ok: true, message: 'Thanks: the verdict is posted in your thread.' } }
  })

  it('GIVEN no terminal and no --yes WHEN uploading THEN the payload is shown, nothing is sent, exit 2', async () => {
    const io = fakeIO({ interactive: false })
    expect(await runDoctor(['--upload', 'ABCD-1234', '--server', url], deps(io, { checks: [okCheck] }))).toBe(2)
    expect(io.out).toContain('This is exactly what will be sent to')
    expect(io.out).toContain('"code": "ABCD-1234"')
    expect(io.out).toContain('Not sent: there is no terminal to ask for your consent')
    expect(received).toHaveLength(0)
  })

  it('GIVEN a terminal WHEN the person answers no THEN nothing is sent; WHEN yes THEN it is sent', async () => {
    const no = fakeIO({ interactive: true, answers: ['n'] })
    await runDoctor(['--upload', 'ABCD-1234', '--server', url], deps(no, { checks: [okCheck] }))
    expect(no.out).toContain('Send it? [y/N] Not sent.')
    expect(received).toHaveLength(0)
    const yes = fakeIO({ interactive: true, answers: ['yes'] })
    expect(await runDoctor(['--upload', 'ABCD-1234', '--server', url], deps(yes, { checks: [okCheck] }))).toBe(0)
    expect(received).toHaveLength(1)
    expect(yes.out).toContain('Uploaded: Thanks: the verdict is posted in your thread.')
  })

  it('GIVEN --yes WHEN uploading THEN POST /api/doctor with JSON { code, report }, redacted, and the remarks are shown', async () => {
    const key = fakeKey('api03', 77)
    const io = fakeIO()
    expect(await runDoctor(['--upload', ' ABCD-1234 ', '--server', `${url}/`, '--yes'], deps(io, { checks: [okCheck, leakyCheck(key)] }))).toBe(0)
    expect(received).toHaveLength(1)
    const [req] = received
    expect(req?.path).toBe('/api/doctor')
    expect(req?.headers['content-type']).toBe('application/json')
    const payload = JSON.parse(req?.body ?? '') as UploadPayload
    expect(Object.keys(payload).sort()).toEqual(['code', 'report'])
    expect(payload.code).toBe('ABCD-1234')
    expect(payload.report.schema).toBe(REPORT_SCHEMA)
    expect(req?.body).not.toContain(key.slice(13, 40))
    expect(req?.body).not.toContain('ana.lopez@example.com')
    expect(containsSecret(req?.body ?? '')).toBe(false)
    const leaky = payload.report.checks.find((c) => c.id === 'leaky')
    expect(leaky?.details[0]).toContain('[anthropic-api-key]')
    expect(io.out).toMatch(/Redacted before sending: .*\[anthropic-api-key\]/)
    // what was shown is what was sent
    expect(io.out).toContain(JSON.stringify(payload, null, 2))
  })

  it('GIVEN the server refuses the code WHEN uploading THEN its message is printed and exit 1', async () => {
    answer = { status: 404, body: { error: { code: 'CODE_UNKNOWN', message: 'That upload code does not exist. Run /claude-auth doctor in your thread to get a new one.' } } }
    const io = fakeIO()
    expect(await runDoctor(['--upload', 'ZZZZ-0000', '--server', url, '--yes'], deps(io, { checks: [okCheck] }))).toBe(1)
    expect(io.out).toContain('Upload refused (HTTP 404): That upload code does not exist. Run /claude-auth doctor in your thread to get a new one. (CODE_UNKNOWN)')
  })

  it('GIVEN --json and --upload WHEN uploading THEN stdout holds only the report and the conversation goes to stderr', async () => {
    const io = fakeIO()
    await runDoctor(['--json', '--upload', 'ABCD-1234', '--server', url, '--yes'], deps(io, { checks: [okCheck] }))
    expect(() => JSON.parse(io.out)).not.toThrow()
    expect(io.err).toContain('Uploaded:')
  })

  it('GIVEN no --server WHEN CLAUDE_AUTH_BOT_URL or a built-in server is there THEN that one is used; with neither THEN exit 2', async () => {
    const viaEnv = fakeIO()
    await runDoctor(['--upload', 'ABCD-1234', '--yes'], deps(viaEnv, { checks: [okCheck] }, { CLAUDE_AUTH_BOT_URL: url }))
    expect(received).toHaveLength(1)
    const builtIn = fakeIO()
    await runDoctor(['--upload', 'ABCD-1234', '--yes'], deps(builtIn, { checks: [okCheck], defaultServer: url }))
    expect(received).toHaveLength(2)
    const none = fakeIO()
    expect(await runDoctor(['--upload', 'ABCD-1234', '--yes'], deps(none, { checks: [okCheck] }))).toBe(2)
    expect(none.err).toContain('--server URL')
  })

  it('GIVEN the server cannot be reached WHEN uploading THEN a clear message and exit 1', async () => {
    const io = fakeIO()
    expect(await runDoctor(['--upload', 'ABCD-1234', '--server', 'http://127.0.0.1:1', '--yes'], deps(io, { checks: [okCheck] }))).toBe(1)
    expect(io.out).toContain('Upload failed: could not reach 127.0.0.1:1 (ECONNREFUSED)')
  })
})

describe.runIf(hasOpenssl())('negative security test: a full run never shows a planted secret', () => {
  let certs: Certs
  let api: ApiServer
  let proxy: Proxy
  let upload: http.Server
  let uploadUrl: string
  let uploaded = ''
  beforeAll(async () => {
    certs = makeCerts()
    api = await startApi({ key: certs.leafKey, cert: certs.leafCert })
    proxy = await startProxy({ requireAuth: `Basic ${Buffer.from('corpuser:Pr0xyPassw0rd').toString('base64')}` })
    upload = http.createServer((req, res) => {
      req.on('data', (d) => (uploaded += d))
      req.on('end', () => res.end('{"ok":true,"message":"posted"}'))
    })
    await new Promise<void>((r) => upload.listen(0, '127.0.0.1', () => r()))
    uploadUrl = `http://127.0.0.1:${(upload.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await Promise.all([api.close(), proxy.close(), new Promise<void>((r) => upload.close(() => r()))])
  })

  it('GIVEN keys in env, rc files, settings, credentials and a proxy password WHEN the doctor runs (text, JSON, --check-key, suffix, upload) THEN none of them appears', async () => {
    const apiKey = fakeKey('api03', 101)
    const rcKey = fakeKey('api03', 102)
    const oauth = fakeKey('oat01', 103)
    const access = fakeKey('oat01', 104)
    const refresh = fakeKey('ort01', 105)
    const settingsKey = fakeKey('api03', 106)
    const authToken = 'gw-' + fakeKey('api03', 107).slice(13)
    const secrets = [apiKey, rcKey, oauth, access, refresh, settingsKey, authToken, 'Pr0xyPassw0rd']

    writeFile(path.join(dirs.home, '.zshrc'), `export ANTHROPIC_API_KEY="${rcKey}"\r\nexport CLAUDE_CODE_OAUTH_TOKEN=${oauth}\n`)
    writeFile(path.join(dirs.home, '.bashrc'), `export ANTHROPIC_API_KEY=${apiKey}\n`)
    writeFile(path.join(dirs.home, '.claude', '.credentials.json'), JSON.stringify({ claudeAiOauth: { accessToken: access, refreshToken: refresh, expiresAt: 1, scopes: ['user:inference'] } }), 0o644)
    writeFile(path.join(dirs.home, '.claude', 'settings.json'), JSON.stringify({ apiKeyHelper: `echo ${settingsKey}`, env: { ANTHROPIC_API_KEY: settingsKey } }))
    writeFile(path.join(dirs.home, '.claude.json'), `{"primaryApiKey": "${settingsKey}", "customApiKeyResponses": {"rejected": ["${apiKey.slice(-20)}"]}, `)
    const cli = writeFile(path.join(dirs.root, 'npm', 'lib', 'node_modules', '@anthropic-ai', 'claude-code', 'cli.js'), fakeClaudeScript({ version: '1.0.3', auth: 'crash' }), 0o755)
    symlink(cli, path.join(dirs.root, 'npm', 'bin', 'claude'))
    const vars = {
      PATH: path.join(dirs.root, 'npm', 'bin'),
      SHELL: '/bin/zsh',
      ANTHROPIC_API_KEY: `${apiKey}\n`,
      ANTHROPIC_AUTH_TOKEN: authToken,
      HTTPS_PROXY: proxy.url.replace('http://', 'http://corpuser:Pr0xyPassw0rd@'),
      CLAUDE_AUTH_BOT_URL: uploadUrl,
    }
    const env = makeEnv(dirs, vars, { extraCa: certs.caCert })
    const outputs: string[] = []
    for (const argv of [[], ['--json'], ['--check-key', '--show-key-suffix', '--verbose'], ['--json', '--check-key', '--show-key-suffix', '--upload', 'ABCD-1234', '--yes']]) {
      const io = fakeIO()
      const code = await runDoctor([...argv, '--api-url', api.url], { env, io })
      expect(code).toBe(1)
      outputs.push(io.out + io.err)
    }
    outputs.push(uploaded)
    expect(uploaded).toContain('"code":"ABCD-1234"')
    expect(proxy.requests.length).toBeGreaterThan(0) // the run went through the proxy, with its password
    for (const out of outputs) {
      for (const secret of secrets) {
        const body = secret.replace(/^sk-ant-[a-z]+\d\d-/, '')
        // no 8-character stretch of any secret, except the last four of the key with --show-key-suffix
        for (let i = 0; i + 8 <= body.length; i++) expect(out).not.toContain(body.slice(i, i + 8))
      }
      expect(redact(out).remarks.filter((r) => r.kind !== 'user')).toEqual([])
      expect(containsSecret(out)).toBe(false)
    }
    expect(outputs[2]).toContain(`…${apiKey.slice(-4)}`)
    expect(outputs[0]).toContain('Verdict: ')
  })
})
