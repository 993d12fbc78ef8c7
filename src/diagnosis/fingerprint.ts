// Fingerprint of an error family: FNV-1a 64 (pure, no node:crypto) over the verdict, HTTP status, API error type
// and the matched message with everything person-specific stripped (numbers, ids, paths, keys, URLs, e-mails).
// The same error pasted by two people, through different wrappers, gets the same fingerprint.

/** FNV-1a 64-bit over the UTF-8 bytes of `s`, as 16 hex digits. Computed on four 16-bit limbs (exact in doubles). */
export function fnv1a64(s: string): string {
  // offset basis 0xcbf29ce484222325, little-endian limbs
  let h0 = 0x2325
  let h1 = 0x8422
  let h2 = 0x9ce4
  let h3 = 0xcbf2
  const step = (byte: number) => {
    h0 ^= byte
    // multiply by the FNV prime 0x100000001b3 = 2^40 + 0x1b3
    const t0 = h0 * 0x1b3
    let t1 = h1 * 0x1b3
    let t2 = h2 * 0x1b3 + (h0 << 8)
    let t3 = h3 * 0x1b3 + (h1 << 8)
    t1 += t0 >>> 16
    h0 = t0 & 0xffff
    t2 += t1 >>> 16
    h1 = t1 & 0xffff
    t3 += t2 >>> 16
    h2 = t2 & 0xffff
    h3 = t3 & 0xffff
  }
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i)
    if (c < 0x80) step(c)
    else if (c < 0x800) {
      step(0xc0 | (c >> 6))
      step(0x80 | (c & 0x3f))
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00)
      step(0xf0 | (c >> 18))
      step(0x80 | ((c >> 12) & 0x3f))
      step(0x80 | ((c >> 6) & 0x3f))
      step(0x80 | (c & 0x3f))
    } else {
      step(0xe0 | (c >> 12))
      step(0x80 | ((c >> 6) & 0x3f))
      step(0x80 | (c & 0x3f))
    }
  }
  const hex = (v: number) => v.toString(16).padStart(4, '0')
  return hex(h3) + hex(h2) + hex(h1) + hex(h0)
}

/** Strips what differs between two people's copies of the same error. Input: lower-cased normalised text. */
export function stripVolatile(message: string): string {
  let m = message
  // each replacement only runs when its trigger character is there (these run on every diagnosis)
  if (m.includes('sk-ant-')) m = m.replace(/\bsk-ant-[\w-]{0,200}/g, '<key>')
  if (m.includes('://')) m = m.replace(/\bhttps?:\/\/[^\s"'<>)]{1,300}/g, '<url>')
  if (m.includes('@')) m = m.replace(/[\w.+-]{1,64}@[\w-]{1,64}\.[\w.-]{1,64}/g, '<email>')
  if (m.includes('_')) m = m.replace(/\b(?:req|msg|toolu|srvtoolu|org|user|account)_[a-z0-9]{4,}/g, '<id>')
  if (m.includes('-')) m = m.replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<id>')
  if (m.includes('/') || m.includes('\\')) m = m.replace(/(?:[a-z]:)?(?:[\\/~][\w.@<>$-]{0,80}){2,40}/g, '<path>')
  return m
    .replace(/\b[0-9a-f]{12,}\b/g, '<hex>')
    .replace(/\d+(?:[.,:]\d+)*/g, '0')
    .replace(/["'`]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
}

export type ErrorFacts = { status: number | null; type: string | null; message: string | null; requestId: string | null }

const STATUS_RE = /\b(?:api error|error code|error|status(?:[ _]?code)?|statuscode|http(?:\/\d(?:\.\d)?)?)\W{0,4}([1-5]\d\d)\b/
const TYPE_RE = /\b(authentication_error|permission_error|invalid_request_error|not_found_error|rate_limit_error|overloaded_error|api_error|billing_error|timeout_error|request_too_large|exceed_context_size_error|forbidden)\b/
const MESSAGE_RE = /\bmessage\W{1,4}([^"'}\n]{1,300})/
const REQUEST_RE = /\b(req_[a-z0-9]{8,60})\b/

/** the HTTP status and API error type around an evidence span (what a fingerprint needs; bounded) */
export function statusAndType(lower: string, start: number, end: number): Pick<ErrorFacts, 'status' | 'type'> {
  const around = lower.slice(Math.max(0, start - 120), Math.min(lower.length, end + 120))
  const status = STATUS_RE.exec(around)
  // every error type holds "_error" or is one of two words: a substring check spares most texts the alternation
  const type = around.includes('_error') || around.includes('forbidden') || around.includes('request_too_large') ? TYPE_RE.exec(around) : null
  return { status: status ? Number(status[1]) : null, type: type ? type[1]! : null }
}

/** Pulls status, error.type, error.message and request_id out of the text around an evidence span (bounded). */
export function errorFacts(lower: string, start: number, end: number): ErrorFacts {
  const to = Math.min(lower.length, end + 120)
  const message = MESSAGE_RE.exec(lower.slice(Math.max(0, start - 60), to))
  const req = REQUEST_RE.exec(lower.slice(Math.max(0, start - 120), to))
  return { ...statusAndType(lower, start, end), message: message ? message[1]!.trim() : null, requestId: req ? req[1]! : null }
}

/** the fingerprint of an error family */
export function fingerprint(parts: { cause: string; kind?: string | null; status?: number | null; type?: string | null; message: string }): string {
  return fnv1a64([parts.cause, parts.kind ?? '', parts.status ?? '', parts.type ?? '', stripVolatile(parts.message)].join('|'))
}
