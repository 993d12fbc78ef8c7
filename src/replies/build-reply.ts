// Diagnosis -> Reply: the platform-neutral answer (title, verdict, quoted and redacted evidence, numbered steps
// with commands for the platform, a note about a relevant team event, a note about what was hidden, actions).
import type { Diagnosis, Evidence, Platform } from '../diagnosis/types.js'
import { describeRemarks, findSpans, isSecretKind, redact, redactExcerpt, type DetectorMatch } from '../redaction/index.js'
import { resolveCommands } from './commands.js'
import { eventNoteFor } from './correlation.js'
import { causeTitle, playbookFor, type PlaybookStep } from './playbook.js'
import type { RelatedEvent, Reply, ReplyActionId, ReplyStep } from './types.js'

export type BuildReplyInput = {
  /** the text that was diagnosed (never quoted without redaction) */
  text: string
  /** overrides diagnosis.platform; null shows the common variants (bash/zsh and PowerShell) */
  platform?: Platform | null
  /** the team's recent credential-change events, for the event note */
  events?: RelatedEvent[]
  /** the clock, for "2 hours ago"; without it the note gives the date */
  now?: Date
}

/** Longest quote of evidence in "why I think so". */
export const MAX_QUOTE_CHARS = 300
const MAX_QUOTES = 5
const MAX_ALTERNATIVES = 3
const COMMON: readonly Platform[] = ['macos', 'linux', 'windows']

/** Shortens to `max` characters on a word boundary where one is near, with an ellipsis. */
export function trimQuote(text: string, max = MAX_QUOTE_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max - 1)
  const space = cut.lastIndexOf(' ')
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`
}

const isSpace = (ch: string | undefined) => ch === undefined || /\s/.test(ch)
const TOKEN_REACH = 4096

/**
 * The evidence, widened to whole whitespace-separated tokens of the original text and then redacted. Widening first
 * matters: evidence that starts or ends inside a key would otherwise leave a fragment no detector recognises.
 */
export function quoteEvidence(text: string, e: Evidence, spans: readonly DetectorMatch[] = findSpans(text)): string {
  let { start, end } = e
  if (text.slice(start, end) !== e.text) {
    const at = e.text ? text.indexOf(e.text) : -1
    if (at < 0) return trimQuote(redact(e.text).text)
    start = at
    end = at + e.text.length
  }
  let s = start
  while (s > 0 && start - s < TOKEN_REACH && !isSpace(text[s - 1])) s--
  let t = end
  while (t < text.length && t - end < TOKEN_REACH && !isSpace(text[t])) t++
  // secrets found in the whole text are hidden even where the excerpt holds only a piece of them
  return trimQuote(redactExcerpt(text, s, t, spans).text)
}

function stepApplies(step: PlaybookStep, platform: Platform | null): boolean {
  if (!step.only) return true
  return platform ? step.only.includes(platform) : step.only.some((p) => COMMON.includes(p))
}

export function redactionNoteFor(text: string): string | null {
  const { remarks } = redact(text)
  if (!remarks.length) return null
  const hidden = describeRemarks(remarks)
  const secrets = remarks.some((r) => isSecretKind(r.kind))
  return secrets
    ? `I hid ${hidden} from your paste. Anything posted in a channel can be read by others: treat those credentials as exposed, revoke them and create new ones.`
    : `I hid ${hidden} from your paste.`
}

function actionsFor(diagnosis: Diagnosis, steps: ReplyStep[]): ReplyActionId[] {
  if (diagnosis.cause === 'none') return []
  const hasCommands = steps.some((s) => s.commands.length > 0)
  if (diagnosis.cause === 'not_auth') return [...(hasCommands ? (['pick_platform'] as const) : []), 'fixed', 'still_failing', 'share']
  return ['pick_platform', 'fixed', 'still_failing', 'run_doctor', 'share']
}

export function buildReply(diagnosis: Diagnosis, input: BuildReplyInput): Reply {
  const platform = input.platform !== undefined ? input.platform : diagnosis.platform
  const entry = playbookFor(diagnosis.cause, diagnosis.notAuthKind)

  const steps: ReplyStep[] = entry.steps
    .filter((s) => stepApplies(s, platform))
    .map((s) => ({ title: s.title, detail: s.detail, commands: resolveCommands(s.commands, platform) }))

  const seen = new Set<string>()
  const why: Reply['why'] = []
  const spans = diagnosis.evidence.length ? findSpans(input.text) : []
  for (const e of diagnosis.evidence) {
    if (why.length >= MAX_QUOTES) break
    const quote = quoteEvidence(input.text, e, spans)
    if (!quote || seen.has(quote)) continue
    seen.add(quote)
    // one quote inside another says nothing new: keep the longer one
    const bare = quote.replace(/…$/, '')
    if (why.some((w) => w.quote.replace(/…$/, '').includes(bare))) continue
    const wider = why.findIndex((w) => bare.includes(w.quote.replace(/…$/, '')))
    if (wider >= 0) why[wider] = { rule: e.rule, quote }
    else why.push({ rule: e.rule, quote })
  }

  const alternatives = diagnosis.alternatives
    .filter((a) => a.cause !== diagnosis.cause)
    .slice(0, MAX_ALTERNATIVES)
    .map((a) => ({ cause: a.cause, title: causeTitle(a.cause), confidence: a.confidence }))

  return {
    cause: diagnosis.cause,
    symptom: diagnosis.symptom,
    confidence: diagnosis.confidence,
    platform,
    title: entry.title,
    verdict: entry.summary,
    why,
    steps,
    ifStillFailing: [...entry.ifStillFailing],
    alternatives,
    eventNote: eventNoteFor(diagnosis.cause, input.events, input.now),
    redactionNote: redactionNoteFor(input.text),
    actions: actionsFor(diagnosis, steps),
  }
}
