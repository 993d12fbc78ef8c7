// The pure diagnosis core: the error matrix as data, normalisation, classify(text) -> Diagnosis, platform detection
// and error fingerprints. No I/O, no SDK, no clock, no network.
export * from './types.js'
export type { ComboRule, ContextRule, MatchFn, PlatformRule, RegexRule, Rule, RuleCause, RuleExamples, SignalRule } from './rule-types.js'
export { RULES, PLATFORM_RULES } from './rules.js'
export { SYMPTOMS, CAUSES, type CauseInfo, type SymptomInfo } from './matrix.js'
export { normalise, toOriginalSpan, OffsetMap, type Normalised } from './normalise.js'
export { classify, detectPlatform, explain, pickPlatform, PASSIVE_THRESHOLD, EXPLICIT_THRESHOLD, type ClassifyOptions } from './classify.js'
export { fingerprint, fnv1a64, stripVolatile, errorFacts, type ErrorFacts } from './fingerprint.js'
