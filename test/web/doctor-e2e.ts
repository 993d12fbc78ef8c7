// Shared by the doctor end-to-end tests (doctor-*.test.ts): a person's machine in a temporary HOME with fake
// secrets of the real shapes planted in it, the doctor fetched from the service's GET /doctor.mjs and run with plain
// `node`, a local stand-in for the Anthropic API, and checks that no planted secret went anywhere.
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { containsSecret } from '../../src/redaction/index.js'
import { fakeClaudeScript, fakeKey, writeFile } from '../doctor/helpers.js'
import { runProcess, type Run } from '../support/run-process.js'
export type { Run }

/** fake credentials of the real shapes (never real ones), planted on the machine and in its environment */
export const PLANTED = {
  apiKey: fakeKey('api03', 6006),
  oauthAccess: fakeKey('oat01', 6007),
  oauthRefresh: fakeKey('ort01', 6008),
}

/** every 12-character window of a secret's random part: finding any of them anywhere is a leak */
export function leaksOf(text: string): string[] {
  const found: string[] = []
  for (const secret of Object.values(PLANTED)) {
    const body = secret.slice('sk-ant-api03-'.length)
    for (let i = 0; i + 12 <= body.length; i += 6) {
      if (text.includes(body.slice(i, i + 12))) {
        found.push(`${secret.slice(0, 14)}… (characters ${i}-${i + 12})`)
        break
      }
    }
  }
  if (containsSecret(text)) found.push('something the redaction detectors call a secret')
  return found
}

export type Machine = { root: string; home: string; bin: string; env: Record<string, string>; cleanup(): void }

/**
 * A person's machine: a temporary HOME with a Claude account login stored (OAuth tokens in
 * ~/.claude/.credentials.json), the API key exported in ~/.zshrc, `claude` 1.0.40 on PATH, and ANTHROPIC_API_KEY
 * in the environment with a trailing carriage return (pasted from a Windows editor).
 */
export function userMachine(): Machine {
  const root = mkdtempSync(path.join(tmpdir(), 'doctor-e2e-'))
  const home = path.join(root, 'home')
  const bin = path.join(root, 'bin')
  writeFile(path.join(bin, 'claude'), fakeClaudeScript({ version: '1.0.40', auth: 'logged-in' }), 0o755)
  writeFile(path.join(home, '.zshrc'), `export ANTHROPIC_API_KEY="${PLANTED.apiKey}"\n`)
  writeFile(
    path.join(home, '.claude', '.credentials.json'),
    JSON.stringify({ claudeAiOauth: { accessToken: PLANTED.oauthAccess, refreshToken: PLANTED.oauthRefresh, expiresAt: Date.now() + 3_600_000, scopes: ['user:inference'] } }),
    0o600,
  )
  writeFile(path.join(root, 'project', 'package.json'), '{"name":"some-project"}\n')
  return {
    root,
    home,
    bin,
    env: { HOME: home, PATH: `${bin}:/usr/bin:/bin`, SHELL: '/bin/zsh', ANTHROPIC_API_KEY: `${PLANTED.apiKey}\r` },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  }
}

export type Fetched = { file: string; text: string; status: number; contentType: string | null }

/** GET <service>/doctor.mjs, saved as claude-auth-doctor.mjs where the one-line commands save it */
export async function fetchDoctor(serviceUrl: string, dir: string): Promise<Fetched> {
  const res = await fetch(`${serviceUrl}/doctor.mjs`)
  const text = await res.text()
  const file = writeFile(path.join(dir, 'claude-auth-doctor.mjs'), text)
  return { file, text, status: res.status, contentType: res.headers.get('content-type') }
}


/** `node claude-auth-doctor.mjs ARGS` with plain node and only the machine's variables, from its project dir */
export function runDoctor(file: string, args: string[], machine: Machine): Promise<Run> {
  return runProcess(process.execPath, [file, ...args], { cwd: path.join(machine.root, 'project'), env: machine.env })
}

export type ApiStub = { url: string; requests: { path: string; key: string | undefined }[]; close(): Promise<void> }

/** A plain-HTTP stand-in for the API: GET /v1/models answers 401 like the real one; the doctor's checks end fast. */
export async function startApiStub(): Promise<ApiStub> {
  const requests: ApiStub['requests'] = []
  const server = http.createServer((req, res) => {
    const key = req.headers['x-api-key'] as string | undefined
    requests.push({ path: req.url ?? '', key })
    res.writeHead(401, { 'content-type': 'application/json', date: new Date().toUTCString() })
    res.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: key ? 'invalid x-api-key' : 'x-api-key header is required' } }))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

/** the one-time code in a `/claude-auth doctor` answer (any platform's rendering) */
export function codeIn(body: unknown): string {
  const code = /The code ([A-Z0-9]{5}-[A-Z0-9]{5}) works once/.exec(typeof body === 'string' ? body : JSON.stringify(body))?.[1]
  if (!code) throw new Error(`no doctor code in ${JSON.stringify(body).slice(0, 500)}`)
  return code
}

/** the text of a Slack message with mrkdwn's escapes undone */
export function slackText(body: unknown): string {
  return JSON.stringify(body).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
}

/** the one-line commands the replies and the README give, for a service at `publicUrl` */
export function oneLiners(publicUrl: string, code: string): { posix: string; powershell: string } {
  return {
    posix: `curl -fsSL ${publicUrl}/doctor.mjs -o claude-auth-doctor.mjs && node claude-auth-doctor.mjs --upload ${code}`,
    powershell: `irm ${publicUrl}/doctor.mjs -OutFile claude-auth-doctor.mjs; node claude-auth-doctor.mjs --upload ${code}`,
  }
}

/** Polls an async condition until it is truthy (deadline, no fixed sleep). */
export async function eventually<T>(probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
