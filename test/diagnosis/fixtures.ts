// Our own realistic pastes, one group per verdict. Written for these tests (not taken from any corpus): different
// wrappers (Slack fences, escaped JSON, Docker/CI logs, VS Code output, stack traces, other languages around the
// error) so the tests check mechanisms, not memorised strings.
import type { NotAuthKind, Platform, Verdict } from '../../src/diagnosis/types.js'

export type Fixture = { name: string; text: string; cause: Verdict; kind?: NotAuthKind; platform?: Platform }

const ESC = '\u001b'

export const FIXTURES: Fixture[] = [
  // ----------------------------------------------------------------------------------------------- expired_session
  {
    name: 'expired: Claude Code 401 with OAuth expiry in a Slack fence',
    cause: 'expired_session',
    text: '```\n> fix the failing test\n  ⎿  API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"OAuth token has expired. Please obtain a new token or refresh your existing token."},"request_id":"req_01AbCdEfGh"} · Please run /login\n```',
  },
  {
    name: 'expired: revoked token after a password change',
    cause: 'expired_session',
    text: 'changed my claude.ai password this morning and now every prompt gives\n`OAuth token revoked · Please run /login`\nanyone else?',
  },
  {
    name: 'expired: refresh failed in a debug log',
    cause: 'expired_session',
    text: '[2025-06-02T08:11:45.201Z] DEBUG refreshing oauth token\n[2025-06-02T08:11:45.532Z] ERROR Token refresh failed: 400 {"error":"invalid_grant","error_description":"Refresh token expired"}\n[2025-06-02T08:11:45.533Z] WARN falling back to login prompt',
  },
  {
    name: 'expired: escaped JSON from a bug report attachment',
    cause: 'expired_session',
    text: '[{"error":"Error: 401 {\\"type\\":\\"error\\",\\"error\\":{\\"type\\":\\"authentication_error\\",\\"message\\":\\"OAuth token has expired.\\"}}\\n    at zx (/$bunfs/root/cli.js:1:2345)","timestamp":"2025-05-20T10:00:00.000Z"}]',
  },
  {
    name: 'expired: session expired with German around it',
    cause: 'expired_session',
    text: 'Seit heute früh bekomme ich nur noch diese Meldung:\n\nYour session has expired. Please log in again.\n\nWas kann ich tun?',
  },
  {
    name: 'expired: login keeps dropping',
    cause: 'expired_session',
    text: 'Claude Code keeps logging me out every couple of hours, then it asks me to log in again. Max plan, macOS 14.',
    platform: 'macos',
  },
  {
    name: 'expired: wrapped terminal output with box frame',
    cause: 'expired_session',
    text: '╭──────────────────────────────────────────────────────╮\n│ API Error: 401 {"type":"error","error":{"type":"authe │\n│ ntication_error","message":"OAuth token has           │\n│ expired."}}                                           │\n╰──────────────────────────────────────────────────────╯',
  },

  // ----------------------------------------------------------------------------------------------- invalid_api_key
  {
    name: 'invalid: curl test of the key returns invalid x-api-key',
    cause: 'invalid_api_key',
    text: '$ curl https://api.anthropic.com/v1/messages -H "x-api-key: $ANTHROPIC_API_KEY" -H "anthropic-version: 2023-06-01" -d @body.json\n{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011XYZ"}',
  },
  {
    name: 'invalid: Python SDK traceback on Windows',
    cause: 'invalid_api_key',
    platform: 'windows',
    text: 'Traceback (most recent call last):\n  File "C:\\Users\\dev\\proj\\bot.py", line 12, in <module>\n    msg = client.messages.create(model="claude-sonnet-4-5", max_tokens=64, messages=msgs)\n  File "C:\\Users\\dev\\proj\\.venv\\Lib\\site-packages\\anthropic\\_base_client.py", line 1047, in request\n    raise self._make_status_error_from_response(err.response) from None\nanthropic.AuthenticationError: Error code: 401 - {\'type\': \'error\', \'error\': {\'type\': \'authentication_error\', \'message\': \'invalid x-api-key\'}}',
  },
  {
    name: 'invalid: Claude Code one-liner after key rotation',
    cause: 'invalid_api_key',
    text: 'we rotated the team key on friday; since then claude says "Invalid API key · Please run /login" on my box',
  },
  {
    name: 'invalid: ANSI coloured output',
    cause: 'invalid_api_key',
    text: `${ESC}[31m✗${ESC}[39m ${ESC}[1mInvalid API key${ESC}[22m · Fix external API key`,
  },
  {
    name: 'invalid: trailing newline in CI secret',
    cause: 'invalid_api_key',
    text: 'Turns out the GitHub secret had a trailing newline, so the x-api-key header carried it and the API said 401. Trimming the secret fixed it.',
  },
  {
    name: 'invalid: Continue extension output with Anthropic 401 (key wrong, not the editor)',
    cause: 'invalid_api_key',
    text: 'Error streaming diff: HTTP 401 Unauthorized from https://api.anthropic.com/v1/messages\n\n{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
  },

  // ----------------------------------------------------------------------------------------------- missing_api_key
  {
    name: 'missing: docker compose service has no key',
    cause: 'missing_api_key',
    platform: 'docker',
    text: 'agent-1  | Error: ANTHROPIC_API_KEY environment variable is missing or empty; either provide it, or instantiate the client with an apiKey option.\nagent-1 exited with code 1',
  },
  {
    name: 'missing: Python SDK without key',
    cause: 'missing_api_key',
    text: 'anthropic._exceptions.AnthropicError: The api_key client option must be set either by passing api_key to the client or by setting the ANTHROPIC_API_KEY environment variable',
  },
  {
    name: 'missing: GitHub Action without secret',
    cause: 'missing_api_key',
    text: 'Run anthropics/claude-code-action@v1\nError: Either ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN is required when using direct Anthropic API.\nError: Process completed with exit code 1.',
  },
  {
    name: 'missing: not logged in with Japanese around it',
    cause: 'missing_api_key',
    text: 'インストール直後に起動すると次のように表示されます:\nNot logged in · Please run /login\nどうすればいいですか？',
  },
  {
    name: 'missing: SDK could not resolve auth method',
    cause: 'missing_api_key',
    text: 'Error: Could not resolve authentication method. Expected either apiKey or authToken to be set. Or for one of the "X-Api-Key" or "Authorization" headers to be explicitly omitted\n    at Anthropic.validateHeaders (node_modules/@anthropic-ai/sdk/client.js:221:15)',
  },
  {
    name: 'missing: echo shows nothing in a new shell',
    cause: 'missing_api_key',
    text: 'I put export ANTHROPIC_API_KEY=... in ~/.bashrc but in a new terminal the variable is empty:\n$ echo $ANTHROPIC_API_KEY\n\n$',
  },

  // ----------------------------------------------------------------------------------------------- corrupted_credentials
  {
    name: 'corrupted: config file parse error on Linux',
    cause: 'corrupted_credentials',
    platform: 'linux',
    text: 'Error: Claude configuration file at /home/sam/.claude.json is corrupted: Unexpected token \u0000 in JSON at position 0\nA backup was saved to /home/sam/.claude.json.corrupted.1718000000000',
  },
  {
    name: 'corrupted: credentials JSON truncated after crash',
    cause: 'corrupted_credentials',
    text: 'laptop died mid-login. now:\nSyntaxError: Unexpected end of JSON input\n    at JSON.parse (<anonymous>)\n    at readCredentials (~/.claude/.credentials.json)',
  },
  {
    name: 'corrupted: keychain item already exists',
    cause: 'corrupted_credentials',
    platform: 'macos',
    text: 'claude doctor\n ⚠ macOS Keychain is not writable\nsecurity: SecKeychainItemCreateFromContent (<default>): The specified item already exists in the keychain.',
  },
  {
    name: 'corrupted: token validation failed',
    cause: 'corrupted_credentials',
    text: 'Error: Token validation failed. The stored credential could not be decoded.',
  },
  {
    name: 'corrupted: EACCES on credentials file',
    cause: 'corrupted_credentials',
    text: "Error: EACCES: permission denied, open '/home/ci/.claude/.credentials.json'\n    at Object.openSync (node:fs:573:18)",
  },

  // ----------------------------------------------------------------------------------------------- network_blocked
  {
    name: 'network: corporate TLS inspection',
    cause: 'network_blocked',
    text: 'API Error (Connection error.) · Retrying in 1 seconds… (attempt 1/10)\n  ⎿  Error (unable to get local issuer certificate) (UNABLE_TO_GET_ISSUER_CERT_LOCALLY)',
  },
  {
    name: 'network: DNS failure in docker logs',
    cause: 'network_blocked',
    text: 'claude-1  | FetchError: request to https://api.anthropic.com/v1/messages failed, reason: getaddrinfo EAI_AGAIN api.anthropic.com',
  },
  {
    name: 'network: proxy 407',
    cause: 'network_blocked',
    text: 'Error: tunneling socket could not be established, statusCode=407\n(HTTPS_PROXY=http://proxy.corp.local:8080)',
  },
  {
    name: 'network: region block',
    cause: 'network_blocked',
    text: 'API Error: 403 {"error":{"type":"forbidden","message":"Request not allowed"}} — I am travelling and on hotel wifi in a country where it is not available in your region apparently',
  },
  {
    name: 'network: connect timeout undici',
    cause: 'network_blocked',
    text: 'TypeError: fetch failed\n    at node:internal/deps/undici/undici:13502:13 {\n  [cause]: ConnectTimeoutError: Connect Timeout Error (attempted address: api.anthropic.com:443, timeout: 10000ms)\n    code: \'UND_ERR_CONNECT_TIMEOUT\'\n  }',
  },
  {
    name: 'network: VPN breaks it',
    cause: 'network_blocked',
    text: 'Unable to connect to Anthropic services. Failed to connect to api.anthropic.com: ETIMEDOUT. Works again when I disconnect the VPN.',
  },

  // ----------------------------------------------------------------------------------------------- multiple_installs
  {
    name: 'installs: which -a shows two',
    cause: 'multiple_installs',
    text: '$ which -a claude\n/opt/homebrew/bin/claude\n/Users/pat/.local/bin/claude\n$ claude --version\n1.0.51 (Claude Code)',
  },
  {
    name: 'installs: doctor warns',
    cause: 'multiple_installs',
    text: 'Diagnostics\n └ Currently running: npm-global (1.0.88)\n └ Path: /usr/local/bin/node\n Warning: Multiple installations found\n └ npm-global at /usr/local/bin/claude\n └ native at /home/jo/.local/bin/claude',
  },
  {
    name: 'installs: update keeps old version',
    cause: 'multiple_installs',
    text: 'ran claude update, it said updated to 2.0.14 but claude --version still shows the old 1.0.98. weird',
  },
  {
    name: 'installs: Windows where shows npm and native',
    cause: 'multiple_installs',
    platform: 'windows',
    text: 'PS C:\\Users\\kim> where.exe claude\nC:\\Users\\kim\\AppData\\Roaming\\npm\\claude.cmd\nC:\\Users\\kim\\.local\\bin\\claude.exe',
  },

  // ----------------------------------------------------------------------------------------------- account_restricted
  {
    name: 'account: litellm wrapper credit balance',
    cause: 'account_restricted',
    text: 'litellm.exceptions.BadRequestError: litellm.BadRequestError: AnthropicException - {"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}',
  },
  {
    name: 'account: org disabled',
    cause: 'account_restricted',
    text: '⎿ API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"This organization has been disabled."}}',
  },
  {
    name: 'account: permission_error on key',
    cause: 'account_restricted',
    text: 'Error code: 403 - {"type":"error","error":{"type":"permission_error","message":"Your API key does not have permission to use the specified resource."}}',
  },
  {
    name: 'account: plan without claude code',
    cause: 'account_restricted',
    text: 'Logged in with my free account and got: "Claude Pro or Max subscription required to use Claude Code". Is that right?',
  },
  {
    name: 'account: removed from team',
    cause: 'account_restricted',
    text: 'After IT moved us to the new org I get 403 on everything, apparently I was removed from the organization and my seat is gone.',
  },

  // ----------------------------------------------------------------------------------------------- ide_environment
  {
    name: 'ide: VS Code extension does not see the key',
    cause: 'ide_environment',
    platform: 'vscode',
    text: 'In iTerm everything is fine. The Claude Code extension in VS Code however says "Missing API key" — it looks like VS Code does not inherit the environment variables from my .zshrc.',
  },
  {
    name: 'ide: Cursor sidebar login loop',
    cause: 'ide_environment',
    text: 'cursor sidebar → Claude Code → Sign in → browser says success → back in the panel it goes back to the login screen again. The CLI in a terminal works.',
  },
  {
    name: 'ide: GUI launched app has no node',
    cause: 'ide_environment',
    text: 'Launching from the Dock gives:\n/usr/bin/env: node: No such file or directory\n(works when I start it from a terminal)',
  },
  {
    name: 'ide: JetBrains plugin cannot find claude',
    cause: 'ide_environment',
    text: 'IntelliJ IDEA 2025.1, Claude Code plugin: "Cannot find the claude executable. Make sure it is on your PATH." It is on my PATH in the terminal.',
  },

  // ----------------------------------------------------------------------------------------------- remote_login
  {
    name: 'remote: WSL login callback',
    cause: 'remote_login',
    platform: 'wsl',
    text: 'Ubuntu 22.04 under WSL2 (5.15.167.4-microsoft-standard-WSL2). `claude` opens the login in my Windows browser, I approve, and the terminal keeps waiting forever — the redirect to localhost never gets to the CLI.',
  },
  {
    name: 'remote: SSH no browser',
    cause: 'remote_login',
    platform: 'ssh',
    text: 'ssh me@gpu-box, run claude, it tries xdg-open and says "Couldn\'t open a browser". How do I log in on a remote machine?',
  },
  {
    name: 'remote: devcontainer port not forwarded',
    cause: 'remote_login',
    platform: 'docker',
    text: 'In a devcontainer the login page says success but the CLI times out. The callback port isn\'t forwarded from the container.',
  },
  {
    name: 'remote: keychain locked over ssh',
    cause: 'remote_login',
    text: 'Connected to my Mac over SSH: claude fails with security: SecKeychainItemCopyContent: User interaction is not allowed. (-25308)',
  },
  {
    name: 'remote: mangled authorize URL in a container',
    cause: 'remote_login',
    text: 'running claude inside docker, copied the sign-in url from the terminal and the browser shows "Invalid OAuth Request — missing response_type"',
  },

  // ----------------------------------------------------------------------------------------------- credential_conflict
  {
    name: 'conflict: auth conflict warning',
    cause: 'credential_conflict',
    text: '⚠ Auth conflict: Both a token (ANTHROPIC_AUTH_TOKEN) and an API key (ANTHROPIC_API_KEY) are set. This may lead to unexpected behavior.',
  },
  {
    name: 'conflict: key overrides subscription',
    cause: 'credential_conflict',
    text: '/status shows "API key: ANTHROPIC_API_KEY" instead of my Claude Max login, so it bills the API. I have both set; how do I make it use the subscription?',
  },
  {
    name: 'conflict: oauth token sent to the API',
    cause: 'credential_conflict',
    text: 'Using CLAUDE_CODE_OAUTH_TOKEN with the python sdk:\nanthropic.AuthenticationError: Error code: 401 - {"type":"error","error":{"type":"authentication_error","message":"OAuth authentication is currently not supported."}}',
  },

  // ----------------------------------------------------------------------------------------------- cloud_provider
  {
    name: 'cloud: bedrock expired token',
    cause: 'cloud_provider',
    text: 'CLAUDE_CODE_USE_BEDROCK=1 claude\nAPI Error (403 The security token included in the request is expired) · Retrying in 4 seconds…',
  },
  {
    name: 'cloud: vertex ADC missing',
    cause: 'cloud_provider',
    text: 'CLAUDE_CODE_USE_VERTEX=1 → Error: Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.',
  },
  {
    name: 'cloud: aws sso expired',
    cause: 'cloud_provider',
    text: 'Error when retrieving token from sso: Token has expired and refresh failed\nTo refresh this SSO session run aws sso login with the corresponding profile.',
  },
  {
    name: 'cloud: bedrock access denied',
    cause: 'cloud_provider',
    text: "AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/dev/jo is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude",
  },

  // ----------------------------------------------------------------------------------------------- not_auth
  { name: 'not_auth: 529 retry loop', cause: 'not_auth', kind: 'overloaded', text: '  ⎿  API Error (529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}) · Retrying in 9 seconds… (attempt 6/10)' },
  { name: 'not_auth: 429 tokens per minute', cause: 'not_auth', kind: 'rate_limit', text: 'Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization of 40,000 input tokens per minute."}}' },
  { name: 'not_auth: usage window', cause: 'not_auth', kind: 'usage_limit', text: 'Claude usage limit reached. Your limit will reset at 5pm (America/New_York).' },
  { name: 'not_auth: prompt too long', cause: 'not_auth', kind: 'context_too_long', text: 'API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 204512 tokens > 200000 maximum"}}' },
  { name: 'not_auth: 500 wrapped', cause: 'not_auth', kind: 'server_error', text: '⎿ API Error: 500 {"type":"error","error":{"type":"api_\n   error","message":"Internal server error"}}' },
  { name: 'not_auth: MCP server crash', cause: 'not_auth', kind: 'mcp_server', text: '[ERROR] MCP server "github": Connection failed: MCP error -32000: Connection closed\n    at McpClient._onclose (file:///usr/lib/node_modules/@anthropic-ai/claude-code/cli.js:1:1)' },
  { name: 'not_auth: model not found', cause: 'not_auth', kind: 'model_not_found', text: 'API Error: 404 {"type":"error","error":{"type":"not_found_error","message":"model: claude-3-opus-latest-x"}}' },
  { name: 'not_auth: claude not installed', cause: 'not_auth', kind: 'other', text: 'bash: claude: command not found' },
  { name: 'not_auth: tool_use mismatch', cause: 'not_auth', kind: 'invalid_request', text: 'API Error: 400 messages.7: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_01X' },
  { name: 'not_auth: 503 plain', cause: 'not_auth', kind: 'server_error', text: 'Error: 503 Service Unavailable — upstream connect error' },

  // ----------------------------------------------------------------------------------------------- none (chatter)
  { name: 'chatter: thanks', cause: 'none', text: 'thanks, that did it!' },
  { name: 'chatter: question about login', cause: 'none', text: 'does anyone know if claude auth login works with SSO accounts?' },
  { name: 'chatter: advice', cause: 'none', text: 'try claude auth logout then claude auth login, that usually sorts it' },
  { name: 'chatter: key rotation plan', cause: 'none', text: 'We will rotate API keys every 90 days starting next month, please update your env files then.' },
  { name: 'chatter: standup', cause: 'none', text: 'standup in 5 min, I will be a bit late' },
  { name: 'chatter: code review', cause: 'none', text: 'LGTM, but can you rename the error handler so it does not shadow the outer one?' },
  { name: 'chatter: settings snippet', cause: 'none', text: 'put "env": { "ANTHROPIC_API_KEY": "..." } in settings.json and restart' },
  { name: 'chatter: +1', cause: 'none', text: '+1 same here' },
  { name: 'chatter: it works now', cause: 'none', text: 'reinstalled and logged in again, works now 🎉' },
  { name: 'chatter: talking about 401 semantics', cause: 'none', text: 'Technically the server should answer with a 401 when the header is missing and a 403 when it is there but not allowed.' },
  { name: 'chatter: link', cause: 'none', text: 'see <https://docs.anthropic.com/en/docs/claude-code/setup|the setup docs> for the install steps' },
  { name: 'chatter: proxy question', cause: 'none', text: 'is anyone here using claude code behind the office proxy? what do you set?' },
]

FIXTURES.push({
  name: 'not_auth: MCP server OAuth inside WSL (the MCP server, not Claude Code login)',
  cause: 'not_auth',
  kind: 'mcp_server',
  text: 'Remote MCP servers that use OAuth (Linear, Notion) fail to authenticate when claude runs in WSL2: the browser redirect to http://localhost:33418/callback never reaches the MCP client.',
})
