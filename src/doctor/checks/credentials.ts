// ~/.claude/.credentials.json (Linux, Windows, WSL; macOS keeps the login in the Keychain): present, private,
// valid JSON, and when the login in it expires. The token values are parsed and dropped, never reported.
import { readCredentialsFile } from '../claude-files.js'
import type { Check, CheckResult, DoctorEnv, Finding } from '../types.js'
import { hasVar, isWindows, shellQuote, tilde } from '../util.js'

export function relativeTime(ms: number): string {
  const abs = Math.abs(ms)
  const unit =
    abs < 90_000 ? `${Math.round(abs / 1000)} s` : abs < 90 * 60_000 ? `${Math.round(abs / 60_000)} min` : abs < 36 * 3_600_000 ? `${Math.round(abs / 3_600_000)} h` : `${Math.round(abs / 86_400_000)} days`
  return ms < 0 ? `${unit} ago` : `in ${unit}`
}

/** another way in is configured, so a missing login is not a problem */
export function hasOtherCredential(env: DoctorEnv): boolean {
  return ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN', 'CLAUDE_CODE_USE_BEDROCK', 'CLAUDE_CODE_USE_VERTEX'].some((v) => hasVar(env, v))
}

function backupCommands(env: DoctorEnv, path: string): string[] {
  const q = shellQuote(env, tilde(env, path))
  return [isWindows(env) ? `Move-Item ${q} ${q}.broken` : `mv ${q} ${q}.broken`, 'claude auth login']
}

export const credentialsCheck: Check = {
  id: 'credentials-file',
  title: 'Credentials file',
  timeoutMs: 3_000,
  async run(env): Promise<CheckResult> {
    const file = await readCredentialsFile(env)
    const shown = tilde(env, file.path)
    if (file.state === 'missing') {
      if (env.platform === 'darwin') return { state: 'ok', summary: `${shown} not present (macOS keeps the login in the Keychain)`, facts: { present: false } }
      if (hasOtherCredential(env)) return { state: 'ok', summary: `${shown} not present (no account login stored; another credential is set)`, facts: { present: false } }
      return {
        state: 'warning',
        summary: `${shown} not present: no Claude account login is stored on this machine`,
        facts: { present: false },
        findings: [{ code: 'credentials.none', severity: 'warning' }],
        fix: { text: 'Log in with your Claude account (or set ANTHROPIC_API_KEY).', commands: ['claude auth login'] },
      }
    }
    const facts: Record<string, unknown> = { present: true, mode: file.mode === null ? null : `0${file.mode.toString(8)}` }
    if (file.state === 'unreadable') {
      return {
        state: 'error',
        summary: `${shown} cannot be read (${file.error})`,
        facts: { ...facts, error: file.error },
        findings: [{ code: 'credentials.unreadable', severity: 'error' }],
        fix: {
          text: 'The file belongs to another user or has no read permission (often after running claude with sudo). Give it back to yourself.',
          commands: isWindows(env) ? [] : [`sudo chown "$USER" ${shellQuote(env, tilde(env, file.path))}`, `chmod 600 ${shellQuote(env, tilde(env, file.path))}`],
        },
      }
    }
    if (file.state === 'corrupt') {
      return {
        state: 'error',
        summary: `${shown} is corrupt: ${file.error}`,
        facts: { ...facts, valid: false, size: file.size },
        findings: [{ code: 'credentials.corrupt', severity: 'error' }],
        fix: { text: 'Move the broken file aside and log in again; Claude Code writes a fresh one.', commands: backupCommands(env, file.path) },
      }
    }

    const findings: Finding[] = []
    const details: string[] = []
    let state: CheckResult['state'] = 'ok'
    let fix: CheckResult['fix']
    const worse = (s: 'warning' | 'error') => {
      if (state === 'ok' || (state === 'warning' && s === 'error')) state = s
    }
    facts.valid = true
    if (file.mode !== null && (file.mode & 0o077) !== 0) {
      worse('warning')
      findings.push({ code: 'credentials.permissions', severity: 'warning' })
      details.push(`permissions ${facts.mode as string}: other users on this machine can ${file.mode & 0o044 ? 'read' : 'access'} it (should be 0600)`)
      fix = { text: 'Make the file private.', commands: [`chmod 600 ${shellQuote(env, tilde(env, file.path))}`] }
    }
    const o = file.oauth
    if (!o) {
      details.push(`no Claude account login inside (keys: ${file.otherKeys.join(', ') || 'none'})`)
      if (!hasOtherCredential(env)) {
        worse('warning')
        findings.push({ code: 'credentials.none', severity: 'warning' })
        fix ??= { text: 'Log in with your Claude account.', commands: ['claude auth login'] }
      }
      return { state, summary: `${shown}: valid JSON, no login stored`, details, facts, findings, ...(fix ? { fix } : {}) }
    }
    Object.assign(facts, {
      hasAccessToken: o.hasAccessToken,
      hasRefreshToken: o.hasRefreshToken,
      accessTokenKind: o.accessTokenKind,
      expiresAt: o.expiresAt === null ? null : new Date(o.expiresAt).toISOString(),
      scopes: o.scopes,
      subscriptionType: o.subscriptionType,
      rateLimitTier: o.rateLimitTier,
    })
    if (o.subscriptionType) details.push(`plan: ${o.subscriptionType}${o.rateLimitTier ? ` (${o.rateLimitTier})` : ''}`)
    if (o.scopes.length) details.push(`scopes: ${o.scopes.join(' ')}`)
    if (o.hasAccessToken && o.accessTokenKind !== 'oauth_token') {
      worse('error')
      findings.push({ code: 'credentials.token_malformed', severity: 'error' })
      details.push('the stored access token does not have the shape of a Claude OAuth token (edited by hand or damaged)')
      fix = { text: 'Move the file aside and log in again.', commands: backupCommands(env, file.path) }
    }
    if (!o.hasAccessToken && !o.hasRefreshToken) {
      worse('error')
      findings.push({ code: 'credentials.empty_login', severity: 'error' })
      details.push('the login entry holds no token')
      fix = { text: 'Log in again.', commands: ['claude auth logout', 'claude auth login'] }
    }
    if (o.scopes.length > 0 && !o.scopes.includes('user:inference')) {
      worse('warning')
      findings.push({ code: 'credentials.scope_missing', severity: 'warning' })
      details.push('the login lacks the user:inference scope Claude Code needs')
      fix ??= { text: 'Log in again to get a token with the right scopes.', commands: ['claude auth logout', 'claude auth login'] }
    }
    let expiry = ''
    if (o.expiresAt !== null) {
      const left = o.expiresAt - env.now()
      expiry = left <= 0 ? `, access token expired ${relativeTime(left)}` : `, access token valid until ${new Date(o.expiresAt).toISOString()} (${relativeTime(left)})`
      if (left <= 0) {
        if (o.hasRefreshToken) {
          // routine: the access token lives for hours and Claude Code renews it with the refresh token on start
          worse('warning')
          findings.push({ code: 'credentials.access_expired', severity: 'warning' })
          details.push('Claude Code renews it with the stored refresh token when it starts; "Please run /login" means the renewal failed')
          fix ??= { text: 'Start claude once; if it asks you to log in, do so.', commands: ['claude auth login'] }
        } else {
          worse('error')
          findings.push({ code: 'credentials.expired', severity: 'error' })
          details.push('no refresh token is stored, so it cannot be renewed')
          fix = { text: 'Log in again.', commands: ['claude auth logout', 'claude auth login'] }
        }
      }
    }
    return { state, summary: `${shown}: valid${o.subscriptionType ? `, ${o.subscriptionType} plan` : ''}${expiry}`, details, facts, findings, ...(fix ? { fix } : {}) }
  },
}

