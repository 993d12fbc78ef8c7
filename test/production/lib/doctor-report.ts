// A valid doctor upload (the shape POST /api/doctor accepts), with optional text planted in it.
export function doctorReport(options: { cause?: string; summary?: string; detail?: string } = {}) {
  return {
    schema: 'claude-auth-doctor/1',
    doctorVersion: '1.0.0',
    generatedAt: new Date().toISOString(),
    system: { platform: 'linux', release: '6.1.0-18-amd64', arch: 'x64', node: 'v20.19.0' },
    options: { checkKey: false, showKeySuffix: false, apiHost: 'api.anthropic.com' },
    checks: [
      {
        id: 'auth-status',
        title: 'Sign-in state',
        state: 'error',
        summary: options.summary ?? 'The Claude.ai login has expired.',
        details: [options.detail ?? 'expiresAt is in the past'],
        fix: { text: 'Sign in again', commands: ['claude /login'] },
        facts: { loggedIn: false },
        findings: [{ code: 'login_expired', severity: 'error' }],
        durationMs: 4,
      },
    ],
    verdict: { cause: options.cause ?? 'expired_session', headline: 'Your Claude login has expired.', because: ['auth-status'], fix: null, alternatives: ['invalid_api_key'] },
    summary: { ok: 0, warning: 0, error: 1, crashed: 0, skipped: 0 },
  }
}

/** the one-time code in a `/claude-auth doctor` answer */
export function doctorCodeIn(body: unknown): string | null {
  return /The code ([A-Z0-9]{5}-[A-Z0-9]{5}) works once/.exec(JSON.stringify(body))?.[1] ?? null
}
