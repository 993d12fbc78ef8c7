// Codes people type and tokens in links: shape, alphabet, normalisation, hashing.
import { describe, expect, it } from 'vitest'
import { CODE_ALPHABET, CODE_LENGTH, newDoctorCode, newToken, normaliseDoctorCode, sha256Hex } from '../../src/store/secrets.js'

describe('doctor codes', () => {
  it('GIVEN the alphabet WHEN inspected THEN it has no look-alike characters', () => {
    for (const ch of '0O1ILUV') expect(CODE_ALPHABET).not.toContain(ch)
    expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length)
    expect(CODE_LENGTH).toBeGreaterThanOrEqual(8)
  })

  it('GIVEN 2,000 new codes WHEN inspected THEN each is two groups of five from the alphabet and they are all different', () => {
    const codes = Array.from({ length: 2_000 }, newDoctorCode)
    for (const c of codes) expect(c).toMatch(new RegExp(`^[${CODE_ALPHABET}]{5}-[${CODE_ALPHABET}]{5}$`))
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('GIVEN a code typed in lower case, with spaces or without the dash WHEN normalised THEN it is the same code; junk is null', () => {
    const c = newDoctorCode()
    const canonical = c.replace('-', '')
    expect(normaliseDoctorCode(c)).toBe(canonical)
    expect(normaliseDoctorCode(` ${c.toLowerCase().replace('-', ' ')} `)).toBe(canonical)
    expect(normaliseDoctorCode(canonical)).toBe(canonical)
    expect(normaliseDoctorCode('OOOOO-OOOOO')).toBeNull()
    expect(normaliseDoctorCode('ABC')).toBeNull()
    expect(normaliseDoctorCode('')).toBeNull()
  })
})

describe('tokens', () => {
  it('GIVEN new tokens WHEN inspected THEN they carry 256 random bits, URL-safe, and hash to 64 hex characters', () => {
    const a = newToken()
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(newToken()).not.toBe(a)
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})
