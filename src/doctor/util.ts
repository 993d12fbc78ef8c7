// Small helpers shared by the checks. No I/O of their own: everything goes through the DoctorEnv.
import { createHash } from 'node:crypto'
import path from 'node:path'
import type { DoctorEnv } from './types.js'

export const isWindows = (env: DoctorEnv): boolean => env.platform === 'win32'

/** path functions of the machine being examined (tests examine a Windows or macOS machine from Linux) */
export const pathsOf = (env: DoctorEnv): path.PlatformPath => (isWindows(env) ? path.win32 : path.posix)

export const homePath = (env: DoctorEnv, ...parts: string[]): string => pathsOf(env).join(env.homedir, ...parts)

/** `/home/ana/.zshrc` -> `~/.zshrc`, for display */
export function tilde(env: DoctorEnv, p: string): string {
  const home = env.homedir.replace(/[\\/]+$/, '')
  if (!home) return p
  if (p === home) return '~'
  const sep = isWindows(env) ? '\\' : '/'
  const same = isWindows(env) ? p.toLowerCase().startsWith((home + sep).toLowerCase()) : p.startsWith(home + sep)
  return same ? `~${sep}${p.slice(home.length + 1)}` : p
}

/** case-insensitive on Windows, where the environment is */
export function getVar(env: DoctorEnv, name: string): string | undefined {
  const direct = env.env[name]
  if (direct !== undefined || !isWindows(env)) return direct
  const key = Object.keys(env.env).find((k) => k.toUpperCase() === name.toUpperCase())
  return key === undefined ? undefined : env.env[key]
}

/** set and not empty */
export const hasVar = (env: DoctorEnv, name: string): boolean => (getVar(env, name) ?? '') !== ''

/** a switch variable that is on (1, true, yes, on) */
export const isOn = (env: DoctorEnv, name: string): boolean => /^(1|true|yes|on)$/i.test((getVar(env, name) ?? '').trim())

/** hex sha-256, for comparing secrets without showing them */
export const fingerprint = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex')

export function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null
  if (e && typeof e.code === 'string') return e.code
  if (e && e.cause && typeof e.cause.code === 'string') return e.cause.code
  return undefined
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}

/** `1.0.3` -> [1,0,3]; null when no version is in the text */
export function parseVersion(text: string): [number, number, number] | null {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(text)
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null
}

export function compareVersions(a: [number, number, number], b: [number, number, number]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number)
  return 0
}

/**
 * `http://user:pass@proxy:8080` -> `http://[url-credentials]@proxy:8080`, the placeholder the redaction module uses;
 * unparsable values lose everything before the last `@`
 */
export function maskUrlCredentials(value: string): string {
  try {
    const u = new URL(value)
    const had = u.username !== '' || u.password !== ''
    u.username = ''
    u.password = ''
    let s = u.toString()
    if (s.endsWith('/') && !value.endsWith('/') && u.pathname === '/') s = s.slice(0, -1)
    return had ? s.replace('://', '://[url-credentials]@') : s
  } catch {
    const at = value.lastIndexOf('@')
    return at >= 0 ? `[url-credentials]@${value.slice(at + 1)}` : value
  }
}

/** quote a path for the shell of the machine being examined */
export function shellQuote(env: DoctorEnv, value: string): string {
  if (/^[\w@%+=:,./~-]+$/.test(value)) return value
  return isWindows(env) ? `'${value.replace(/'/g, "''")}'` : `'${value.replace(/'/g, `'\\''`)}'`
}

/**
 * JSON.parse whose error never quotes the input (V8's messages do: `Unexpected token 'x', "sk-ant-…" is not valid
 * JSON`), only where it broke: line and column.
 */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const body = text.replace(/^\uFEFF/, '')
  try {
    return { ok: true, value: JSON.parse(body) as unknown }
  } catch (err) {
    if (body.trim() === '') return { ok: false, error: 'the file is empty' }
    const pos = /position (\d+)/.exec(errorMessage(err))
    if (!pos) return { ok: false, error: /end of (JSON|data) input/i.test(errorMessage(err)) ? 'the file ends too early (cut off)' : 'not valid JSON' }
    const before = body.slice(0, Number(pos[1]))
    const line = before.split('\n').length
    const column = before.length - before.lastIndexOf('\n')
    return { ok: false, error: `not valid JSON at line ${line}, column ${column}` }
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** reads a file; null when it does not exist, throws on other errors (permissions) */
export async function readIfExists(env: DoctorEnv, p: string): Promise<string | null> {
  try {
    return await env.fs.readFile(p)
  } catch (err) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return null
    throw err
  }
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

/** rejects when the signal aborts; for awaiting work that cannot itself be cancelled */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      },
    )
  })
}
