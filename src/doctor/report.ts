// Assembles the report from the checks' results: bounded in every direction (the service refuses oversized fields),
// with the verdict and the state counts. The same object is printed with --json and uploaded with --upload.
import { computeVerdict, type VerdictOptions } from './verdict.js'
import { REPORT_SCHEMA, type CheckReport, type CheckState, type DoctorEnv, type DoctorOptions, type DoctorReport, type Fix } from './types.js'
import { DOCTOR_VERSION } from './version.js'

/** the limits of the service's upload schema (src/web/doctor-routes.ts) */
export const LIMITS = { summary: 1_000, detail: 2_000, details: 100, findings: 50, fixText: 2_000, commands: 20, command: 1_000, headline: 1_000 } as const

const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`)

const boundFix = (fix: Fix | null): Fix | null =>
  fix && { text: cut(fix.text, LIMITS.fixText), commands: fix.commands.slice(0, LIMITS.commands).map((c) => cut(c, LIMITS.command)) }

export function boundCheck(c: CheckReport): CheckReport {
  return {
    ...c,
    summary: cut(c.summary, LIMITS.summary),
    details: c.details.slice(0, LIMITS.details).map((d) => cut(d, LIMITS.detail)),
    fix: boundFix(c.fix),
    findings: c.findings.slice(0, LIMITS.findings),
    durationMs: Math.max(0, Math.round(c.durationMs)),
  }
}

export function buildReport(env: DoctorEnv, options: DoctorOptions, results: CheckReport[], verdictOptions: VerdictOptions = {}): DoctorReport {
  const checks = results.map(boundCheck)
  const verdict = computeVerdict(checks, verdictOptions)
  const summary: Record<CheckState, number> = { ok: 0, warning: 0, error: 0, crashed: 0, skipped: 0 }
  for (const c of checks) summary[c.state]++
  return {
    schema: REPORT_SCHEMA,
    doctorVersion: DOCTOR_VERSION,
    generatedAt: new Date(env.now()).toISOString(),
    system: { platform: env.platform, release: env.osRelease, arch: env.arch, node: env.nodeVersion },
    options: { checkKey: options.checkKey, showKeySuffix: options.showKeySuffix, apiHost: new URL(options.apiUrl).host },
    checks,
    verdict: { ...verdict, headline: cut(verdict.headline, LIMITS.headline), fix: boundFix(verdict.fix), because: verdict.because.slice(0, 50) },
    summary,
  }
}

/** 1 when something is wrong (an error or a crashed check), else 0 */
export const exitCodeOf = (report: DoctorReport): number => (report.summary.error + report.summary.crashed > 0 ? 1 : 0)
