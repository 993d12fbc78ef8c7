// The detectors in the order they run: shaped, specific secrets first (their placeholders then shield the value
// from the generic ones), then headers and URLs, then secrets known only by their name, then personal data.
import type { Detector } from '../types.js'
import {
  anthropicAdminKey,
  anthropicApiKey,
  anthropicOAuthAccessToken,
  anthropicOAuthRefreshToken,
  anthropicOtherKey,
} from './anthropic.js'
import { cliFlagSecret, namedSecret } from './assignment.js'
import { authorizationHeader } from './authorization.js'
import { awsAccessKeyId, awsSecretAccessKey, awsSessionToken } from './aws.js'
import { bearerToken } from './bearer.js'
import { email } from './email.js'
import { githubToken } from './github.js'
import { googleApiKey, googleOAuthToken } from './google.js'
import { homePathUser } from './home-path.js'
import { jwt } from './jwt.js'
import { npmToken } from './npm.js'
import { openaiApiKey } from './openai.js'
import { privateKey } from './private-key.js'
import { slackToken, slackWebhook } from './slack.js'
import { stripeKey } from './stripe.js'
import { urlCredentials } from './url-credentials.js'
import { xApiKeyHeader } from './x-api-key.js'

export const DETECTORS: readonly Detector[] = [
  privateKey,
  anthropicApiKey,
  anthropicAdminKey,
  anthropicOAuthAccessToken,
  anthropicOAuthRefreshToken,
  anthropicOtherKey,
  openaiApiKey,
  awsAccessKeyId,
  awsSecretAccessKey,
  awsSessionToken,
  githubToken,
  slackWebhook,
  slackToken,
  googleApiKey,
  googleOAuthToken,
  stripeKey,
  npmToken,
  jwt,
  urlCredentials,
  authorizationHeader,
  bearerToken,
  xApiKeyHeader,
  cliFlagSecret,
  namedSecret,
  email,
  homePathUser,
]

export {
  anthropicAdminKey,
  anthropicApiKey,
  anthropicOAuthAccessToken,
  anthropicOAuthRefreshToken,
  anthropicOtherKey,
  authorizationHeader,
  awsAccessKeyId,
  awsSecretAccessKey,
  awsSessionToken,
  bearerToken,
  cliFlagSecret,
  email,
  githubToken,
  googleApiKey,
  googleOAuthToken,
  homePathUser,
  jwt,
  namedSecret,
  npmToken,
  openaiApiKey,
  privateKey,
  slackToken,
  slackWebhook,
  stripeKey,
  urlCredentials,
  xApiKeyHeader,
}
