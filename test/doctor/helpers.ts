// Test environments for the doctor: a temporary HOME, fake `claude` executables, fake keys of the real shapes
// (never real ones), and the real node env pointed at all of that.
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createNodeEnv, type NodeEnvOptions } from '../../src/doctor/node-env.js'
import { runCheck } from '../../src/doctor/runner.js'
import type { Check, CheckReport, DoctorEnv, DoctorOptions, ExecResult } from '../../src/doctor/types.js'

export const OPTIONS: DoctorOptions = { apiUrl: 'https://api.anthropic.com', checkKey: false, showKeySuffix: false }

/** deterministic body characters of a key (a small LCG, so every run plants the same fake secrets) */
function body(seed: number, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'
  let x = seed >>> 0
  let out = ''
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    out += alphabet[x % 62] // letters and digits only, so the key never looks like it has a hidden character
  }
  return out
}

/** a fake key of a real shape: sk-ant-api03- + 93 characters + AA = 108 characters */
export function fakeKey(kind: 'api03' | 'admin01' | 'oat01' | 'ort01', seed = 1): string {
  return `sk-ant-${kind}-${body(seed, 93)}AA`
}

export type TempDirs = { root: string; home: string; project: string; bin: string; cleanup(): void }

export function tempHome(): TempDirs {
  const root = mkdtempSync(path.join(tmpdir(), 'doctor-test-'))
  const home = path.join(root, 'home')
  const project = path.join(root, 'project')
  const bin = path.join(root, 'bin')
  for (const d of [home, project, bin]) mkdirSync(d, { recursive: true })
  return { root, home, project, bin, cleanup: () => rmSync(root, { recursive: true, force: true }) }
}

export function writeFile(file: string, text: string, mode?: number): string {
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, text)
  if (mode !== undefined) chmodSync(file, mode)
  return file
}

export function symlink(target: string, link: string): void {
  mkdirSync(path.dirname(link), { recursive: true })
  symlinkSync(target, link)
}

/** a shell script that answers like `claude`: --version, --help (with or without `auth`), auth status */
export function fakeClaudeScript(o: { version: string; auth?: 'logged-in' | 'not-logged-in' | 'json-logged-in' | 'absent' | 'crash'; hangOn?: 'version' | 'auth' }): string {
  const help = o.auth === 'absent' || o.auth === undefined
    ? 'Usage: claude [options] [command] [prompt]\\n\\nCommands:\\n  config   Manage configuration\\n  mcp      Configure MCP servers\\n'
    : 'Usage: claude [options] [command] [prompt]\\n\\nCommands:\\n  auth     Manage authentication\\n  config   Manage configuration\\n'
  const status: Record<string, string> = {
    'logged-in': "echo 'Logged in using Claude account (max)'; exit 0",
    'json-logged-in': `echo '{"loggedIn": true, "authMethod": "claude.ai", "email": "ana@example.com", "subscriptionType": "max"}'; exit 0`,
    'not-logged-in': "echo 'Not logged in. Run claude auth login to authenticate.' >&2; exit 1",
    crash: "echo 'Error: Token validation failed (request id req_1)' >&2; exit 1",
    absent: "echo 'should never run' >&2; exit 3",
  }
  return [
    '#!/bin/sh',
    'case "$1" in',
    `  --version) ${o.hangOn === 'version' ? 'echo $$ > "$0.pid"; exec /bin/sleep 30' : `echo "${o.version} (Claude Code)"`} ;;`,
    `  --help) printf '${help}' ;;`,
    `  auth) ${o.hangOn === 'auth' ? 'exec /bin/sleep 30' : (status[o.auth ?? 'absent'] as string)} ;;`,
    '  *) echo "unexpected: $*" >&2; exit 9 ;;',
    'esac',
    '',
  ].join('\n')
}

export function makeEnv(dirs: TempDirs, vars: Record<string, string | undefined> = {}, extra: Partial<NodeEnvOptions> = {}): DoctorEnv {
  return createNodeEnv({ env: { PATH: dirs.bin, HOME: dirs.home, ...vars }, homedir: dirs.home, cwd: dirs.project, ...extra })
}

/** replace exec (e.g. the macOS `security` tool) with canned answers */
export function withExec(env: DoctorEnv, answer: (file: string, args: string[]) => Partial<ExecResult> | undefined): DoctorEnv {
  return {
    ...env,
    exec: async (file, args, o) => {
      const a = answer(file, args)
      if (!a) return env.exec(file, args, o)
      return { code: 0, stdout: '', stderr: '', timedOut: false, ...a }
    },
  }
}

export function check(c: Check, env: DoctorEnv, options: Partial<DoctorOptions> = {}): Promise<CheckReport> {
  return runCheck(c, env, { ...OPTIONS, ...options })
}

export const codes = (r: CheckReport): string[] => r.findings.map((f) => f.code)

/** everything a report shows, as one string, for "never contains" assertions */
export const shown = (r: CheckReport | object): string => JSON.stringify(r)

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
