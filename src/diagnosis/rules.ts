// The error matrix as data: every rule names a mechanism (HTTP status + error.type + message family, errno codes,
// credential file names, environment variables, installer output) rather than memorising whole messages, and carries
// its own positive and negative examples (test/diagnosis/rules.test.ts runs them all).
//
// Rules match the lower-cased normalised text (see normalise.ts) in windows around their anchors. Patterns use only
// bounded gaps ({0,n}) and no nested quantifiers, so a window costs O(window × gap) at worst.
import type { ComboRule, ContextRule, MatchFn, PlatformRule, Rule, RuleCause, SignalRule } from './rule-types.js'
import type { NotAuthKind, SymptomId } from './types.js'

type SignalOpts = Omit<SignalRule, 'kind' | 'id' | 'cause' | 'weight' | 'anchors' | 'pattern' | 'about' | 'examples'>

function signal(
  id: string,
  cause: RuleCause,
  weight: number,
  about: string,
  anchors: string[],
  pattern: RegExp | MatchFn,
  positive: string[],
  negative: string[],
  opts: SignalOpts = {},
): SignalRule {
  return { kind: 'signal', id, cause, weight, about, anchors, pattern, examples: { positive, negative }, ...opts }
}

function context(
  id: string,
  tags: string[],
  about: string,
  anchors: string[],
  pattern: RegExp,
  positive: string[],
  negative: string[],
  window?: [number, number],
): ContextRule {
  return { kind: 'context', id, tags, about, anchors, pattern, examples: { positive, negative }, ...(window ? { window } : {}) }
}

function notAuth(
  id: string,
  kind: NotAuthKind,
  weight: number,
  about: string,
  anchors: string[],
  pattern: RegExp,
  positive: string[],
  negative: string[],
  opts: SignalOpts = {},
): SignalRule {
  return signal(id, 'not_auth', weight, about, anchors, pattern, positive, negative, { notAuthKind: kind, ...opts })
}

/** "API Error: 401", "Error code: 401 -", "status code 401", "\"status\":401", "HTTP/1.1 401", "API Error (401 ..." */
const STATUS_PREFIX = String.raw`(?:api error|error code|error|status(?:[ _]?code)?|statuscode|http(?:\/\d(?:\.\d)?)?|returned|response code|code)\W{0,4}`
function statusRe(code: string, tail = ''): RegExp {
  return new RegExp(String.raw`${STATUS_PREFIX}${code}\b${tail ? `|${tail}` : ''}`)
}

// Anthropic error types; the terminal may wrap them after the underscore (normalise joins that again).
const S: Record<string, SymptomId> = {
  failed: 'authentication_failed',
  u401: 'unauthorized_401',
  denied: 'permission_denied',
  expired: 'session_expired',
  token: 'token_validation_failed',
}

/** Two or more different paths ending in /claude (or \claude.exe): several installs on PATH. */
const distinctClaudePaths: MatchFn = (w) => {
  const seen = new Map<string, [number, number]>()
  let from = 0
  for (;;) {
    const at = w.indexOf('claude', from)
    if (at < 0) break
    from = at + 6
    const sep = w.charCodeAt(at - 1)
    if (sep !== 0x2f && sep !== 0x5c) continue
    let end = at + 6
    for (const ext of ['.exe', '.cmd', '.ps1']) if (w.startsWith(ext, end)) end += ext.length
    const next = w.charCodeAt(end)
    if (end < w.length && /[\w./\\-]/.test(String.fromCharCode(next))) continue
    let start = at - 1
    const limit = Math.max(0, at - 200)
    while (start > limit && /[\w.~/\\:@-]/.test(w.charAt(start - 1))) start--
    const path = w.slice(start, end)
    if ((path.match(/[/\\]/g)?.length ?? 0) < 2) continue
    if (/https?:|github\.com|claude\.ai/.test(path)) continue
    const key = path
      .replace(/\\/g, '/')
      .replace(/^[a-z]:/, '')
      .replace(/^(?:~|\/users\/[^/]+|\/home\/[^/]+|\/root|\/users\/\.\.\.|\/home\/\.\.\.)(?=\/)/, '~')
      .replace(/\.(?:exe|cmd|ps1)$/, '')
    if (!seen.has(key)) seen.set(key, [start, end])
    if (seen.size >= 2) {
      const spans = [...seen.values()]
      return [spans[0]![0], spans[1]![1]]
    }
  }
  return null
}

// ---------------------------------------------------------------------------------------------------------------
// expired_session: OAuth login expired, revoked, or its refresh failed
// ---------------------------------------------------------------------------------------------------------------
const EXPIRED: Rule[] = [
  signal(
    'expired.oauth_token_expired',
    'expired_session',
    0.92,
    'the OAuth/access token of the login has expired',
    ['token has expired', 'token expired', 'token is expired', 'token was expired', 'tokens have expired'],
    /\b(?:oauth|access|auth|authentication|login|bearer|claude\.ai|refresh)\s(?:token|tokens)\s(?:has |have |is |was )?expired\b|\boauth token expired/,
    [
      'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"OAuth token has expired."}}',
      'error: access token expired, refreshing failed',
      'claude-code | 2025-05-03T10:00:01Z ERROR auth: oauth token expired (exp=1746266400)',
    ],
    ['my tokens as expired? no idea, support treats them as expired after a day', 'The AWS session token has expired'],
    { symptom: S.expired, tags: ['auth_failure'], alt: { invalid_api_key: 0.2 } },
  ),
  signal(
    'expired.token_revoked',
    'expired_session',
    0.9,
    'the login token was revoked (logout elsewhere, password change, admin action)',
    ['revoked'],
    /\b(?:oauth |access |refresh |auth |login )?token (?:was |has been |is )?revoked|\brevoked (?:oauth |access |refresh )?token|\bsession (?:was |has been )?revoked|\btoken_revoked\b/,
    ['OAuth token revoked · Please run /login', 'Error: 401 token_revoked: the refresh token has been revoked'],
    ['We revoked the old Slack app permissions yesterday.', 'the certificate was revoked by the CA'],
    { symptom: S.expired, tags: ['auth_failure'] },
  ),
  signal(
    'expired.invalid_grant',
    'expired_session',
    0.78,
    'OAuth refresh rejected by the token endpoint (invalid_grant)',
    ['invalid_grant'],
    /\binvalid_grant\b/,
    ['{"error": "invalid_grant", "error_description": "refresh token is no longer valid"}', 'token endpoint said invalid_grant (400)'],
    ['grant_type=refresh_token was sent', 'the grant is invalid for this scope'],
    { symptom: S.expired, tags: ['auth_failure'], alt: { cloud_provider: 0.25 } },
  ),
  signal(
    'expired.refresh_failed',
    'expired_session',
    0.85,
    'refreshing the login token failed',
    ['refresh'],
    /\b(?:token refresh|refreshing (?:the |your )?(?:oauth |access )?token|refresh(?:_| )token)\W{0,4}(?:failed|failure|error|invalid|not found|expired|rejected)|\bfailed to refresh (?:the |your )?(?:oauth |access |auth )?(?:token|session|credentials)|\brefresh token (?:not found|is invalid|invalid|has expired|expired)|\bunable to refresh (?:the |your )?(?:oauth |access )?token/,
    ['Token refresh failed: 400 invalid_grant', 'Error: failed to refresh OAuth token (status 401)', 'refresh_token invalid — please sign in again'],
    ['Press r to refresh the token list', 'the page refresh failed to load the css'],
    { symptom: S.expired, tags: ['auth_failure'] },
  ),
  signal(
    'expired.session_expired',
    'expired_session',
    0.75,
    'the login session has expired',
    ['session expired', 'session has expired', 'session is expired', 'session_expired'],
    /\b(?:login |oauth |auth |authentication |claude |claude\.ai |your |the )?session (?:has |is )?expired\b|\bsession_expired\b/,
    ['Your session has expired. Please log in again.', 'claude: error: session expired (code=session_expired)'],
    ['The SSO session for profile dev has expired', 'the tmux session ended'],
    { symptom: S.expired, tags: ['auth_failure'], suppressedBy: ['cloud_ctx'] },
  ),
  signal(
    'expired.please_login',
    'expired_session',
    0.5,
    'Claude Code asks to sign in again ("Please run /login", "claude auth login")',
    ['/login', 'log in again', 'login again', 'sign in again', 're-authenticate', 'reauthenticate', 'auth login'],
    /\bplease run \/login|\brun \/login to\b|\bplease (?:log|sign) ?in again|\bplease re-?authenticate|\brun [`'"]?claude (?:auth )?login[`'"]? (?:again|to)/,
    ['API Error · Please run /login', 'Authentication required. Please sign in again.', 'run claude auth login to continue'],
    ['I ran /login and it worked', 'docs: the /login command opens the browser'],
    { tags: ['auth_failure'], alt: { missing_api_key: 0.3, invalid_api_key: 0.25 } },
  ),
  signal(
    'expired.authentication_failed',
    'expired_session',
    0.45,
    'generic "authentication failed" (matrix row: re-login first)',
    ['authentication failed', 'failed to authenticate', 'auth failed', 'authentication failure', 'login failed', 'unable to authenticate'],
    /\b(?:authentication|auth|login) (?:has )?failed\b|\bfailed to authenticate\b|\bauthentication failure\b|\bunable to authenticate\b/,
    ['Error: Authentication failed', 'Failed to authenticate. API Error: 401', 'claude exited: login failed (see logs)'],
    ['the authenticator app failed to sync', 'which authentication method should I use?'],
    { symptom: S.failed, tags: ['auth_failure'], alt: { invalid_api_key: 0.3 } },
  ),
  signal(
    'expired.oauth_error',
    'expired_session',
    0.4,
    'the OAuth flow reported an error (often an expired or half-finished login)',
    ['oauth error', 'oauth failed', 'oauth flow failed', 'oauth_error'],
    /\boauth(?: flow)? (?:error|failed)\b|\boauth_error\b/,
    ['OAuth error: timeout of 15000ms exceeded', 'oauth_error: access_denied'],
    ['oauth scopes are listed in the manifest', 'no errors in the oauth logs'],
    { tags: ['auth_failure', 'login_flow'], alt: { remote_login: 0.3, network_blocked: 0.2 } },
  ),
  signal(
    'expired.login_expired',
    'expired_session',
    0.78,
    'the login or its credentials are reported as expired',
    ['expired', 'could not be refreshed'],
    /\b(?:login|sign-in|credentials?|authentication|auth) (?:has |have |is |are )?(?:expired|timed out)\b|\b(?:token|session|credentials?) could not be refreshed\b|\bexpired (?:login|oauth|session|credentials)\b/,
    ['Your login has expired, run /login', 'Error: credentials have expired', 'access token could not be refreshed'],
    ['the login page loads fine', 'expired milk'],
    { symptom: S.expired, tags: ['auth_failure'], suppressedBy: ['cloud_ctx'] },
  ),
  signal(
    'expired.logged_out_repeatedly',
    'expired_session',
    0.6,
    'the login does not stick: logged out again and again, asked to log in every time',
    ['logging me out', 'logged out', 'log in again', 'login again', 'sign in again', 'log in every', 'login every', 'sign in every'],
    /\b(?:keeps?|kept) (?:on )?(?:logging|signing|kicking) (?:me )?out\b|\b(?:asks?|asking|prompts?|prompting|forces?|forcing|requires?) (?:me )?to (?:log|sign) ?in (?:again|every|each)\b|\b(?:randomly|automatically|constantly|keeps? getting) logged out\b|\blogged out (?:randomly|automatically|every|after)\b/,
    ['claude keeps logging me out every few hours', 'It asks me to log in again every morning'],
    ['I logged out and back in and it works', 'log out of the admin panel first'],
    { symptom: S.expired, tags: ['auth_failure'] },
  ),
]

// ---------------------------------------------------------------------------------------------------------------
// invalid_api_key: key deleted, rotated, mistyped, hidden characters; 401 with an invalid key or token
// ---------------------------------------------------------------------------------------------------------------
const INVALID: Rule[] = [
  signal(
    'invalid.x_api_key',
    'invalid_api_key',
    0.93,
    'the API rejected the x-api-key header (401 invalid x-api-key)',
    ['invalid x-api-key', 'invalid x api key', 'invalid_x_api_key'],
    /\binvalid[ _]x[-_ ]api[-_ ]key\b/,
    [
      'Error code: 401 - {type: error, error: {type: authentication_error, message: invalid x-api-key}}',
      '{\\"type\\":\\"error\\",\\"error\\":{\\"message\\":\\"invalid x-api-key\\"}}',
    ],
    ['x-api-key header: set from $ANTHROPIC_API_KEY', 'the x-api-key is valid'],
    { symptom: S.u401, tags: ['auth_failure'] },
  ),
  signal(
    'invalid.invalid_api_key',
    'invalid_api_key',
    0.86,
    'an API key was rejected as invalid, incorrect or unknown',
    ['invalid api key', 'invalid api-key', 'invalid apikey', 'invalid_api_key', 'invalid anthropic api key', 'incorrect api key', 'api key is invalid', 'api key invalid', 'api key was rejected', 'api key rejected', 'api key is not valid', 'key not valid', 'api key provided is invalid', 'invalid key'],
    /\binvalid (?:anthropic )?api[ _-]?key\b|\binvalid_api_key\b|\bapi[ _-]?key (?:you |that you )?(?:provided|entered|supplied|set) (?:is|was) (?:not valid|invalid|incorrect|wrong)\b|\bincorrect (?:anthropic )?api[ _-]?key\b|\bapi[ _-]?key (?:provided )?(?:is |was )?(?:invalid|rejected|not valid)\b|\bkey not valid\b|\binvalid key\b(?! (?:format|length|name))/,
    ['Invalid API key · Please run /login', 'anthropic.AuthenticationError: Error code: 401 - incorrect API key provided', 'HTTP 401: The API key provided is invalid'],
    ['Invalid or missing API key', 'the api key is valid, the model name is wrong', 'invalid key format in the yaml'],
    { symptom: S.u401, tags: ['auth_failure'] },
  ),
  signal(
    'invalid.fix_external_key',
    'invalid_api_key',
    0.9,
    'Claude Code rejects an externally supplied key ("Fix external API key")',
    ['fix external api key', 'external api key'],
    /\bfix external api key\b|\bexternal api key (?:is )?(?:invalid|rejected)/,
    ['Invalid API key · Fix external API key'],
    ['an external api key manager (Vault) holds it'],
    { symptom: S.u401, tags: ['auth_failure'] },
  ),
  signal(
    'invalid.bearer_token',
    'invalid_api_key',
    0.78,
    'an invalid bearer/auth token (ANTHROPIC_AUTH_TOKEN or a proxy token)',
    ['invalid bearer', 'invalid token', 'invalid auth token', 'invalid authorization', 'invalid access token', 'bad token', 'unknown token', 'token is invalid', 'token invalid'],
    /\binvalid (?:bearer|auth|authorization|access) token\b|\binvalid bearer\b|\b(?:bearer |auth |access )?token (?:is )?invalid\b|\binvalid authorization header\b/,
    ['401 Unauthorized: Invalid bearer token', 'proxy: invalid authorization header'],
    ['invalid token in the json near line 3', 'Token is valid until Friday'],
    { symptom: S.u401, tags: ['auth_failure'], alt: { expired_session: 0.3 }, suppressedBy: ['cloud_ctx'] },
  ),
  signal(
    'invalid.authentication_error',
    'invalid_api_key',
    0.55,
    'API error.type authentication_error (a 401 on the key or token)',
    ['authentication_error', 'authenticationerror'],
    /\bauthentication_?error\b/,
    ['{"type":"error","error":{"type":"authentication_error","message":"..."}}', "anthropic.AuthenticationError: Error code: 401"],
    ['authentication errors are rare here', 'on authentication, errors are logged'],
    { symptom: S.u401, tags: ['auth_failure'], alt: { expired_session: 0.35 } },
  ),
  signal(
    'invalid.http_401',
    'invalid_api_key',
    0.5,
    'HTTP 401 Unauthorized from the API or a proxy',
    ['401'],
    statusRe('401', String.raw`\b401\W{0,3}(?:unauthori[sz]ed|invalid|authentication)|\bunauthori[sz]ed\W{0,3}\(?401\b|\(401\)`),
    ['API Error: 401 {"type":"error"}', 'HTTP/1.1 401 Unauthorized', 'request failed (status code: 401)'],
    ['this returns a 401 in the docs example', 'ticket 401 closed', 'port 4010'],
    { symptom: S.u401, tags: ['auth_failure'], alt: { expired_session: 0.35 } },
  ),
  signal(
    'invalid.invalid_credentials',
    'invalid_api_key',
    0.5,
    'the server rejected the credentials (401 row of the matrix)',
    ['invalid credentials', 'invalid authentication credentials', 'invalid api credentials', 'credentials are', 'credentials were', 'bad credentials', 'unauthorized', 'unauthorised'],
    /\binvalid (?:authentication |api )?credentials\b|\bcredentials (?:are |were )?(?:invalid|rejected)\b|\bbad credentials\b|\bunauthori[sz]ed\b(?! (?:to|access to) (?:use|perform|call) (?:the |this )?(?:tool|bash))/,
    ['Invalid authentication credentials', 'Unauthorized', 'error: credentials were rejected by the server'],
    ['the credentials page in the console', 'which credentials do you use?'],
    { symptom: S.u401, tags: ['auth_failure'], alt: { expired_session: 0.35 }, suppressedBy: ['cloud_ctx'] },
  ),
  signal(
    'invalid.hidden_characters',
    'invalid_api_key',
    0.72,
    'the key carries hidden characters (trailing newline, space, quotes) from copy-paste or CI secrets',
    ['trailing', 'hidden character', 'invisible character', 'whitespace', 'newline', 'cat -a', 'carriage return', '^m'],
    /\b(?:trailing|hidden|invisible|extra|stray|leading)\s(?:whitespace|white space|newlines?|characters?|spaces?|carriage returns?|crlf|\\n)[\s\S]{0,160}(?:api[ _-]?key|x-api-key|anthropic_api_key|secret|header)|\b(?:api[ _-]?key|x-api-key|anthropic_api_key)[\s\S]{0,160}(?:trailing|hidden|invisible|stray)\s(?:whitespace|white space|newlines?|characters?|spaces?|carriage)|sk-ant-[\w-]{4,}\^m\$?/,
    ['the key copied from the console had a trailing newline, so ANTHROPIC_API_KEY was rejected', 'echo -n "$ANTHROPIC_API_KEY" | cat -A\nsk-ant-api03-abcd^M$'],
    ['trailing whitespace in the README', 'the api key works fine'],
    { symptom: S.u401, tags: ['auth_failure'] },
  ),
  signal(
    'invalid.key_rotated_or_deleted',
    'invalid_api_key',
    0.55,
    'the key in use was rotated, deleted, disabled or replaced',
    ['rotated', 'deleted', 'disabled', 'regenerated', 'revoked', 'old key', 'old api key', 'new key'],
    /\b(?:api[ _-]?key|the key|my key|our key|old key)s? (?:was |were |has been |have been |got )?(?:rotated|deleted|disabled|regenerated|revoked|deactivated)\b|\b(?:rotated|deleted|disabled|regenerated|revoked) (?:the |my |our |an |that )?(?:old )?(?:api[ _-]?)?key\b|\b(?:still )?using (?:an |the )?old (?:api )?key\b|\bthis api key (?:has been |is )?disabled/,
    ['after the admin rotated the API key everything returns 401', 'This API key has been disabled.'],
    ['key rotation is planned for next quarter', 'the disabled button key'],
    { symptom: S.u401, tags: ['auth_failure'], alt: { account_restricted: 0.2 } },
  ),
  signal(
    'invalid.key_format',
    'invalid_api_key',
    0.6,
    'the key looks malformed (wrong prefix, truncated, quoted, wrong kind of key)',
    ['sk-ant-', 'key format', 'does not start with', 'malformed api key', 'malformed key'],
    /\b(?:malformed|truncated|wrong) (?:anthropic )?(?:api[ _-]?)?key\b|\b(?:api[ _-]?key|key) (?:format (?:is )?(?:invalid|wrong)|does not start with)|\binvalid (?:api[ _-]?)?key format\b/,
    ['Error: malformed API key (expected sk-ant-...)', 'api key format is invalid'],
    ['sk-ant- is the prefix of Anthropic keys', 'key format: sk-ant-api03-...'],
    { symptom: S.u401, tags: ['auth_failure'] },
  ),
]

// ---------------------------------------------------------------------------------------------------------------
// missing_api_key: no credential where the process runs
// ---------------------------------------------------------------------------------------------------------------
const MISSING: Rule[] = [
  signal(
    'missing.key_not_set',
    'missing_api_key',
    0.82,
    'the API key variable is unset, empty or not found where the process runs',
    ['api key', 'api_key', 'apikey', 'api-key'],
    /\b(?:anthropic[ _-])?api[ _-]?key\W{0,3}(?:environment variable |env var |variable |value )?(?:is |was |are |has )?(?:not set|unset|not defined|undefined|not found|missing|misisng|empty|not provided|not configured|blank|not been set|not present|not available|not passed)\b|\b(?:missing|no|empty) (?:anthropic )?api[ _-]?key\b(?! (?:needed|required) for)|\bapi key not found\b|\bno api key (?:available|found|set|provided|configured)\b|\b(?:an |the )?api[ _-]?key (?:is |was )?required\b|\bapi_key client option must be set\b/,
    ['Error: ANTHROPIC_API_KEY environment variable is not set', 'Auth error: No API key available', 'litellm.AuthenticationError: Missing Anthropic API Key', 'API key not found', 'An API key is required'],
    ['no API key needed for the local model', 'set the api key in your .env file', 'the api key is set correctly'],
    { symptom: S.failed, tags: ['auth_failure', 'missing_word'] },
  ),
  signal(
    'missing.cannot_resolve_auth',
    'missing_api_key',
    0.8,
    'the SDK found neither an API key nor an auth token ("Could not resolve authentication method")',
    ['could not resolve authentication method', 'expected either apikey or authtoken', 'apikey or authtoken'],
    /\bcould not resolve authentication method\b|\bexpected either apikey or authtoken\b/,
    ['Error: Could not resolve authentication method. Expected either apiKey or authToken to be set.'],
    ['the authentication method could be resolved from settings.json'],
    { symptom: S.failed, tags: ['auth_failure', 'missing_word'] },
  ),
  signal(
    'missing.header_required',
    'missing_api_key',
    0.85,
    'the request carried no key at all (401 "x-api-key header is required")',
    ['header is required', 'header required', 'missing authentication header', 'no authorization header'],
    /\b(?:x-api-key|authorization) header (?:is )?required\b|\bmissing (?:authentication|authorization|x-api-key) header\b|\bno (?:authorization|x-api-key) header\b/,
    ['{"type":"authentication_error","message":"x-api-key header is required"}'],
    ['the x-api-key header is set by the SDK'],
    { symptom: S.u401, tags: ['auth_failure', 'missing_word'] },
  ),
  signal(
    'missing.invalid_or_missing',
    'missing_api_key',
    0.75,
    '"invalid or missing" key: usually nothing was picked up',
    ['invalid or missing', 'missing or invalid'],
    /\b(?:invalid or missing|missing or invalid) (?:anthropic )?(?:api[ _-]?key|credentials|token|auth)/,
    ['Error: invalid or missing API key', 'missing or invalid credentials'],
    ['invalid or missing fields in the form'],
    { symptom: S.u401, tags: ['auth_failure', 'missing_word'], alt: { invalid_api_key: 0.45 } },
  ),
  signal(
    'missing.not_logged_in',
    'missing_api_key',
    0.7,
    'no credential at all: not logged in and no key',
    ['not logged in', 'not signed in', 'not authenticated', 'no credentials', 'unauthenticated'],
    /\bnot (?:logged|signed) in\b|\bnot authenticated\b|\bno (?:valid )?credentials (?:found|available|configured|provided)\b/,
    ['Not logged in · Please run /login', 'Error: not authenticated. Run claude auth login.'],
    ['I am logged in now', 'logged in as alice@example.com'],
    { symptom: S.failed, tags: ['auth_failure', 'missing_word'], alt: { expired_session: 0.45 }, suppressedBy: ['cloud_ctx'] },
  ),
  signal(
    'missing.env_required',
    'missing_api_key',
    0.8,
    'a wrapper or CI action requires a credential variable that is not there',
    ['is required', 'are required', 'must be set', 'please set', 'needs to be set', 'not set'],
    /\b(?:anthropic_api_key|claude_code_oauth_token|anthropic_auth_token)\W{0,3}(?:(?:or|and\/or) (?:anthropic_api_key|claude_code_oauth_token|anthropic_auth_token) )?(?:is |are )?(?:required|must be set|needs to be set)\b|\bplease set (?:the )?[`'"]?(?:anthropic_api_key|claude_code_oauth_token)\b(?:[`'"]? (?:in|as) your)?/,
    ['Error: Either ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN is required', 'Please set ANTHROPIC_API_KEY in your environment'],
    ['ANTHROPIC_API_KEY is optional when you log in with /login'],
    { symptom: S.failed, tags: ['auth_failure', 'missing_word'] },
  ),
  signal(
    'missing.echo_empty',
    'missing_api_key',
    0.55,
    'echo of the key variable printed nothing (the next line is a prompt again)',
    ['echo $anthropic_api_key', 'echo $env:anthropic_api_key', 'echo %anthropic_api_key%'],
    /\becho (?:"?\$(?:env:)?anthropic_api_key"?|%anthropic_api_key%)\s*\n\s*(?:\$|#|>|%|ps [a-z]:|[\w.@-]{1,40}[:@][^\n]{0,60}[$#%>])/,
    ['$ echo $ANTHROPIC_API_KEY\n$ claude', 'PS C:\\> echo $env:ANTHROPIC_API_KEY\nPS C:\\>'],
    ['$ echo $ANTHROPIC_API_KEY\nsk-ant-api03-xxxx'],
    { tags: ['missing_word'] },
  ),
  signal(
    'missing.container_env',
    'missing_api_key',
    0.6,
    'the key is not passed into a container or CI job (containers start with a clean environment)',
    ['docker', 'container', 'compose', 'github actions', 'ci ', 'pipeline', 'secrets.'],
    /\b(?:not (?:passed|forwarded|available|visible)|missing|empty|isn'?t (?:passed|set)) (?:in|into|inside|to) (?:the |my |a )?(?:docker |dev ?)?(?:container|docker|ci|pipeline|workflow|job|runner)\b|\b(?:docker|container|ci|workflow|runner)[\s\S]{0,60}(?:does not|doesn'?t|did not|didn'?t) (?:have|get|see|pass|receive|inherit) (?:the )?(?:anthropic_api_key|api key|env(?:ironment)? var)/,
    ['the key is not passed into the container, docker run has no -e', 'the CI runner does not have the ANTHROPIC_API_KEY secret'],
    ['docker run -e ANTHROPIC_API_KEY works great'],
    { tags: ['missing_word'] },
  ),
  signal(
    'missing.shell_not_reloaded',
    'missing_api_key',
    0.55,
    'the variable was added to the shell config but this shell never re-read it (new terminal, source ~/.zshrc)',
    ['source', 'reload', 'restart', 'new terminal', 'another terminal', 'other terminal'],
    /\b(?:forgot|forget|didn'?t|did not|had to|needed to|need to) (?:to )?(?:source|reload|re-?open|restart) (?:the |my |your )?(?:~\/)?(?:\.bashrc|\.zshrc|\.profile|\.bash_profile|\.zprofile|shell|terminal)\b|\b(?:new|another|other|second|different) (?:terminal|shell|tab|window)\b[^\n.]{0,60}\b(?:not set|empty|missing|blank|undefined|doesn'?t (?:have|see)|does not (?:have|see))\b|\b(?:works?|set) in (?:one|this) (?:terminal|shell)\b[^\n.]{0,40}\bnot (?:in )?(?:another|the other)\b/,
    ['I forgot to source ~/.zshrc after adding the export', 'in a new terminal ANTHROPIC_API_KEY is empty'],
    ['source code is on GitHub', 'open a new terminal tab for the logs'],
    { tags: ['missing_word'] },
  ),
]

// ---------------------------------------------------------------------------------------------------------------
// corrupted_credentials: local credential state broken
// ---------------------------------------------------------------------------------------------------------------
const CREDFILE = String.raw`(?:\.claude\.json|\.credentials\.json|\.claude\/config\.json|claude configuration file|configuration file|config file|credentials? file|credential store|credentials\.json)`
const PARSE_FAIL = String.raw`(?:is )?(?:corrupted|corrupt|malformed|damaged|truncated|invalid json|not valid json|unexpected end of json|json parse error|syntaxerror|unexpected token|unterminated string|could not be parsed|failed to parse|parse error)`
const CORRUPTED: Rule[] = [
  signal(
    'corrupted.config_file',
    'corrupted_credentials',
    0.86,
    'the config or credentials file (~/.claude.json, ~/.claude/.credentials.json) does not parse',
    ['.claude.json', '.credentials.json', 'configuration file', 'config file', 'credentials file', 'credential file', 'credential store'],
    new RegExp(String.raw`${CREDFILE}[\s\S]{0,100}?${PARSE_FAIL}|${PARSE_FAIL}[\s\S]{0,100}?(?:\.claude\.json|\.credentials\.json|\.claude\/)`),
    [
      'Claude configuration file at /home/dev/.claude.json is corrupted: Unexpected end of JSON input',
      'SyntaxError: Unexpected token } in JSON at position 311 while reading /Users/kim/.claude/.credentials.json',
    ],
    ['rm ~/.claude/.credentials.json and log in again', 'the config file is fine'],
    { symptom: S.token, tags: ['auth_failure'] },
  ),
  signal(
    'corrupted.backup_files',
    'corrupted_credentials',
    0.7,
    'Claude Code moved a broken config aside (.claude.json.corrupted.*)',
    ['.claude.json.corrupted', '.claude.json.backup', '.json.corrupted'],
    /\.claude\.json\.(?:corrupted|backup)\b|\.credentials\.json\.corrupted/,
    ['ls ~ shows .claude.json.corrupted.1714000000 files piling up'],
    ['~/.claude.json holds the settings'],
    { symptom: S.token, tags: ['auth_failure'] },
  ),
  signal(
    'corrupted.token_validation',
    'corrupted_credentials',
    0.8,
    'the stored token does not validate (malformed, corrupted, not found)',
    ['token validation failed', 'validate token', 'validate the token', 'malformed', 'corrupted token', 'token is corrupt', 'credentials are corrupt', 'corrupted credentials', 'token could not be decoded', 'invalid token format'],
    /\btoken validation failed\b|\bfailed to validate (?:the |your )?(?:oauth |access |auth )?token\b|\b(?:token|credentials?) (?:is |are |was |were )?(?:malformed|corrupted|corrupt)\b|\bnot found or is malformed\b|\bmalformed (?:oauth |access |auth )?token\b|\bcorrupted (?:oauth |auth )?(?:token|credentials?)\b|\btoken could not be decoded\b|\binvalid token format\b/,
    ['Error: Token validation failed', '{"message":"Invalid OAuth token. The token is malformed."}', 'stored credentials are corrupted, please log in again'],
    ['token validation passed', 'the malformed yaml in the workflow'],
    { symptom: S.token, tags: ['auth_failure'] },
  ),
  signal(
    'corrupted.keychain_not_writable',
    'corrupted_credentials',
    0.78,
    'the macOS Keychain is locked or not writable, so the login cannot be stored or read',
    ['keychain'],
    /\bkeychain (?:is )?(?:not writable|locked|not accessible|unavailable|could not be (?:read|written|unlocked))\b|\b(?:unlock|unlocking) (?:the |your )?(?:login )?keychain\b|\bkeychain access (?:denied|failed)\b|\bfailed to (?:save|store|read|write) (?:credentials|the token|token)? ?(?:to|from|in) (?:the )?keychain\b/,
    ['macOS Keychain is not writable', 'Error: failed to store credentials in the keychain (locked)'],
    ['I clicked always allow on the keychain prompt', 'keychain entries are listed in Keychain Access'],
    { symptom: S.token, tags: ['auth_failure', 'keychain'] },
  ),
  signal(
    'corrupted.security_cli',
    'corrupted_credentials',
    0.62,
    'the macOS `security` tool failed on the "Claude Code" credentials item (SecKeychain*, errSec*, -25299/-25300/-25308)',
    ['seckeychain', 'generic-password', 'errsec', '-25299', '-25300', '-25308', '-25293', 'security:'],
    /\bseckeychain\w*|\b(?:find|add|delete)-generic-password\b|\berrsec\w+|(?:^|[^\d])-2(?:5299|5300|5308|5293)\b|\bsecurity: [^\n]{0,80}keychain/,
    [
      'security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.',
      'add-generic-password: returned -25299',
      'Command failed: security find-generic-password -s "Claude Code-credentials" -w',
    ],
    ['security: use a password manager', 'the keychain item looks fine to me'],
    { symptom: S.token, tags: ['keychain'] },
  ),
  signal(
    'corrupted.file_permissions',
    'corrupted_credentials',
    0.75,
    'the credential files are not readable or writable (EACCES/EPERM on ~/.claude*)',
    ['.claude.json', '.claude/', '.credentials.json', '.config/claude'],
    /\b(?:eacces|eperm|erofs|permission denied|operation not permitted|read-only file system)[\s\S]{0,100}(?:\.claude\.json|\.credentials\.json|\.claude\/|\.config\/claude)|(?:\.claude\.json|\.credentials\.json|\.claude\/)[^\n]{0,80}\b(?:eacces|eperm|permission denied|read-only)\b/,
    ["Error: EACCES: permission denied, open '/home/dev/.claude.json'", "EPERM: operation not permitted, rename 'C:\\Users\\ana\\.claude\\.credentials.json.tmp'"],
    ["EACCES: permission denied, mkdir '/usr/local/lib/node_modules'", 'chmod 600 ~/.claude/.credentials.json'],
    { symptom: S.token, tags: ['auth_failure'] },
  ),
  signal(
    'corrupted.manual_edit',
    'corrupted_credentials',
    0.55,
    'credential files were edited by hand or half-written (crash, disk full)',
    ['.claude.json', '.credentials.json', 'credentials file'],
    /\b(?:edited|changed|modified|touched) (?:the |my |~\/)?(?:\.claude\.json|\.credentials\.json|\.claude\/\.credentials\.json|credentials file)(?: (?:by hand|manually))?|(?:\.claude\.json|\.credentials\.json)[^\n]{0,60}\b(?:is )?(?:empty|0 bytes|zero bytes|half[- ]written)\b/,
    ['I edited ~/.claude/.credentials.json by hand and now login fails', '.credentials.json is 0 bytes after the crash'],
    ['do not edit the credentials file', '.claude.json stores project settings'],
    { symptom: S.token, tags: ['auth_failure'] },
  ),
]

// ---------------------------------------------------------------------------------------------------------------
// network_blocked: firewall, VPN, proxy, TLS inspection, DNS, region blocks
// ---------------------------------------------------------------------------------------------------------------
const NETWORK: Rule[] = [
  signal(
    'network.errno',
    'network_blocked',
    0.74,
    'a socket-level errno on the way to the API (ECONNREFUSED, ETIMEDOUT, ENOTFOUND, ECONNRESET, EAI_AGAIN, ...)',
    ['econnrefused', 'etimedout', 'enotfound', 'econnreset', 'eai_again', 'ehostunreach', 'enetunreach', 'econnaborted', 'esockettimedout', 'und_err_connect_timeout', 'und_err_socket', 'err_socket_connection_timeout', 'enetdown'],
    /\b(?:econnrefused|etimedout|enotfound|econnreset|eai_again|ehostunreach|enetunreach|enetdown|econnaborted|esockettimedout|und_err_connect_timeout|und_err_socket|err_socket_connection_timeout)\b/,
    ['Failed to connect to api.anthropic.com: ECONNREFUSED', 'Error: getaddrinfo ENOTFOUND api.anthropic.com', 'connect ETIMEDOUT 160.79.104.10:443'],
    ['ERR_CONNECTION_REFUSED in the browser tab', 'the enotfoundation library'],
    { suppressedBy: ['mcp_subject'] },
  ),
  signal(
    'network.tls_interception',
    'network_blocked',
    0.86,
    'TLS inspection or a private CA (self-signed chain, unknown issuer, certificate verify failed)',
    ['self signed', 'self-signed', 'self_signed', 'local issuer', 'issuer cert', 'unable_to_get_issuer', 'unable_to_verify', 'cert_has_expired', 'certificate has expired', 'certificate verify failed', 'ssl certificate problem', 'x509:', 'certificate chain', 'tls handshake', 'err_tls', 'unable to verify the first certificate'],
    /\bself[- ]signed cert\w* (?:in (?:the )?(?:certificate )?chain|detected|error|problem)\b|\b(?:error|err|failed|reason|typeerror)\W{1,3}(?:[\w-]+ ){0,3}self[- ]signed cert\w*|\bself_signed_cert_in_chain\b|\bdepth_zero_self_signed_cert\b|\bunable_to_get_issuer_cert\w*|\bunable to (?:get|verify) (?:the )?(?:local issuer|first) cert\w*|\bunable_to_verify_leaf_signature\b|\bcert_has_expired\b|\bcertificate has expired\b|\berr_tls_\w+|\bcertificate verify failed\b|\bssl certificate problem\b|\bx509: certificate\b|\bself[- ]signed certificate (?:in certificate chain|detected)|\btls handshake (?:failed|timeout|error)/,
    ['Error (self signed certificate in certificate chain) (SELF_SIGNED_CERT_IN_CHAIN)', 'unable to get local issuer certificate', 'curl: (60) SSL certificate problem: unable to get local issuer certificate'],
    ['we use a self-signed cert for the staging dashboard only', 'certificate renewal is on Monday'],
  ),
  signal(
    'network.cannot_reach_api',
    'network_blocked',
    0.86,
    'Claude Code cannot reach Anthropic at all ("Unable to connect to Anthropic services", "Failed to connect to api.anthropic.com")',
    ['unable to connect', 'failed to connect to', 'could not connect to', 'cannot connect to', "can't connect to", 'connection to api.anthropic.com'],
    /\b(?:unable to|failed to|could not|cannot|can'?t) connect to (?:anthropic(?: services)?|the (?:anthropic )?api|api\b|(?:api|console|statsig|claude|platform)\.(?:anthropic|claude)\.com|claude\.ai|anthropic's (?:servers|api))/,
    ['Unable to connect to Anthropic services', 'Failed to connect to api.anthropic.com: ERR_BAD_REQUEST', 'API Error: Unable to connect to API'],
    ['unable to connect to the database on port 5432', 'failed to connect to XcodeBuildMCP'],
    { suppressedBy: ['mcp_subject'] },
  ),
  signal(
    'network.fetch_failed',
    'network_blocked',
    0.72,
    'the HTTP client never got a response (fetch failed, Connection error, socket hang up, network error)',
    ['fetch failed', 'connection error', 'socket hang up', 'network error', 'network is unreachable', 'connection reset', 'connection refused', 'apiconnectionerror', 'connect timeout', 'other side closed'],
    /\bfetch failed\b|\bapi error \(connection error\.?\)|\bapiconnectionerror\b|\bconnection error\b|\bsocket hang up\b|\bnetwork (?:error|is unreachable)\b|\bconnection (?:reset|refused)(?: by peer)?\b|\bconnect timeout error\b|\bother side closed\b/,
    ['API Error (Connection error.) · Retrying in 2 seconds… (attempt 2/10)\n  TypeError (fetch failed)', 'anthropic.APIConnectionError: Connection error.', 'Error: socket hang up'],
    ['no connection errors since Tuesday?', 'fetch data failed validation'],
    { suppressedBy: ['mcp_subject'] },
  ),
  signal(
    'network.timeout',
    'network_blocked',
    0.6,
    'requests to the API time out (often a proxy or VPN swallowing traffic)',
    ['timed out', 'timeout of', 'timeout error', 'request timeout', 'apitimeouterror', 'connect timeout'],
    /\brequest timed out\b|\bapi error \(request timed out\.?\)|\btimeout of \d+ ?ms exceeded\b|\bapitimeouterror\b|\bconnection timed out\b|\b(?:request|connect|connection) timeout\b/,
    ['API Error (Request timed out.) · Retrying in 4 seconds… (attempt 4/10)', 'AxiosError: timeout of 30000ms exceeded'],
    ['the test timed out locally', 'timeout of the session is 8 hours'],
    { suppressedBy: ['mcp_subject'] },
  ),
  signal(
    'network.dns',
    'network_blocked',
    0.72,
    'the API host name does not resolve (DNS)',
    ['could not resolve host', 'getaddrinfo', 'name or service not known', 'temporary failure in name resolution', 'nodename nor servname', 'dns'],
    /\bcould not resolve host\b|\bgetaddrinfo\b|\bname or service not known\b|\btemporary failure in name resolution\b|\bnodename nor servname\b|\bdns (?:lookup|resolution) (?:failed|error)\b/,
    ['curl: (6) Could not resolve host: api.anthropic.com', 'getaddrinfo EAI_AGAIN api.anthropic.com'],
    ['we changed the DNS records for the website'],
    { suppressedBy: ['mcp_subject'] },
  ),
  signal(
    'network.proxy_auth',
    'network_blocked',
    0.8,
    'a proxy stands in the way (407, tunnel failed, proxy refused)',
    ['407', 'proxy authentication required', 'tunneling socket', 'proxy error', 'proxyerror', 'proxy refused', 'bad gateway from proxy'],
    /\b407\b[^\n]{0,30}proxy|\bproxy authentication required\b|\btunneling socket could not be established\b|\bproxy ?error\b|\bproxy (?:refused|rejected|blocked)/,
    ['HTTP/1.1 407 Proxy Authentication Required', 'tunneling socket could not be established, statusCode=403'],
    ['the proxy config is in settings.json'],
  ),
  signal(
    'network.region',
    'network_blocked',
    0.82,
    'the service refuses the country or region the request comes from (also via VPN exits)',
    ['available in your', 'supported in your', 'unsupported country', 'unsupported_country', 'unsupported region', 'unsupported_region', 'supported countries', 'supported-countries', 'not supported in your', 'unavailable in your', 'app unavailable in region', 'region is not supported', 'country is not supported'],
    /\bnot (?:be |yet be |yet )?(?:available|supported) in your (?:country|region|location)\b|\bunsupported[ _](?:country|region|location)|\bsupported[- ]countries\b|\bunavailable in (?:your )?(?:country|region)\b|\b(?:country|region|location) (?:is )?not supported\b/,
    ['Note: Claude Code might not be available in your country.', 'Error: unsupported_country_region_territory: Country, region, or territory not supported'],
    ['available in your region since May, per the blog', 'region: us-east-1'],
    { symptom: S.denied },
  ),
  signal(
    'network.request_not_allowed',
    'network_blocked',
    0.6,
    '403 "Request not allowed": the request was refused before auth (VPN exit, region, edge block)',
    ['request not allowed', 'forbidden request'],
    /\brequest not allowed\b/,
    ['API Error: 403 {"error":{"type":"forbidden","message":"Request not allowed"}}'],
    ['this request is allowed'],
    { symptom: S.denied, alt: { account_restricted: 0.4 } },
  ),
  signal(
    'network.vpn_firewall',
    'network_blocked',
    0.55,
    'the report ties the failure to a VPN, firewall, TLS-inspecting proxy or corporate network',
    ['vpn', 'firewall', 'zscaler', 'netskope', 'mitm', 'content inspection', 'tls inspection', 'ssl inspection', 'corporate proxy', 'corporate network', 'enterprise network', 'split tunnel'],
    /\b(?:works?|worked|working) (?:again |fine |now )?(?:after|when|once|if) (?:i )?(?:disabl\w+|turn\w* off|disconnect\w*|switch\w* off)[^\n.]{0,20}\bvpn\b|\bvpn\b[^\n.]{0,60}\b(?:block\w*|interfer\w*|break\w*|caus\w*|fail\w*)|\b(?:zscaler|netskope|forcepoint|bluecoat|palo alto globalprotect)\b|\b(?:mitm|tls|ssl|content) (?:inspection|interception)\b|\b(?:corporate|company|enterprise|office) (?:proxy|firewall|network|vpn)\b[^\n.]{0,80}\b(?:block\w*|fail\w*|error|refus\w*|inspect\w*|filter\w*|intercept\w*)|\bsplit tunnel\w*/,
    ['works fine once I disconnect from the VPN', 'our Zscaler proxy intercepts TLS', 'corporate firewall blocks the OAuth callback'],
    ['vpn.example.com is the docs host', 'firewall rules are in the wiki'],
    { tags: ['proxy_ctx'] },
  ),
  signal(
    'network.edge_block',
    'network_blocked',
    0.7,
    'an edge network (Cloudflare) or gateway blocks the request before the API sees it',
    ['cloudflare', 'attention required', 'sorry, you have been blocked', 'error 1020', 'access denied | '],
    /\bcloudflare\b[^\n]{0,80}\b(?:block\w*|restrict\w*|denied|challenge|1020|403)\b|\battention required!? \| cloudflare\b|\bsorry, you have been blocked\b|\berror 1020\b/,
    ['Access denied | api.anthropic.com used Cloudflare to restrict access', '<title>Attention Required! | Cloudflare</title>'],
    ['we host the docs on cloudflare pages'],
    { alt: { account_restricted: 0.2 } },
  ),
  signal(
    'network.curl_errors',
    'network_blocked',
    0.72,
    'curl to the API fails at the network layer (curl: (6)/(7)/(28)/(35)/(56)/(60))',
    ['curl: ('],
    /\bcurl: \((?:5|6|7|28|35|52|56|60)\)/,
    ['curl: (7) Failed to connect to api.anthropic.com port 443 after 3 ms', 'curl: (28) Connection timed out after 10001 milliseconds'],
    ['curl: (22) The requested URL returned error: 404'],
  ),
]

// ---------------------------------------------------------------------------------------------------------------
// multiple_installs: several claude binaries, old npm install beside the native one, broken install
// ---------------------------------------------------------------------------------------------------------------
const INSTALLS: Rule[] = [
  signal(
    'installs.multiple_found',
    'multiple_installs',
    0.93,
    '`claude doctor` reports several installations or a leftover npm one',
    ['multiple installations', 'multiple installs', 'leftover npm', 'npm-global at', 'installations found', 'multiple claude'],
    /\bmultiple (?:claude(?: code)? )?install(?:ation)?s? (?:found|detected)\b|\bleftover npm(?: global)? install\w*|\bnpm-global at\b[\s\S]{0,120}\bnative at\b|\bnative at\b[\s\S]{0,120}\bnpm-global at\b|\bmultiple (?:claude(?: code)? )?(?:installations|binaries|versions) (?:on|in) (?:your |the )?path\b/,
    ['Warning: Multiple installations found\n └ npm-global at /usr/local/bin/claude\n └ native at ~/.local/bin/claude', 'Warning: Leftover npm global installation at /opt/homebrew/bin/claude'],
    ['claude doctor: all good, one installation', 'avoid multiple installations per the docs'],
  ),
  signal(
    'installs.install_method_mismatch',
    'multiple_installs',
    0.62,
    'the config install method disagrees with the running binary (npm vs native)',
    ['install method', 'installmethod', 'switched from npm', 'native installer'],
    /\bconfig install method(?: is)?:? '?(?:unknown|npm|native|global)|\brunning native installation but config install method\b|\binstallmethod['"]?\s?[:=]\s?['"]?(?:unknown|npm)|\bswitched from npm to (?:the )?native installer\b/,
    ["Warning: Running native installation but config install method is 'unknown'", 'Claude Code has switched from npm to native installer. Run `claude install`'],
    ['see the native installer docs'],
  ),
  signal(
    'installs.distinct_paths',
    'multiple_installs',
    0.75,
    'two different `claude` binaries show up (which -a claude, doctor output, PATH)',
    ['/claude', '\\claude'],
    distinctClaudePaths,
    ['$ which -a claude\n/usr/local/bin/claude\n/home/ana/.local/bin/claude', 'C:\\Users\\li\\AppData\\Roaming\\npm\\claude.cmd and C:\\Users\\li\\.local\\bin\\claude.exe'],
    ['$ which claude\n/home/ana/.local/bin/claude', 'see https://github.com/anthropics/claude-code/issues and /opt/homebrew/bin/claude'],
    { window: [400, 400] },
  ),
  signal(
    'installs.npm_package_broken',
    'multiple_installs',
    0.7,
    'the npm package of Claude Code is half-installed or clashes with another copy (ENOTEMPTY, EEXIST, missing module)',
    ['@anthropic-ai/claude-code', '@anthropic-ai/.claude-code', 'claude-code/cli.js'],
    /\b(?:enotempty|eexist|file exists|cannot find module|module not found)\b[\s\S]{0,200}@anthropic-ai\/\.?claude-code|@anthropic-ai\/\.?claude-code[\s\S]{0,200}\b(?:enotempty|eexist|cannot find module|module not found)\b/,
    ["npm ERR! ENOTEMPTY: directory not empty, rename '/usr/lib/node_modules/@anthropic-ai/claude-code'", "Error: Cannot find module './vendor/x.wasm'\nRequire stack:\n- /usr/lib/node_modules/@anthropic-ai/claude-code/cli.js"],
    ['npm i -g @anthropic-ai/claude-code finished in 4s'],
  ),
  signal(
    'installs.bin_exists',
    'multiple_installs',
    0.72,
    'installing claude collides with an existing binary (EEXIST on .../bin/claude)',
    ['eexist', 'file exists', 'already exists'],
    /\b(?:eexist|file exists|already exists)\b[\s\S]{0,160}\bbin[\\/]claude\b|\bbin[\\/]claude\b[^\n]{0,80}\b(?:eexist|file exists|already exists)\b/,
    ['npm ERR! code EEXIST\nnpm ERR! path /usr/local/bin/claude\nnpm ERR! EEXIST: file already exists'],
    ['EEXIST: file already exists, mkdir /tmp/x'],
  ),
  signal(
    'installs.stale_version',
    'multiple_installs',
    0.62,
    'after an update the old version still runs: another copy comes first on PATH',
    ['version', 'still', 'old version', 'older version'],
    /\b(?:claude --version|claude -v|version) (?:still )?(?:shows|says|reports|prints|returns|is stuck (?:at|on))\b[^\n]{0,60}\b(?:old|older|previous|same)\b|\bstill (?:shows|runs|on|using|uses) (?:the )?(?:old|older|previous) (?:version|build|binary|install\w*)\b|\b(?:updated|upgraded|reinstalled)\b[^\n.]{0,60}\bbut\b[^\n.]{0,40}\b(?:old|older|previous) version\b/,
    ['after claude update, claude --version still shows the old 1.0.30', 'I upgraded but it still runs the old version'],
    ['the old version had a nicer prompt'],
  ),
  signal(
    'installs.path_shadowing',
    'multiple_installs',
    0.62,
    'the binary Claude Code expects is not the one on PATH (~/.local/bin not in PATH, another claude first)',
    ['not in your path', 'command not found at', 'which claude', 'which -a claude', 'where claude', 'get-command claude'],
    /\bclaude (?:command )?not found at\b|\b(?:~\/)?\.local\/bin is not in (?:your )?path\b|\bwhich (?:-a )?claude\b[\s\S]{0,120}\b(?:shows|points|returns|gives|resolves)|\b(?:older|old|another|different|second) (?:version of |copy of )?claude\b[^\n.]{0,40}\b(?:in|on|first in) (?:my |the )?path\b/,
    ['Claude command not found at /home/ana/.local/bin/claude\n ~/.local/bin is not in your PATH', '`which claude` shows /usr/local/bin/claude but the native one is elsewhere'],
    ['claude is in my path', 'run which claude to see'],
  ),
  signal(
    'installs.which_a_hint',
    'multiple_installs',
    0.3,
    '`which -a claude` / `where claude` output pasted (weak: only several paths make it a finding)',
    ['which -a claude', 'where claude', 'where.exe claude', 'type -a claude'],
    /\b(?:which -a|type -a|where(?:\.exe)?) claude\b/,
    ['$ which -a claude'],
    ['which version of claude?'],
  ),
]

// ---------------------------------------------------------------------------------------------------------------
// account_restricted: billing, organization policy, suspended account, plan without Claude Code
// ---------------------------------------------------------------------------------------------------------------
const ACCOUNT: Rule[] = [
  signal(
    'account.credit_balance',
    'account_restricted',
    0.92,
    'no prepaid API credit left (credit balance too low, billing_error, payment required)',
    ['credit balance', 'insufficient credit', 'insufficient balance', 'insufficient funds', 'billing_error', 'payment required', 'out of credit', 'no credits', 'credits', 'balance'],
    /\bcredit balance (?:is )?(?:\w+ )?too low\b|\binsufficient (?:credits?|balance|funds)\b|\bbilling_error\b|\b402 payment required\b|\bpayment required\b|\b(?:out of|ran out of|no (?:remaining )?|used (?:up )?all (?:the |my |of (?:the |my ) )?|exhausted (?:the |my )?)(?:api )?(?:credits?|balance)\b|\bcredits? (?:are |have been )?(?:exhausted|used up|depleted)\b|\b(?:burn(?:ed|t|s)? through|spent|drained|consumed) (?:all )?(?:of )?(?:the |my |our )?(?:api |prepaid )?(?:credits?|balance)\b|\bpayment (?:method )?(?:was )?(?:declined|failed)\b|\b(?:card|invoice) (?:was )?(?:declined|overdue|unpaid)\b/,
    ['Your credit balance is too low to access the Anthropic API.', 'it burned through all the balance and then refused to run', 'HTTP 402 Payment Required'],
    ['we have plenty of credits left', 'balance the load across two workers'],
    { symptom: S.denied, tags: ['auth_failure'] },
  ),
  signal(
    'account.org_disabled',
    'account_restricted',
    0.92,
    'the organization is disabled, or its policy turns off this kind of access',
    ['organization', 'organisation', 'org has', 'org is', 'workspace has been', 'workspace is'],
    /\b(?:organi[sz]ation|org|workspace) (?:has been |is |was )?(?:disabled|suspended|deactivated|banned|archived|locked)\b|\b(?:organi[sz]ation|org|workspace|admin|administrator) has (?:disabled|blocked|restricted|turned off)\b|\bdisabled by (?:your |the )?(?:organi[sz]ation|org|admin|administrator|workspace)\b|\bnot (?:enabled|allowed) (?:for|by) (?:your |this |the )?(?:organi[sz]ation|org|workspace|account)\b|\bask your (?:admin|administrator) to enable\b/,
    ['API Error: 400 This organization has been disabled.', 'Your organization has disabled Claude subscription access for Claude Code', 'Claude Code is not enabled for your organization'],
    ['the organization page lists members', 'we disabled telemetry in the org settings yesterday? no, that is unrelated'],
    { symptom: S.denied, tags: ['auth_failure'] },
  ),
  signal(
    'account.suspended',
    'account_restricted',
    0.82,
    'the account or its API access is suspended, banned or disabled',
    ['account', 'api access'],
    /\b(?:your |the |my )?(?:account|api access|user) (?:has been |is |was |got )?(?:suspended|disabled|banned|deactivated|terminated|restricted|blocked)\b|\bsuspended account\b|\baccount (?:suspension|ban)\b/,
    ['Error: Your account has been suspended.', 'my account got banned after the payment dispute'],
    ['the account settings page', 'restricted mode is on in VS Code'],
    { symptom: S.denied, tags: ['auth_failure'] },
  ),
  signal(
    'account.plan_required',
    'account_restricted',
    0.86,
    'the plan does not include Claude Code, or a paid subscription is required',
    ['required', 'requires', 'subscription', 'does not have access', 'not included', 'upgrade'],
    /\b(?:claude )?(?:max|pro|team|enterprise)(?: or (?:max|pro|team))? (?:plan |subscription )?(?:is )?required\b|\brequires? (?:a |an )?(?:claude )?(?:max|pro|paid|team|enterprise) (?:plan|subscription|account)\b|\b(?:paid )?subscription (?:is )?required\b|\b(?:your )?(?:account|plan|subscription) does not (?:have access to|include) claude code\b|\bnot (?:included|available) (?:in|on|with) your (?:current )?(?:plan|subscription)\b|\bupgrade (?:your plan|to (?:claude )?(?:pro|max))\b|\byour account does not have access\b/,
    ['Claude Pro or Max is required to use Claude Code', 'Error: your account does not have access to Claude Code. Upgrade to Pro'],
    ['I upgraded my laptop', 'Pro tip: subscription renewals are monthly'],
    { symptom: S.denied, tags: ['auth_failure'] },
  ),
  signal(
    'account.web_requires_claude_ai',
    'account_restricted',
    0.7,
    'this surface needs a Claude.ai subscription login; an API key is not enough',
    ['not sufficient', 'claude.ai account', 'requires a claude.ai', 'require authentication with a claude.ai'],
    /\bapi key authentication is not sufficient\b|\brequires? (?:authentication with )?a claude\.ai (?:account|subscription|login)\b/,
    ['Error: this feature requires a Claude.ai subscription login; API key authentication is not sufficient.'],
    ['a claude.ai account and an API key are different things'],
    { symptom: S.denied, tags: ['auth_failure'], alt: { credential_conflict: 0.4 } },
  ),
  signal(
    'account.permission_error',
    'account_restricted',
    0.72,
    'API error.type permission_error (403): the key or account may not do this',
    ['permission_error', 'permissionerror', 'permissiondeniederror', 'does not have permission', 'not have permission'],
    /\bpermission_?error\b|\bpermissiondeniederror\b|\b(?:api key|key|account|organi[sz]ation) does not have permission\b/,
    ['{"type":"error","error":{"type":"permission_error","message":"Your API key does not have permission to use the specified resource."}}', 'anthropic.PermissionDeniedError: Error code: 403'],
    ['file permission errors on the build server? no, resolved'],
    { symptom: S.denied, tags: ['auth_failure'], alt: { invalid_api_key: 0.25 } },
  ),
  signal(
    'account.http_403',
    'account_restricted',
    0.55,
    'HTTP 403 Forbidden from the API',
    ['403'],
    statusRe('403', String.raw`\b403\W{0,3}forbidden\b|\bforbidden\W{0,3}\(?403\b`),
    ['API Error: 403 {"type":"error","error":{"type":"forbidden"}}', 'HTTP/2 403 Forbidden'],
    ['see issue 403 on the tracker', 'it returns a 403 and should be a 401 per the spec'],
    { symptom: S.denied, tags: ['auth_failure'], alt: { network_blocked: 0.3, invalid_api_key: 0.2 } },
  ),
  signal(
    'account.permission_denied_generic',
    'account_restricted',
    0.35,
    'a generic "permission denied / access denied / forbidden" (matrix row: check billing and access)',
    ['permission denied', 'access denied', 'forbidden', 'not authorized', 'not authorised'],
    /\b(?:permission|access) denied\b(?! \(publickey)|\bforbidden\b|\bnot authori[sz]ed to (?:use|access) (?:claude|this model|the api|anthropic)/,
    ['Error: Permission denied', 'Access denied for this organization'],
    ['Permission denied (publickey).', 'tool permission was granted'],
    { symptom: S.denied, alt: { invalid_api_key: 0.15 }, suppressedBy: ['cloud_ctx', 'file_path_ctx'] },
  ),
  signal(
    'account.spend_limit',
    'account_restricted',
    0.72,
    'a spend or usage limit the organization set on the API (not the subscription window)',
    ['specified api usage limits', 'spend limit', 'spending limit', 'monthly limit', 'usage limits'],
    /\byou have reached your specified (?:api )?usage limits?\b|\b(?:monthly |workspace )?spend(?:ing)? limit (?:reached|exceeded|hit)\b|\breached (?:the |your )?(?:monthly |workspace )?spend(?:ing)? limit\b/,
    ['You have reached your specified API usage limits. You will regain access on 2025-07-01', 'workspace spend limit reached'],
    ['set a spend limit in the console if you want'],
    { symptom: S.denied, alt: { not_auth: 0.3 } },
  ),
  signal(
    'account.team_change',
    'account_restricted',
    0.66,
    'the person was removed from the organization or seat, or an SSO/policy change took access away',
    ['removed from', 'seat', 'sso', 'single sign-on', 'no longer a member'],
    /\b(?:removed|kicked|deleted) from (?:the |our |my |your )?(?:org|organi[sz]ation|team|workspace)\b|\b(?:seat|licen[cs]e) (?:was |has been )?(?:removed|revoked|unassigned)\b|\bno longer (?:a member|have (?:a )?(?:seat|access))\b|\b(?:sso|single sign-on) (?:login )?(?:is )?(?:required|enforced)\b|\bmust (?:log|sign) in (?:with|via|using) (?:sso|your organi[sz]ation)/,
    ['you are no longer a member of this organization', 'SSO is required for this organization, sign in via your identity provider'],
    ['we added a seat for the new hire'],
    { symptom: S.denied, tags: ['auth_failure'] },
  ),
  signal(
    'account.policy_violation',
    'account_restricted',
    0.66,
    'access cut for a usage-policy reason (flagged, violation, trust and safety)',
    ['usage policy', 'acceptable use', 'flagged', 'violat', 'trust and safety', 'trust & safety'],
    /\b(?:violat\w+|breach\w*) (?:of )?(?:our |the |anthropic'?s )?(?:usage|acceptable use) polic\w+|\b(?:account|organi[sz]ation|request) (?:has been |was )?flagged\b|\btrust (?:and|&) safety\b[^\n.]{0,60}\b(?:suspend\w*|disabl\w*|review|restrict\w*)/,
    ['Your account has been flagged for a violation of our Usage Policy', 'trust & safety review suspended the org'],
    ['read the usage policy before launch'],
    { symptom: S.denied, tags: ['auth_failure'] },
  ),
]

// ---------------------------------------------------------------------------------------------------------------
// ide_environment: works in a terminal, fails in VS Code (or another editor)
// ---------------------------------------------------------------------------------------------------------------
const IDE_NAMES = String.raw`(?:vs ?code|visual studio code|vscodium|code-oss|cursor|windsurf|jetbrains|intellij|pycharm|webstorm|goland|phpstorm|rider|android studio|zed|neovim)`
const IDE: Rule[] = [
  context(
    'ide.subject',
    ['ide_subject'],
    'the report is about an editor extension or IDE integration, not a terminal',
    ['vscode', 'vs code', 'visual studio code', 'vscodium', 'code-oss', 'cursor', 'windsurf', 'jetbrains', 'intellij', 'pycharm', 'webstorm', 'goland', 'phpstorm', 'android studio', 'zed', 'extension host', 'output panel', 'anthropic.claude-code', 'exten', 'plugin'],
    // "exten[a-z]{0,5}": extension, extensions, and the usual typos (extention, extenstion)
    new RegExp(
      String.raw`\b${IDE_NAMES}\b[^\n.]{0,50}\b(?:exten[a-z]{0,5}|plugin|sidebar|side bar|side panel|panel|integration|chat view|webview|ide)\b|\b(?:exten[a-z]{0,5}|plugins?) (?:for|in|of) (?:the )?${IDE_NAMES}\b|\bextension host\b|\boutput panel\b|\banthropic\.claude-code\b|\bclaude code (?:exten[a-z]{0,5}|plugin)\b|\bthe (?:claude )?(?:exten[a-z]{0,5}|plugin)\b[^\n.]{0,60}\b(?:shows|says|keeps|asks|fails|returns|gives|displays|reports)`,
    ),
    ['The Claude Code extension in VS Code keeps showing an error', 'Cursor sidebar: Claude panel', '[Extension Host] Claude Code activation failed', 'the vscode claude code extention asks again'],
    ['I use vscode as my editor and run claude in iTerm', 'Terminal: vscode'],
  ),
  context(
    'ide.terminal_ok',
    ['terminal_ok'],
    'the same thing works from a terminal',
    ['terminal', 'iterm', 'command line', 'shell', 'cli'],
    /\b(?:works?|working|worked|runs?|fine|ok|log(?:s|ged)? in (?:successfully|fine)|login (?:works|succeeds))\b[^\n]{0,40}\b(?:in|from|through|via|on) (?:the |my |a |an )?(?:external |system |regular |normal |plain |native |integrated |standalone )?(?:terminal|iterm2?|command line|shell|cli)\b|\b(?:only (?:way|works?|place)|only)[^\n.]{0,40}\b(?:through|in|from|via) (?:the )?(?:terminal|cli)\b|\bcan run [`'"]?claude[`'"]? in (?:the |a |my )?terminal\b|\b(?:terminal|cli|command line)[^\n.]{0,30}\bworks?\b/,
    ['it works fine in the terminal', 'The only way to use it is through the terminal', 'I can run claude in the terminal and log in'],
    ['the terminal crashed', 'open a terminal and type claude'],
  ),
  signal(
    'ide.terminal_vs_editor',
    'ide_environment',
    0.82,
    'works in a terminal but fails in the editor (or the reverse wording)',
    ['terminal', 'iterm', 'command line', 'cli', 'shell'],
    new RegExp(
      String.raw`\b(?:works?|working|fine|runs?|ok)\b[^\n]{0,30}\b(?:in|from|through|via) (?:the |my |a |an )?(?:external |system |regular |normal |plain |native )?(?:terminal|iterm2?|command line|shell|cli)\b[\s\S]{0,80}\b(?:but|however|whereas|while|not|fails?|doesn'?t|does not)\b[\s\S]{0,60}\b(?:${IDE_NAMES}|extension|editor|ide|sidebar|plugin)\b|\b(?:fails?|doesn'?t work|does not work|not working|broken|errors?)\b[^\n]{0,30}\bin (?:the )?(?:${IDE_NAMES}|extension|editor|ide)\b[\s\S]{0,80}\b(?:works?|fine|ok)\b[^\n]{0,30}\b(?:terminal|shell|cli|command line)\b`,
    ),
    ['Works fine in the terminal, but in VS Code the extension says not logged in', 'It fails in Cursor while the same command works in iTerm2 terminal'],
    ['works in the terminal, thanks!', 'the vscode theme looks fine'],
    { tags: ['ide_subject'] },
  ),
  signal(
    'ide.env_not_inherited',
    'ide_environment',
    0.74,
    'the editor does not inherit the shell environment (PATH, ANTHROPIC_* variables, .zshrc/.bashrc)',
    ['inherit', 'pick up', 'picking up', 'inheritenv', 'terminal.integrated', 'not load', 'does not see', "doesn't see", 'shell config', 'login shell'],
    /\b(?:not|doesn'?t|does not|isn'?t|fails? to|never) (?:inherit|pick(?:ing)? up|load|see|read|source)(?:ing|s)?\b[^\n]{0,60}\b(?:environment|env vars?|variables?|path|shell (?:config|profile|env\w*)|\.bashrc|\.zshrc|\.profile|\.zprofile|login shell)\b|\bterminal\.integrated\.(?:inheritenv|env\.\w+|shellargs\.\w+|defaultprofile\.\w+)|\binheritenv\b/,
    ['The extension does not pick up PATH exports from .zshrc', '"terminal.integrated.inheritEnv": true fixed it', 'VS Code does not inherit the variables from my shell'],
    ['the variables are inherited by child processes', 'read the docs on env vars'],
    { tags: ['ide_subject'] },
  ),
  signal(
    'ide.gui_missing_binary',
    'ide_environment',
    0.6,
    'an app launched from the GUI cannot find node/claude (no shell PATH): "env: node: No such file or directory", spawn ENOENT',
    ['no such file or directory', 'spawn', 'not found in path', 'executable', 'binary', 'find the claude', 'find claude', 'locate claude'],
    /\benv: (?:node|bash|zsh|npx|bun|python3?): no such file or directory\b|\bspawn (?:node|claude|npx|bun)(?:\.exe|\.cmd)? enoent\b|\b(?:node|claude|npx)(?:\.exe)? (?:was )?not found (?:in|on) (?:the )?path\b|\b(?:claude|node) (?:code )?(?:native )?(?:executable|binary) (?:was )?not found\b|\b(?:can'?t|cannot|could not|couldn'?t|unable to) (?:find|locate|detect) (?:the )?(?:claude|node)(?: code)? (?:executable|binary|cli|installation)\b/,
    ['env: node: No such file or directory', 'Error: spawn claude ENOENT', 'The extension could not find the claude executable'],
    ['ls: no such file or directory', 'node is in my PATH'],
    { alt: { multiple_installs: 0.3 }, tags: ['gui_env'] },
  ),
  signal(
    'ide.extension_login',
    'ide_environment',
    0.55,
    'the login started from the editor does not complete (token exchange, loop back to login options)',
    ['token exchange', 'login loop', 'sign-in loop', 'login options', 'back to login', 'signal back', 'does not return to'],
    /\btoken exchange (?:failed|error)\b|\b(?:login|sign[ -]?in) loop\b|\b(?:returns?|goes|went|back) (?:silently )?(?:back )?to the (?:three |3 )?(?:login|sign[ -]?in) (?:options|screen|page)\b|\bdoes not (?:signal|return|report) back to\b/,
    ['Token exchange failed: Request failed with status code 400', 'the panel silently goes back to the login options'],
    ['token exchange rates are on the dashboard'],
    { tags: ['login_failure'], alt: { remote_login: 0.3, expired_session: 0.25 } },
  ),
]

// ---------------------------------------------------------------------------------------------------------------
// remote_login: WSL2, SSH, Docker/devcontainer: the browser callback cannot reach the CLI
// ---------------------------------------------------------------------------------------------------------------
const REMOTE: Rule[] = [
  context(
    'remote.env',
    ['remote_env'],
    'the CLI runs somewhere without the local browser: WSL, SSH, container, devcontainer, codespace, headless server',
    ['wsl', 'ssh', 'docker', 'container', 'devcontainer', 'codespace', 'headless', 'remote server', 'remote machine', 'remote host', 'gitpod', 'no browser', 'no gui', 'vm', 'ec2', 'tmux'],
    /\bwsl2?\b|\bwindows subsystem for linux\b|\bssh\b|\bremote[- ](?:server|machine|host|box|vm|ssh|development|dev)\b|\bdocker\b|\b(?:dev ?)?containers?\b|\bcodespaces?\b|\bgitpod\b|\bheadless\b|\bno (?:gui|desktop|display|browser)\b|\bec2\b|\bvm\b/,
    ['running inside WSL2', 'on a remote server over ssh', 'in a devcontainer'],
    ['I use a desktop browser at home'],
  ),
  context('remote.ssh', ['ssh_env'], 'an SSH session', ['ssh'], /\bssh\b|\bssh_(?:connection|tty|client)\b|\bremote-ssh\b/, ['ssh dev@build-01', 'over SSH'], ['sshd config? never mind']),
  context(
    'remote.login_flow',
    ['login_flow'],
    'the browser-based login flow (OAuth URL, callback, authorization code)',
    ['oauth', 'callback', 'redirect', 'authorize', 'localhost:', 'browser', 'authorization code', 'auth code', 'paste the code', 'paste code', '/login', 'auth login', 'claude login', 'sign-in url', 'login url'],
    /\boauth\b|\bcallback\b|\bredirect[_ ]?uri\b|\/oauth\/authorize\b|\blocalhost:\d{2,5}\b|\bbrowser\b|\b(?:authorization|auth) code\b|\bpaste (?:the )?code\b|\/login\b|\bclaude (?:auth )?login\b|\b(?:sign-?in|login) url\b/,
    ['open the URL in your browser and paste the code', 'OAuth callback to localhost:54545'],
    ['the API key from the console'],
  ),
  context(
    'remote.failure_words',
    ['failure'],
    'something is reported as failing (hangs, times out, errors, does not work)',
    ['fail', 'error', "doesn't work", 'does not work', 'not working', 'hang', 'hung', 'stuck', 'timed out', 'times out', 'timeout', 'never', 'unable', 'cannot', "can't", 'refused', 'broken'],
    /\bfail\w*|\berror\w*|\bdoesn'?t work\b|\bdoes not work\b|\bnot working\b|\bhang\w*|\bhung\b|\bstuck\b|\btime[sd]? ?out\b|\btimeout\b|\bnever\b|\bunable\b|\bcannot\b|\bcan'?t\b|\brefused\b|\bbroken\b/,
    ['login hangs forever', 'the callback never arrives'],
    ['all good now'],
  ),
  signal(
    'remote.callback_unreachable',
    'remote_login',
    0.72,
    'the OAuth callback to localhost never reaches the CLI (port not forwarded, localhost differs between host and VM)',
    ['callback', 'forwarded', 'localhost'],
    /\bcallback\b[\s\S]{0,80}\b(?:never (?:reach\w*|arriv\w*|return\w*|complet\w*)|(?:doesn'?t|does not|can'?t|cannot|didn'?t) (?:reach|arrive|get through|connect)|unreachable|not reachable|refused|times? out|timed out|not forwarded|isn'?t forwarded)|\b(?:port|localhost:?\d*)\b[^\n.]{0,40}\b(?:isn'?t|is not|not|never) (?:being )?forwarded\b|\blocalhost\b[^\n.]{0,40}(?:≠|!=|is not the same as|isn'?t the same as|differs from)[^\n.]{0,40}\blocalhost\b/,
    ['the OAuth callback never reaches the CLI inside the container', 'the port is not forwarded to the host, so the redirect to localhost fails'],
    ['the callback handler is in routes.ts'],
    { tags: ['login_flow', 'login_failure'], suppressedBy: ['mcp_subject'] },
  ),
  signal(
    'remote.no_browser',
    'remote_login',
    0.55,
    'the CLI cannot open a browser here; the manual code flow is needed',
    ['browser', 'xdg-open', 'paste code', 'paste the code', 'paste the authorization code', 'use the url below'],
    /\b(?:cannot|can'?t|could not|couldn'?t|unable to|failed to|no way to) (?:open|launch|start|use|reach) (?:a |the |any |my )?(?:web |local )?browser\b|\bbrowser didn'?t open\b|\bno browser (?:available|found|installed)\b|\bxdg-open\b[^\n]{0,40}\b(?:not found|failed|no method)|\buse the url below to sign in\b|\bpaste (?:the )?(?:authorization |auth )?code (?:here|below|into)\b/,
    ["Browser didn't open? Use the url below to sign in", 'xdg-open: not found', "I can't open a browser on this box"],
    ['open the browser and go to settings'],
    { tags: ['login_flow', 'login_failure'], suppressedBy: ['mcp_subject'] },
  ),
  signal(
    'remote.oauth_request_broken',
    'remote_login',
    0.62,
    'the authorize URL arrived mangled at the browser (missing client_id / response_type, redirect URI not supported): typical of copying it out of a remote terminal',
    ['invalid oauth request', 'client_id', 'response_type', 'redirect uri', 'redirect_uri', 'state mismatch', 'truncated', 'cut off', 'wrapped', 'mangled', 'invalid authorization code', 'invalid auth code', 'invalid oauth code'],
    /\binvalid oauth request\b|\bmissing client_id\b|\b(?:login |sign-?in |oauth |auth(?:orization)? )?url (?:is |was |gets |got )?(?:truncated|cut off|wrapped|mangled|broken across)\b|\binvalid (?:authorization |auth |oauth )code\b|\binvalid response_type\b|\bredirect[_ ]uri\b[\s\S]{0,100}\bnot (?:supported|allowed|registered|valid)\b|\bredirect_uri_mismatch\b|\b(?:oauth )?state mismatch\b/,
    ['Invalid OAuth Request: Missing client_id parameter', 'Redirect URI https:/console.example/callback is not supported by client', 'the login URL is truncated so I cannot copy it', 'OAuth error: Invalid authorization code'],
    ['client_id is in the manifest'],
    { tags: ['login_flow', 'login_failure'], suppressedBy: ['mcp_subject'] },
  ),
]

// ---------------------------------------------------------------------------------------------------------------
// credential_conflict: several credential sources at once
// ---------------------------------------------------------------------------------------------------------------
const CONFLICT: Rule[] = [
  signal(
    'conflict.auth_conflict',
    'credential_conflict',
    0.95,
    'Claude Code warns about an auth conflict (a login and a key/token both set)',
    ['auth conflict', 'authentication conflict', 'credential conflict'],
    /\b(?:auth|authentication|credential) conflict\b/,
    ['⚠ Auth conflict: Both a token (claude.ai) and an API key (ANTHROPIC_API_KEY) are set.'],
    ['no auth conflicts anymore, thanks'],
    { symptom: S.failed },
  ),
  signal(
    'conflict.key_overrides_login',
    'credential_conflict',
    0.8,
    'an API key variable silently takes precedence over the subscription login (or the reverse)',
    ['instead of', 'takes precedence', 'overrides', 'overriding', 'override', 'both', 'precedence'],
    /\b(?:using|uses|used) (?:the )?(?:anthropic_api_key|anthropic_auth_token|api key|env(?:ironment)? (?:var(?:iable)?|key))\b[^\n]{0,40}\binstead of\b|\b(?:anthropic_api_key|anthropic_auth_token|claude_code_oauth_token|apikeyhelper|api key)\b[^\n]{0,60}\b(?:takes? precedence|overrides?|overriding|wins over|is preferred over)\b|\bboth (?:a |an )?(?:token|api key|login|oauth|subscription)[^\n]{0,80}\band (?:a |an )?(?:token|api key|anthropic_api_key|login)\b[^\n]{0,40}\b(?:are )?(?:set|present|configured)\b/,
    ['Using ANTHROPIC_API_KEY instead of your Claude subscription', 'ANTHROPIC_API_KEY overrides the /login credentials'],
    ['use the subscription instead of paying per token', 'both tabs are set'],
    { symptom: S.failed },
  ),
  signal(
    'conflict.custom_key_detected',
    'credential_conflict',
    0.66,
    'Claude Code found an API key in the environment next to the login and asks which to use',
    ['detected a custom api key', 'custom api key'],
    /\bdetected a custom api key\b|\bdo you want to use this api key\b/,
    ['Detected a custom API key in your environment. Do you want to use this API key?'],
    ['we use a custom api gateway'],
    { symptom: S.failed },
  ),
  signal(
    'conflict.oauth_not_for_api',
    'credential_conflict',
    0.88,
    'a Claude Code OAuth token used where an API key is expected (or the reverse)',
    ['oauth authentication is currently not supported', 'only authorized for use with claude code', 'oauth token cannot be used'],
    /\boauth authentication is (?:currently )?not supported\b|\bonly authori[sz]ed for use with claude code\b|\boauth tokens? (?:cannot|can'?t) be used\b/,
    ['{"type":"authentication_error","message":"OAuth authentication is currently not supported."}', 'This credential is only authorized for use with Claude Code'],
    ['OAuth is supported by the Slack app'],
    { symptom: S.u401, alt: { invalid_api_key: 0.4 } },
  ),
  signal(
    'conflict.helper_failed',
    'credential_conflict',
    0.55,
    'apiKeyHelper is configured and fails or disagrees with another credential',
    ['apikeyhelper'],
    /\bapikeyhelper\b[\s\S]{0,100}\b(?:fail\w*|error|did not return|returned (?:an )?(?:empty|nothing|non-zero)|timed out|exit(?:ed)? (?:with )?(?:code )?[1-9])/,
    ['apiKeyHelper failed: exited with code 1', 'Error: apiKeyHelper did not return a key'],
    ['apiKeyHelper: "~/bin/get-key.sh" in settings.json'],
    { alt: { missing_api_key: 0.35 } },
  ),
  context('conflict.word', ['conflict_word'], 'words that describe two credential sources fighting', ['conflict', 'both', 'instead', 'precedence', 'override', 'unset', 'remove the', 'removed the', 'prefer', 'wrong account', 'wrong key'], /\bconflict\w*|\bboth\b|\binstead\b|\bprecedence\b|\boverrid\w+|\bunset\b|\bremov(?:e|ed|ing) (?:the |my )?(?:key|variable|env)|\bprefer\w*|\bwrong (?:account|key|credentials)\b/, ['unset it and it works', 'both are set'], ['the build is green']),
  context('conflict.src_api_key', ['src_api_key'], 'ANTHROPIC_API_KEY is involved', ['anthropic_api_key'], /\banthropic_api_key\b/, ['export ANTHROPIC_API_KEY=...'], ['OPENAI_API_KEY']),
  context('conflict.src_auth_token', ['src_auth_token'], 'ANTHROPIC_AUTH_TOKEN is involved', ['anthropic_auth_token'], /\banthropic_auth_token\b/, ['ANTHROPIC_AUTH_TOKEN=abc'], ['auth token']),
  context('conflict.src_oauth_token', ['src_oauth_token'], 'CLAUDE_CODE_OAUTH_TOKEN (setup-token) is involved', ['claude_code_oauth_token', 'setup-token'], /\bclaude_code_oauth_token\b|\bsetup-token\b/, ['CLAUDE_CODE_OAUTH_TOKEN is set'], ['oauth token']),
  context('conflict.src_helper', ['src_helper'], 'apiKeyHelper is configured', ['apikeyhelper'], /\bapikeyhelper\b/, ['"apiKeyHelper": "~/get.sh"'], ['api key helper text']),
  context('conflict.src_login', ['src_login'], 'a claude.ai / subscription login is involved', ['claude.ai', 'subscription', 'max plan', 'pro plan', '/login', 'oauth login', 'console account', 'claude max', 'claude pro'], /\bclaude\.ai\b|\bsubscription\b|\b(?:max|pro) plan\b|\bclaude (?:max|pro)\b|\/login\b|\boauth login\b|\bconsole account\b/, ['logged in with my Max plan'], ['logged the output']),
  context('conflict.src_base_url', ['src_base_url'], 'ANTHROPIC_BASE_URL points somewhere else (proxy, gateway)', ['anthropic_base_url'], /\banthropic_base_url\b/, ['ANTHROPIC_BASE_URL=http://localhost:4000'], ['base url of the docs']),
]

// ---------------------------------------------------------------------------------------------------------------
// cloud_provider: Bedrock / Vertex credentials
// ---------------------------------------------------------------------------------------------------------------
const CLOUD: Rule[] = [
  context(
    'cloud.context',
    ['cloud_ctx'],
    'Claude runs through Amazon Bedrock or Google Vertex AI',
    ['bedrock', 'vertex', 'claude_code_use_bedrock', 'claude_code_use_vertex', 'aws_profile', 'aws_region', 'gcloud', 'aiplatform', 'anthropic_vertex_project_id', 'aws sso', 'aws_access_key_id', 'aws-sdk', '@aws-sdk'],
    /\bbedrock\b|\bvertex(?: ?ai)?\b|\bclaude_code_use_(?:bedrock|vertex)\b|\baws_(?:profile|region|access_key_id|secret_access_key|session_token)\b|\bgcloud\b|\baiplatform\b|\banthropic_vertex_project_id\b|\baws sso\b|@aws-sdk\b|\baws-sdk\b/,
    ['CLAUDE_CODE_USE_BEDROCK=1', 'Vertex AI in us-east5'],
    ['vertices of the mesh'],
  ),
  signal(
    'cloud.aws_token_invalid',
    'cloud_provider',
    0.92,
    'AWS rejected the session credentials (security token invalid/expired, ExpiredToken, UnrecognizedClient)',
    ['security token included in the request', 'expiredtoken', 'unrecognizedclientexception', 'invalidclienttokenid', 'invalidsignatureexception', 'signaturedoesnotmatch', 'provided token has expired'],
    /\bsecurity token included in the request is (?:invalid|expired)\b|\bexpiredtoken(?:exception)?\b|\bunrecognizedclientexception\b|\binvalidclienttokenid\b|\binvalidsignatureexception\b|\bsignaturedoesnotmatch\b|\bthe provided token has expired\b/,
    ['UnrecognizedClientException: The security token included in the request is invalid.', 'ExpiredTokenException: The security token included in the request is expired'],
    ['security tokens are rotated by the platform team'],
    { symptom: S.u401, tags: ['cloud_ctx', 'auth_failure'] },
  ),
  signal(
    'cloud.aws_no_credentials',
    'cloud_provider',
    0.86,
    'the AWS SDK found no credentials or the SSO session ended',
    ['could not load credentials', 'credentialsprovidererror', 'unable to locate credentials', 'aws sso login', 'sso session', 'sso token', 'token is expired'],
    /\bcould not load credentials from any providers\b|\bcredentialsprovidererror\b|\bunable to locate credentials\b|\b(?:sso session|sso token)\b[^\n]{0,80}\b(?:expired|invalid|not found)\b|\brun aws sso login\b|\baws sso login\b[^\n]{0,40}\b(?:to refresh|again)\b|\btoken is expired\. to refresh this sso session\b/,
    ['CredentialsProviderError: Could not load credentials from any providers', 'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login'],
    ['aws sso login is in our onboarding doc'],
    { symptom: S.expired, tags: ['cloud_ctx', 'auth_failure'] },
  ),
  signal(
    'cloud.bedrock_access',
    'cloud_provider',
    0.85,
    'Bedrock refuses the model or action (AccessDeniedException, model access not granted)',
    ['accessdeniedexception', 'bedrock:invokemodel', 'model access', 'not authorized to perform'],
    /\baccessdeniedexception\b|\bbedrock:invoke\w*|\bnot authori[sz]ed to perform: bedrock|\byou don'?t have access to the model\b|\bmodel access (?:is )?(?:not (?:granted|enabled)|denied)\b/,
    ["AccessDeniedException: You don't have access to the model with the specified model ID.", 'is not authorized to perform: bedrock:InvokeModelWithResponseStream'],
    ['request model access in the console first'],
    { symptom: S.denied, tags: ['cloud_ctx', 'auth_failure'] },
  ),
  signal(
    'cloud.gcp_credentials',
    'cloud_provider',
    0.86,
    'Google credentials missing or expired for Vertex AI (ADC, gcloud reauth, PERMISSION_DENIED on aiplatform)',
    ['default credentials', 'defaultcredentialserror', 'application-default', 'application default', 'google.auth', 'reauth', 'invalid_rapt', 'aiplatform', 'unauthenticated', 'gcloud auth'],
    /\bcould not load the default credentials\b|\bdefaultcredentialserror\b|\bgcloud auth (?:application-default )?login\b|\bapplication[- ]default credentials?\b[^\n]{0,60}\b(?:not found|expired|invalid|missing)|\bgoogle\.auth\.exceptions\.\w+|\breauth(?:entication)? (?:is )?(?:needed|required)\b|\binvalid_rapt\b|\bpermission[_ ]denied\b[^\n]{0,100}\baiplatform\b|\baiplatform\.endpoints\.predict\b|\bunauthenticated\b[^\n]{0,80}\b(?:vertex|google|gcp|aiplatform)\b/,
    ['Error: Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication', "PERMISSION_DENIED: Permission 'aiplatform.endpoints.predict' denied"],
    ['we run on gcp but use the anthropic api directly'],
    { symptom: S.u401, tags: ['cloud_ctx', 'auth_failure'] },
  ),
  signal(
    'cloud.provider_credentials_expired',
    'cloud_provider',
    0.85,
    'the report says the Bedrock/Vertex/AWS/GCP credentials expired or are invalid',
    ['bedrock', 'vertex', 'aws', 'gcp', 'google cloud'],
    /\b(?:aws|bedrock|vertex|gcp|google cloud|iam)\b[^\n]{0,40}\b(?:credentials?|tokens?|session|keys?|profile)\b[^\n]{0,30}\b(?:expir\w*|invalid|revoked|rejected|missing|not found)\b|\b(?:expired|invalid|missing) (?:aws|bedrock|vertex|gcp|iam) (?:credentials?|tokens?|session|keys?)\b/,
    ['When the AWS Bedrock credentials expire mid-session the CLI hangs', 'invalid AWS credentials for profile dev'],
    ['bedrock pricing is per token', 'AWS credentials are rotated nightly by the platform team? yes and it works'],
    { tags: ['cloud_ctx', 'auth_failure'] },
  ),
]

// ---------------------------------------------------------------------------------------------------------------
// not_auth: real errors that are not about authentication
// ---------------------------------------------------------------------------------------------------------------
const NOT_AUTH: Rule[] = [
  notAuth(
    'notauth.overloaded',
    'overloaded',
    0.9,
    '529 / overloaded_error: Anthropic is at capacity',
    ['overloaded', '529'],
    new RegExp(String.raw`\boverloaded_?error\b|${STATUS_PREFIX}529\b|\b529\b[^\n]{0,20}\b(?:overloaded|error)\b|\bapi error: 529\b`),
    ['API Error (529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})', 'Error: 529 Overloaded. This is a server-side issue'],
    ['my inbox is overloaded', 'see ticket 5290'],
  ),
  notAuth('notauth.overloaded_word', 'overloaded', 0.45, 'the word "Overloaded" near an error', ['overloaded'], /\b(?:error|api)[^\n]{0,30}\boverloaded\b|\boverloaded\b[^\n]{0,20}\b(?:error|retry|retrying)\b/, ['API returned Overloaded, retrying'], ['the overloaded function in C++']),
  notAuth(
    'notauth.rate_limit',
    'rate_limit',
    0.88,
    '429 / rate_limit_error: too many requests or tokens per minute',
    ['rate_limit', 'rate limit', '429', 'too many requests', 'ratelimiterror'],
    new RegExp(String.raw`\brate_limit_error\b|\bratelimiterror\b|${STATUS_PREFIX}429\b|\b429\W{0,3}(?:too many requests|rate)\b|\btoo many requests\b|\bwould exceed (?:your |the )?(?:account'?s |organi[sz]ation'?s )?rate limit\b|\brate limit(?:ed| exceeded| reached)\b`),
    ['API Error (429 {"type":"error","error":{"type":"rate_limit_error"}})', 'HTTP 429 Too Many Requests', 'rate limit exceeded for output tokens per minute'],
    ['we should add a rate limit to the bot', 'port 4290'],
  ),
  notAuth(
    'notauth.usage_limit',
    'usage_limit',
    0.86,
    'the subscription usage window is used up (limit reached, resets at ...)',
    ['limit', 'resets'],
    /\b(?:you'?ve|you have) (?:hit|reached) your (?:usage |session |weekly |daily |5-hour |five-hour |monthly )?limit\b|\busage limit (?:reached|exceeded|hit)\b|\bclaude (?:ai |code )?usage limit\b|\b(?:5|five)-hour (?:usage )?limit\b|\bweekly (?:usage )?limit (?:reached|hit|exceeded)\b|\blimit (?:will )?resets? (?:at|in|on) \d|\b(?:limit reached|approaching (?:your )?(?:usage )?limit)\b[^\n]{0,40}\bresets?\b|·\s?resets \d/,
    ["You've hit your limit · resets 9pm (Europe/Paris)", 'Claude usage limit reached. Your limit will reset at 3am.'],
    ['there is no limit to what you can build', 'limit the output to 10 lines'],
  ),
  notAuth(
    'notauth.context_too_long',
    'context_too_long',
    0.88,
    'the prompt or request is larger than the model or server accepts',
    ['too long', 'context', 'request_too_large', 'too large', 'token limit', 'max_tokens', 'maximum'],
    /\bprompt is too long\b|\binput is too long\b|\bcontext (?:window|length|size)\b[^\n]{0,40}\b(?:exceed\w*|too long|limit)\b|\bexceeds? (?:the )?(?:available |maximum |model'?s )?context\b|\bmaximum context length\b|\bcontext_length_exceeded\b|\bexceed_context_size_error\b|\brequest_too_large\b|\brequest entity too large\b|\b413\b[^\n]{0,20}\btoo large\b|\btoo many (?:input )?tokens\b|\b\d+ tokens > \d+ maximum\b/,
    ['Error: 400 {"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}', 'request (30000 tokens) exceeds the available context size (8192 tokens)'],
    ['the context of this thread is long', 'keep your prompt short'],
  ),
  notAuth(
    'notauth.invalid_request',
    'invalid_request',
    0.5,
    '400 invalid_request_error: the request itself is malformed (not the credentials)',
    ['invalid_request_error', 'invalidrequesterror', 'badrequesterror'],
    /\binvalid_request_error\b|\binvalidrequesterror\b|\bbadrequesterror\b/,
    ['{"type":"error","error":{"type":"invalid_request_error","message":"messages: text content blocks must be non-empty"}}'],
    ['an invalid request, according to QA? let me check'],
  ),
  notAuth(
    'notauth.bad_request_body',
    'invalid_request',
    0.85,
    'the request body or conversation is malformed (tool_use without tool_result, invalid JSON, lone surrogate, bad field)',
    ['tool_use', 'tool_result', 'not valid json', 'surrogate', 'messages.', 'content blocks', 'invalid url', 'unexpected role', 'extra inputs are not permitted'],
    /\btool_use\b[^\n]{0,80}\bwithout\b[^\n]{0,20}\btool_result\b|\bunexpected `?tool_(?:use|result)`?|\brequest body is not valid json\b|\b(?:no low|lone) surrogate\b|\bmessages\.\d+(?:\.content\.\d+)?: \w|\btext content blocks must be non-empty\b|\bapi error: invalid url\b|\binvalid url\b[^\n]{0,40}\b(?:base_url|anthropic_base_url|api)\b|\bextra inputs are not permitted\b|\bunexpected role\b/,
    ['messages.3: `tool_use` ids were found without `tool_result` blocks immediately after', 'The request body is not valid JSON: lone surrogate in string', 'API Error: Invalid URL'],
    ['tool_use is how Claude calls tools', 'invalid urls get a 404 page'],
  ),
  notAuth(
    'notauth.server_error',
    'server_error',
    0.82,
    '5xx / api_error: a server-side failure on Anthropic\'s side',
    ['api_error', 'internal server error', '500', '502', '503', '504', 'bad gateway', 'service unavailable', 'gateway timeout', 'server-side issue', 'internalservererror'],
    new RegExp(String.raw`\bapi_error\b|\binternal ?server ?error\b|${STATUS_PREFIX}(?:500|502|503|504)\b|\bbad gateway\b|\bservice unavailable\b|\bgateway time-?out\b|\bserver-side issue\b`),
    ['API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server error"}}', 'HTTP 502 Bad Gateway'],
    ['the 500 ms delay is fine', 'we serve 502 customers'],
  ),
  notAuth(
    'notauth.model_not_found',
    'model_not_found',
    0.84,
    '404 not_found_error: the model name or endpoint does not exist for this account',
    ['not_found_error', 'notfounderror', 'model', '404'],
    new RegExp(String.raw`\bnot_found_error\b|\bnotfounderror\b|\bmodel(?:_id)?:? [\w.:/-]{1,80}\b[^\n]{0,20}\b(?:not found|does not exist|is not (?:available|supported))\b|\bmodel_not_found\b|\binvalid model(?: name| id)?\b|\bunknown model\b|${STATUS_PREFIX}404\b[^\n]{0,60}\bmodel\b`),
    ['{"type":"error","error":{"type":"not_found_error","message":"model: claude-x-9 not found"}}', 'Error: unknown model claude-opus-x'],
    ['the model was found in the list', 'page 404 on the docs site'],
  ),
  notAuth(
    'notauth.mcp_server',
    'mcp_server',
    0.86,
    'an MCP server fails to start, connect or authenticate (its own problem, not Claude Code\'s login)',
    ['mcp'],
    /\bmcp error -?\d+|\bmcperror\b|\bmcp servers?\b[\s\S]{0,100}\b(?:fail\w*|error|disconnect\w*|connection closed|timed out|not connected|crash\w*|oauth|authenticat\w*|refus\w*|unreachable)\b|\bfailed to (?:re)?connect to [\w.-]{0,40}mcp\b|\bmcp\b[^\n]{0,40}\b(?:connection (?:closed|failed|refused)|failed to start)\b/,
    ['MCP error -32000: Connection closed', '[DEBUG] MCP server "db": Connection failed: timeout', 'MCP servers that need OAuth fail to authenticate inside the container'],
    ['we added an MCP server for the wiki, works great', 'see mcp.json'],
    { tags: ['mcp_subject'] },
  ),
  notAuth(
    'notauth.command_not_found',
    'other',
    0.72,
    'the shell cannot find claude at all (not installed or not on PATH)',
    ['command not found', 'not recognized as', 'not found'],
    /\bcommand not found: claude\b|\bclaude: (?:command )?not found\b|'claude' is not recognized as (?:an internal or external command|the name of a cmdlet)|\bthe term 'claude' is not recognized\b/,
    ['zsh: command not found: claude', "'claude' is not recognized as an internal or external command"],
    ['claude found the bug', 'command not found: kubectl'],
  ),
  notAuth(
    'notauth.tool_permission',
    'other',
    0.62,
    'a tool call was denied by Claude Code\'s permission settings (not an account permission)',
    ['permission_denials', 'permission to use', 'tool use was denied', 'permissions.deny', 'requires approval'],
    /\bpermission_denials\b|\bpermission to use \w+ (?:was |has been )?denied\b|\btool (?:use|call) (?:was )?(?:denied|rejected)\b|\bpermissions\.deny\b|\b(?:tool|command) requires approval\b/,
    ['"permission_denials": [{"tool_name": "Bash"}]', 'Permission to use Bash has been denied'],
    ['permission to share the doc was granted'],
  ),
  notAuth(
    'notauth.node_version',
    'other',
    0.6,
    'Node.js too old for Claude Code (needs 18+)',
    ['node', 'unsupported engine', 'ebadengine'],
    /\brequires? node(?:\.js)? (?:version )?(?:>= ?)?(?:18|20|22)(?:\.\d+)*(?: or (?:higher|newer|later))?\b|\bnode(?:\.js)? (?:v?1[0-7]|[4-9])\.\d+(?:\.\d+)? is not supported\b|\bunsupported engine\b[^\n]{0,80}\bclaude-code\b/,
    ['Error: Claude Code requires Node.js version 18 or higher', 'npm WARN EBADENGINE Unsupported engine { package: "@anthropic-ai/claude-code" }'],
    ['node 20 is what we run'],
  ),
  notAuth(
    'notauth.other_status',
    'invalid_request',
    0.42,
    'an API error with a 4xx status that is not about credentials (400, 404, 409, 413, 422)',
    ['400', '404', '409', '413', '422'],
    new RegExp(String.raw`\bapi error\W{0,3}(?:400|404|409|413|422)\b|\berror code: (?:400|404|409|413|422) - `),
    ['API Error: 400 {"type":"error","error":{"message":"bad thing"}}'],
    ['API Error: 401 invalid x-api-key'],
  ),
  notAuth('notauth.aborted', 'other', 0.3, 'the request was aborted or interrupted by the user', ['aborted', 'interrupted by user', 'request was aborted'], /\bapi error: operation aborted\b|\brequest was aborted\b|\binterrupted by user\b/, ['API Error: Operation aborted'], ['aborted the deploy on purpose']),
]

// ---------------------------------------------------------------------------------------------------------------
// shared context and combos (conjunctions of tags found anywhere in the text)
// ---------------------------------------------------------------------------------------------------------------
const SHARED: Rule[] = [
  context(
    'ctx.file_permission',
    ['file_path_ctx'],
    'a file-system permission error (EACCES/EPERM, "permission denied, open ..."): not an account restriction',
    ['eacces', 'eperm', 'permission denied'],
    /\b(?:eacces|eperm)\b|\bpermission denied[,:] (?:open|mkdir|scandir|rename|unlink|access|lstat|stat|copyfile|symlink)\b|\bpermission denied: '?[~/.]|: permission denied$|\bpermission denied \(publickey/,
    ["EACCES: permission denied, open '/etc/x'", 'bash: ./run.sh: Permission denied'],
    ['Permission denied for this organization'],
  ),
]

const COMBOS: ComboRule[] = [
  {
    kind: 'combo',
    id: 'combo.ide_auth_failure',
    about: 'an editor extension or IDE shows a login/auth failure (the editor does not share the terminal\'s login or environment)',
    cause: 'ide_environment',
    weight: 0.8,
    allTags: ['ide_subject'],
    anyTags: ['auth_failure', 'login_failure'],
    examples: {
      positive: ['The Claude Code extension in VS Code says "Not logged in · Please run /login" every time I open the panel.'],
      negative: ['Not logged in · Please run /login', 'VS Code extension: API Error: 529 overloaded_error'],
    },
  },
  {
    kind: 'combo',
    id: 'combo.ide_terminal_ok',
    about: 'works from a terminal, the IDE integration does not',
    cause: 'ide_environment',
    weight: 0.75,
    allTags: ['terminal_ok'],
    anyTags: ['ide_subject', 'gui_env'],
    examples: {
      positive: ['claude works fine in the terminal. The Cursor extension just spins and shows nothing.'],
      negative: ['claude works fine in the terminal now, thanks!'],
    },
  },
  {
    kind: 'combo',
    id: 'combo.ide_missing_binary',
    about: 'an editor integration cannot find node or claude: it does not see the shell PATH',
    cause: 'ide_environment',
    weight: 0.78,
    allTags: ['ide_subject', 'gui_env'],
    examples: {
      positive: ['The VS Code extension fails with: Error: spawn claude ENOENT'],
      negative: ['Error: spawn claude ENOENT'],
    },
  },
  {
    kind: 'combo',
    id: 'combo.remote_login_failure',
    about: 'the browser login fails where the CLI runs remotely (WSL, SSH, container)',
    cause: 'remote_login',
    weight: 0.66,
    allTags: ['remote_env', 'login_flow'],
    anyTags: ['failure', 'login_failure'],
    suppressedBy: ['mcp_subject'],
    examples: {
      positive: ['Inside WSL2 the claude login opens the browser but then the CLI just hangs.', 'On a remote box over ssh, /login prints a URL and after authorizing nothing happens, it times out.'],
      negative: ['running inside docker, everything works', 'Inside WSL2 the build fails'],
    },
  },
  {
    kind: 'combo',
    id: 'combo.ssh_keychain',
    about: 'the macOS Keychain cannot be unlocked from an SSH session',
    cause: 'remote_login',
    weight: 0.86,
    allTags: ['ssh_env', 'keychain'],
    examples: {
      positive: ['ssh into my mac mini, then claude: security: SecKeychainItemCopyContent: User interaction is not allowed.'],
      negative: ['security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.'],
    },
  },
  {
    kind: 'combo',
    id: 'combo.cloud_auth_failure',
    about: 'an auth failure while Claude Code talks to Bedrock or Vertex: the cloud credentials are the ones at fault',
    cause: 'cloud_provider',
    weight: 0.78,
    allTags: ['cloud_ctx'],
    anyTags: ['auth_failure'],
    examples: {
      positive: ['CLAUDE_CODE_USE_BEDROCK=1 and now: API Error: 403 forbidden'],
      negative: ['API Error: 403 forbidden', 'CLAUDE_CODE_USE_BEDROCK=1 works great'],
    },
  },
  {
    kind: 'combo',
    id: 'combo.conflicting_sources',
    about: 'two credential sources named together with conflict wording (unset one, both set, instead of)',
    cause: 'credential_conflict',
    weight: 0.72,
    allTags: ['conflict_word'],
    anyTags: ['src_api_key', 'src_auth_token', 'src_oauth_token', 'src_helper', 'src_login', 'src_base_url'],
    minAny: 2,
    examples: {
      positive: ['I had ANTHROPIC_API_KEY exported and also logged in with my Max plan; once I unset the key it used the subscription.'],
      negative: ['export ANTHROPIC_API_KEY and run claude', 'unset ANTHROPIC_API_KEY fixed nothing'],
    },
  },
  {
    kind: 'combo',
    id: 'combo.proxy_failure',
    about: 'a proxy, VPN or firewall named next to a failure',
    cause: 'network_blocked',
    weight: 0.6,
    allTags: ['proxy_ctx'],
    anyTags: ['failure'],
    examples: {
      positive: ['Behind our Zscaler proxy every request fails with an error'],
      negative: ['Zscaler proxy is configured'],
    },
  },
]

/** Every detection rule: signals, context tags and combos. The order is irrelevant. */
export const RULES: readonly Rule[] = [
  ...EXPIRED,
  ...INVALID,
  ...MISSING,
  ...CORRUPTED,
  ...NETWORK,
  ...INSTALLS,
  ...ACCOUNT,
  ...IDE,
  ...REMOTE,
  ...CONFLICT,
  ...CLOUD,
  ...NOT_AUTH,
  ...SHARED,
  ...COMBOS,
]

// ---------------------------------------------------------------------------------------------------------------
// platform clues
// ---------------------------------------------------------------------------------------------------------------
function plat(id: string, platform: PlatformRule['platform'], weight: number, anchors: string[], pattern: RegExp, positive: string[], negative: string[]): PlatformRule {
  return { id, platform, weight, anchors, pattern, examples: { positive, negative } }
}

export const PLATFORM_RULES: readonly PlatformRule[] = [
  plat('platform.wsl', 'wsl', 0.92, ['wsl', 'microsoft-standard', 'windows subsystem for linux', '/mnt/c/', '/mnt/d/', 'wsl$', 'wsl.localhost'], /\bwsl2?\b|\bmicrosoft-standard(?:-wsl2?)?\b|\bwindows subsystem for linux\b|\\wsl(?:\$|\.localhost)|\/mnt\/[c-h]\/|\bwsl_distro_name\b/, ['Linux pc 5.15.153.1-microsoft-standard-WSL2 x86_64', 'cd /mnt/c/Users/ana/project', '\\\\wsl$\\Ubuntu\\home'], ['Windows 11 PowerShell']),
  plat('platform.docker', 'docker', 0.88, ['docker', 'devcontainer', 'dev container', '.dockerenv', 'podman', 'codespace'], /\bdocker(?:file|-compose| compose| run| exec| container|d)?\b|\bdevcontainers?(?:\.json)?\b|\bdev containers?\b|\/\.dockerenv\b|\bpodman\b|\bcodespaces?\b/, ['docker run -it node:20 claude', 'inside the devcontainer'], ['a container of soup']),
  plat('platform.compose_log', 'docker', 0.7, ['-1 | ', '_1 | ', '-2 | ', '_2 | '], /(?:^|\n)[\w.-]{1,60}[-_]\d{1,3} \| /, ['api-1  | Error: boom', 'web_1 | listening'], ['a | b table']),
  plat('platform.container_word', 'docker', 0.55, ['container'], /\b(?:in|inside|within) (?:a|the|my|our) container\b/, ['running inside a container'], ['the container queries in CSS']),
  plat('platform.ssh', 'ssh', 0.86, ['ssh', 'remote server', 'remote machine', 'remote host'], /\bssh (?:-[a-z]+ )*[\w.-]+@[\w.-]+|\b(?:over|via|through) ssh\b|\bssh session\b|\bremote[- ]ssh\b|\bssh_(?:connection|tty|client)\b|\bssh(?:'d|ed)? into\b|\bremote (?:server|machine|host)\b/, ['ssh dev@10.0.0.5', 'connected over SSH to the build box'], ['ssh keys for GitHub are set']),
  plat('platform.vscode_ide', 'vscode', 0.8, ['vscode', 'vs code', 'visual studio code', 'vscodium', 'extension host', 'cursor'], /\b(?:vs ?code|vscodium|visual studio code|cursor)\b[^\n.]{0,40}\b(?:extension|sidebar|side panel|panel|output|plugin|ide)\b|\b(?:extension|plugin) (?:for|in) (?:vs ?code|vscodium|cursor)\b|\bextension host\b|\bvscodium\b/, ['the VS Code extension panel', '[Extension Host] activating'], ['I use vim']),
  plat('platform.vscode_terminal', 'vscode', 0.45, ['vscode', 'vs code', 'term_program'], /\bterminal: vscode\b|\bterm_program=vscode\b|\bvs ?code\b/, ['Terminal: vscode', 'TERM_PROGRAM=vscode'], ['visual basic']),
  plat('platform.windows', 'windows', 0.8, [':\\users\\', ':/users/', 'ps c:', 'powershell', 'cmd.exe', 'win32', 'windows 10', 'windows 11', 'appdata', '%userprofile%', '$env:', 'b:/~bun/', 'windows server', 'pwsh'], /\b[a-z]:[\\/](?:users|program files|windows|projects?|dev|src|code)[\\/]|\bps [a-z]:\\|\bpowershell\b|\bpwsh\b|\bcmd\.exe\b|\bwin32\b|\bwindows (?:10|11|server)\b|\bappdata[\\/]|%userprofile%|\$env:\w|\bb:\/~bun\//, ['PS C:\\Users\\ana> claude', 'Platform: win32', 'C:\\Users\\li\\AppData\\Roaming\\npm'], ['Platform: darwin']),
  plat('platform.macos', 'macos', 0.78, ['/users/', 'macos', 'mac os', 'darwin', 'osx', '/opt/homebrew', 'homebrew', 'brew ', 'keychain', 'macbook', 'sonoma', 'sequoia', 'ventura', 'iterm'], /(?:^|[\s'"=(])\/users\/[\w.<>-]+\/|\bmacos\b|\bmac os\b|\bdarwin\b|\bosx\b|\/opt\/homebrew\/|\bhomebrew\b|\bbrew (?:install|upgrade|reinstall)\b|\bkeychain\b|\bmacbook\b|\b(?:sonoma|sequoia|ventura)\b|\biterm2?\b/, ['/Users/kim/.claude.json', 'macOS 14.5 Sonoma', 'Platform: darwin'], ['C:/Users/ana/x']),
  plat('platform.linux', 'linux', 0.7, ['/home/', 'ubuntu', 'debian', 'fedora', 'centos', 'rhel', 'arch linux', 'linux', 'apt install', 'apt-get'], /(?:^|[\s'"=(])\/home\/[\w.-]+\/|\bubuntu\b|\bdebian\b|\bfedora\b|\bcentos\b|\brhel\b|\barch linux\b|\blinux\b|\bapt(?:-get)? install\b/, ['/home/dev/.claude.json', 'Ubuntu 24.04', 'Platform: linux'], ['Darwin kernel']),
]
