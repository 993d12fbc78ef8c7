// The redaction contract (see DESIGN.md §4, §6 Sentry Relay): every redaction leaves a remark.

/** What a placeholder stands for; the placeholder itself is `[<kind>]`, e.g. `[anthropic-api-key]`. */
export type RedactionRemark = { kind: string; count: number }

export type RedactionResult = {
  text: string
  remarks: RedactionRemark[]
}

/** One replacement a detector wants to make, in the text it was given (UTF-16 offsets, end exclusive). */
export type DetectorMatch = {
  start: number
  end: number
  /** what replaces text[start, end): usually `[<kind>]`, sometimes with a kept prefix such as `Bearer ` */
  replacement: string
  /** the remark kind counted for this match */
  kind: string
}

/** A true-positive example: `secret` is the part of `text` that must never survive redaction. */
export type DetectorExample = { text: string; secret: string }

/**
 * One detector per kind of secret or personal data (gitleaks style): a cheap keyword prefilter, a linear-time
 * finder, and the examples that prove what it does and does not catch.
 */
export type Detector = {
  id: string
  /** the main remark kind; placeholders are `[<kind>]` */
  kind: string
  /** true for credentials (containsSecret fires on them); false for personal data (emails, user names) */
  secret: boolean
  description: string
  /** lower-case strings; the detector only runs when the lower-cased text contains at least one */
  keywords: readonly string[]
  /** non-overlapping matches in ascending order */
  find(text: string): DetectorMatch[]
  truePositives: readonly DetectorExample[]
  falsePositives: readonly string[]
}
