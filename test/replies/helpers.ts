// Shared fixtures for the reply tests.
import { NOT_AUTH_KINDS, PLATFORMS, VERDICTS, type Diagnosis, type NotAuthKind, type Platform, type Verdict } from '../../src/diagnosis/types.js'
import { buildReply } from '../../src/replies/index.js'
import type { Reply } from '../../src/replies/types.js'

export const INCIDENT = '123e4567-e89b-12d3-a456-426614174000'

export function diag(cause: Verdict, over: Partial<Diagnosis> = {}): Diagnosis {
  return {
    cause,
    symptom: null,
    confidence: 0.85,
    evidence: [],
    alternatives: [],
    platform: null,
    notAuthKind: cause === 'not_auth' ? 'other' : null,
    fingerprint: cause === 'none' ? null : 'fp',
    ...over,
  }
}

/** evidence for `needle` at its first position in `text` */
export function ev(text: string, needle: string, rule = 'test-rule') {
  const start = text.indexOf(needle)
  if (start < 0) throw new Error(`needle not in text: ${needle}`)
  return { rule, text: needle, start, end: start + needle.length }
}

export type Case = { name: string; diagnosis: Diagnosis; platform: Platform | null }

/** every verdict (each NotAuthKind for not_auth) on every platform and on none */
export function allCases(): Case[] {
  const out: Case[] = []
  for (const v of VERDICTS) {
    const kinds: (NotAuthKind | null)[] = v === 'not_auth' ? [...NOT_AUTH_KINDS] : [null]
    for (const k of kinds) {
      for (const p of [null, ...PLATFORMS]) {
        out.push({ name: `${v}${k ? `/${k}` : ''} on ${p ?? 'unknown platform'}`, diagnosis: diag(v, { notAuthKind: k }), platform: p })
      }
    }
  }
  return out
}

export function allReplies(): { name: string; reply: Reply }[] {
  return allCases().map((c) => ({ name: c.name, reply: buildReply(c.diagnosis, { text: '', platform: c.platform }) }))
}

/** ``` fences must pair up in every piece of rendered text */
export function fencesBalanced(text: string): boolean {
  return ((text.match(/```/g) ?? []).length) % 2 === 0
}
