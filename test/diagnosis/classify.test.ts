import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EXPLICIT_THRESHOLD, PASSIVE_THRESHOLD, classify, detectPlatform, normalise } from '../../src/diagnosis/index.js'
import { FIXTURES as BASIC } from './fixtures.js'
import { HARD_FIXTURES } from './fixtures-hard.js'
import { PROBE_FIXTURES } from './fixtures-probe.js'

const FIXTURES = [...BASIC, ...HARD_FIXTURES, ...PROBE_FIXTURES]

describe('fixtures: our own pastes per cause', () => {
  for (const f of FIXTURES) {
    it(`GIVEN ${f.name} WHEN classified THEN cause is ${f.cause}${f.kind ? ` (${f.kind})` : ''}`, () => {
      const d = classify(f.text)
      expect(d.cause).toBe(f.cause)
      if (f.kind) expect(d.notAuthKind).toBe(f.kind)
      if (f.platform) expect(d.platform).toBe(f.platform)
      if (f.cause === 'none') {
        expect(d.evidence).toEqual([])
        expect(d.fingerprint).toBeNull()
        expect(d.symptom).toBeNull()
      } else {
        expect(d.confidence).toBeGreaterThanOrEqual(EXPLICIT_THRESHOLD)
        expect(d.evidence.length).toBeGreaterThan(0)
        expect(d.fingerprint).toMatch(/^[0-9a-f]{16}$/)
      }
      if (f.cause !== 'not_auth') expect(d.notAuthKind).toBeNull()
      expect(d.alternatives.map((a) => a.cause)).not.toContain(d.cause)
    })
  }

  it('GIVEN the fixtures of clear errors WHEN classified THEN most clear the passive bar and no chatter does', () => {
    const errors = FIXTURES.filter((f) => f.cause !== 'none').map((f) => classify(f.text).confidence)
    const loud = errors.filter((c) => c >= PASSIVE_THRESHOLD).length
    expect(loud / errors.length).toBeGreaterThan(0.85)
    for (const f of FIXTURES.filter((f) => f.cause === 'none')) expect(classify(f.text).cause).toBe('none')
  })
})

describe('classify: mechanisms', () => {
  it('GIVEN a 401 invalid x-api-key body WHEN classified THEN cause is invalid_api_key with symptom unauthorized_401', () => {
    const d = classify('API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}')
    expect(d.cause).toBe('invalid_api_key')
    expect(d.symptom).toBe('unauthorized_401')
    expect(d.confidence).toBeGreaterThanOrEqual(PASSIVE_THRESHOLD)
  })

  it('GIVEN the same 401 body escaped inside a JSON log line WHEN classified THEN the verdict does not change', () => {
    const plain = classify('{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}')
    const escaped = classify('{"log":"Error: 401 {\\"type\\":\\"error\\",\\"error\\":{\\"type\\":\\"authentication_error\\",\\"message\\":\\"invalid x-api-key\\"}}\\n","stream":"stderr"}')
    expect(escaped.cause).toBe(plain.cause)
  })

  it('GIVEN an expired OAuth token WHEN classified THEN cause is expired_session with symptom session_expired', () => {
    const d = classify('Error: OAuth token has expired · Please run /login')
    expect(d.cause).toBe('expired_session')
    expect(d.symptom).toBe('session_expired')
  })

  it('GIVEN a 403 permission_error WHEN classified THEN symptom is permission_denied', () => {
    const d = classify('Error code: 403 - {"type":"error","error":{"type":"permission_error","message":"not allowed"}}')
    expect(d.cause).toBe('account_restricted')
    expect(d.symptom).toBe('permission_denied')
  })

  it('GIVEN a token that fails validation WHEN classified THEN symptom is token_validation_failed', () => {
    expect(classify('Error: Token validation failed').symptom).toBe('token_validation_failed')
  })

  it('GIVEN a bare "Authentication failed" WHEN classified THEN symptom is authentication_failed and re-login is the guess', () => {
    const d = classify('Error: Authentication failed')
    expect(d.symptom).toBe('authentication_failed')
    expect(d.cause).toBe('expired_session')
    expect(d.confidence).toBeLessThan(PASSIVE_THRESHOLD)
  })

  it('GIVEN a rate limit WHEN classified THEN it is not_auth rate_limit and no symptom', () => {
    const d = classify('API Error (429 {"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}})')
    expect(d.cause).toBe('not_auth')
    expect(d.notAuthKind).toBe('rate_limit')
    expect(d.symptom).toBeNull()
  })

  it('GIVEN a credit-balance error wrapped in invalid_request_error WHEN classified THEN billing wins over the generic invalid request', () => {
    const d = classify('400 {"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API."}}')
    expect(d.cause).toBe('account_restricted')
  })

  it('GIVEN an expired-OAuth error followed by a 529 retry WHEN classified THEN the auth error wins and not_auth is no alternative', () => {
    const d = classify('API Error: 401 OAuth token has expired\nAPI Error (529 overloaded_error) · Retrying')
    expect(d.cause).toBe('expired_session')
    expect(d.alternatives.every((a) => (a.cause as string) !== 'not_auth')).toBe(true)
  })

  it('GIVEN two plausible causes WHEN classified THEN the other is listed as an alternative below the winner', () => {
    const d = classify('Not logged in · Please run /login')
    expect(d.alternatives.length).toBeGreaterThan(0)
    for (const a of d.alternatives) expect(a.confidence).toBeLessThan(d.confidence)
  })

  it('GIVEN a 2-character message WHEN classified THEN it is none with full confidence that nothing is wrong', () => {
    const d = classify('+1')
    expect(d).toEqual({ cause: 'none', symptom: null, confidence: 1, evidence: [], alternatives: [], platform: null, notAuthKind: null, fingerprint: null })
  })

  it('GIVEN an empty string or a non-string WHEN classified THEN it does not throw', () => {
    expect(classify('').cause).toBe('none')
    expect(classify(undefined as unknown as string).cause).toBe('none')
  })

  it('GIVEN minScore 0.9 WHEN a medium clue is classified THEN the verdict is none but the weak cause is offered as an alternative', () => {
    const d = classify('Error: Authentication failed', { minScore: 0.9 })
    expect(d.cause).toBe('none')
    expect(d.alternatives.map((a) => a.cause)).toContain('expired_session')
  })
})

describe('evidence offsets point into the original text', () => {
  const wrappers: ((s: string) => string)[] = [
    (s) => s,
    (s) => '```\n' + s + '\n```',
    (s) => `\u001b[31m${s}\u001b[0m`,
    (s) => s.replace(/"/g, '\\"'),
    (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    (s) => s.replace(/ /g, '\u00a0'),
    (s) => s.replace(/ /g, '  \n  │ '),
    (s) => '2025-01-01T00:00:00Z stderr F ' + s,
  ]
  it('GIVEN every fixture under many wrappers WHEN classified THEN original.slice(start, end) === evidence.text', () => {
    let checked = 0
    for (const f of FIXTURES)
      for (const wrap of wrappers) {
        const text = wrap(f.text)
        for (const e of classify(text).evidence) {
          expect(text.slice(e.start, e.end)).toBe(e.text)
          expect(e.end).toBeGreaterThan(e.start)
          checked++
        }
      }
    expect(checked).toBeGreaterThan(300)
  })

  it('GIVEN random noise around a known error WHEN classified THEN the evidence still slices exactly and names the error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (pre, post) => {
        const text = `${pre}\nAPI Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}\n${post}`
        const d = classify(text)
        for (const e of d.evidence) expect(text.slice(e.start, e.end)).toBe(e.text)
        expect(d.evidence.some((e) => /invalid x-api-key/i.test(normalise(e.text).text))).toBe(true)
      }),
      { numRuns: 200 },
    )
  })
})

describe('platform detection', () => {
  const cases: [string, string, string | null][] = [
    ['a macOS home path', "Error: EACCES: permission denied, open '/Users/ana/.claude.json'", 'macos'],
    ['a Linux home path', 'cat /home/dev/.claude/.credentials.json', 'linux'],
    ['a Windows path', 'at C:\\Users\\li\\AppData\\Roaming\\npm\\node_modules\\x.js', 'windows'],
    ['a PowerShell prompt', 'PS C:\\> claude', 'windows'],
    ['a Windows path in escaped JSON', '"file:///C:/Users/li/AppData/Roaming/npm/cli.js"', 'windows'],
    ['a WSL kernel string over a /home path', 'uname -r: 5.15.167.4-microsoft-standard-WSL2\n/home/dev/project', 'wsl'],
    ['a WSL /mnt/c path', 'cd /mnt/c/Users/ana/code && claude', 'wsl'],
    ['a \\\\wsl$ share', 'opened \\\\wsl$\\Ubuntu\\home\\dev in Explorer', 'wsl'],
    ['a devcontainer', 'inside my devcontainer (.devcontainer/devcontainer.json) on a Mac', 'docker'],
    ['docker compose logs', 'api-1  | Error: boom', 'docker'],
    ['an ssh session', 'ssh dev@build-01.internal then claude', 'ssh'],
    ['the VS Code extension', 'The Claude Code extension in VS Code shows an error', 'vscode'],
    ['nothing telling', 'Invalid API key', null],
  ]
  for (const [what, text, want] of cases)
    it(`GIVEN ${what} WHEN the platform is detected THEN it is ${want}`, () => {
      expect(detectPlatform(text)).toBe(want)
      expect(classify(text).platform).toBe(want)
    })
})
