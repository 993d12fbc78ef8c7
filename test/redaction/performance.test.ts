// Linear time and a cheap prefilter: 1 MB of ordinary text is fast, and inputs built to make a backtracking regex
// explode (long runs of key characters, repeated prefixes, '@' storms, BEGIN lines without END) stay linear.
import { describe, expect, it } from 'vitest'
import { redact } from '../../src/redaction/index.js'

const MB = 1_000_000

/**
 * Best CPU time (user + system, in ms) over `runs`: CPU time rather than wall time, so a machine busy with other
 * work does not make a linear scan look slow (the shared CI host often runs many jobs at once).
 */
function bestMs(fn: () => void, runs = 3): number {
  let best = Infinity
  for (let i = 0; i < runs; i++) {
    const t = process.cpuUsage()
    fn()
    const d = process.cpuUsage(t)
    best = Math.min(best, (d.user + d.system) / 1000)
  }
  return best
}

const fill = (unit: string, size = MB) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size)

const PROSE =
  'Claude Code stopped working this morning. It said the request failed with status 401 and that authentication ' +
  'failed; I ran the login again, restarted the terminal and checked the proxy. Version 2.0.14 on macOS 14.5 with ' +
  'node v20.11.1, request id req_011CUkzR9kS8x3bqZ5mVvWqT, commit 3f2a9c1b. The session token expired? Docs at ' +
  'https://docs.anthropic.com/en/docs/claude-code were no help. Ping @here if you know.\n'

describe('redaction performance', () => {
  it('GIVEN 1 MB of ordinary text WHEN redacted THEN it runs well above 10 MB/s (target > 50 MB/s)', () => {
    const text = fill(PROSE)
    redact(text.slice(0, 10_000)) // warm up
    const ms = bestMs(() => redact(text), 5)
    const mbPerSecond = 1 / (ms / 1000)
    expect(mbPerSecond).toBeGreaterThan(10)
  })

  const adversarial: Record<string, string> = {
    'one long run of key characters': fill('a'),
    'repeated sk-ant- prefixes': fill('sk-ant-'),
    'repeated eyJ without dots': fill('eyJ'),
    'eyJ parts without a third': fill('eyJabcdef.'),
    'an @ storm': fill('@'),
    'a@a chains': fill('a@a'),
    'local parts without a domain': fill('aaaa.aaaa@'),
    'schemes without @': fill('a://'),
    'authorities with one @ at the end': fill('http://aaaa') + '@x',
    'Bearer repeated': fill('Bearer '),
    'password= repeated': fill('password='),
    'unclosed quotes after a name': fill('password="'),
    'token: repeated': fill('token: '),
    'BEGIN lines without END': fill('-----BEGIN PRIVATE KEY-----\n'),
    '/Users/ repeated': fill('/Users/'),
    'Windows user paths with spaces': fill('C:\\Users\\aaaa aaaa aaaa aaaa aaaa aaaa aaaa '),
    'Authorization: repeated': fill('Authorization: '),
    'x-api-key: repeated': fill('x-api-key: '),
    'AKIA repeated': fill('AKIA'),
    'session token prefixes': fill('IQoJb3JpZ2lu'),
    'base64 soup': fill('aaaa+/'),
    'quote soup': fill(`'"\`=:`),
  }
  for (const [name, text] of Object.entries(adversarial)) {
    it(`GIVEN 1 MB of ${name} WHEN redacted THEN it finishes in linear time (well under 2 s)`, () => {
      const ms = bestMs(() => redact(text), 1)
      expect(ms).toBeLessThan(2_000)
    })
  }
})
