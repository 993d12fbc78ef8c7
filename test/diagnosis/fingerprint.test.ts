import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { classify, fnv1a64, stripVolatile } from '../../src/diagnosis/index.js'

describe('fnv1a64', () => {
  it('GIVEN the published FNV-1a 64 test vectors WHEN hashed THEN the digests match', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325')
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c')
    expect(fnv1a64('foobar')).toBe('85944171f73967e8')
  })

  it('GIVEN any string, also non-ASCII and astral WHEN hashed THEN it equals a BigInt reference over the UTF-8 bytes', () => {
    const reference = (s: string) => {
      let h = 0xcbf29ce484222325n
      for (const b of new TextEncoder().encode(s)) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn
      return h.toString(16).padStart(16, '0')
    }
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
          expect(fnv1a64(s)).toBe(reference(s))
        }),
      { numRuns: 300 },
    )
    expect(fnv1a64('é')).toBe(reference('é'))
  })
})

describe('stripVolatile', () => {
  it('GIVEN ids, numbers, paths, keys, URLs and e-mails WHEN stripped THEN only the shape of the message is left', () => {
    expect(stripVolatile('req_011cabc123 at /users/ana/.claude.json with sk-ant-api03-xyz from https://x.io/a mail a@b.io 42 tokens')).toBe(
      '<id> at <path> with <key> from <url> mail <email> 0 tokens',
    )
  })
})

describe('fingerprint of a diagnosis', () => {
  it('GIVEN the same error pasted by two people with different ids, paths and wrappers WHEN classified THEN the fingerprints are equal', () => {
    const a = classify('API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"OAuth token has expired."},"request_id":"req_011AAAAAAAAAA"} · Please run /login')
    const b = classify('```\n  ⎿  API Error: 401 {\\"type\\":\\"error\\",\\"error\\":{\\"type\\":\\"authentication_error\\",\\"message\\":\\"OAuth token has expired.\\"},\\"request_id\\":\\"req_011BBBBBBBBBB\\"} · Please run /login\n```')
    expect(a.cause).toBe('expired_session')
    expect(a.fingerprint).not.toBeNull()
    expect(b.fingerprint).toBe(a.fingerprint)
  })

  it('GIVEN the same config corruption at two home paths WHEN classified THEN the fingerprints are equal', () => {
    const a = classify('Claude configuration file at /home/ana/.claude.json is corrupted: Unexpected token } in JSON at position 12')
    const b = classify('Claude configuration file at /Users/bo/.claude.json is corrupted: Unexpected token } in JSON at position 9981')
    expect(a.fingerprint).toBe(b.fingerprint)
  })

  it('GIVEN prompt-too-long errors with different token counts WHEN classified THEN the fingerprints are equal', () => {
    const a = classify('Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210001 tokens > 200000 maximum"}}')
    const b = classify('Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 250123 tokens > 200000 maximum"}}')
    expect(a.fingerprint).toBe(b.fingerprint)
  })

  it('GIVEN two different errors WHEN classified THEN the fingerprints differ', () => {
    const a = classify('API Error: 401 invalid x-api-key')
    const b = classify('API Error: 401 OAuth token has expired')
    const c = classify('API Error (529 overloaded_error)')
    expect(new Set([a.fingerprint, b.fingerprint, c.fingerprint]).size).toBe(3)
  })

  it('GIVEN chatter WHEN classified THEN the fingerprint is null', () => {
    expect(classify('thanks, works now').fingerprint).toBeNull()
  })
})
