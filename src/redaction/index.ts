// Redaction: secrets and personal data out of pasted text before it is quoted, stored, logged or uploaded.
//
//   redact(text, detectors?)   -> { text, remarks }   typed placeholders ([anthropic-api-key], [email], [user]...)
//   containsSecret(text)       -> boolean             a credential detector still fires (refuse uploads)
//   findSpans(text)            -> DetectorMatch[]     what would be hidden, in the original offsets
//   redactExcerpt(text, start, end, spans?) -> { text, remarks }  a slice, hiding secrets that straddle its edges
//   redactDeep(value)          -> { value, remarks }  every string of a JSON-like value, keys included
//   describeRemarks(remarks)   -> "1 Anthropic API key and 2 email addresses"
//   describeKind(kind, count), isSecretKind(kind), sensitiveKeyKind(key), mergeRemarks(...lists)
//   DETECTORS                  the ordered detectors, each with true- and false-positive examples
export { redact, containsSecret, mergeRemarks, findSpans, redactExcerpt } from './redact.js'
export { redactDeep, sensitiveKeyKind } from './deep.js'
export { describeKind, describeRemarks, isSecretKind, KNOWN_KINDS, PERSONAL_KINDS } from './kinds.js'
export { DETECTORS } from './detectors/index.js'
export type { Detector, DetectorExample, DetectorMatch, RedactionRemark, RedactionResult } from './types.js'
