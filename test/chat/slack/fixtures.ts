// Pastes and helpers shared by the Slack end-to-end tests.

export const PASTE_401 = 'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}'
export const PASTE_EXPIRED = 'OAuth token has expired. Please obtain a new token or refresh your existing token.\n  ⎿  API Error: 401 · Please run /login'
export const CHATTER = 'anyone up for lunch at noon? the new place on 5th looks good'
/** A fake key of the real shape (sk-ant-api03-…AA): it must never leave the process. */
export const FAKE_KEY = `sk-ant-api03-${'Zx9_Qw3-Er5tY7uI1oP2aS4dF6gH8jK0lL'.repeat(3).slice(0, 93)}AA`

/** Polls an async condition until it is truthy. */
export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, ms = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (v) return v
    if (Date.now() > end) throw new Error(`eventually: timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
