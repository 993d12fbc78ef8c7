import { describe, expect, it } from 'vitest'
import { parseCommand } from '../../src/chat/command-parser.js'

describe('/claude-auth command parsing', () => {
  it('GIVEN no text WHEN parsed THEN it asks for help', () => {
    expect(parseCommand('   ')).toEqual({ kind: 'help' })
  })
  it('GIVEN "checklist wsl2" WHEN parsed THEN the checklist is for WSL', () => {
    expect(parseCommand('checklist wsl2')).toEqual({ kind: 'checklist', platform: 'wsl' })
  })
  it('GIVEN "checklist amiga" WHEN parsed THEN the person is told the known platforms', () => {
    const p = parseCommand('checklist amiga')
    expect(p.kind).toBe('invalid')
    expect(p.kind === 'invalid' && p.message).toMatch(/macos, linux, windows/)
  })
  it('GIVEN an event with subject and note WHEN parsed THEN kind, subject and note are kept apart', () => {
    expect(parseCommand('event key_rotated ci-key rotated after leak')).toEqual({
      kind: 'event',
      eventKind: 'key_rotated',
      subject: 'ci-key',
      note: 'rotated after leak',
    })
  })
  it('GIVEN an unknown event kind WHEN parsed THEN the usage lists the kinds', () => {
    const p = parseCommand('event exploded')
    expect(p.kind === 'invalid' && p.message).toMatch(/key_rotated/)
  })
  it('GIVEN "stats 30d" WHEN parsed THEN the window is 30 days; "stats" alone is 7', () => {
    expect(parseCommand('stats 30d')).toEqual({ kind: 'stats', days: 30 })
    expect(parseCommand('stats')).toEqual({ kind: 'stats', days: 7 })
    expect(parseCommand('stats forever').kind).toBe('invalid')
  })
  it('GIVEN a multi-line paste that starts with a keyword WHEN parsed THEN it is diagnosed, not taken as a command', () => {
    const paste = 'help\nError: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}'
    expect(parseCommand(paste)).toEqual({ kind: 'diagnose', text: paste })
  })
  it('GIVEN an error line WHEN parsed THEN it is diagnosed', () => {
    expect(parseCommand('API Error: 401 Invalid API key · Please run /login').kind).toBe('diagnose')
  })
})
