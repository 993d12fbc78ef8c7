import { describe, expect, it } from 'vitest'
import { analyzeKey, cleanKey, describeKey, keyKind, keySuffix, type HiddenCharKind } from '../../src/doctor/key.js'
import { findAssignments } from '../../src/doctor/shellfiles.js'
import { fakeKey } from './helpers.js'

const KEY = fakeKey('api03')

describe('key analysis', () => {
  it('GIVEN keys of each real shape WHEN classified THEN the prefix names the kind', () => {
    expect(keyKind(fakeKey('api03'))).toBe('api_key')
    expect(keyKind(fakeKey('admin01'))).toBe('admin_key')
    expect(keyKind(fakeKey('oat01'))).toBe('oauth_token')
    expect(keyKind(fakeKey('ort01'))).toBe('oauth_refresh_token')
    expect(keyKind('sk-proj-abcdefabcdefabcdef')).toBe('unknown')
    expect(fakeKey('api03')).toHaveLength(108)
  })

  const cases: [string, string, HiddenCharKind, 'start' | 'end' | 'inside'][] = [
    ['a leading space', ` ${KEY}`, 'leading_whitespace', 'start'],
    ['a trailing space', `${KEY} `, 'trailing_whitespace', 'end'],
    ['a trailing CR (CRLF file)', `${KEY}\r`, 'carriage_return', 'end'],
    ['a trailing LF', `${KEY}\n`, 'line_feed', 'end'],
    ['a tab inside', `${KEY.slice(0, 50)}\t${KEY.slice(50)}`, 'tab', 'inside'],
    ['a zero-width space inside', `${KEY.slice(0, 30)}\u200B${KEY.slice(30)}`, 'zero_width', 'inside'],
    ['a BOM at the start', `\uFEFF${KEY}`, 'zero_width', 'start'],
    ['wrapping double quotes', `"${KEY}"`, 'quotes', 'start'],
    ['smart quotes', `\u201C${KEY}\u201D`, 'quotes', 'end'],
    ['a non-ASCII look-alike dash', KEY.replace('sk-ant-api03-', 'sk\u2011ant-api03-'), 'non_ascii', 'inside'],
    ['a space inside', `${KEY.slice(0, 40)} ${KEY.slice(40)}`, 'inner_whitespace', 'inside'],
  ]
  for (const [label, value, kind, where] of cases) {
    it(`GIVEN a key with ${label} WHEN analysed THEN ${kind} is reported ${where}`, () => {
      const a = analyzeKey(value)
      expect(a.hidden).toContainEqual(expect.objectContaining({ kind, where }))
      expect(a.length).toBe(value.length)
    })
  }

  it('GIVEN a clean key WHEN analysed THEN nothing hidden and not truncated', () => {
    const a = analyzeKey(KEY)
    expect(a.hidden).toEqual([])
    expect(a.looksTruncated).toBe(false)
    expect(a.cleanLength).toBe(108)
  })

  it('GIVEN a key cut while copying WHEN analysed THEN it looks truncated', () => {
    expect(analyzeKey(KEY.slice(0, 60)).looksTruncated).toBe(true)
  })

  it('GIVEN hidden characters WHEN cleaned THEN the key as meant remains', () => {
    expect(cleanKey(` "\u200B${KEY}\r\n" `)).toBe(KEY)
  })

  it('GIVEN a key WHEN described THEN only prefix and length appear, the suffix only on request', () => {
    const d = describeKey(KEY, false)
    expect(d).toBe('an API key (sk-ant-api03-…, 108 characters)')
    expect(d).not.toContain(KEY.slice(13, 20))
    expect(describeKey(KEY, true)).toContain(`ends in …${KEY.slice(-4)}`)
    expect(keySuffix(`${KEY}\r\n`)).toBe(KEY.slice(-4))
  })
})

describe('shell startup file parser', () => {
  const names = ['ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN']
  it('GIVEN the common ways to set a variable WHEN parsed THEN each value is read as the shell would', () => {
    const text = [
      '# export ANTHROPIC_API_KEY=commented-out',
      `export ANTHROPIC_API_KEY="${KEY}"`,
      `ANTHROPIC_API_KEY='${KEY}'`,
      `export ANTHROPIC_API_KEY=${KEY} # trailing comment`,
      `set -gx ANTHROPIC_API_KEY ${KEY}`,
      `setenv ANTHROPIC_API_KEY ${KEY}`,
      `$env:ANTHROPIC_API_KEY = "${KEY}"`,
      `[System.Environment]::SetEnvironmentVariable("ANTHROPIC_API_KEY", '${KEY}', "User")`,
      'export ANTHROPIC_API_KEY="$(security find-generic-password -w -s anthropic)"',
      'export ANTHROPIC_API_KEY=$OTHER_KEY',
      'unset ANTHROPIC_API_KEY',
      'export OTHER=1',
    ].join('\n')
    const found = findAssignments(text, names)
    expect(found.map((f) => f.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    expect(found.slice(0, 7).every((f) => f.value === KEY)).toBe(true)
    expect(found[7]?.value).toBeNull()
    expect(found[8]?.value).toBeNull()
    expect(found[9]).toMatchObject({ unset: true })
  })

  it('GIVEN a file saved with Windows line endings WHEN parsed THEN the value keeps the carriage return, like bash', () => {
    const [a, b] = findAssignments(`export ANTHROPIC_API_KEY=${KEY}\r\nexport CLAUDE_CODE_OAUTH_TOKEN="x-token"\r\n`, names)
    expect(a?.value).toBe(`${KEY}\r`)
    expect(b?.value).toBe('x-token\r')
  })
})
