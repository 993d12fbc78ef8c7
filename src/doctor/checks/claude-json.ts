// ~/.claude.json, Claude Code's state file: valid JSON, whether it holds an account or a stored key, and whether
// this shell's ANTHROPIC_API_KEY was once declined at the "use this API key?" prompt (then Claude Code ignores it).
import { claudeJsonPath } from '../claude-files.js'
import { cleanKey } from '../key.js'
import type { Check, CheckResult, Finding } from '../types.js'
import { errorCode, getVar, isRecord, isWindows, parseJson, readIfExists, shellQuote, tilde } from '../util.js'

/** Claude Code remembers a key by its last 20 characters */
const KEY_TAIL = 20

export const claudeJsonCheck: Check = {
  id: 'claude-json',
  title: '~/.claude.json',
  timeoutMs: 3_000,
  async run(env): Promise<CheckResult> {
    const path = claudeJsonPath(env)
    const shown = tilde(env, path)
    let text: string | null
    try {
      text = await readIfExists(env, path)
    } catch (err) {
      return { state: 'error', summary: `${shown} cannot be read (${errorCode(err) ?? 'error'})`, findings: [{ code: 'claude_json.unreadable', severity: 'error' }] }
    }
    if (text === null) return { state: 'ok', summary: `${shown} not present yet (Claude Code creates it on first start)`, facts: { present: false } }
    const parsed = parseJson(text)
    if (!parsed.ok || !isRecord(parsed.value)) {
      // Claude Code keeps a copy of the last good state beside the file
      const backup = (await env.fs.stat(`${path}.backup`))?.isFile ? `${path}.backup` : null
      const q = (p: string) => shellQuote(env, tilde(env, p))
      return {
        state: 'error',
        summary: `${shown} is corrupt: ${parsed.ok ? 'the top level is not a JSON object' : parsed.error}`,
        facts: { present: true, valid: false, size: text.length, backup: backup ? tilde(env, backup) : null },
        findings: [{ code: 'claude_json.corrupt', severity: 'error' }],
        fix: {
          text: backup
            ? 'Close every Claude Code window, keep the broken file aside and restore the backup Claude Code made.'
            : 'Close every Claude Code window and move the broken file aside; Claude Code creates a new one (you may need to log in again).',
          commands: isWindows(env)
            ? [`Move-Item ${q(path)} ${q(path)}.broken`, ...(backup ? [`Copy-Item ${q(backup)} ${q(path)}`] : [])]
            : [`mv ${q(path)} ${q(path)}.broken`, ...(backup ? [`cp ${q(backup)} ${q(path)}`] : [])],
        },
      }
    }
    const json = parsed.value
    const facts: Record<string, unknown> = {
      present: true,
      valid: true,
      hasOAuthAccount: isRecord(json.oauthAccount),
      hasPrimaryApiKey: typeof json.primaryApiKey === 'string' && json.primaryApiKey !== '',
    }
    const findings: Finding[] = []
    const details: string[] = []
    if (facts.hasOAuthAccount) details.push('a Claude account is recorded')
    if (facts.hasPrimaryApiKey) details.push('an API key created by `claude` login (Console account) is stored here')
    const key = getVar(env, 'ANTHROPIC_API_KEY')
    const responses = json.customApiKeyResponses
    if (key && isRecord(responses)) {
      const tail = cleanKey(key).slice(-KEY_TAIL)
      const has = (list: unknown) => Array.isArray(list) && list.some((t) => t === tail)
      if (has(responses.rejected)) {
        facts.apiKeyDeclined = true
        findings.push({ code: 'claude_json.key_declined', severity: 'warning' })
        details.push('ANTHROPIC_API_KEY of this shell was declined at the "Do you want to use this API key?" prompt, so Claude Code ignores it')
        return {
          state: 'warning',
          summary: `${shown}: valid; this shell's API key was once declined, so Claude Code does not use it`,
          details,
          facts,
          findings,
          fix: {
            text: `To use the key: close Claude Code, delete its entry from "customApiKeyResponses" → "rejected" in ${shown}, and start claude again (it asks once more). To use your account login instead: unset ANTHROPIC_API_KEY.`,
            commands: [isWindows(env) ? 'Remove-Item Env:ANTHROPIC_API_KEY' : 'unset ANTHROPIC_API_KEY'],
          },
        }
      }
      if (has(responses.approved)) {
        facts.apiKeyApproved = true
        details.push('ANTHROPIC_API_KEY of this shell was approved for use')
      }
    }
    return { state: 'ok', summary: `${shown}: valid JSON`, details, facts, findings }
  },
}
