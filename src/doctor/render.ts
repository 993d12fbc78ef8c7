// The human report: one line per check with its state, details and fix indented under it, then the verdict.
import type { CheckReport, CheckState, DoctorReport, Fix } from './types.js'

export const STATE_SYMBOL: Record<CheckState, string> = { ok: '✓', warning: '!', error: '✗', crashed: '☠', skipped: '-' }

function renderFix(fix: Fix, indent: string, prompt: string): string[] {
  return [`${indent}Fix: ${fix.text}`, ...fix.commands.map((c) => (c.startsWith('#') ? `${indent}  ${c}` : `${indent}  ${prompt}${c}`))]
}

export function renderCheck(c: CheckReport, prompt: string): string[] {
  const lines = [`[${STATE_SYMBOL[c.state]}] ${c.title}: ${c.summary}`]
  // details of a healthy check are noise; skipped ones have none
  if (c.state !== 'ok' && c.state !== 'skipped') for (const d of c.details) lines.push(`    ${d}`)
  if (c.fix && (c.state === 'warning' || c.state === 'error')) lines.push(...renderFix(c.fix, '    ', prompt))
  return lines
}

export function renderReport(report: DoctorReport, options: { verbose?: boolean } = {}): string {
  const prompt = report.system.platform === 'win32' ? 'PS> ' : '$ '
  const lines = [`Claude Code doctor ${report.doctorVersion} (read-only; secrets are masked)`, '']
  for (const c of report.checks) {
    const rendered = renderCheck(c, prompt)
    lines.push(...rendered)
    if (options.verbose && (c.state === 'ok' || c.state === 'skipped')) for (const d of c.details) lines.push(`    ${d}`)
  }
  const s = report.summary
  lines.push('', `${s.ok} ok, ${s.warning} warning${s.warning === 1 ? '' : 's'}, ${s.error} error${s.error === 1 ? '' : 's'}, ${s.crashed} crashed, ${s.skipped} skipped`, '')
  const v = report.verdict
  lines.push(`Verdict: ${v.cause}`, `  ${v.headline}`)
  if (v.because.length) lines.push(`  Because: ${v.because.join(', ')}`)
  if (v.fix) lines.push(...renderFix(v.fix, '  ', prompt))
  if (v.alternatives.length) lines.push(`  Also possible: ${v.alternatives.join(', ')}`)
  return `${lines.join('\n')}\n`
}
