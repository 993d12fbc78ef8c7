// Slack request verification (https://api.slack.com/authentication/verifying-requests-from-slack), written out
// rather than taken from Bolt because Bolt accepts timestamps far in the future: we reject a request whose
// timestamp is more than five minutes away from now in EITHER direction, then compare the v0 HMAC-SHA256 in
// constant time. Pure: the caller passes the clock's "now".
import { createHmac, timingSafeEqual } from 'node:crypto'

/** Slack's documented replay window. */
export const SLACK_TIMESTAMP_WINDOW_SECONDS = 5 * 60

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'missing_timestamp' | 'bad_timestamp' | 'stale_timestamp' | 'future_timestamp' | 'missing_signature' | 'bad_signature' }

export function computeSlackSignature(signingSecret: string, timestamp: string | number, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', signingSecret)
  hmac.update(`v0:${timestamp}:`)
  hmac.update(rawBody)
  return `v0=${hmac.digest('hex')}`
}

/** Checks the timestamp header alone (cheap, before the body is read). */
export function checkSlackTimestamp(header: string | undefined, nowMs: number): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing_timestamp' }
  if (!/^\d{1,12}$/.test(header)) return { ok: false, reason: 'bad_timestamp' }
  const timestamp = Number(header)
  const skew = Math.floor(nowMs / 1000) - timestamp
  if (skew > SLACK_TIMESTAMP_WINDOW_SECONDS) return { ok: false, reason: 'stale_timestamp' }
  if (skew < -SLACK_TIMESTAMP_WINDOW_SECONDS) return { ok: false, reason: 'future_timestamp' }
  return { ok: true, timestamp }
}

export function verifySlackRequest(args: {
  signingSecret: string
  timestampHeader: string | undefined
  signatureHeader: string | undefined
  rawBody: Buffer | string
  nowMs: number
}): SignatureCheck {
  const ts = checkSlackTimestamp(args.timestampHeader, args.nowMs)
  if (!ts.ok) return ts
  if (!args.signatureHeader) return { ok: false, reason: 'missing_signature' }
  const expected = Buffer.from(computeSlackSignature(args.signingSecret, args.timestampHeader!, args.rawBody), 'utf8')
  const given = Buffer.from(args.signatureHeader, 'utf8')
  // timingSafeEqual needs equal lengths; a length mismatch is a mismatch (and leaks only the length of a hex digest).
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' }
  return ts
}
