// Negative security tests: no secret from the input ever appears in any rendered output, whatever the evidence
// covers (all of the secret, a piece of it, or none), and whichever renderer is used.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DETECTORS } from '../../src/redaction/index.js'
import { buildReply, renderDiscord, renderMarkdown, renderSlack } from '../../src/replies/index.js'
import type { Evidence } from '../../src/diagnosis/types.js'
import { embeddedSecret } from '../redaction/arbitraries.js'
import { INCIDENT, diag } from './helpers.js'

const NOW = new Date('2025-06-01T12:00:00Z')

function renderAll(text: string, evidence: Evidence[], subject: string | null = null): string {
  const reply = buildReply(diag('invalid_api_key', { evidence, alternatives: [{ cause: 'missing_api_key', confidence: 0.2 }] }), {
    text,
    platform: null,
    now: NOW,
    events: subject === null ? [] : [{ kind: 'key_rotated', subject, occurredAt: new Date(NOW.getTime() - 3_600_000) }],
  })
  return [
    renderMarkdown(reply),
    JSON.stringify(renderSlack(reply, { incidentId: INCIDENT, shareable: true })),
    JSON.stringify(renderDiscord(reply, { incidentId: INCIDENT, shareable: true })),
    JSON.stringify(reply),
  ].join('\n')
}

/** the secret itself and any 12-character piece from its middle must be absent */
function expectAbsent(output: string, secret: string, label: string) {
  const plainOut = output.replace(/\\\\/g, '\\').replace(/\\"/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
  expect(plainOut.includes(secret), `${label}: whole secret leaked`).toBe(false)
  if (secret.length >= 24) {
    const mid = Math.floor(secret.length / 2) - 6
    expect(plainOut.includes(secret.slice(mid, mid + 12)), `${label}: part of the secret leaked`).toBe(false)
  }
}

function evidenceVariants(text: string, secret: string): Evidence[][] {
  const at = text.indexOf(secret)
  const half = at + Math.floor(secret.length / 2)
  const piece = (s: number, e: number, rule: string): Evidence => ({ rule, text: text.slice(s, e), start: s, end: e })
  return [
    [piece(at, at + secret.length, 'exact')],
    [piece(half, Math.min(text.length, half + 10), 'inside')],
    [piece(Math.max(0, at - 5), half, 'straddling-start')],
    [piece(half, text.length, 'straddling-end')],
    [piece(0, text.length, 'everything')],
    [{ rule: 'stale-offsets', text: secret, start: 0, end: 1 }],
  ]
}

describe('no secret from the input reaches any output', () => {
  const secrets = DETECTORS.filter((d) => d.secret).flatMap((d) => d.truePositives.map((tp, i) => ({ label: `${d.id} #${i + 1}`, ...tp })))
  for (const s of secrets) {
    it(`GIVEN a paste with ${s.label} WHEN replying with evidence on, in or around it THEN no renderer shows it`, () => {
      const text = `Claude Code failed:\nAPI Error: 401 invalid x-api-key\n${s.text}\nPlease run /login`
      for (const evidence of evidenceVariants(text, s.secret)) expectAbsent(renderAll(text, evidence), s.secret, `${s.label} / ${evidence[0]!.rule}`)
    })
  }

  it('GIVEN an event subject holding a secret WHEN the event note is rendered THEN the secret is hidden', () => {
    const key = 'sk-ant-api03-SuBjEcTsEcReT0123456789abcdefghij'
    expectAbsent(renderAll('Invalid API key', [], `rotated ${key}`), key.slice(13), 'subject')
  })

  it('GIVEN any generated secret in random text and random evidence ranges WHEN rendered THEN neither the secret nor a middle piece appears', () => {
    fc.assert(
      fc.property(embeddedSecret, fc.nat(), fc.nat(), ({ sample, text }, a, b) => {
        const full = `Error: authentication failed\n${text}\nend`
        const start = a % full.length
        const end = start + (b % (full.length - start + 1))
        const evidence: Evidence[] = [{ rule: 'random', text: full.slice(start, end), start, end }]
        expectAbsent(renderAll(full, evidence), sample.body, sample.shape)
      }),
      { numRuns: 150 },
    )
  })
})
