// The platform-neutral reply (DESIGN.md §4). Built from a Diagnosis by src/replies/build-reply.ts and rendered by
// the Markdown, Slack and Discord renderers. Pure data.
import type { CauseId, Platform, SymptomId, Verdict } from '../diagnosis/types.js'

/** The language of a command block; the renderers use it for code fences and labels. */
export type CommandLanguage = 'bash' | 'zsh' | 'powershell' | 'json' | 'yaml' | 'text'

export type CommandBlock = {
  /** short label shown above the block, e.g. "bash / zsh" or "PowerShell" */
  label: string
  language: CommandLanguage
  lines: string[]
}

export type ReplyStep = {
  /** short imperative title */
  title: string
  /** one or two sentences of why and what to expect */
  detail: string | null
  /** commands for the reply's platform (already chosen); empty when the step needs none */
  commands: CommandBlock[]
}

/** A credential-change event of the team that is relevant to the diagnosed cause. */
export type RelatedEvent = {
  kind: string
  subject: string | null
  occurredAt: Date
}

export type ReplyActionId = 'pick_platform' | 'fixed' | 'still_failing' | 'run_doctor' | 'share'

export type Reply = {
  cause: Verdict
  symptom: SymptomId | null
  confidence: number
  /** the platform the commands are for; null when unknown (the reply then shows the common variants) */
  platform: Platform | null
  title: string
  /** one line: what is wrong */
  verdict: string
  /** the evidence, quoted after redaction */
  why: { rule: string; quote: string }[]
  steps: ReplyStep[]
  /** what to try next when the steps did not help */
  ifStillFailing: string[]
  /** other likely causes, best first */
  alternatives: { cause: CauseId; title: string; confidence: number }[]
  /** a sentence about a recent, relevant credential change of the team, or null */
  eventNote: string | null
  /** e.g. "I hid 1 Anthropic API key from your paste." or null */
  redactionNote: string | null
  actions: ReplyActionId[]
}
