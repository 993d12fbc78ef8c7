// Admin sign-in plumbing: the session cookie, looking a session up, CSRF and same-origin checks, form bodies.
// The session id and the CSRF token come from the store (stored hashed there); the cookie is HttpOnly,
// SameSite=Lax, Path=/, and Secure (with the __Host- prefix) when PUBLIC_URL is https.
import { timingSafeEqual, createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { AdminIdentity, Store } from '../../store/types.js'
import { readBody } from '../http.js'
import { AppError } from '../../errors.js'

export type AdminSessionInfo = { session: string; identity: AdminIdentity; csrfToken: string; expiresAt: Date }

export const FORM_MAX_BYTES = 8 * 1024

export function cookieName(secure: boolean) {
  return secure ? '__Host-claude_auth_admin' : 'claude_auth_admin'
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i <= 0) continue
    const name = part.slice(0, i).trim()
    if (out.has(name)) continue
    let value = part.slice(i + 1).trim()
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
    try {
      out.set(name, decodeURIComponent(value))
    } catch {
      out.set(name, value)
    }
  }
  return out
}

export function sessionCookie(secure: boolean, session: string, maxAgeSeconds: number): string {
  return [
    `${cookieName(secure)}=${encodeURIComponent(session)}`,
    'Path=/',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ')
}

export function clearedCookie(secure: boolean): string {
  return sessionCookie(secure, '', 0)
}

/** The session behind the request's cookie, or null (no cookie, unknown, expired, or the database failed). */
export async function currentSession(store: Store, req: IncomingMessage, secure: boolean): Promise<AdminSessionInfo | null> {
  const session = parseCookies(req.headers.cookie).get(cookieName(secure))
  if (!session || session.length > 200) return null
  const found = await store.getAdminSession(session)
  return found ? { session, ...found } : null
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest()

/** constant-time comparison of a submitted CSRF token with the session's */
export function csrfMatches(submitted: string | null | undefined, expected: string): boolean {
  if (typeof submitted !== 'string' || !submitted || !expected) return false
  return timingSafeEqual(digest(submitted), digest(expected))
}

/**
 * Browsers say where a POST comes from: Origin (and Sec-Fetch-Site). A request from another site is refused even
 * before its CSRF token is looked at. Clients that send neither (curl, scripts) are not browsers and cannot be
 * driven by another site, so they pass this check and still need the token.
 */
export function sameOrigin(req: IncomingMessage, publicUrl: string): boolean {
  const site = req.headers['sec-fetch-site']
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false
  const origin = req.headers.origin
  if (origin === undefined) return true
  if (origin === 'null') return false
  let host: string
  try {
    host = new URL(origin).host
  } catch {
    return false
  }
  const allowed = new Set([String(req.headers.host ?? '')])
  try {
    allowed.add(new URL(publicUrl).host)
  } catch {
    /* publicUrl is validated by the settings */
  }
  return allowed.has(host)
}

/** An application/x-www-form-urlencoded body (415 for anything else, 413 past 8 KB). */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== 'application/x-www-form-urlencoded') {
    req.resume()
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send this form as application/x-www-form-urlencoded.', 415)
  }
  return new URLSearchParams((await readBody(req, FORM_MAX_BYTES)).toString('utf8'))
}
