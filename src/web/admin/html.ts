// HTML building blocks for the admin dashboard: escaping, the page shell (one inline stylesheet allowed by its CSP
// hash, no script at all), and the security headers every admin answer carries.
import { createHash } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { SECURITY_HEADERS } from '../http.js'
import { ADMIN_CSS } from './styles.js'

/** Escapes text for HTML element content and (double- or single-quoted) attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** A tagged template whose interpolations are escaped unless they are `raw(...)` (already-built HTML). */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value
  }
}
export const raw = (s: string) => new Html(s)

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? ''
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '')
  })
  return new Html(out)
}

function render(v: unknown): string {
  if (v instanceof Html) return v.value
  if (Array.isArray(v)) return v.map(render).join('')
  if (v === null || v === undefined || v === false) return ''
  return esc(v)
}

const STYLE_HASH = `sha256-${createHash('sha256').update(ADMIN_CSS, 'utf8').digest('base64')}`

export const ADMIN_CSP = [
  "default-src 'self'",
  "script-src 'none'",
  `style-src '${STYLE_HASH}'`,
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ')

export function adminHeaders(secure: boolean): Record<string, string> {
  return {
    ...SECURITY_HEADERS,
    // not no-referrer: with it browsers send "Origin: null" on form posts, and the same-origin check needs the origin.
    // Nothing leaves the site: same-origin requests only (the pages link nowhere else).
    'referrer-policy': 'same-origin',
    'content-security-policy': ADMIN_CSP,
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
    ...(secure ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  }
}

export type PageShell = {
  title: string
  /** the nav entry to highlight; null on sign-in pages (no nav) */
  active: 'overview' | 'errors' | 'people' | 'events' | null
  body: Html
  /** signed-in header: who, and the sign-out form's CSRF token */
  session?: { who: string; csrf: string; query: string } | null
}

const NAV: { id: NonNullable<PageShell['active']>; href: string; label: string }[] = [
  { id: 'overview', href: '/admin', label: 'Overview' },
  { id: 'errors', href: '/admin/errors', label: 'Recurring errors' },
  { id: 'people', href: '/admin/people', label: 'People' },
  { id: 'events', href: '/admin/events', label: 'Credential changes' },
]

export function page(shell: PageShell): string {
  const nav = shell.session
    ? html`<nav aria-label="Sections">${NAV.map(
        (n) => html`<a href="${n.href}${shell.session!.query}"${raw(n.id === shell.active ? ' aria-current="page"' : '')}>${n.label}</a>`,
      )}</nav>
      <form method="post" action="/admin/logout" class="signout"><input type="hidden" name="csrf" value="${shell.session.csrf}"><span class="who">${shell.session.who}</span> <button type="submit">Sign out</button></form>`
    : ''
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<meta name="robots" content="noindex, nofollow">
<title>${esc(shell.title)} · claude-auth</title>
<style>${ADMIN_CSS}</style>
</head>
<body>
<header class="top"><a class="brand" href="/admin">claude-auth</a>${nav}</header>
<main>
${shell.body}
</main>
</body>
</html>
`
}

export function sendHtml(res: ServerResponse, status: number, body: string, secure: boolean, extra: Record<string, string | string[]> = {}) {
  res.writeHead(status, { ...adminHeaders(secure), 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body), ...extra })
  res.end(body)
}
