import { describe, expect, it } from 'vitest'
import { ALL_CHECKS } from '../../src/doctor/checks/index.js'
import { renderReport } from '../../src/doctor/render.js'
import { boundCheck, buildReport, exitCodeOf } from '../../src/doctor/report.js'
import { runChecks } from '../../src/doctor/runner.js'
import type { Check, CheckReport, CheckState, Finding } from '../../src/doctor/types.js'
import { computeVerdict, FINDING_CAUSES } from '../../src/doctor/verdict.js'
import { CAUSE_IDS } from '../../src/diagnosis/types.js'
import { makeEnv, OPTIONS, tempHome } from './helpers.js'

const ok = (id: string): Check => ({ id, title: id, timeoutMs: 1_000, run: async () => ({ state: 'ok', summary: 'fine' }) })

describe('runner: isolation and time boxes', () => {
  it('GIVEN a check that never answers, one that throws, one that rejects WHEN all run THEN the report completes with them crashed and the rest intact', async () => {
    const dirs = tempHome()
    try {
      let aborted = false
      const hang: Check = {
        id: 'hang',
        title: 'Hangs',
        timeoutMs: 300,
        run: (_env, ctx) =>
          new Promise(() => {
            ctx.signal.addEventListener('abort', () => {
              aborted = true
            })
          }),
      }
      const throwsSync: Check = {
        id: 'throws',
        title: 'Throws',
        timeoutMs: 1_000,
        run: () => {
          throw new TypeError('boom at line 1\nstack…')
        },
      }
      const rejects: Check = { id: 'rejects', title: 'Rejects', timeoutMs: 1_000, run: async () => Promise.reject(new Error('nope')) }
      const started = Date.now()
      const results = await runChecks([ok('a'), hang, throwsSync, rejects, ok('b')], makeEnv(dirs), OPTIONS)
      expect(Date.now() - started).toBeLessThan(2_000)
      expect(results.map((r) => [r.id, r.state])).toEqual([
        ['a', 'ok'],
        ['hang', 'crashed'],
        ['throws', 'crashed'],
        ['rejects', 'crashed'],
        ['b', 'ok'],
      ])
      expect(results[1]?.summary).toBe('no answer within 0.3 s (timed out)')
      expect(results[1]?.facts).toEqual({ timedOut: true })
      expect(aborted).toBe(true) // the hung check was told to stop
      expect(results[2]?.summary).toBe('the check itself failed: boom at line 1')
      const report = buildReport(makeEnv(dirs), OPTIONS, results)
      expect(report.summary).toEqual({ ok: 2, warning: 0, error: 0, crashed: 3, skipped: 0 })
      expect(exitCodeOf(report)).toBe(1)
      expect(renderReport(report)).toContain('[☠] Hangs: no answer within 0.3 s (timed out)')
    } finally {
      dirs.cleanup()
    }
  })

  it('GIVEN the registered checks WHEN listed THEN ids are unique and every time box is bounded', () => {
    const ids = ALL_CHECKS.map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const c of ALL_CHECKS) expect(c.timeoutMs).toBeGreaterThan(0), expect(c.timeoutMs).toBeLessThanOrEqual(20_000)
  })

  it('GIVEN oversized results WHEN bounded THEN they fit the service limits', () => {
    const big: CheckReport = {
      id: 'x',
      title: 'X',
      state: 'error',
      summary: 'y'.repeat(5_000),
      details: Array.from({ length: 300 }, () => 'z'.repeat(3_000)),
      fix: { text: 'f'.repeat(3_000), commands: Array.from({ length: 30 }, () => 'c') },
      facts: {},
      findings: Array.from({ length: 80 }, (): Finding => ({ code: 'a', severity: 'warning' })),
      durationMs: 1.7,
    }
    const b = boundCheck(big)
    expect(b.summary.length).toBe(1_000)
    expect(b.details).toHaveLength(100)
    expect(b.details[0]?.length).toBe(2_000)
    expect(b.fix?.commands).toHaveLength(20)
    expect(b.findings).toHaveLength(50)
    expect(b.durationMs).toBe(2)
  })
})

const report = (id: string, state: CheckState, findings: [string, Finding['severity']][], extra: Partial<CheckReport> = {}): CheckReport => ({
  id,
  title: id,
  state,
  summary: `${id} summary`,
  details: [],
  fix: { text: `fix ${id}`, commands: [`cmd-${id}`] },
  facts: {},
  findings: findings.map(([code, severity]) => ({ code, severity })),
  durationMs: 1,
  ...extra,
})

describe('verdict', () => {
  it('GIVEN no findings WHEN judged THEN none, with no fix', () => {
    const v = computeVerdict([report('a', 'ok', [])])
    expect(v).toMatchObject({ cause: 'none', because: [], fix: null, alternatives: [] })
    expect(v.headline).toContain('Nothing wrong found')
  })

  it('GIVEN an error and a warning for different causes WHEN judged THEN the error wins and the warning is an alternative', () => {
    const v = computeVerdict([report('sources', 'warning', [['sources.conflict', 'warning']]), report('installs', 'error', [['installs.multiple', 'error']])])
    expect(v.cause).toBe('multiple_installs')
    expect(v.fix).toEqual({ text: 'fix installs', commands: ['cmd-installs'] })
    expect(v.alternatives).toEqual(['credential_conflict'])
    expect(v.headline).toBe("Several Claude Code installs get in each other's way: installs: installs summary")
  })

  it('GIVEN two errors WHEN judged THEN the higher priority wins (the API rejecting the key beats a shape warning)', () => {
    const v = computeVerdict([report('net', 'error', [['https.failed', 'error']]), report('key', 'error', [['key.rejected', 'error']])])
    expect(v.cause).toBe('invalid_api_key')
    expect(v.because).toEqual(['key.rejected'])
    expect(v.alternatives).toEqual(['network_blocked'])
  })

  it('GIVEN a key defined but not loaded in a VS Code terminal WHEN judged THEN ide_environment, not missing_api_key', () => {
    const checks = [report('environment', 'ok', [['env.vscode', 'info']]), report('shell-files', 'warning', [['shell.not_loaded', 'warning']])]
    expect(computeVerdict(checks).cause).toBe('ide_environment')
    expect(computeVerdict(checks.slice(1)).cause).toBe('missing_api_key')
  })

  it('GIVEN a locked keychain over SSH WHEN judged THEN remote_login', () => {
    const checks = [report('environment', 'ok', [['env.ssh', 'info']]), report('keychain', 'error', [['keychain.locked', 'error']])]
    expect(computeVerdict(checks).cause).toBe('remote_login')
  })

  it('GIVEN an expired login in WSL WHEN judged THEN expired_session with remote_login as the first alternative', () => {
    const v = computeVerdict([report('environment', 'ok', [['env.wsl', 'info']]), report('credentials-file', 'error', [['credentials.expired', 'error']])])
    expect(v.cause).toBe('expired_session')
    expect(v.alternatives[0]).toBe('remote_login')
  })

  it('GIVEN the same findings in another order WHEN judged THEN the same verdict', () => {
    const a = report('x', 'warning', [['sources.conflict', 'warning']])
    const b = report('y', 'warning', [['shell.value_differs', 'warning']])
    expect(computeVerdict([a, b])).toEqual({ ...computeVerdict([b, a]) })
  })

  it('GIVEN only an error with no mapped cause WHEN judged THEN none, but the headline points at it', () => {
    const v = computeVerdict([report('node', 'error', [['node.too_old', 'error']])])
    expect(v.cause).toBe('none')
    expect(v.headline).toContain('node needs attention')
    expect(v.fix?.commands).toEqual(['cmd-node'])
  })

  it('GIVEN error text from claude auth status and an injected classifier WHEN nothing more specific exists THEN the classified cause is used', () => {
    const checks = [report('auth-status', 'error', [], { facts: { errorText: 'API Error: 403 permission_error organization has been disabled' } })]
    const v = computeVerdict(checks, {
      classify: () => ({ cause: 'account_restricted', symptom: 'permission_denied', confidence: 0.9, evidence: [], alternatives: [], platform: null, notAuthKind: null, fingerprint: 'f' }),
    })
    expect(v.cause).toBe('account_restricted')
    expect(v.because).toEqual(['classified:auth-status'])
  })

  it('GIVEN the finding table WHEN read THEN every cause is reachable and every priority is within 0..100', () => {
    const causes = new Set(Object.values(FINDING_CAUSES).map((r) => r.cause))
    for (const c of CAUSE_IDS.filter((c) => c !== 'ide_environment' && c !== 'remote_login')) expect(causes, c).toContain(c)
    for (const r of Object.values(FINDING_CAUSES)) expect(r.priority).toBeGreaterThanOrEqual(0), expect(r.priority).toBeLessThanOrEqual(100)
  })
})
