import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'

describe('settings', () => {
  it('GIVEN no settings at all WHEN loaded THEN the service runs on the embedded database with chat integrations off', () => {
    const c = loadConfig({})
    expect(c.PORT).toBe(3000)
    expect(c.DATABASE_URL).toBe('pglite:./.data/pglite')
    expect(c.slack).toEqual({ enabled: false, mode: null })
    expect(c.discord.enabled).toBe(false)
    expect(c.publicUrl).toBe('http://localhost:3000')
    expect(c.PASSIVE_THRESHOLD).toBe(0.6)
  })

  it('GIVEN a bot token and an app token WHEN loaded THEN Slack runs in Socket Mode', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_APP_TOKEN: 'xapp-1-A-1-abc' })
    expect(c.slack).toEqual({ enabled: true, mode: 'socket' })
  })

  it('GIVEN a bot token and a signing secret WHEN loaded THEN Slack runs in HTTP mode', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'shh' })
    expect(c.slack.mode).toBe('http')
  })

  it('GIVEN a bot token with neither app token nor signing secret WHEN loaded THEN start-up stops naming SLACK_SIGNING_SECRET', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })).toThrow(/SLACK_SIGNING_SECRET/)
  })

  it.each([
    ['PORT', 'eighty', /PORT: expected a whole number from 0 to 65535 \(got "eighty"\)/],
    ['PORT', '70000', /PORT: expected a whole number/],
    ['PASSIVE_THRESHOLD', '1.5', /PASSIVE_THRESHOLD: expected a number from 0 to 1/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL: expected pglite:<directory>, pglite:memory, or postgresql:/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
    ['MIGRATE_ON_START', 'maybe', /MIGRATE_ON_START/],
    ['SLACK_API_URL', 'not a url', /SLACK_API_URL: expected an absolute http\(s\) URL/],
  ])('GIVEN %s=%s WHEN loaded THEN a ConfigError names the variable and what is expected', (name, value, message) => {
    let error: unknown
    try {
      loadConfig({ [name]: value })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toMatch(message)
  })

  it('GIVEN an invalid secret-bearing value WHEN the error is reported THEN the value itself is not shown', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-secret-value', SLACK_APP_TOKEN: '' })).toThrow(ConfigError)
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-secret-value' })
    } catch (e) {
      expect((e as Error).message).not.toContain('xoxb-secret-value')
    }
  })

  it('GIVEN an invalid DATABASE_URL holding a password WHEN the error is reported THEN the password is masked', () => {
    let message = ''
    try {
      loadConfig({ DATABASE_URL: 'mysql://bot:hunter2-very-secret@db:3306/x' })
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toMatch(/DATABASE_URL: expected/)
    expect(message).not.toContain('hunter2-very-secret')
  })

  it('GIVEN comma-separated channel lists WHEN loaded THEN they are trimmed lists', () => {
    expect(loadConfig({ SLACK_CHANNELS: ' C1, C2 ,,' }).SLACK_CHANNELS).toEqual(['C1', 'C2'])
  })
})
