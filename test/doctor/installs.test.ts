import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { authStatusCheck } from '../../src/doctor/checks/auth-status.js'
import { classifyInstall, installsCheck, versionOf } from '../../src/doctor/checks/installs.js'
import { nodeCheck } from '../../src/doctor/checks/node.js'
import type { DoctorEnv } from '../../src/doctor/types.js'
import { check, codes, fakeClaudeScript, makeEnv, symlink, tempHome, writeFile, type TempDirs } from './helpers.js'

let dirs: TempDirs
beforeEach(() => {
  dirs = tempHome()
})
afterEach(() => dirs.cleanup())

/** npm global: <prefix>/bin/claude -> ../lib/node_modules/@anthropic-ai/claude-code/cli.js */
function npmInstall(version: string, opts: Parameters<typeof fakeClaudeScript>[0] = { version }): string {
  const prefix = path.join(dirs.root, 'npm')
  const cli = writeFile(path.join(prefix, 'lib', 'node_modules', '@anthropic-ai', 'claude-code', 'cli.js'), fakeClaudeScript({ ...opts, version }), 0o755)
  symlink(cli, path.join(prefix, 'bin', 'claude'))
  return path.join(prefix, 'bin')
}

/** native: ~/.local/bin/claude -> ~/.local/share/claude/versions/<v> */
function nativeInstall(version: string, opts: Omit<Parameters<typeof fakeClaudeScript>[0], 'version'> = {}): string {
  const target = writeFile(path.join(dirs.home, '.local', 'share', 'claude', 'versions', version), fakeClaudeScript({ ...opts, version }), 0o755)
  symlink(target, path.join(dirs.home, '.local', 'bin', 'claude'))
  return path.join(dirs.home, '.local', 'bin')
}

function brewInstall(version: string): string {
  const target = writeFile(path.join(dirs.root, 'homebrew', 'Caskroom', 'claude-code', version, 'claude'), fakeClaudeScript({ version }), 0o755)
  symlink(target, path.join(dirs.root, 'homebrew', 'bin', 'claude'))
  return path.join(dirs.root, 'homebrew', 'bin')
}

describe('Claude Code installs in PATH', () => {
  it('GIVEN one native install WHEN checked THEN ok with its kind and version', async () => {
    const bin = nativeInstall('2.0.14')
    const r = await check(installsCheck, makeEnv(dirs, { PATH: bin }))
    expect(r.state).toBe('ok')
    expect(r.summary).toContain('native 2.0.14')
    expect(r.facts).toMatchObject({ count: 1 })
  })

  it('GIVEN an npm global install before a native one WHEN checked THEN error, the npm one runs, and the fix removes it', async () => {
    const npmBin = npmInstall('1.0.3')
    const nativeBin = nativeInstall('2.0.14')
    const r = await check(installsCheck, makeEnv(dirs, { PATH: `${npmBin}:${nativeBin}` }))
    expect(r.state).toBe('error')
    expect(codes(r)).toEqual(['installs.multiple'])
    expect(r.summary).toContain('runs the first: npm global 1.0.3')
    expect(r.details.join('\n')).toMatch(/1\. npm global 1\.0\.3[\s\S]*2\. native 2\.0\.14/)
    expect(r.fix?.commands[0]).toBe('npm uninstall -g @anthropic-ai/claude-code')
    expect(r.fix?.commands).toContain('which -a claude')
  })

  it('GIVEN npm, native, Homebrew and an unknown copy WHEN checked THEN four kinds are named and the fix keeps the native one', async () => {
    const other = writeFile(path.join(dirs.root, 'other', 'claude'), fakeClaudeScript({ version: '0.2.9' }), 0o755)
    const PATH = [brewInstall('1.0.60'), npmInstall('1.0.3'), nativeInstall('2.0.14'), path.dirname(other)].join(':')
    const r = await check(installsCheck, makeEnv(dirs, { PATH }))
    const kinds = (r.facts.installs as { kind: string }[]).map((i) => i.kind)
    expect(kinds).toEqual(['homebrew', 'npm-global', 'native', 'other'])
    expect(r.fix?.commands).toEqual(expect.arrayContaining(['npm uninstall -g @anthropic-ai/claude-code', 'brew uninstall --cask claude-code']))
    expect(r.fix?.commands).not.toContain('curl -fsSL https://claude.ai/install.sh | bash')
    expect(r.fix?.text).toContain('delete or move the unknown one')
  })

  it('GIVEN the same install reachable twice through PATH WHEN checked THEN it counts once, with an alias', async () => {
    const bin = nativeInstall('2.0.14')
    symlink(path.join(bin, 'claude'), path.join(dirs.root, 'alias', 'claude'))
    const r = await check(installsCheck, makeEnv(dirs, { PATH: `${bin}:${bin}:${path.join(dirs.root, 'alias')}` }))
    expect(r.state).toBe('ok')
    expect(r.facts).toMatchObject({ count: 1 })
    expect((r.facts.installs as { aliases: string[] }[])[0]?.aliases).toHaveLength(1)
  })

  it('GIVEN no claude in PATH but a native install in ~/.local/bin WHEN checked THEN a warning says the folder is missing from PATH', async () => {
    nativeInstall('2.0.14')
    const r = await check(installsCheck, makeEnv(dirs, { PATH: dirs.bin, SHELL: '/bin/zsh' }))
    expect(r.state).toBe('warning')
    expect(codes(r)).toEqual(['installs.not_in_path'])
    expect(r.fix?.commands[0]).toContain('.local/bin:$PATH')
    expect(r.fix?.commands[0]).toContain('~/.zshrc')
  })

  it('GIVEN a claude whose --version hangs WHEN its version is asked THEN it is killed at the time box and reported', async () => {
    const bin = nativeInstall('2.0.14', { hangOn: 'version' })
    const env = makeEnv(dirs, { PATH: bin })
    const started = Date.now()
    const v = await versionOf(env, path.join(bin, 'claude'), undefined, 400)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(v).toEqual({ version: null, error: 'no answer to --version within 0.4 s' })
    const pidFile = `${path.join(bin, 'claude')}.pid`
    await new Promise((r) => setTimeout(r, 100))
    const pid = Number(readFileSync(pidFile, 'utf8'))
    expect(() => process.kill(pid, 0)).toThrow() // the sleeping process is gone
  })

  it('GIVEN a hanging claude and a short check time box WHEN the check runs THEN it is reported as crashed (timed out), not stuck', async () => {
    const bin = nativeInstall('2.0.14', { hangOn: 'version' })
    const r = await check({ ...installsCheck, timeoutMs: 500 }, makeEnv(dirs, { PATH: bin }))
    expect(r.state).toBe('crashed')
    expect(r.summary).toContain('timed out')
    expect(r.durationMs).toBeLessThan(3_000)
  })

  it('GIVEN Windows paths WHEN installs are classified THEN npm shims and the native exe are told apart', async () => {
    const env = {
      platform: 'win32',
      homedir: 'C:\\Users\\ana',
      fs: { stat: async (p: string) => (p === 'C:\\Users\\ana\\AppData\\Roaming\\npm\\node_modules\\@anthropic-ai\\claude-code' ? { isFile: false, isDirectory: true, mode: 0, size: 0, mtimeMs: 0 } : null) },
    } as unknown as DoctorEnv
    expect(await classifyInstall(env, 'C:\\Users\\ana\\AppData\\Roaming\\npm\\claude.cmd', 'C:\\Users\\ana\\AppData\\Roaming\\npm\\claude.cmd')).toBe('npm-global')
    expect(await classifyInstall(env, 'C:\\Users\\ana\\.local\\bin\\claude.exe', 'C:\\Users\\ana\\.local\\bin\\claude.exe')).toBe('native')
    expect(await classifyInstall(env, 'C:\\Tools\\claude.exe', 'C:\\Tools\\claude.exe')).toBe('other')
  })
})

describe('claude auth status', () => {
  it('GIVEN a version without the auth command WHEN checked THEN skipped, and the subcommand is never run', async () => {
    const bin = nativeInstall('1.0.20', { auth: 'absent' })
    const r = await check(authStatusCheck, makeEnv(dirs, { PATH: bin }))
    expect(r.state).toBe('skipped')
    expect(r.summary).toContain('1.0.20')
    expect(r.summary).toContain('claude update')
  })

  it('GIVEN claude says it is not logged in WHEN checked THEN error with the login fix', async () => {
    const bin = nativeInstall('2.0.14', { auth: 'not-logged-in' })
    const r = await check(authStatusCheck, makeEnv(dirs, { PATH: bin }))
    expect(r.state).toBe('error')
    expect(codes(r)).toEqual(['auth_status.not_logged_in'])
    expect(r.fix?.commands).toContain('claude auth login')
  })

  it('GIVEN JSON output WHEN checked THEN ok, and only safe fields are kept (no e-mail)', async () => {
    const bin = nativeInstall('2.0.14', { auth: 'json-logged-in' })
    const r = await check(authStatusCheck, makeEnv(dirs, { PATH: bin }))
    expect(r.state).toBe('ok')
    expect(r.summary).toBe('logged in')
    expect(r.facts).toMatchObject({ loggedIn: true, authMethod: 'claude.ai', subscriptionType: 'max' })
    expect(JSON.stringify(r)).not.toContain('ana@example.com')
  })

  it('GIVEN a failing auth status WHEN checked THEN error, with the (redacted) text kept for classification', async () => {
    const bin = nativeInstall('2.0.14', { auth: 'crash' })
    const r = await check(authStatusCheck, makeEnv(dirs, { PATH: bin }))
    expect(r.state).toBe('error')
    expect(codes(r)).toEqual(['auth_status.failed'])
    expect(String(r.facts.errorText)).toContain('Token validation failed')
  })

  it('GIVEN auth status hangs WHEN checked within a time box THEN the check finishes as crashed', async () => {
    const bin = nativeInstall('2.0.14', { auth: 'logged-in', hangOn: 'auth' })
    const r = await check({ ...authStatusCheck, timeoutMs: 1_000 }, makeEnv(dirs, { PATH: bin }))
    expect(r.state).toBe('crashed')
  })

  it('GIVEN no claude at all WHEN checked THEN skipped', async () => {
    expect((await check(authStatusCheck, makeEnv(dirs))).state).toBe('skipped')
    expect(existsSync(dirs.bin)).toBe(true)
  })
})

describe('Node.js version', () => {
  it('GIVEN Node 16 WHEN checked THEN error; GIVEN Node 18 THEN ok', async () => {
    const env = makeEnv(dirs)
    expect((await check(nodeCheck, { ...env, nodeVersion: 'v16.20.2' })).state).toBe('error')
    expect((await check(nodeCheck, { ...env, nodeVersion: 'v18.0.0' })).state).toBe('ok')
    expect((await check(nodeCheck, { ...env, nodeVersion: 'v22.11.0' })).state).toBe('ok')
  })
})
