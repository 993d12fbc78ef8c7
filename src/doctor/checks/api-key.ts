// ANTHROPIC_API_KEY in this shell: set or not, which kind of key its prefix says, how long, and any characters that
// do not belong in a key. Never the value; the last four characters only with --show-key-suffix.
import { analyzeKey, describeHidden, describeKey, KEY_KIND_LABEL, keySuffix } from '../key.js'
import type { Check, CheckResult, DoctorEnv, Finding, Fix } from '../types.js'
import { getVar, hasVar, isWindows } from '../util.js'

export const API_KEY_VAR = 'ANTHROPIC_API_KEY'

/** re-sets the variable with only the characters a key is made of, without printing it */
export function cleanupCommand(env: DoctorEnv, name: string): string {
  return isWindows(env)
    ? `$env:${name} = $env:${name} -replace '[^A-Za-z0-9_-]', ''`
    : `export ${name}="$(printf '%s' "$${name}" | LC_ALL=C tr -cd 'A-Za-z0-9_-')"`
}

function unsetCommand(env: DoctorEnv, name: string): string {
  return isWindows(env) ? `Remove-Item Env:${name}` : `unset ${name}`
}

export const apiKeyCheck: Check = {
  id: 'api-key',
  title: 'ANTHROPIC_API_KEY',
  timeoutMs: 2_000,
  async run(env, ctx): Promise<CheckResult> {
    const value = getVar(env, API_KEY_VAR)
    if (value === undefined) return { state: 'ok', summary: 'not set (fine when you log in with a Claude account)', facts: { set: false } }
    if (value === '') {
      return {
        state: 'warning',
        summary: 'set but empty',
        facts: { set: true, length: 0 },
        findings: [{ code: 'api_key.empty', severity: 'warning' }],
        fix: { text: 'Remove the empty variable, or set the key itself.', commands: [unsetCommand(env, API_KEY_VAR)] },
      }
    }
    const a = analyzeKey(value)
    const facts: Record<string, unknown> = {
      set: true,
      kind: a.kind,
      length: a.length,
      cleanLength: a.cleanLength,
      hiddenCharacters: a.hidden.map((h) => ({ kind: h.kind, where: h.where, count: h.count })),
    }
    if (ctx.options.showKeySuffix) facts.suffix = keySuffix(value)
    const summary = describeKey(value, ctx.options.showKeySuffix)
    const details: string[] = [`kind: ${KEY_KIND_LABEL[a.kind]}`]
    const findings: Finding[] = []
    let fix: Fix | undefined
    let state: CheckResult['state'] = 'ok'

    if (a.hidden.length > 0) {
      state = 'error'
      findings.push({ code: 'api_key.hidden_characters', severity: 'error' })
      details.push(`hidden characters (${a.length - a.cleanLength} extra): ${a.hidden.map(describeHidden).join('; ')}`)
      fix = {
        text: 'The key carries characters that are not part of it (usually from copying or a file with Windows line endings). Re-set it without them, then fix the place it comes from (see "Shell startup files"); if it still fails, copy it again from the Anthropic Console.',
        commands: [cleanupCommand(env, API_KEY_VAR)],
      }
    }
    switch (a.kind) {
      case 'admin_key':
        state = 'error'
        findings.push({ code: 'api_key.admin_key', severity: 'error' })
        details.push('Admin API keys manage an organisation; they cannot call the Messages API that Claude Code uses.')
        fix = { text: 'Create an ordinary API key (sk-ant-api03-…) in the Anthropic Console and use it instead.', commands: [unsetCommand(env, API_KEY_VAR)] }
        break
      case 'oauth_token':
      case 'oauth_refresh_token':
        state = 'error'
        findings.push({ code: 'api_key.oauth_token', severity: 'error' })
        details.push('This is an OAuth token from a Claude account login, not an API key: the API rejects it as x-api-key.')
        fix = {
          text:
            a.kind === 'oauth_token'
              ? 'Move the token to CLAUDE_CODE_OAUTH_TOKEN (the variable for tokens from `claude setup-token`) and remove ANTHROPIC_API_KEY.'
              : 'A refresh token cannot be used as a key. Remove the variable and log in, or set a real API key.',
          commands: [unsetCommand(env, API_KEY_VAR), ...(a.kind === 'oauth_token' ? ['claude setup-token'] : ['claude auth login'])],
        }
        break
      case 'unknown':
        if (hasVar(env, 'ANTHROPIC_BASE_URL')) {
          details.push('ANTHROPIC_BASE_URL is set: a gateway may use its own key format.')
        } else {
          if (state === 'ok') state = 'warning'
          findings.push({ code: 'api_key.unknown_format', severity: 'warning' })
          details.push('Anthropic API keys start with sk-ant-api03-. This value does not (another provider\'s key, or a placeholder?).')
          fix ??= { text: 'Set a key from the Anthropic Console (Settings → API keys).', commands: [] }
        }
        break
      case 'api_key':
        if (a.looksTruncated) {
          if (state === 'ok') state = 'warning'
          findings.push({ code: 'api_key.truncated', severity: 'warning' })
          details.push(`only ${a.cleanLength} characters: whole keys are longer; it was probably cut while copying`)
          fix ??= { text: 'Copy the whole key again from where you saved it (the Console shows it only once), or create a new one.', commands: [] }
        }
        break
    }
    if (state === 'ok') details.push('shape looks right (whether the API accepts it: run again with --check-key)')
    return { state, summary, details, facts, findings, ...(fix ? { fix } : {}) }
  },
}
