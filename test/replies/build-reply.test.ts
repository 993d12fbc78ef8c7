import { describe, expect, it } from 'vitest'
import { buildReply, MAX_QUOTE_CHARS, quoteEvidence, trimQuote } from '../../src/replies/index.js'
import { diag, ev } from './helpers.js'

const KEY = 'sk-ant-api03-Zq9XwV8uT7sR6qP5oN4mL3kJ2iH1gF0eD9cB8aZ7yX6wV5uT4sR3qP2'

describe('buildReply', () => {
  it('GIVEN a diagnosis for macOS WHEN the input names Windows THEN the commands are for Windows', () => {
    const r = buildReply(diag('invalid_api_key', { platform: 'macos' }), { text: '', platform: 'windows' })
    expect(r.platform).toBe('windows')
    const labels = r.steps.flatMap((s) => s.commands.map((c) => c.label))
    expect(labels).toContain('PowerShell')
    expect(labels.some((l) => /bash|zsh/.test(l))).toBe(false)
  })

  it('GIVEN no platform in the input WHEN building THEN the diagnosed platform is used', () => {
    const r = buildReply(diag('invalid_api_key', { platform: 'macos' }), { text: '' })
    expect(r.platform).toBe('macos')
    const saveKey = r.steps.find((s) => s.title.startsWith('Store the key'))!
    expect(saveKey.commands[0]!.lines.join('\n')).toContain('~/.zshrc') // zsh first on macOS
  })

  it('GIVEN platform null WHEN building THEN the common variants (bash/zsh and PowerShell) are shown', () => {
    const r = buildReply(diag('invalid_api_key', { platform: 'linux' }), { text: '', platform: null })
    expect(r.platform).toBeNull()
    const show = r.steps[0]!
    expect(show.commands.map((c) => c.label)).toEqual(['bash / zsh', 'PowerShell'])
  })

  it('GIVEN steps only for some platforms WHEN the platform is Windows THEN Keychain and WSL-only steps are left out', () => {
    const win = buildReply(diag('remote_login'), { text: '', platform: 'windows' })
    expect(win.steps.map((s) => s.title).join('|')).not.toMatch(/Keychain|WSL2 open/)
    const wsl = buildReply(diag('remote_login'), { text: '', platform: 'wsl' })
    expect(wsl.steps.map((s) => s.title).join('|')).toMatch(/WSL2 open/)
  })

  it('GIVEN evidence around a key WHEN quoted THEN the quote is redacted, even when the evidence starts inside the key', () => {
    const text = `Error: 401 invalid x-api-key ${KEY} rejected`
    const mid = text.indexOf(KEY) + 20
    const d = diag('invalid_api_key', {
      evidence: [ev(text, 'invalid x-api-key'), { rule: 'partial', text: text.slice(mid, mid + 25), start: mid, end: mid + 25 }, ev(text, KEY)],
    })
    const r = buildReply(d, { text })
    expect(r.why.length).toBeGreaterThan(0)
    for (const w of r.why) expect(w.quote).not.toContain(KEY.slice(20, 40))
    expect(r.why.map((w) => w.quote)).toContain('[anthropic-api-key]')
  })

  it('GIVEN very long or repeated evidence WHEN quoted THEN each quote is at most 300 characters, duplicates are dropped, at most 5 kept', () => {
    const line = 'Authentication failed '.repeat(200)
    const text = Array.from({ length: 10 }, (_, i) => `#${i % 3}${line}`).join('\n')
    const evidence = Array.from({ length: 10 }, (_, i) => {
      const start = i * (line.length + 3)
      return { rule: `r${i}`, text: text.slice(start, start + line.length + 2), start, end: start + line.length + 2 }
    })
    const r = buildReply(diag('expired_session', { evidence }), { text })
    expect(r.why.length).toBe(3)
    for (const w of r.why) expect(w.quote.length).toBeLessThanOrEqual(MAX_QUOTE_CHARS)
    expect(trimQuote('a '.repeat(400)).endsWith('…')).toBe(true)
  })

  it('GIVEN evidence whose offsets do not match the text WHEN quoted THEN the text is found by content, or the evidence itself is redacted', () => {
    const text = 'prefix OAuth token has expired suffix'
    expect(quoteEvidence(text, { rule: 'r', text: 'OAuth token has expired', start: 0, end: 5 })).toBe('OAuth token has expired')
    expect(quoteEvidence(text, { rule: 'r', text: `missing ${KEY}`, start: 0, end: 5 })).toBe('missing [anthropic-api-key]')
  })

  it('GIVEN a paste with a key WHEN building THEN the redaction note counts it without echoing it', () => {
    const r = buildReply(diag('invalid_api_key'), { text: `ANTHROPIC_API_KEY=${KEY}\nmail: a@example.com` })
    expect(r.redactionNote).toMatch(/^I hid 1 Anthropic API key and 1 email address from your paste\./)
    expect(r.redactionNote).toMatch(/revoke/)
    expect(r.redactionNote).not.toContain(KEY.slice(14))
    expect(buildReply(diag('invalid_api_key'), { text: 'Invalid API key' }).redactionNote).toBeNull()
    expect(buildReply(diag('invalid_api_key'), { text: 'path /home/bob/x' }).redactionNote).toBe('I hid 1 user name from your paste.')
  })

  it('GIVEN each kind of verdict WHEN building THEN the actions fit it', () => {
    expect(buildReply(diag('expired_session'), { text: '' }).actions).toEqual(['pick_platform', 'fixed', 'still_failing', 'run_doctor', 'share'])
    expect(buildReply(diag('none'), { text: '' }).actions).toEqual([])
    const overloaded = buildReply(diag('not_auth', { notAuthKind: 'overloaded' }), { text: '' }).actions
    expect(overloaded).toEqual(['pick_platform', 'fixed', 'still_failing', 'share'])
    const usage = buildReply(diag('not_auth', { notAuthKind: 'usage_limit' }), { text: '' }).actions
    expect(usage).not.toContain('run_doctor')
  })

  it('GIVEN alternatives WHEN building THEN they exclude the main cause, carry titles and keep the best three', () => {
    const r = buildReply(
      diag('invalid_api_key', {
        alternatives: [
          { cause: 'invalid_api_key', confidence: 0.9 },
          { cause: 'missing_api_key', confidence: 0.4 },
          { cause: 'credential_conflict', confidence: 0.3 },
          { cause: 'network_blocked', confidence: 0.2 },
          { cause: 'multiple_installs', confidence: 0.1 },
        ],
      }),
      { text: '' },
    )
    expect(r.alternatives.map((a) => a.cause)).toEqual(['missing_api_key', 'credential_conflict', 'network_blocked'])
    expect(r.alternatives[0]!.title).toBe('Claude Code cannot find any credentials')
  })

  it('GIVEN not_auth without a kind WHEN building THEN the generic non-auth reply is used', () => {
    const r = buildReply(diag('not_auth', { notAuthKind: null }), { text: '' })
    expect(r.title).toBe('A real error, but not about signing in')
    expect(r.cause).toBe('not_auth')
  })
})

describe('evidence quotes', () => {
  it('GIVEN evidence whose quotes contain one another WHEN building THEN only the widest is kept', () => {
    const text = 'API Error: 401 {"error":{"message":"invalid x-api-key"}}'
    const r = buildReply(diag('invalid_api_key', { evidence: [ev(text, 'invalid x-api-key'), ev(text, '"message":"invalid'), ev(text, 'API Error: 401')] }), { text })
    expect(r.why.map((w) => w.quote)).toEqual(['{"error":{"message":"invalid x-api-key"}}', 'API Error: 401'])
  })
})
