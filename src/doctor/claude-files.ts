// Reads Claude Code's own files and the macOS Keychain item, keeping only what is not secret: token values are
// parsed and dropped at once; what leaves this module is presence, kind, expiry, scopes and plan.
import { keyKind, type KeyKind } from './key.js'
import type { DoctorEnv } from './types.js'
import { errorCode, getVar, homePath, isRecord, parseJson, pathsOf, readIfExists } from './util.js'

/** ~/.claude, or CLAUDE_CONFIG_DIR when set */
export function claudeConfigDir(env: DoctorEnv): string {
  return getVar(env, 'CLAUDE_CONFIG_DIR') || homePath(env, '.claude')
}

/** ~/.claude.json (inside CLAUDE_CONFIG_DIR when that is set) */
export function claudeJsonPath(env: DoctorEnv): string {
  const dir = getVar(env, 'CLAUDE_CONFIG_DIR')
  return dir ? pathsOf(env).join(dir, '.claude.json') : homePath(env, '.claude.json')
}

export const credentialsPath = (env: DoctorEnv): string => pathsOf(env).join(claudeConfigDir(env), '.credentials.json')

export type OAuthFacts = {
  hasAccessToken: boolean
  accessTokenKind: KeyKind | null
  hasRefreshToken: boolean
  /** ms since the epoch, null when absent */
  expiresAt: number | null
  scopes: string[]
  subscriptionType: string | null
  rateLimitTier: string | null
}

export type CredentialsFile =
  | { state: 'missing'; path: string }
  | { state: 'unreadable'; path: string; mode: number | null; error: string }
  | { state: 'corrupt'; path: string; mode: number | null; error: string; size: number }
  | { state: 'ok'; path: string; mode: number | null; size: number; oauth: OAuthFacts | null; otherKeys: string[] }

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)

/** only the non-secret fields of a `claudeAiOauth` object */
export function oauthFacts(o: Record<string, unknown>): OAuthFacts {
  const access = str(o.accessToken)
  const expires = typeof o.expiresAt === 'number' ? o.expiresAt : typeof o.expiresAt === 'string' && /^\d+$/.test(o.expiresAt) ? Number(o.expiresAt) : null
  return {
    hasAccessToken: access !== null,
    accessTokenKind: access === null ? null : keyKind(access),
    hasRefreshToken: str(o.refreshToken) !== null,
    expiresAt: expires,
    scopes: Array.isArray(o.scopes) ? o.scopes.filter((s): s is string => typeof s === 'string').slice(0, 20) : [],
    subscriptionType: str(o.subscriptionType),
    rateLimitTier: str(o.rateLimitTier),
  }
}

export async function readCredentialsFile(env: DoctorEnv): Promise<CredentialsFile> {
  const path = credentialsPath(env)
  const stat = await env.fs.stat(path)
  if (!stat) return { state: 'missing', path }
  const mode = env.platform === 'win32' ? null : stat.mode & 0o777
  let text: string | null
  try {
    text = await readIfExists(env, path)
  } catch (err) {
    return { state: 'unreadable', path, mode, error: errorCode(err) ?? 'read failed' }
  }
  if (text === null) return { state: 'missing', path }
  const parsed = parseJson(text)
  if (!parsed.ok) return { state: 'corrupt', path, mode, error: parsed.error, size: text.length }
  if (!isRecord(parsed.value)) return { state: 'corrupt', path, mode, error: 'the top level is not a JSON object', size: text.length }
  const json = parsed.value
  const oauth = isRecord(json.claudeAiOauth) ? oauthFacts(json.claudeAiOauth) : null
  return { state: 'ok', path, mode, size: text.length, oauth, otherKeys: Object.keys(json).filter((k) => k !== 'claudeAiOauth').slice(0, 20) }
}

export const KEYCHAIN_SERVICE = 'Claude Code-credentials'

export type KeychainFacts = { itemPresent: boolean | null; locked: boolean | null; error: string | null }

/** macOS only: is there a Claude Code item (without -w: the secret is never printed) and is the keychain locked */
export async function probeKeychain(env: DoctorEnv, signal?: AbortSignal): Promise<KeychainFacts> {
  const item = await env.exec('security', ['find-generic-password', '-s', KEYCHAIN_SERVICE], { timeoutMs: 5_000, signal })
  const info = await env.exec('security', ['show-keychain-info'], { timeoutMs: 5_000, signal })
  const itemText = `${item.stdout}\n${item.stderr}`
  const infoText = `${info.stdout}\n${info.stderr}`
  let itemPresent: boolean | null = null
  if (item.code === 0) itemPresent = true
  else if (item.code === 44 || /could not be found/i.test(itemText)) itemPresent = false
  let locked: boolean | null = null
  if (info.code === 0) locked = false
  else if (/interaction is not allowed|locked/i.test(infoText) || info.code === 36) locked = true
  const error = item.error ?? info.error ?? (item.timedOut || info.timedOut ? '`security` did not answer within 5 s' : null)
  return { itemPresent, locked, error }
}

export type SettingsFile = { path: string; exists: boolean; valid: boolean; apiKeyHelper: boolean; envNames: string[]; error?: string }

/** user, project and managed settings files that can carry apiKeyHelper or an `env` block */
export function settingsPaths(env: DoctorEnv): string[] {
  const p = pathsOf(env)
  const list = [
    p.join(claudeConfigDir(env), 'settings.json'),
    p.join(env.cwd, '.claude', 'settings.json'),
    p.join(env.cwd, '.claude', 'settings.local.json'),
  ]
  if (env.platform === 'darwin') list.push('/Library/Application Support/ClaudeCode/managed-settings.json')
  else if (env.platform === 'win32') list.push('C:\\ProgramData\\ClaudeCode\\managed-settings.json')
  else list.push('/etc/claude-code/managed-settings.json')
  return [...new Set(list)]
}

export async function readSettingsFiles(env: DoctorEnv): Promise<SettingsFile[]> {
  const out: SettingsFile[] = []
  for (const path of settingsPaths(env)) {
    let text: string | null
    try {
      text = await readIfExists(env, path)
    } catch (err) {
      out.push({ path, exists: true, valid: false, apiKeyHelper: false, envNames: [], error: errorCode(err) ?? 'unreadable' })
      continue
    }
    if (text === null) continue
    const parsed = parseJson(text)
    if (!parsed.ok || !isRecord(parsed.value)) {
      out.push({ path, exists: true, valid: false, apiKeyHelper: false, envNames: [], error: parsed.ok ? 'not a JSON object' : parsed.error })
      continue
    }
    const s = parsed.value
    out.push({
      path,
      exists: true,
      valid: true,
      apiKeyHelper: typeof s.apiKeyHelper === 'string' && s.apiKeyHelper.trim() !== '',
      envNames: isRecord(s.env) ? Object.keys(s.env).filter((k) => typeof (s.env as Record<string, unknown>)[k] === 'string') : [],
    })
  }
  return out
}

/** a Claude account login is stored on this machine (credentials file or, on macOS, the Keychain) */
export async function detectLogin(env: DoctorEnv, signal?: AbortSignal): Promise<{ file: boolean; keychain: boolean }> {
  const file = await readCredentialsFile(env)
  const fileLogin = file.state === 'ok' && file.oauth !== null && (file.oauth.hasAccessToken || file.oauth.hasRefreshToken)
  let keychain = false
  if (env.platform === 'darwin') keychain = (await probeKeychain(env, signal)).itemPresent === true
  return { file: fileLogin, keychain }
}
