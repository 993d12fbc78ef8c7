// Every detector proves itself with the examples beside it (gitleaks style), and the engine keeps what is not a
// secret exactly as it was.
import { describe, expect, it } from 'vitest'
import {
  DETECTORS,
  KNOWN_KINDS,
  containsSecret,
  describeKind,
  describeRemarks,
  redact,
} from '../../src/redaction/index.js'

describe('detectors', () => {
  it('GIVEN the detector list WHEN inspected THEN ids are unique and each has true- and false-positive examples', () => {
    const ids = DETECTORS.map((d) => d.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const d of DETECTORS) {
      expect(d.truePositives.length, d.id).toBeGreaterThan(0)
      expect(d.falsePositives.length, d.id).toBeGreaterThan(0)
      expect(d.keywords.length, d.id).toBeGreaterThan(0)
      for (const k of d.keywords) expect(k, d.id).toBe(k.toLowerCase())
    }
  })

  it('GIVEN every remark kind a detector can produce WHEN described THEN it has a human label', () => {
    const kinds = new Set<string>()
    for (const d of DETECTORS) {
      kinds.add(d.kind)
      for (const tp of d.truePositives) for (const r of redact(tp.text).remarks) kinds.add(r.kind)
    }
    for (const k of kinds) expect(KNOWN_KINDS, k).toContain(k)
  })

  for (const d of DETECTORS) {
    describe(d.id, () => {
      for (const [i, tp] of d.truePositives.entries()) {
        it(`GIVEN true positive #${i + 1} WHEN redacted THEN the ${d.secret ? 'secret' : 'personal data'} is gone and a placeholder names it`, () => {
          expect(d.find(tp.text).length).toBeGreaterThan(0)
          const r = redact(tp.text)
          expect(r.text).not.toContain(tp.secret)
          expect(r.text).toMatch(/\[[a-z0-9-]+\]/)
          expect(r.remarks.reduce((n, x) => n + x.count, 0)).toBeGreaterThan(0)
          if (d.secret) {
            expect(containsSecret(tp.text)).toBe(true)
            expect(containsSecret(r.text)).toBe(false)
          }
        })
      }
      for (const [i, fp] of d.falsePositives.entries()) {
        it(`GIVEN false positive #${i + 1} (${JSON.stringify(fp.slice(0, 40))}) WHEN redacted THEN nothing changes`, () => {
          expect(d.find(fp)).toEqual([])
          expect(redact(fp)).toEqual({ text: fp, remarks: [] })
        })
      }
    })
  }
})

describe('things that look close to secrets but are not', () => {
  const harmless = [
    'sk-ant',
    'Keys look like sk-ant-api03-... and are shown once in the Console.',
    'commit 3f2a9c1b7d8e4f5a6b7c8d9e0f1a2b3c4d5e6f7a',
    'fixed in a1b2c3d',
    'trace 123e4567-e89b-12d3-a456-426614174000',
    '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CUkzR9kS8x3bqZ5mVvWqT"}',
    'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"OAuth token has expired. Please obtain a new token or refresh your existing token."}}',
    'Claude Code v2.0.14, node v20.11.1, npm 10.2.4, macOS 14.5 (23F79)',
    'Invalid API key · Please run /login',
    'Invalid bearer token',
    'Error: Could not resolve authentication method. Expected either apiKey or authToken to be set.',
    'curl https://api.anthropic.com/v1/messages -H "x-api-key: $ANTHROPIC_API_KEY" -H "anthropic-version: 2023-06-01"',
    'echo $env:ANTHROPIC_API_KEY',
    'export ANTHROPIC_API_KEY="your-key"',
    '[System.Environment]::SetEnvironmentVariable("ANTHROPIC_API_KEY", "your-key", "User")',
    'grep ANTHROPIC_API_KEY ~/.bashrc ~/.zshrc ~/.profile',
    'rm ~/.claude/.credentials.json',
    'npm uninstall -g @anthropic-ai/claude-code',
    'export HTTPS_PROXY=http://proxy:8080',
    'The security token included in the request is invalid.',
    'Error: unable to get local issuer certificate (SELF_SIGNED_CERT_IN_CHAIN)',
    'max_tokens: 1024, input_tokens: 50123',
    'Your credit balance is too low to access the Anthropic API.',
    'Token validation failed',
    'password reset required; ask your admin',
    'at Object.<anonymous> (/opt/app/node_modules/@anthropic-ai/claude-code/cli.js:12:34)',
    '"apiKeyHelper": "~/.claude/get-key.sh"',
    'ghp_ tokens and xoxb- tokens are GitHub and Slack formats',
    'x-request-id: 7f3e2a1c-0b9d-4e8f-a6c5-3d2b1e0f9a8c',
    'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  ]
  for (const text of harmless) {
    it(`GIVEN ${JSON.stringify(text.slice(0, 50))} WHEN redacted THEN it is unchanged and holds no secret`, () => {
      expect(redact(text)).toEqual({ text, remarks: [] })
      expect(containsSecret(text)).toBe(false)
    })
  }
})

describe('redact', () => {
  it('GIVEN a paste with several secrets and personal data WHEN redacted THEN each kind is counted once per occurrence', () => {
    const key = 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKl'
    const text = [
      `ANTHROPIC_API_KEY=${key}`,
      `again: ${key}`,
      'HTTPS_PROXY=http://alice:Pr0xyPass!@proxy.corp:8080',
      'Logged in as alice@example.com',
      'open /Users/alice/.claude/.credentials.json',
    ].join('\n')
    const r = redact(text)
    expect(r.text).not.toContain(key)
    expect(r.text).not.toContain('Pr0xyPass')
    expect(r.text).not.toContain('alice')
    expect(r.text).toContain('http://[url-credentials]@proxy.corp:8080')
    expect(r.text).toContain('/Users/[user]/.claude/.credentials.json')
    expect(r.remarks).toEqual([
      { kind: 'anthropic-api-key', count: 2 },
      { kind: 'url-credentials', count: 1 },
      { kind: 'email', count: 1 },
      { kind: 'user', count: 1 },
    ])
  })

  it('GIVEN an empty string WHEN redacted THEN nothing is reported', () => {
    expect(redact('')).toEqual({ text: '', remarks: [] })
  })

  it('GIVEN only personal data WHEN checked THEN containsSecret is false (emails and user names do not block uploads)', () => {
    expect(containsSecret('bob@example.com /home/bob/.claude')).toBe(false)
    expect(redact('bob@example.com /home/bob/.claude').text).toBe('[email] /home/[user]/.claude')
  })
})

describe('describeRemarks', () => {
  it('GIVEN remarks WHEN described THEN secrets come first with singular and plural labels', () => {
    expect(describeRemarks([])).toBe('')
    expect(describeRemarks([{ kind: 'anthropic-api-key', count: 1 }])).toBe('1 Anthropic API key')
    expect(
      describeRemarks([
        { kind: 'email', count: 2 },
        { kind: 'anthropic-api-key', count: 1 },
        { kind: 'password', count: 3 },
      ]),
    ).toBe('1 Anthropic API key, 3 passwords and 2 email addresses')
    expect(describeKind('mystery-thing', 2)).toBe('2 mystery thing values')
  })
})
