// The one place the doctor calls the shared redaction module (src/redaction): text from other programs and
// anything uploaded passes through here, so the report is masked with the same detectors as the bot.
import { redact, redactDeep } from '../redaction/index.js'
import type { RedactionRemark } from '../redaction/types.js'

/** text with every secret the detectors know replaced by `[kind]` */
export function scrub(text: string): string {
  return redact(text).text
}

/** a deep copy of `value` with every string redacted, and what was replaced */
export function scrubDeep<T>(value: T): { value: T; remarks: RedactionRemark[] } {
  const r = redactDeep(value)
  return { value: r.value as T, remarks: r.remarks }
}
