import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiKeyCheck } from '../../src/doctor/checks/api-key.js'
import { claudeJsonCheck } from '../../src/doctor/checks/claude-json.js'
import { cloudCheck } from '../../src/doctor/checks/cloud.js'
import { credentialsCheck } from '../../src/doctor/checks/credentials.js'
import { environmentCheck } from '../../src/doctor/checks/environment.js'
import { keychainCheck } from '../../src/doctor/checks/keychain.js'
import { proxyCheck } from '../../src/doctor/checks/proxy.js'
import { shellFilesCheck } from '../../src/doctor/checks/shell-files.js'
import { sourcesCheck } from '../../src/doctor/checks/sources.js'
import { check, codes, fakeKey, makeEnv, shown, tempHome, withExec, writeFile, type TempDirs } from './helpers.js'

let dirs: TempDirs
beforeEach(() => {
  dirs = tempHome()
})
afterEach(() => dirs.cleanup())

const KEY = fakeKey('api03', 7)
const NOW = Date.parse('2026-06-01T12:00:00Z')
const HOUR = 3_600_000

function credentials(o: Record<string, unknown>, mode = 0o600): string {
  return writeFile(path.join(dirs.home, '.claude', '.credentials.json'), JSON.stringify({ claudeAiOauth: o }), mode)
}

const login = (extra: Record<string, unknown> = {}) => ({
  accessToken: fakeKey('oat01', 11),
  refreshToken: fakeKey('ort01', 12),
  expiresAt: NOW + 5 * HOUR,
  scopes: ['user:inference', 'user:profile'],
  subscriptionType: 'max',
  ...extra,
})

describe('ANTHROPIC_API_KEY', () => {
  it('GIVEN no key WHEN checked THEN ok (a login is fine)', async () => {
    const r = await check(apiKeyCheck, makeEnv(dirs))
    expect(r.state).toBe('ok')
    expect(r.facts).toEqual({ set: false })
  })

  it('GIVEN a clean API key WHEN checked THEN ok with kind and length, never the value', async () => {
    const r = await check(apiKeyCheck, makeEnv(dirs, { ANTHROPIC_API_KEY: KEY }))
    expect(r.state).toBe('ok')
    expect(r.summary).toBe('an API key (sk-ant-api03-…, 108 characters)')
    expect(shown(r)).not.toContain(KEY.slice(13))
    expect(shown(r)).not.toContain(KEY.slice(-4))
  })

  it('GIVEN --show-key-suffix WHEN checked THEN the last four characters, and no more, are shown', async () => {
    const r = await check(apiKeyCheck, makeEnv(dirs, { ANTHROPIC_API_KEY: KEY }), { showKeySuffix: true })
    expect(r.summary).toContain(`…${KEY.slice(-4)}`)
    expect(r.facts.suffix).toBe(KEY.slice(-4))
    expect(shown(r)).not.toContain(KEY.slice(-5))
  })

  const hidden: [string, string][] = [
    ['a trailing newline', `${KEY}\n`],
    ['a trailing CR', `${KEY}\r`],
    ['leading spaces', `  ${KEY}`],
    ['a zero-width space', `${KEY.slice(0, 20)}\u200B${KEY.slice(20)}`],
    ['quotes', `'${KEY}'`],
    ['a non-ASCII character', `${KEY.slice(0, 20)}é${KEY.slice(21)}`],
  ]
  for (const [label, value] of hidden) {
    it(`GIVEN a key with ${label} WHEN checked THEN error with a cleanup command that does not print it`, async () => {
      const r = await check(apiKeyCheck, makeEnv(dirs, { ANTHROPIC_API_KEY: value }))
      expect(r.state).toBe('error')
      expect(codes(r)).toContain('api_key.hidden_characters')
      expect(r.fix?.commands[0]).toContain("tr -cd 'A-Za-z0-9_-'")
      expect(shown(r)).not.toContain(KEY.slice(21, 40))
    })
  }

  it('GIVEN an admin key, an OAuth token, an unknown value WHEN checked THEN each is named for what it is', async () => {
    const admin = await check(apiKeyCheck, makeEnv(dirs, { ANTHROPIC_API_KEY: fakeKey('admin01') }))
    expect(codes(admin)).toEqual(['api_key.admin_key'])
    const oauth = await check(apiKeyCheck, makeEnv(dirs, { ANTHROPIC_API_KEY: fakeKey('oat01') }))
    expect(codes(oauth)).toEqual(['api_key.oauth_token'])
    expect(oauth.fix?.text).toContain('CLAUDE_CODE_OAUTH_TOKEN')
    const unknown = await check(apiKeyCheck, makeEnv(dirs, { ANTHROPIC_API_KEY: 'your-key-here' }))
    expect(unknown.state).toBe('warning')
    expect(codes(unknown)).toEqual(['api_key.unknown_format'])
    const gateway = await check(apiKeyCheck, makeEnv(dirs, { ANTHROPIC_API_KEY: 'gw-123456', ANTHROPIC_BASE_URL: 'https://gw.example.com' }))
    expect(gateway.state).toBe('ok')
  })

  it('GIVEN Windows WHEN the key carries hidden characters THEN the fix is a PowerShell command', async () => {
    const r = await check(apiKeyCheck, { ...makeEnv(dirs, { ANTHROPIC_API_KEY: `${KEY} ` }), platform: 'win32' })
    expect(r.fix?.commands[0]).toBe("$env:ANTHROPIC_API_KEY = $env:ANTHROPIC_API_KEY -replace '[^A-Za-z0-9_-]', ''")
  })
})

describe('credential sources', () => {
  it('GIVEN an API key and a stored login WHEN checked THEN a conflict: the key wins, the login is ignored', async () => {
    credentials(login())
    const r = await check(sourcesCheck, makeEnv(dirs, { ANTHROPIC_API_KEY: KEY }))
    expect(r.state).toBe('warning')
    expect(codes(r)).toEqual(['sources.conflict'])
    expect(r.summary).toContain('2 at once; Claude Code uses ANTHROPIC_API_KEY')
    expect(r.details[1]).toContain('Claude account login')
    expect(r.details[1]).toContain('ignored')
    expect(r.fix?.commands).toEqual(['unset ANTHROPIC_API_KEY', 'claude auth status'])
  })

  it('GIVEN AUTH_TOKEN, API_KEY, apiKeyHelper, OAUTH_TOKEN and a settings env key WHEN checked THEN all are listed in precedence order', async () => {
    writeFile(path.join(dirs.home, '.claude', 'settings.json'), JSON.stringify({ apiKeyHelper: '~/bin/get-key.sh' }))
    writeFile(path.join(dirs.project, '.claude', 'settings.json'), JSON.stringify({ env: { ANTHROPIC_API_KEY: fakeKey('api03', 99) } }))
    const r = await check(
      sourcesCheck,
      makeEnv(dirs, { ANTHROPIC_AUTH_TOKEN: 'gw-token-123', ANTHROPIC_API_KEY: KEY, CLAUDE_CODE_OAUTH_TOKEN: fakeKey('oat01', 3), ANTHROPIC_BASE_URL: 'https://user:pw@gw.example.com' }),
    )
    const ids = (r.facts.sources as { id: string }[]).map((s) => s.id)
    expect(ids).toEqual(['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY', 'ANTHROPIC_API_KEY@settings', 'apiKeyHelper', 'CLAUDE_CODE_OAUTH_TOKEN'])
    expect(codes(r)).toEqual(expect.arrayContaining(['sources.conflict', 'sources.base_url']))
    expect(shown(r)).not.toContain('pw@')
    expect(shown(r)).not.toContain('gw-token-123')
  })

  it('GIVEN Bedrock and an API key WHEN checked THEN Bedrock wins', async () => {
    const r = await check(sourcesCheck, makeEnv(dirs, { CLAUDE_CODE_USE_BEDROCK: '1', ANTHROPIC_API_KEY: KEY }))
    expect(r.facts.effective).toBe('bedrock')
    expect(codes(r)).toContain('sources.conflict')
  })

  it('GIVEN an API key in CLAUDE_CODE_OAUTH_TOKEN with a trailing newline WHEN checked THEN error: wrong kind and hidden characters', async () => {
    const r = await check(sourcesCheck, makeEnv(dirs, { CLAUDE_CODE_OAUTH_TOKEN: `${KEY}\n` }))
    expect(r.state).toBe('error')
    expect(codes(r)).toEqual(expect.arrayContaining(['sources.wrong_kind', 'sources.hidden_characters']))
  })

  it('GIVEN nothing at all WHEN checked THEN a warning that no credential exists', async () => {
    const r = await check(sourcesCheck, makeEnv(dirs))
    expect(codes(r)).toEqual(['sources.none'])
  })
})

describe('shell startup files', () => {
  it('GIVEN the key in ~/.zshrc but not in this bash shell WHEN checked THEN "defined but not loaded", explained by the shell', async () => {
    writeFile(path.join(dirs.home, '.zshrc'), `export PATH=$PATH:/x\nexport ANTHROPIC_API_KEY="${KEY}"\n`)
    const r = await check(shellFilesCheck, makeEnv(dirs, { SHELL: '/bin/bash' }))
    expect(r.state).toBe('warning')
    expect(codes(r)).toEqual(['shell.not_loaded'])
    expect(r.details.join('\n')).toContain('~/.zshrc:2')
    expect(r.details.join('\n')).toContain('your shell is bash, and ~/.zshrc is read by zsh only')
    expect(r.fix?.commands).toEqual(['source ~/.zshrc'])
    expect(shown(r)).not.toContain(KEY.slice(13, 30))
  })

  it('GIVEN the key in ~/.zshrc and a different key in this shell WHEN checked THEN "different", compared by hash', async () => {
    writeFile(path.join(dirs.home, '.zshrc'), `export ANTHROPIC_API_KEY=${fakeKey('api03', 8)}\n`)
    const r = await check(shellFilesCheck, makeEnv(dirs, { SHELL: '/bin/zsh', ANTHROPIC_API_KEY: KEY }))
    expect(codes(r)).toEqual(['shell.value_differs'])
    expect(r.details[0]).toContain('DIFFERENT from this shell')
    expect(shown(r)).not.toMatch(/[0-9a-f]{64}/) // no hash printed either
  })

  it('GIVEN the same key in the file and the shell WHEN checked THEN ok', async () => {
    writeFile(path.join(dirs.home, '.bashrc'), `export ANTHROPIC_API_KEY='${KEY}'\n`)
    const r = await check(shellFilesCheck, makeEnv(dirs, { SHELL: '/bin/bash', ANTHROPIC_API_KEY: KEY }))
    expect(r.state).toBe('ok')
    expect(r.details[0]).toContain('same value as this shell')
  })

  it('GIVEN ~/.bashrc with Windows line endings WHEN checked THEN the CR is found and the fix converts the file', async () => {
    writeFile(path.join(dirs.home, '.bashrc'), `export ANTHROPIC_API_KEY=${KEY}\r\n`)
    const r = await check(shellFilesCheck, makeEnv(dirs, { SHELL: '/bin/bash', ANTHROPIC_API_KEY: `${KEY}\r` }))
    expect(r.state).toBe('error')
    expect(codes(r)).toContain('shell.hidden_characters')
    expect(r.fix?.commands[0]).toBe("perl -pi.bak -e 's/\\r$//' ~/.bashrc")
  })

  it('GIVEN two files with different keys WHEN checked THEN "several values"', async () => {
    writeFile(path.join(dirs.home, '.bash_profile'), `export ANTHROPIC_API_KEY=${fakeKey('api03', 5)}\n`)
    writeFile(path.join(dirs.home, '.bashrc'), `export ANTHROPIC_API_KEY=${KEY}\n`)
    const r = await check(shellFilesCheck, makeEnv(dirs, { SHELL: '/bin/bash', ANTHROPIC_API_KEY: KEY }))
    expect(codes(r)).toEqual(expect.arrayContaining(['shell.multiple_values', 'shell.value_differs']))
  })

  it('GIVEN the key in a PowerShell profile on Windows and VS Code WHEN the shell lacks it THEN "not loaded", blamed on the editor', async () => {
    const profile = 'C:\\Users\\ana\\Documents\\PowerShell\\Microsoft.PowerShell_profile.ps1'
    const base = makeEnv(dirs, { TERM_PROGRAM: 'vscode', PSModulePath: 'x' })
    const env = withExec(
      {
        ...base,
        platform: 'win32',
        homedir: 'C:\\Users\\ana',
        fs: {
          ...base.fs,
          readFile: async (p: string) => {
            if (p === profile) return `$env:ANTHROPIC_API_KEY = "${KEY}"\r\n`
            throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' })
          },
        },
      },
      () => ({ code: 1 }), // reg query: not in the user environment
    )
    const r = await check(shellFilesCheck, env)
    expect(codes(r)).toEqual(['shell.not_loaded'])
    expect(r.details.join('\n')).toContain('~\\Documents\\PowerShell\\Microsoft.PowerShell_profile.ps1:1')
    expect(r.details.join('\n')).toContain('VS Code was started without it')
    expect(r.fix?.commands[0]).toBe('. $HOME\\Documents\\PowerShell\\Microsoft.PowerShell_profile.ps1')
  })

  it('GIVEN Windows and the key set with setx WHEN this terminal lacks it THEN "not loaded" from the user environment', async () => {
    const base = makeEnv(dirs, { PSModulePath: 'x' })
    const env = withExec({ ...base, platform: 'win32', homedir: 'C:\\Users\\ana' }, (file, args) =>
      file === 'reg' && args[3] === 'ANTHROPIC_API_KEY' ? { code: 0, stdout: `\r\nHKEY_CURRENT_USER\\Environment\r\n    ANTHROPIC_API_KEY    REG_SZ    ${KEY}\r\n` } : { code: 1 },
    )
    const r = await check(shellFilesCheck, env)
    expect(codes(r)).toEqual(['shell.not_loaded'])
    expect(r.details[0]).toContain('Windows user environment (setx)')
    expect(shown(r)).not.toContain(KEY.slice(13, 30))
  })
})

describe('~/.claude/.credentials.json', () => {
  const at = (env: ReturnType<typeof makeEnv>) => ({ ...env, now: () => NOW })

  it('GIVEN a valid, private, unexpired login WHEN checked THEN ok with plan and expiry, no token', async () => {
    credentials(login())
    const r = await check(credentialsCheck, at(makeEnv(dirs)))
    expect(r.state).toBe('ok')
    expect(r.summary).toContain('max plan')
    expect(r.summary).toContain('in 5 h')
    expect(r.facts).toMatchObject({ hasAccessToken: true, hasRefreshToken: true, accessTokenKind: 'oauth_token', scopes: ['user:inference', 'user:profile'] })
    expect(shown(r)).not.toContain(fakeKey('oat01', 11).slice(13, 40))
    expect(shown(r)).not.toContain(fakeKey('ort01', 12).slice(13, 40))
  })

  it('GIVEN an expired access token and no refresh token WHEN checked THEN error', async () => {
    credentials(login({ expiresAt: NOW - 2 * HOUR, refreshToken: undefined }))
    const r = await check(credentialsCheck, at(makeEnv(dirs)))
    expect(r.state).toBe('error')
    expect(codes(r)).toEqual(['credentials.expired'])
    expect(r.summary).toContain('expired 2 h ago')
  })

  it('GIVEN an expired access token with a refresh token WHEN checked THEN only a warning (Claude Code renews it)', async () => {
    credentials(login({ expiresAt: NOW - 2 * HOUR }))
    const r = await check(credentialsCheck, at(makeEnv(dirs)))
    expect(r.state).toBe('warning')
    expect(codes(r)).toEqual(['credentials.access_expired'])
  })

  it('GIVEN a corrupt file holding a token WHEN checked THEN error, and the parse error does not quote the token', async () => {
    const token = fakeKey('oat01', 21)
    writeFile(path.join(dirs.home, '.claude', '.credentials.json'), `{"claudeAiOauth": {"accessToken": ${token}`, 0o600)
    const r = await check(credentialsCheck, at(makeEnv(dirs)))
    expect(r.state).toBe('error')
    expect(codes(r)).toEqual(['credentials.corrupt'])
    expect(r.fix?.commands).toEqual(['mv ~/.claude/.credentials.json ~/.claude/.credentials.json.broken', 'claude auth login'])
    expect(shown(r)).not.toContain(token.slice(13, 30))
  })

  it('GIVEN a group-readable file WHEN checked THEN a permissions warning with chmod 600', async () => {
    credentials(login(), 0o644)
    const r = await check(credentialsCheck, at(makeEnv(dirs)))
    expect(r.state).toBe('warning')
    expect(codes(r)).toEqual(['credentials.permissions'])
    expect(r.details.join('\n')).toContain('0644')
    expect(r.fix?.commands).toEqual(['chmod 600 ~/.claude/.credentials.json'])
  })

  it('GIVEN a file this user cannot read WHEN checked THEN error with chown', async () => {
    credentials(login())
    const base = makeEnv(dirs)
    const env = { ...base, now: () => NOW, fs: { ...base.fs, readFile: async () => Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })) } }
    const r = await check(credentialsCheck, env)
    expect(r.state).toBe('error')
    expect(codes(r)).toEqual(['credentials.unreadable'])
    expect(r.summary).toContain('EACCES')
    expect(r.fix?.commands[0]).toBe('sudo chown "$USER" ~/.claude/.credentials.json')
  })

  it('GIVEN a login without the inference scope WHEN checked THEN a warning to log in again', async () => {
    credentials(login({ scopes: ['user:profile'] }))
    expect(codes(await check(credentialsCheck, at(makeEnv(dirs))))).toEqual(['credentials.scope_missing'])
  })

  it('GIVEN no file and no key WHEN checked THEN warning; GIVEN macOS THEN ok (the Keychain holds it)', async () => {
    expect(codes(await check(credentialsCheck, makeEnv(dirs)))).toEqual(['credentials.none'])
    expect((await check(credentialsCheck, { ...makeEnv(dirs), platform: 'darwin' })).state).toBe('ok')
    expect((await check(credentialsCheck, makeEnv(dirs, { ANTHROPIC_API_KEY: KEY }))).state).toBe('ok')
  })
})

describe('macOS Keychain', () => {
  const mac = (answers: Record<string, { code: number; stderr?: string }>) =>
    withExec({ ...makeEnv(dirs), platform: 'darwin' }, (file, args) => {
      expect(args).not.toContain('-w') // the secret is never asked for
      return file === 'security' ? (answers[args[0] as string] ?? { code: 1 }) : undefined
    })

  it('GIVEN a locked keychain WHEN checked THEN error with the unlock command', async () => {
    const r = await check(keychainCheck, mac({ 'find-generic-password': { code: 0 }, 'show-keychain-info': { code: 36, stderr: 'security: SecKeychainCopySettings: User interaction is not allowed.' } }))
    expect(r.state).toBe('error')
    expect(codes(r)).toEqual(['keychain.locked'])
    expect(r.fix?.commands[0]).toContain('security unlock-keychain')
  })

  it('GIVEN an unlocked keychain with the item WHEN checked THEN ok; without it THEN a warning', async () => {
    expect((await check(keychainCheck, mac({ 'find-generic-password': { code: 0 }, 'show-keychain-info': { code: 0 } }))).state).toBe('ok')
    const none = await check(keychainCheck, mac({ 'find-generic-password': { code: 44, stderr: 'The specified item could not be found in the keychain.' }, 'show-keychain-info': { code: 0 } }))
    expect(codes(none)).toEqual(['credentials.none'])
  })

  it('GIVEN Linux WHEN checked THEN skipped without running security', async () => {
    const env = withExec(makeEnv(dirs), () => {
      throw new Error('must not run')
    })
    expect((await check(keychainCheck, env)).state).toBe('skipped')
  })
})

describe('~/.claude.json', () => {
  it('GIVEN valid JSON WHEN checked THEN ok; GIVEN corrupt JSON with a backup THEN error with the restore command', async () => {
    const file = writeFile(path.join(dirs.home, '.claude.json'), JSON.stringify({ oauthAccount: { emailAddress: 'ana@example.com' } }))
    const ok = await check(claudeJsonCheck, makeEnv(dirs))
    expect(ok.state).toBe('ok')
    expect(shown(ok)).not.toContain('ana@example.com')
    writeFile(file, '{"numStartups": 3, "projects": {')
    writeFile(`${file}.backup`, '{}')
    const bad = await check(claudeJsonCheck, makeEnv(dirs))
    expect(bad.state).toBe('error')
    expect(codes(bad)).toEqual(['claude_json.corrupt'])
    expect(bad.fix?.commands).toEqual(['mv ~/.claude.json ~/.claude.json.broken', 'cp ~/.claude.json.backup ~/.claude.json'])
  })

  it('GIVEN this shell\'s key was declined at the prompt WHEN checked THEN a warning that Claude Code ignores it', async () => {
    writeFile(path.join(dirs.home, '.claude.json'), JSON.stringify({ customApiKeyResponses: { approved: [], rejected: [KEY.slice(-20)] } }))
    const r = await check(claudeJsonCheck, makeEnv(dirs, { ANTHROPIC_API_KEY: KEY }))
    expect(codes(r)).toEqual(['claude_json.key_declined'])
    expect(shown(r)).not.toContain(KEY.slice(-20))
  })
})

describe('cloud provider', () => {
  it('GIVEN Bedrock without AWS credentials WHEN checked THEN error; with a profile and region THEN ok', async () => {
    const bad = await check(cloudCheck, makeEnv(dirs, { CLAUDE_CODE_USE_BEDROCK: '1' }))
    expect(codes(bad)).toEqual(['cloud.missing_credentials'])
    const good = await check(cloudCheck, makeEnv(dirs, { CLAUDE_CODE_USE_BEDROCK: 'true', AWS_PROFILE: 'dev', AWS_REGION: 'us-east-1' }))
    expect(good.state).toBe('ok')
    expect((await check(cloudCheck, makeEnv(dirs))).state).toBe('skipped')
  })
})

describe('proxy and certificates', () => {
  it('GIVEN proxy variables with credentials WHEN checked THEN they are masked and the API route is named', async () => {
    const r = await check(proxyCheck, makeEnv(dirs, { https_proxy: 'http://alice:s3cr3t-pass@proxy.corp:3128', HTTPS_PROXY: 'http://alice:s3cr3t-pass@proxy.corp:3128', NO_PROXY: 'localhost,.internal' }))
    expect(r.state).toBe('ok')
    expect(shown(r)).not.toContain('s3cr3t-pass')
    expect(shown(r)).not.toContain('alice')
    expect(r.summary).toContain('http://[url-credentials]@proxy.corp:3128')
  })

  it('GIVEN lower and upper case proxies that differ, and one without a scheme WHEN checked THEN warning and error', async () => {
    const r = await check(proxyCheck, makeEnv(dirs, { https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2', HTTP_PROXY: 'proxy.corp:8080' }))
    expect(codes(r)).toEqual(expect.arrayContaining(['proxy.case_mismatch', 'proxy.unsupported_scheme']))
    expect(r.state).toBe('error')
  })

  it('GIVEN NO_PROXY covering the API WHEN checked THEN requests are said to go direct', async () => {
    const r = await check(proxyCheck, makeEnv(dirs, { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.anthropic.com' }))
    expect(r.facts.apiProxy).toBeNull()
  })

  it('GIVEN NODE_EXTRA_CA_CERTS pointing at a missing file, at a non-PEM file WHEN checked THEN error', async () => {
    const missing = await check(proxyCheck, makeEnv(dirs, { NODE_EXTRA_CA_CERTS: path.join(dirs.root, 'nope.pem') }))
    expect(codes(missing)).toEqual(['proxy.ca_unusable'])
    const notPem = await check(proxyCheck, makeEnv(dirs, { NODE_EXTRA_CA_CERTS: writeFile(path.join(dirs.root, 'x.pem'), 'hello') }))
    expect(codes(notPem)).toEqual(['proxy.ca_unusable'])
  })

  it('GIVEN NODE_TLS_REJECT_UNAUTHORIZED=0 WHEN checked THEN a warning', async () => {
    expect(codes(await check(proxyCheck, makeEnv(dirs, { NODE_TLS_REJECT_UNAUTHORIZED: '0' })))).toEqual(['proxy.tls_verification_disabled'])
  })
})

describe('environment', () => {
  it('GIVEN VS Code, SSH, WSL and a devcontainer WHEN checked THEN each is detected', async () => {
    const r = await check(
      environmentCheck,
      makeEnv(dirs, { SHELL: '/usr/bin/zsh', TERM_PROGRAM: 'vscode', SSH_CONNECTION: '10.0.0.1 5 10.0.0.2 22', WSL_DISTRO_NAME: 'Ubuntu', REMOTE_CONTAINERS: 'true' }),
    )
    expect(r.facts).toMatchObject({ shell: 'zsh', vscode: true, editor: 'VS Code', wsl: true, wslDistro: 'Ubuntu', ssh: true, container: 'devcontainer' })
    expect(codes(r)).toEqual(['env.vscode', 'env.wsl', 'env.ssh', 'env.container'])
    expect(r.state).toBe('ok')
  })

  it('GIVEN a plain terminal WHEN checked THEN no context findings', async () => {
    const r = await check(environmentCheck, { ...makeEnv(dirs, { SHELL: '/bin/bash' }), fs: { ...makeEnv(dirs).fs, stat: async () => null, readFile: async () => 'Linux version 6.1' } })
    expect(codes(r)).toEqual([])
  })
})
