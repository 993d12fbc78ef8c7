// Our replies use the troubleshooting article's facts and commands, never its sentences. A handful of its most
// distinctive sentences must not appear in any rendered reply, nor any run of 7 of their words.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { PLATFORMS } from '../../src/diagnosis/types.js'
import {
  checklistReply,
  doctorReply,
  helpReply,
  renderDiscord,
  renderInfoDiscord,
  renderInfoMarkdown,
  renderInfoSlack,
  renderMarkdown,
  renderSlack,
} from '../../src/replies/index.js'
import { allReplies } from './helpers.js'

const SEED_SENTENCES = [
  'The fastest fix is to run claude auth logout followed by claude auth login, then verify your API key and environment variable configuration.',
  'Authentication is the process Claude Code uses to verify your identity before allowing access to Anthropic services.',
  'OAuth login sessions can expire or become invalid after long inactivity periods, password changes, session revocation, or token refresh failures.',
  'API keys may stop working because the key was deleted, rotated, copied incorrectly, or hidden characters were introduced during paste operations.',
  'Many developers assume their API key is available everywhere.',
  'In reality, one terminal may have the variable while another does not.',
  'VS Code may not inherit shell variables, and Docker containers start with clean environments.',
  'If these files become corrupted due to interrupted writes, system crashes, file permission issues, or manual edits, authentication may fail even though your account is valid.',
  'Corporate networks often block authentication requests through firewalls, VPNs, proxy servers, or TLS inspection systems.',
  'Having old npm installations alongside new official installations, or multiple versions in PATH, can create conflicts between authentication systems.',
  'In these cases, local troubleshooting alone will not fix the problem.',
  'Understanding the difference between these errors dramatically reduces troubleshooting time.',
  'Hidden characters frequently break otherwise valid keys.',
  'If login works after disabling VPN, add Anthropic endpoints to your allowlist or configure split tunneling.',
  'Browser callbacks don\'t always work inside remote environments.',
  'Run claude auth login, then open the displayed URL in a local browser, copy the authorization code, and paste it into the terminal.',
  'After generating a new key, old keys stop working. Always verify which key is currently active.',
  'Credential files should never be edited by hand. Incorrect formatting can break authentication.',
  'Always verify network restrictions before assuming credentials are invalid.',
]

const words = (s: string) => s.toLowerCase().replace(/[^a-z0-9/.$_-]+/g, ' ').trim().split(/\s+/).filter(Boolean)
const SHINGLE = 7

function shingles(s: string): Set<string> {
  const w = words(s)
  const out = new Set<string>()
  for (let i = 0; i + SHINGLE <= w.length; i++) out.add(w.slice(i, i + SHINGLE).join(' '))
  return out
}

function seedProse(): string[] {
  const dir = path.resolve(import.meta.dirname, '../../../shared/seed')
  const fromFile = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.txt'))
        .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n'))
        // prose only: commands and short headings are facts we are meant to reuse
        .filter((l) => l.split(' ').length >= 9 && !/^(claude|curl|echo|export|grep|rm |npm|irm|docker|\{|\[System)/.test(l.trim()))
    : []
  return [...SEED_SENTENCES, ...fromFile]
}

function everyRenderedText(): string[] {
  const out: string[] = []
  for (const { reply } of allReplies()) {
    out.push(renderMarkdown(reply), JSON.stringify(renderSlack(reply, { incidentId: null, shareable: true })), JSON.stringify(renderDiscord(reply, { incidentId: null })))
  }
  const infos = [
    helpReply({ admin: true }),
    helpReply({ chat: 'slack' }),
    helpReply({ chat: 'discord' }),
    ...[null, ...PLATFORMS].map((p) => checklistReply(p)),
    doctorReply({ code: 'ABCD-1234', expiresAt: new Date(0), publicUrl: 'https://bot.example.com', platform: null }),
  ]
  for (const i of infos) out.push(renderInfoMarkdown(i), JSON.stringify(renderInfoSlack(i)), JSON.stringify(renderInfoDiscord(i)))
  return out
}

describe('wording', () => {
  const rendered = everyRenderedText()
  const normalised = rendered.map((t) => words(t.replace(/\\n/g, ' ')).join(' '))

  it('GIVEN distinctive sentences of the article WHEN searching every rendered reply THEN none of them appears', () => {
    for (const sentence of SEED_SENTENCES) {
      const needle = words(sentence).join(' ')
      for (const text of normalised) expect(text.includes(needle), sentence).toBe(false)
    }
  })

  it(`GIVEN the article's prose WHEN comparing runs of ${SHINGLE} words with every rendered reply THEN none is shared`, () => {
    const seed = new Set(seedProse().flatMap((s) => [...shingles(s)]))
    const hits = new Set<string>()
    for (const text of normalised) {
      const w = text.split(' ')
      for (let i = 0; i + SHINGLE <= w.length; i++) {
        const sh = w.slice(i, i + SHINGLE).join(' ')
        if (seed.has(sh)) hits.add(sh)
      }
    }
    expect([...hits]).toEqual([])
  })

  it('GIVEN a copied sentence WHEN checked THEN the shingle check would catch it (the test can fail)', () => {
    const seed = new Set(SEED_SENTENCES.flatMap((s) => [...shingles(s)]))
    const copied = words(`Note: ${SEED_SENTENCES[2]}`).join(' ').split(' ')
    let found = false
    for (let i = 0; i + SHINGLE <= copied.length; i++) if (seed.has(copied.slice(i, i + SHINGLE).join(' '))) found = true
    expect(found).toBe(true)
  })
})
