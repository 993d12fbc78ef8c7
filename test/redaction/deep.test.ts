import { describe, expect, it } from 'vitest'
import { redactDeep, sensitiveKeyKind } from '../../src/redaction/index.js'

describe('redactDeep', () => {
  it('GIVEN a doctor report WHEN redacted deeply THEN strings in keys and values are redacted and counted', () => {
    const key = 'sk-ant-oat01-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'
    const report = {
      env: { ANTHROPIC_API_KEY: 'plainvalue', HOME: '/Users/alice', apiKeyHelper: '/usr/local/bin/key.sh', maxTokens: 1024 },
      credentials: { 'alice@example.com': { note: `token ${key}` } },
      checks: [{ name: 'auth', detail: `Authorization: Bearer ${key}` }, null, true, 3],
      when: new Date(0),
    }
    const { value, remarks } = redactDeep(report)
    const json = JSON.stringify(value)
    expect(json).not.toContain(key.slice(13))
    expect(json).not.toContain('plainvalue')
    expect(json).not.toContain('alice')
    expect(value).toMatchObject({
      env: { ANTHROPIC_API_KEY: '[api-key]', HOME: '/Users/[user]', apiKeyHelper: '/usr/local/bin/key.sh', maxTokens: 1024 },
      checks: [{ name: 'auth' }, null, true, 3],
    })
    expect((value as { when: unknown }).when).toBeInstanceOf(Date)
    const kinds = Object.fromEntries(remarks.map((r) => [r.kind, r.count]))
    expect(kinds).toMatchObject({ 'api-key': 1, user: 1, email: 1, 'anthropic-oauth-access-token': 2 })
  })

  it('GIVEN a value under a secret-named key that is empty, null or a reference WHEN redacted THEN it is kept', () => {
    const { value, remarks } = redactDeep({ password: '', token: null, ANTHROPIC_API_KEY: '$ANTHROPIC_API_KEY', secret: 'unset' })
    expect(value).toEqual({ password: '', token: null, ANTHROPIC_API_KEY: '$ANTHROPIC_API_KEY', secret: 'unset' })
    expect(remarks).toEqual([])
  })

  it('GIVEN a cyclic object and keys that collide after redaction WHEN redacted THEN it terminates and keeps both entries', () => {
    const a: Record<string, unknown> = { 'x@example.com': 1, 'y@example.com': 2 }
    a.self = a
    const { value } = redactDeep(a)
    expect(value).toEqual({ '[email]': 1, '[email]#': 2, self: '[circular]' })
  })

  it('GIVEN primitives WHEN redacted deeply THEN they pass through (strings redacted)', () => {
    expect(redactDeep(42).value).toBe(42)
    expect(redactDeep(undefined).value).toBeUndefined()
    expect(redactDeep('mail me: a.b@example.org').value).toBe('mail me: [email]')
  })

  it('GIVEN key names WHEN classified THEN only names that end in a secret word count', () => {
    expect(sensitiveKeyKind('ANTHROPIC_API_KEY')).toBe('api-key')
    expect(sensitiveKeyKind('refreshToken')).toBe('token')
    expect(sensitiveKeyKind('db-password')).toBe('password')
    expect(sensitiveKeyKind('Authorization')).toBe('auth-token')
    expect(sensitiveKeyKind('apiKeyHelper')).toBeNull()
    expect(sensitiveKeyKind('tokenExpiresAt')).toBeNull()
    expect(sensitiveKeyKind('maxTokens')).toBeNull()
  })
})
