// What Claude Code itself says about its login: `claude auth status`, where the installed version has it. Older
// versions treat unknown words as a prompt and would start a session, so the command list in `claude --help` is read
// first and the subcommand only run when it is there.
import { scrub } from '../scrub.js'
import type { Check, CheckResult, Finding } from '../types.js'
import { isRecord, parseJson, tilde } from '../util.js'
import { findInstalls, versionOf } from './installs.js'

const MAX_LINES = 12

const NOT_LOGGED_IN = /not (?:logged|signed) in|no (?:credentials|authentication)|please run \/login|run `?claude (?:auth )?login/i
const UNKNOWN_COMMAND = /unknown command|unrecognized command|invalid command|did you mean/i

/** fields of the JSON form that are safe to keep; e-mail and organisation names stay on the machine */
const SAFE_FIELDS = ['loggedIn', 'authMethod', 'apiProvider', 'subscriptionType', 'apiKeySource', 'tokenSource'] as const

export function hasAuthSubcommand(help: string): boolean {
  return /^\s{1,8}auth\b/m.test(help)
}

export const authStatusCheck: Check = {
  id: 'auth-status',
  title: 'claude auth status',
  timeoutMs: 20_000,
  async run(env, ctx): Promise<CheckResult> {
    const [first] = await findInstalls(env)
    if (!first) return { state: 'skipped', summary: 'no `claude` in PATH to ask' }
    const help = await env.exec(first.path, ['--help'], { timeoutMs: 5_000, signal: ctx.signal })
    const { version } = await versionOf(env, first.path, ctx.signal)
    const facts: Record<string, unknown> = { claude: tilde(env, first.path), version }
    if (help.timedOut) return { state: 'warning', summary: '`claude --help` did not answer within 5 s', facts, findings: [{ code: 'auth_status.hung', severity: 'warning' }] }
    if (!hasAuthSubcommand(`${help.stdout}\n${help.stderr}`)) {
      return {
        state: 'skipped',
        summary: `this Claude Code${version ? ` (${version})` : ''} has no \`claude auth status\`; \`claude update\` brings it`,
        facts: { ...facts, supported: false },
      }
    }
    const r = await env.exec(first.path, ['auth', 'status'], { timeoutMs: 10_000, signal: ctx.signal })
    const output = `${r.stdout}\n${r.stderr}`.trim()
    facts.supported = true
    facts.exitCode = r.code
    if (r.timedOut) {
      return {
        state: 'warning',
        summary: '`claude auth status` did not answer within 10 s',
        facts,
        findings: [{ code: 'auth_status.hung', severity: 'warning' }],
      }
    }
    if (r.code !== 0 && UNKNOWN_COMMAND.test(output)) {
      return { state: 'skipped', summary: 'this Claude Code does not know `claude auth status`', facts: { ...facts, supported: false } }
    }

    const parsed = parseJson(r.stdout)
    let loggedIn: boolean | null = null
    let details: string[]
    if (parsed.ok && isRecord(parsed.value)) {
      const json = parsed.value
      for (const k of SAFE_FIELDS) if (typeof json[k] === 'string' || typeof json[k] === 'boolean') facts[k] = json[k]
      loggedIn = typeof json.loggedIn === 'boolean' ? json.loggedIn : null
      details = SAFE_FIELDS.filter((k) => facts[k] !== undefined).map((k) => `${k}: ${String(facts[k])}`)
    } else {
      const lines = scrub(output).split('\n').map((l) => l.trimEnd()).filter(Boolean)
      details = lines.slice(0, MAX_LINES)
      if (lines.length > MAX_LINES) details.push(`… ${lines.length - MAX_LINES} more lines`)
      if (NOT_LOGGED_IN.test(output)) loggedIn = false
      else if (r.code === 0 && /logged in|authenticated|login method|auth(?:entication)? method/i.test(output)) loggedIn = true
    }

    if (loggedIn === false) {
      const findings: Finding[] = [{ code: 'auth_status.not_logged_in', severity: 'error' }]
      return {
        state: 'error',
        summary: 'Claude Code says it is not logged in',
        details,
        facts: r.code === 0 ? facts : { ...facts, errorText: scrub(output).slice(0, 2_000) },
        findings,
        fix: { text: 'Log in again (or set ANTHROPIC_API_KEY if you use an API key).', commands: ['claude auth logout', 'claude auth login', 'claude auth status'] },
      }
    }
    if (r.code !== 0) {
      return {
        state: 'error',
        summary: `\`claude auth status\` failed (exit ${r.code ?? '?'})`,
        details,
        // the text goes to the verdict, which may classify it like a pasted error
        facts: { ...facts, errorText: scrub(output).slice(0, 2_000) },
        findings: [{ code: 'auth_status.failed', severity: 'error' }],
        fix: { text: 'Log out and in again; if it keeps failing, the other checks say why.', commands: ['claude auth logout', 'claude auth login'] },
      }
    }
    return { state: 'ok', summary: loggedIn ? 'logged in' : 'answered without an error', details, facts }
  },
}
