// Every credential source Claude Code could use at once, in its order of precedence (cloud provider, then
// ANTHROPIC_AUTH_TOKEN, ANTHROPIC_API_KEY, apiKeyHelper, CLAUDE_CODE_OAUTH_TOKEN, then the account login). More than
// one is a conflict: the first wins silently, which is how a stale key hides a fresh login.
import { detectLogin, readSettingsFiles } from '../claude-files.js'
import { analyzeKey, describeHidden, describeKey, keyPrefix } from '../key.js'
import type { Check, CheckResult, DoctorEnv, Finding, Fix } from '../types.js'
import { getVar, hasVar, isOn, isWindows, maskUrlCredentials, tilde } from '../util.js'
import { cleanupCommand } from './api-key.js'

/** `variable` is set when the source is an environment variable of this shell (what to unset) */
export type Source = { id: string; label: string; where: string; variable?: string }

const unset = (env: DoctorEnv, name: string) => (isWindows(env) ? `Remove-Item Env:${name}` : `unset ${name}`)

/** credential variables whose value is a token or key, with the kind each one should hold */
const TOKEN_VARS: { name: string; expects: 'oauth_token' | 'any' }[] = [
  { name: 'ANTHROPIC_AUTH_TOKEN', expects: 'any' },
  { name: 'CLAUDE_CODE_OAUTH_TOKEN', expects: 'oauth_token' },
]

export async function listSources(env: DoctorEnv, signal?: AbortSignal): Promise<{ sources: Source[]; settingsEnv: { file: string; name: string }[] }> {
  const sources: Source[] = []
  if (isOn(env, 'CLAUDE_CODE_USE_BEDROCK')) sources.push({ id: 'bedrock', label: 'Amazon Bedrock (CLAUDE_CODE_USE_BEDROCK)', where: 'environment', variable: 'CLAUDE_CODE_USE_BEDROCK' })
  if (isOn(env, 'CLAUDE_CODE_USE_VERTEX')) sources.push({ id: 'vertex', label: 'Google Vertex AI (CLAUDE_CODE_USE_VERTEX)', where: 'environment', variable: 'CLAUDE_CODE_USE_VERTEX' })
  if (isOn(env, 'CLAUDE_CODE_USE_FOUNDRY')) sources.push({ id: 'foundry', label: 'Microsoft Foundry (CLAUDE_CODE_USE_FOUNDRY)', where: 'environment', variable: 'CLAUDE_CODE_USE_FOUNDRY' })

  const settings = await readSettingsFiles(env)
  const settingsEnv = settings.flatMap((s) =>
    s.envNames.filter((n) => ['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN'].includes(n)).map((name) => ({ file: s.path, name })),
  )
  for (const name of ['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY']) {
    if (hasVar(env, name)) sources.push({ id: name, label: name, where: 'environment', variable: name })
    for (const s of settingsEnv.filter((e) => e.name === name)) sources.push({ id: `${name}@settings`, label: name, where: `"env" in ${tilde(env, s.file)}` })
  }
  for (const s of settings.filter((x) => x.apiKeyHelper)) sources.push({ id: 'apiKeyHelper', label: 'apiKeyHelper (a command that prints a key)', where: tilde(env, s.path) })
  if (hasVar(env, 'CLAUDE_CODE_OAUTH_TOKEN')) sources.push({ id: 'CLAUDE_CODE_OAUTH_TOKEN', label: 'CLAUDE_CODE_OAUTH_TOKEN', where: 'environment', variable: 'CLAUDE_CODE_OAUTH_TOKEN' })
  for (const s of settingsEnv.filter((e) => e.name === 'CLAUDE_CODE_OAUTH_TOKEN')) {
    sources.push({ id: 'CLAUDE_CODE_OAUTH_TOKEN@settings', label: 'CLAUDE_CODE_OAUTH_TOKEN', where: `"env" in ${tilde(env, s.file)}` })
  }
  const login = await detectLogin(env, signal)
  if (login.file || login.keychain) {
    sources.push({ id: 'login', label: 'Claude account login', where: login.keychain ? 'macOS Keychain' : '~/.claude/.credentials.json' })
  }
  return { sources, settingsEnv }
}

export const sourcesCheck: Check = {
  id: 'credential-sources',
  title: 'Credential sources',
  timeoutMs: 12_000,
  async run(env, ctx): Promise<CheckResult> {
    const { sources } = await listSources(env, ctx.signal)
    const findings: Finding[] = []
    const details: string[] = sources.map((s, i) => `${i + 1}. ${s.label} (${s.where})${i === 0 && sources.length > 1 ? ': wins' : i > 0 ? ': ignored' : ''}`)
    let state: CheckResult['state'] = 'ok'
    let fix: Fix | undefined

    // tokens in the other variables: wrong kind or hidden characters
    for (const { name, expects } of TOKEN_VARS) {
      const value = getVar(env, name)
      if (!value) continue
      const a = analyzeKey(value)
      details.push(`${name}: ${describeKey(value, false)}`)
      if (a.hidden.length) {
        state = 'error'
        findings.push({ code: 'sources.hidden_characters', severity: 'error' })
        details.push(`  ${name} carries hidden characters: ${a.hidden.map(describeHidden).join('; ')}`)
        fix = { text: `Re-set ${name} without the extra characters.`, commands: [cleanupCommand(env, name)] }
      }
      if (expects === 'oauth_token' && a.kind !== 'oauth_token' && a.kind !== 'unknown') {
        state = 'error'
        findings.push({ code: 'sources.wrong_kind', severity: 'error' })
        details.push(`  ${name} should hold a token from \`claude setup-token\` (${keyPrefix('oauth_token')}…), not this kind`)
        fix = { text: `Put API keys in ANTHROPIC_API_KEY; ${name} is for tokens from \`claude setup-token\`.`, commands: [unset(env, name)] }
      }
    }

    const baseUrl = getVar(env, 'ANTHROPIC_BASE_URL')
    if (baseUrl) {
      let host = ''
      try {
        host = new URL(baseUrl).hostname
      } catch {
        host = ''
      }
      details.push(`ANTHROPIC_BASE_URL: ${maskUrlCredentials(baseUrl)}: requests go there instead of api.anthropic.com`)
      if (host !== 'api.anthropic.com') {
        if (state === 'ok') state = 'warning'
        findings.push({ code: 'sources.base_url', severity: 'warning' })
        fix ??= {
          text: 'A gateway or proxy in ANTHROPIC_BASE_URL needs its own key (usually in ANTHROPIC_AUTH_TOKEN). If you did not mean to use one, remove the variable.',
          commands: [unset(env, 'ANTHROPIC_BASE_URL')],
        }
      }
    }

    const facts = { sources: sources.map((s) => ({ id: s.id, where: s.where })), effective: sources[0]?.id ?? null, baseUrl: baseUrl ? maskUrlCredentials(baseUrl) : null }
    if (sources.length === 0) {
      return {
        state: state === 'ok' ? 'warning' : state,
        summary: 'no credential found: no key, no token, no account login',
        details,
        facts,
        findings: [...findings, { code: 'sources.none', severity: 'warning' }],
        fix: fix ?? { text: 'Log in with your Claude account, or set ANTHROPIC_API_KEY.', commands: ['claude auth login'] },
      }
    }
    const [winner] = sources as [Source, ...Source[]]
    if (sources.length > 1) {
      if (state === 'ok') state = 'warning'
      findings.push({ code: 'sources.conflict', severity: 'warning' })
      const loser = sources.some((s) => s.id === 'login') && winner.id !== 'login'
      const others = sources.filter((s) => s.variable && s !== winner).map((s) => s.variable as string)
      fix ??= {
        text: loser
          ? `${winner.label} takes precedence over your Claude account login. To use the login, remove it (and its line in your shell startup file); to keep it, log out.`
          : `Only ${winner.label} is used. Keep one credential and remove the others.`,
        commands: loser ? [...(winner.variable ? [unset(env, winner.variable)] : []), 'claude auth status'] : [...new Set(others)].map((n) => unset(env, n)),
      }
      return { state, summary: `${sources.length} at once; Claude Code uses ${winner.label} (${winner.where})`, details, facts, findings, fix }
    }
    return { state, summary: `${winner.label} (${winner.where})`, details, facts, findings, ...(fix ? { fix } : {}) }
  },
}
