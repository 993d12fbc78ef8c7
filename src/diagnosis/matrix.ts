// The error matrix as typed data: the five symptom rows and the causes, with the facts each one rests on (in our
// own words) and the ids of the rules that detect it. The replies module owns the wording of fixes and commands;
// this file is what the diagnosis knows.
import type { CauseId, SymptomId, Verdict } from './types.js'

export type SymptomInfo = {
  id: SymptomId
  /** the message family, e.g. "401 / invalid credentials / invalid key or token" */
  family: string
  /** what it usually means */
  meaning: string
  /** the first thing to try */
  firstMove: string
  /** the cause that most often stands behind it */
  usualCause: CauseId
}

export const SYMPTOMS: readonly SymptomInfo[] = [
  { id: 'authentication_failed', family: 'generic "authentication failed" / "failed to authenticate"', meaning: 'something in the login chain broke; no detail given', firstMove: 'sign out and sign in again', usualCause: 'expired_session' },
  { id: 'unauthorized_401', family: 'HTTP 401, invalid credentials, invalid key or token', meaning: 'the key or token sent was rejected', firstMove: 'check which credential is sent and that it is current', usualCause: 'invalid_api_key' },
  { id: 'permission_denied', family: 'HTTP 403, permission_error, forbidden, account restriction', meaning: 'the credential is known but not allowed (billing, plan, organization policy)', firstMove: 'check billing, plan and organization settings', usualCause: 'account_restricted' },
  { id: 'session_expired', family: 'session or OAuth token expired or revoked', meaning: 'the browser login ran out or was revoked', firstMove: 'log in again', usualCause: 'expired_session' },
  { id: 'token_validation_failed', family: 'token validation failed, malformed or corrupted token', meaning: 'the stored credential is damaged or unreadable', firstMove: 'remove the stored credential and log in again', usualCause: 'corrupted_credentials' },
]

export type CauseInfo = {
  id: Verdict
  title: string
  /** what is wrong, in one line */
  summary: string
  /** the facts behind the cause (article facts and what real reports add), paraphrased */
  facts: string[]
  /** the symptom row this cause usually shows */
  symptom: SymptomId | null
  /** whether the person can fix it locally (false: an admin, billing or the provider has to act) */
  local: boolean
}

export const CAUSES: readonly CauseInfo[] = [
  {
    id: 'expired_session',
    title: 'Login expired',
    summary: 'the browser (OAuth) login of Claude Code ran out, was revoked, or could not be refreshed',
    facts: [
      'OAuth logins end after long inactivity, a password change, a revoked session or a failed token refresh',
      'Claude Code then asks to run /login; the API answers 401 with an expired or revoked OAuth token',
      'logging out and in again is the quickest fix; check with the auth status command afterwards',
    ],
    symptom: 'session_expired',
    local: true,
  },
  {
    id: 'invalid_api_key',
    title: 'API key rejected',
    summary: 'the API key that is sent is wrong: deleted, rotated, mistyped, or carrying hidden characters',
    facts: [
      'a deleted or rotated key stops working at once; every environment must get the new one',
      'a single wrong or invisible character (trailing newline, space, quote) is enough for a 401',
      'the API answers 401 authentication_error "invalid x-api-key"; a direct curl with the key confirms it',
    ],
    symptom: 'unauthorized_401',
    local: true,
  },
  {
    id: 'missing_api_key',
    title: 'No credential where Claude Code runs',
    summary: 'the key or login is not available to this process: another terminal, an editor, a container or a CI job',
    facts: [
      'a variable set in one terminal is not set in another until the shell config is reloaded',
      'containers and CI jobs start with a clean environment: the key must be passed in explicitly',
      'Claude Code says it is not logged in or cannot resolve an authentication method',
    ],
    symptom: 'authentication_failed',
    local: true,
  },
  {
    id: 'corrupted_credentials',
    title: 'Stored credentials damaged',
    summary: 'the local credential state is broken: a corrupt ~/.claude.json or ~/.claude/.credentials.json, or an unusable macOS Keychain item',
    facts: [
      'interrupted writes, crashes, wrong permissions or hand edits corrupt the credential files',
      'removing the credential file and logging in again rebuilds it; removing ~/.claude is the last resort',
      'on macOS the login lives in the Keychain; a locked or unwritable Keychain breaks it',
    ],
    symptom: 'token_validation_failed',
    local: true,
  },
  {
    id: 'network_blocked',
    title: 'Network in the way',
    summary: 'a firewall, VPN, proxy, TLS inspection, DNS problem or regional block stops requests before authentication',
    facts: [
      'corporate networks block or intercept the API and login traffic; credentials may be fine',
      'proxies need HTTPS_PROXY/HTTP_PROXY; TLS inspection needs the company CA via NODE_EXTRA_CA_CERTS',
      'if it works with the VPN off, allow-list the Anthropic endpoints or split-tunnel them',
      'the service is not offered in every country or region',
    ],
    symptom: null,
    local: true,
  },
  {
    id: 'multiple_installs',
    title: 'Several Claude Code installations',
    summary: 'an old npm install sits beside the native one, or several `claude` binaries are on PATH',
    facts: [
      'conflicting installs authenticate differently; `which -a claude` shows them all',
      'remove the npm global package, then install once with the official installer',
      'claude doctor reports multiple or leftover installations',
    ],
    symptom: null,
    local: true,
  },
  {
    id: 'account_restricted',
    title: 'Account or organization restriction',
    summary: 'billing, plan or organization policy blocks access; nothing local will fix it',
    facts: [
      'no API credit, a plan without Claude Code, a suspended account or a disabled organization all block access',
      'team changes (removed users, organization or billing changes, new access policies) often precede it',
      'an admin or the billing page has to fix it',
    ],
    symptom: 'permission_denied',
    local: false,
  },
  {
    id: 'ide_environment',
    title: 'Editor does not share the terminal setup',
    summary: 'Claude Code works in a terminal but not in VS Code or another editor: the editor does not inherit the shell environment, or its login does not complete',
    facts: [
      'editors started from the dock or start menu do not read .bashrc/.zshrc, so variables and PATH differ',
      'VS Code: terminal.integrated.inheritEnv, and on macOS a login shell for the integrated terminal',
    ],
    symptom: null,
    local: true,
  },
  {
    id: 'remote_login',
    title: 'Login from a remote or virtual environment',
    summary: 'in WSL2, over SSH or in a container the login callback cannot reach the CLI; use the manual code flow',
    facts: [
      'the browser login calls back to localhost, which is not the same machine in WSL2, SSH or Docker',
      'open the printed URL in a local browser and paste the code back into the terminal',
      'over SSH the macOS Keychain may be locked; containers need the key passed in',
    ],
    symptom: null,
    local: true,
  },
  {
    id: 'credential_conflict',
    title: 'Two credentials at once',
    summary: 'several credential sources are set (API key variable, auth token, OAuth token, apiKeyHelper, a claude.ai login) and the wrong one wins',
    facts: [
      'mixing the browser login with an API key invites surprises; use one method',
      'ANTHROPIC_API_KEY takes precedence over a subscription login when it is set',
    ],
    symptom: 'authentication_failed',
    local: true,
  },
  {
    id: 'cloud_provider',
    title: 'Bedrock or Vertex credentials',
    summary: 'Claude Code runs through Amazon Bedrock or Google Vertex AI and the cloud credentials are expired, missing or not allowed',
    facts: [
      'AWS answers "the security token included in the request is invalid/expired" when the session ran out',
      'Google needs application-default credentials and aiplatform permissions for Vertex AI',
    ],
    symptom: 'unauthorized_401',
    local: true,
  },
  {
    id: 'not_auth',
    title: 'Not an authentication problem',
    summary: 'a real error, but not about credentials: rate limit, overload, server error, usage limit, context length, MCP server, model name',
    facts: ['429, 529 and 5xx are capacity or server problems; usage limits reset on their own; context and MCP errors are about the request or the tools'],
    symptom: null,
    local: true,
  },
  {
    id: 'none',
    title: 'No error found',
    summary: 'the text holds no error the bot recognises',
    facts: [],
    symptom: null,
    local: true,
  },
]
