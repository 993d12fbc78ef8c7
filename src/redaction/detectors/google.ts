// Google: API keys (AIza...) and OAuth access tokens (ya29.), both show up around Vertex AI setups.
import type { Detector } from '../types.js'
import { regexFinder } from '../util.js'

export const googleApiKey: Detector = {
  id: 'google-api-key',
  kind: 'google-api-key',
  secret: true,
  description: 'Google API key (AIza + 35 characters)',
  keywords: ['aiza'],
  find: regexFinder(/AIza[0-9A-Za-z_-]{35}/g, 'google-api-key'),
  truePositives: [{ text: 'key=AIzaSyEXAMPLE0123456789abcdefghijklmnop', secret: 'SyEXAMPLE0123456789abcdefghijklmnop' }],
  falsePositives: ['AIza keys are restricted by referrer', 'AIzaShort123'],
}

export const googleOAuthToken: Detector = {
  id: 'google-oauth-token',
  kind: 'google-oauth-token',
  secret: true,
  description: 'Google OAuth access token (ya29.)',
  keywords: ['ya29.'],
  find: regexFinder(/ya29\.[0-9A-Za-z_-]{20,}/g, 'google-oauth-token'),
  truePositives: [{ text: 'Authorization header ya29.a0EXAMPLE_token-0123456789abcdefghij', secret: 'a0EXAMPLE_token-0123456789abcdefghij' }],
  falsePositives: ['ya29.', 'tokens start with ya29. on Google'],
}
