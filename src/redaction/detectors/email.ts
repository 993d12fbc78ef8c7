// Email addresses (personal data, not a secret). Anchored on '@' and scanned by hand with bounded windows, so long
// runs of address characters never cost more than linear time.
import type { Detector, DetectorMatch } from '../types.js'
import { placeholder } from '../util.js'

const LOCAL = /[A-Za-z0-9._%+-]/
const DOMAIN = /[A-Za-z0-9.-]/
const NOT_PEOPLE = new Set(['git', 'noreply', 'no-reply'])

function find(text: string): DetectorMatch[] {
  const out: DetectorMatch[] = []
  let at = text.indexOf('@')
  let lastEnd = 0
  while (at >= 0) {
    let s = at
    while (s > lastEnd && at - s < 64 && LOCAL.test(text[s - 1]!)) s--
    while (s < at && text[s] === '.') s++
    let e = at + 1
    const limit = Math.min(text.length, at + 256)
    while (e < limit && DOMAIN.test(text[e]!)) e++
    while (e > at + 1 && (text[e - 1] === '.' || text[e - 1] === '-')) e--
    const local = text.slice(s, at)
    const domain = text.slice(at + 1, e)
    const tld = domain.slice(domain.lastIndexOf('.') + 1)
    if (local && domain.includes('.') && /^[A-Za-z]{2,24}$/.test(tld) && !domain.startsWith('.') && !domain.includes('..') && !NOT_PEOPLE.has(local.toLowerCase())) {
      out.push({ start: s, end: e, kind: 'email', replacement: placeholder('email') })
      lastEnd = e
      at = text.indexOf('@', e)
    } else {
      at = text.indexOf('@', at + 1)
    }
  }
  return out
}

export const email: Detector = {
  id: 'email',
  kind: 'email',
  secret: false,
  description: 'email address',
  keywords: ['@'],
  find,
  truePositives: [
    { text: 'Logged in as alice.smith+claude@example.co.uk (Pro)', secret: 'alice.smith+claude' },
    { text: '"email":"bob@corp.example"', secret: 'bob@corp.example' },
  ],
  falsePositives: [
    'npm i -g @anthropic-ai/claude-code@2.0.14',
    'git@github.com:org/repo.git',
    'ping @here about node@20.x',
    'user@localhost',
    'x@1.2.3',
  ],
}
