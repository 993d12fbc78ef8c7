// Shapes of the error matrix's rules (data only). See rules.ts for the rules themselves.
import type { CauseId, NotAuthKind, Platform, SymptomId } from './types.js'

/** the verdicts a rule can vote for ('none' is what is left when nothing votes) */
export type RuleCause = CauseId | 'not_auth'

/** Examples written beside each rule: positives must make it fire, negatives must not. */
export type RuleExamples = { positive: string[]; negative: string[] }

/** a matcher that is not a regex: gets a window of lower-cased normalised text, returns [start, end) in it or null */
export type MatchFn = (window: string) => [number, number] | null

type RegexRuleBase = {
  id: string
  /** the mechanism this rule recognises, in a few words */
  about: string
  /** lower-case literals; the rule only runs where one of them occurs (and the scan finds them all in one pass) */
  anchors: string[]
  /** run on the lower-cased normalised text, in windows around the anchors; must not backtrack badly */
  pattern: RegExp | MatchFn
  /** how far (normalised characters) before and after an anchor the window reaches; default [200, 300] */
  window?: [number, number]
  /** context tags this rule sets when it matches (used by combo rules) */
  tags?: string[]
  examples: RuleExamples
}

/** evidence for a cause (or for a kind of non-auth error) */
export type SignalRule = RegexRuleBase & {
  kind: 'signal'
  cause: RuleCause
  /** 0..1: how strongly a match alone points at the cause */
  weight: number
  symptom?: SymptomId
  notAuthKind?: NotAuthKind
  /** weaker votes for other causes the same text is also compatible with */
  alt?: Partial<Record<RuleCause, number>>
  /** when one of these tags is present the weight is damped (e.g. an OAuth callback failure of an MCP server) */
  suppressedBy?: string[]
  /**
   * a generic clue (HTTP status, error.type, "authentication failed"): it is explained away, i.e. damped, when a
   * specific message for another cause is present (a 401 next to "OAuth token has expired" is that expiry's 401)
   */
  generic?: boolean
}

/** sets tags only (where the text runs, what it talks about); votes for nothing by itself */
export type ContextRule = RegexRuleBase & { kind: 'context'; tags: string[] }

/** a conjunction of tags found anywhere in the text (e.g. "VS Code extension" + "not logged in") */
export type ComboRule = {
  kind: 'combo'
  id: string
  about: string
  cause: RuleCause
  weight: number
  symptom?: SymptomId
  notAuthKind?: NotAuthKind
  /** every one of these tags must be present */
  allTags: string[]
  /** and at least `minAny` (default 1) of these, when given */
  anyTags?: string[]
  minAny?: number
  suppressedBy?: string[]
  /** whole texts: positives must make the combo fire, negatives must not */
  examples: RuleExamples
}

export type Rule = SignalRule | ContextRule | ComboRule
export type RegexRule = SignalRule | ContextRule

/** a clue to where the person runs Claude Code */
export type PlatformRule = {
  id: string
  platform: Platform
  weight: number
  anchors: string[]
  pattern: RegExp
  examples: RuleExamples
}
