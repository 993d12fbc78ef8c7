import { describe, expect, it } from 'vitest'
import { buildReply, eventNoteFor, pickRelevantEvent, relevantEventKinds, timeAgo } from '../../src/replies/index.js'
import { CAUSE_IDS } from '../../src/diagnosis/types.js'
import { CREDENTIAL_EVENT_KINDS } from '../../src/store/types.js'
import { diag } from './helpers.js'

const NOW = new Date('2025-06-01T12:00:00Z')
const ago = (ms: number) => new Date(NOW.getTime() - ms)
const H = 3_600_000

describe('relevantEventKinds', () => {
  it('GIVEN the causes WHEN mapped to event kinds THEN key changes explain key errors and membership or billing changes explain restrictions', () => {
    expect(relevantEventKinds('invalid_api_key')).toEqual(expect.arrayContaining(['key_rotated', 'key_revoked']))
    expect(relevantEventKinds('account_restricted')).toEqual(expect.arrayContaining(['user_removed', 'billing_changed', 'org_changed', 'policy_changed']))
    expect(relevantEventKinds('expired_session')).toEqual(expect.arrayContaining(['sso_changed', 'policy_changed', 'user_removed']))
    expect(relevantEventKinds('none')).toEqual([])
    expect(relevantEventKinds('not_auth')).toEqual([])
  })

  it('GIVEN every mapping WHEN checked THEN it only names event kinds the store knows', () => {
    for (const c of [...CAUSE_IDS, 'none', 'not_auth'] as const) {
      for (const k of relevantEventKinds(c)) expect(CREDENTIAL_EVENT_KINDS as readonly string[]).toContain(k)
    }
  })
})

describe('pickRelevantEvent', () => {
  const events = [
    { kind: 'key_rotated', subject: 'old', occurredAt: ago(30 * H) },
    { kind: 'billing_changed', subject: null, occurredAt: ago(1 * H) },
    { kind: 'key_revoked', subject: 'ci key', occurredAt: ago(2 * H) },
    { kind: 'key_rotated', subject: 'future', occurredAt: new Date(NOW.getTime() + 2 * H) },
  ]
  it('GIVEN events of several kinds WHEN picking for invalid_api_key THEN the most recent key event wins, later billing and future events are ignored', () => {
    expect(pickRelevantEvent('invalid_api_key', events, NOW)?.subject).toBe('ci key')
  })
  it('GIVEN no relevant events WHEN picking THEN null', () => {
    expect(pickRelevantEvent('multiple_installs', events, NOW)).toBeNull()
    expect(pickRelevantEvent('invalid_api_key', [], NOW)).toBeNull()
  })
  it('GIVEN an event a minute in the future (clock skew) WHEN picking THEN it still counts', () => {
    expect(pickRelevantEvent('invalid_api_key', [{ kind: 'key_revoked', subject: null, occurredAt: new Date(NOW.getTime() + 60_000) }], NOW)).not.toBeNull()
  })
})

describe('timeAgo', () => {
  const cases: [number, string][] = [
    [10_000, 'just now'],
    [60_000, '1 minute ago'],
    [5 * 60_000, '5 minutes ago'],
    [H, '1 hour ago'],
    [2 * H + 59 * 60_000, '2 hours ago'],
    [24 * H, '1 day ago'],
    [3 * 24 * H, '3 days ago'],
    [90 * 24 * H, '3 months ago'],
    [-30_000, 'just now'],
  ]
  for (const [ms, text] of cases) {
    it(`GIVEN an event ${ms} ms before now WHEN worded THEN "${text}"`, () => expect(timeAgo(ago(ms), NOW)).toBe(text))
  }
})

describe('eventNote', () => {
  it('GIVEN a key rotation two hours ago WHEN replying to an invalid key THEN the note names it and says how long ago', () => {
    const r = buildReply(diag('invalid_api_key'), {
      text: '',
      now: NOW,
      events: [
        { kind: 'user_added', subject: 'x', occurredAt: ago(0.5 * H) },
        { kind: 'key_rotated', subject: 'team key', occurredAt: ago(2 * H) },
      ],
    })
    expect(r.eventNote).toBe('Your team recorded that an API key was rotated (team key) 2 hours ago. Any machine still using the old key is refused until it gets the new one.')
  })

  it('GIVEN a removed user WHEN replying to an account restriction THEN the note is about the removal', () => {
    const note = eventNoteFor('account_restricted', [{ kind: 'user_removed', subject: 'alice', occurredAt: ago(3 * 24 * H) }], NOW)
    expect(note).toMatch(/a user was removed from the organization \(alice\) 3 days ago/)
  })

  it('GIVEN no clock WHEN writing the note THEN it gives the date instead of "ago"', () => {
    expect(eventNoteFor('invalid_api_key', [{ kind: 'key_revoked', subject: null, occurredAt: new Date('2025-05-30T08:15:00Z') }])).toMatch(/on 2025-05-30 08:15 UTC/)
  })

  it('GIVEN a subject holding a secret WHEN writing the note THEN it is redacted', () => {
    const note = eventNoteFor('invalid_api_key', [{ kind: 'key_rotated', subject: 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx', occurredAt: ago(H) }], NOW)
    expect(note).toContain('[anthropic-api-key]')
    expect(note).not.toContain('AbCdEfGh')
  })

  it('GIVEN only irrelevant events, or none WHEN building THEN there is no note', () => {
    expect(buildReply(diag('network_blocked'), { text: '', now: NOW, events: [{ kind: 'key_rotated', subject: null, occurredAt: ago(H) }] }).eventNote).toBeNull()
    expect(buildReply(diag('invalid_api_key'), { text: '', now: NOW }).eventNote).toBeNull()
  })
})
