// Redaction of JSON-like values (doctor reports): every string, key or value, goes through redact(); a string value
// under a key that names a secret (password, token, apiKey, authorization...) is hidden whole.
import { redact, mergeRemarks } from './redact.js'
import type { RedactionRemark } from './types.js'
import { isReference, isStopValue, placeholder } from './util.js'

const SENSITIVE_SUFFIXES: [suffix: string, kind: string][] = [
  ['password', 'password'],
  ['passwd', 'password'],
  ['passphrase', 'password'],
  ['secret', 'secret'],
  ['token', 'token'],
  ['apikey', 'api-key'],
  ['accesskey', 'api-key'],
  ['privatekey', 'private-key'],
  ['authorization', 'auth-token'],
  ['cookie', 'cookie'],
  ['credentials', 'secret'],
]

/** The kind to hide a value under, when the key names a secret ("ANTHROPIC_API_KEY", "refreshToken"); else null. */
export function sensitiveKeyKind(key: string): string | null {
  const k = key.toLowerCase().replace(/[^a-z]/g, '')
  for (const [suffix, kind] of SENSITIVE_SUFFIXES) if (k.endsWith(suffix)) return kind
  return null
}

export function redactDeep(value: unknown): { value: unknown; remarks: RedactionRemark[] } {
  const counts: RedactionRemark[][] = []
  const seen = new WeakSet<object>()

  const str = (s: string): string => {
    const r = redact(s)
    if (r.remarks.length) counts.push(r.remarks)
    return r.text
  }

  const walk = (v: unknown, keyKind: string | null): unknown => {
    if (typeof v === 'string') {
      if (keyKind && v.trim() !== '' && !v.startsWith('[') && !isReference(v) && !isStopValue(v)) {
        counts.push([{ kind: keyKind, count: 1 }])
        return placeholder(keyKind)
      }
      return str(v)
    }
    if (v === null || typeof v !== 'object') return v
    if (v instanceof Date) return v
    if (seen.has(v)) return '[circular]'
    seen.add(v)
    if (Array.isArray(v)) {
      const out = v.map((x) => walk(x, keyKind))
      seen.delete(v)
      return out
    }
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) {
      let key = str(k)
      while (Object.prototype.hasOwnProperty.call(out, key)) key += '#'
      out[key] = walk(x, sensitiveKeyKind(k))
    }
    seen.delete(v)
    return out
  }

  const result = walk(value, null)
  return { value: result, remarks: mergeRemarks(...counts) }
}
