// Runs the checks side by side, each in its own time box: a check that throws is reported as crashed, one that does
// not answer in time as crashed (timed out), and neither stops the others (flutter doctor's lesson).
import type { Check, CheckReport, CheckResult, DoctorEnv, DoctorOptions } from './types.js'
import { errorMessage } from './util.js'

function normalise(check: Check, result: CheckResult, durationMs: number): CheckReport {
  return {
    id: check.id,
    title: check.title,
    state: result.state,
    summary: result.summary,
    details: result.details ?? [],
    fix: result.fix ?? null,
    facts: result.facts ?? {},
    findings: result.findings ?? [],
    durationMs,
  }
}

export async function runCheck(check: Check, env: DoctorEnv, options: DoctorOptions): Promise<CheckReport> {
  const started = env.now()
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(Object.assign(new Error('time box exceeded'), { code: 'ETIMEDOUT' }))
      resolve({
        state: 'crashed',
        summary: `no answer within ${Math.round(check.timeoutMs / 100) / 10} s (timed out)`,
        facts: { timedOut: true },
      })
    }, check.timeoutMs)
  })
  let result: CheckResult
  try {
    // the promise chain keeps synchronous throws inside run() from escaping
    const work = Promise.resolve().then(() => check.run(env, { options, signal: controller.signal }))
    result = await Promise.race([work, timeout])
  } catch (err) {
    result = {
      state: 'crashed',
      summary: `the check itself failed: ${errorMessage(err).split('\n')[0]}`,
      facts: { error: err instanceof Error ? err.name : typeof err },
    }
  } finally {
    clearTimeout(timer)
  }
  return normalise(check, result, Math.max(0, env.now() - started))
}

export function runChecks(checks: readonly Check[], env: DoctorEnv, options: DoctorOptions): Promise<CheckReport[]> {
  return Promise.all(checks.map((check) => runCheck(check, env, options)))
}
