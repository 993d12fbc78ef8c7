// The redaction contract (see DESIGN.md §4, §6 Sentry Relay): every redaction leaves a remark.

/** What a placeholder stands for; the placeholder itself is `[<kind>]`, e.g. `[anthropic-api-key]`. */
export type RedactionRemark = { kind: string; count: number }

export type RedactionResult = {
  text: string
  remarks: RedactionRemark[]
}
