// Harder pastes of our own: bug-report templates, several errors in one paste, long logs, unusual wrappers.
import type { Fixture } from './fixtures.js'

const TEMPLATE = (platform: string, body: string) =>
  `## Environment\n- Platform (select one): ${platform}\n- Claude CLI version: 1.0.67 (Claude Code)\n- Operating System: see above\n- Terminal: iTerm2\n\n## Bug Description\n${body}\n\n## Steps to Reproduce\n1. run claude\n2. type a prompt\n\n## Expected Behavior\nIt should work.`

export const HARD_FIXTURES: Fixture[] = [
  {
    name: 'hard expired: bug template, 401 expired after laptop sleep',
    cause: 'expired_session',
    text: TEMPLATE('Anthropic API', 'After the laptop was asleep over the weekend every message returns\n\n```\nAPI Error: 401 {"type":"error","error":{"type":"authentication_error","message":"OAuth token has expired. Please obtain a new token or refresh your existing token."}}\n```\n\n/login fixes it for a day.'),
  },
  {
    name: 'hard expired: opencode-style plugin refresh failure',
    cause: 'expired_session',
    text: 'anthropic auth plugin: failed to refresh access token (HTTP 400): {"error":"invalid_grant","error_description":"Invalid refresh token"}\nrestarted twice, same thing',
  },
  {
    name: 'hard expired: 401 Invalid bearer token after idle (Claude Code, OAuth)',
    cause: 'expired_session',
    text: 'Left claude running overnight. In the morning: API Error: 401 · OAuth token has expired · Please run /login. Ran /login, fine again.',
  },
  {
    name: 'hard invalid: key pasted with quotes in .env (docker compose)',
    cause: 'invalid_api_key',
    text: 'worker-1  | anthropic.AuthenticationError: Error code: 401 - {\'type\': \'error\', \'error\': {\'type\': \'authentication_error\', \'message\': \'invalid x-api-key\'}}\nworker-1 exited with code 1\n\n(.env has ANTHROPIC_API_KEY="sk-ant-api03-…" with the quotes)',
  },
  {
    name: 'hard invalid: Cursor output panel with a rotated key',
    cause: 'invalid_api_key',
    text: '[Anthropic] Request failed: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}\nWe deleted the old key in the console last week, maybe this one still uses it?',
  },
  {
    name: 'hard invalid: Node SDK AuthenticationError stack',
    cause: 'invalid_api_key',
    text: 'AuthenticationError: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_0123"}\n    at APIError.generate (file:///app/node_modules/@anthropic-ai/sdk/core/error.mjs:49:20)\n    at Anthropic.makeStatusError (file:///app/node_modules/@anthropic-ai/sdk/client.mjs:312:21)',
  },
  {
    name: 'hard missing: Spanish around litellm missing key',
    cause: 'missing_api_key',
    text: 'Hola, al ejecutar el agente me sale esto:\nlitellm.AuthenticationError: AnthropicException - Missing Anthropic API Key - A call is being made to anthropic but no key is set\n¿Alguna idea?',
  },
  {
    name: 'hard missing: CI job without the secret',
    cause: 'missing_api_key',
    text: '##[group]Run claude -p "review this PR"\n##[endgroup]\nInvalid API key · Please run /login\n##[error]Process completed with exit code 1.\n\nThe workflow runs on pull_request from a fork, so secrets.ANTHROPIC_API_KEY is empty there.',
  },
  {
    name: 'hard missing: key not passed into docker run',
    cause: 'missing_api_key',
    text: 'docker run --rm -it my/claude-image claude -p "hi"\nNot logged in · Please run /login\n\nthe key is exported on the host but I did not add -e ANTHROPIC_API_KEY to docker run',
  },
  {
    name: 'hard corrupted: keychain item missing after migration',
    cause: 'corrupted_credentials',
    text: 'Migrated to a new Mac with Migration Assistant. claude now prints:\nError: Command failed: security find-generic-password -a $USER -w -s "Claude Code-credentials"\nsecurity: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.',
  },
  {
    name: 'hard corrupted: credentials file truncated by full disk',
    cause: 'corrupted_credentials',
    text: 'disk was full yesterday, now claude fails with\nSyntaxError: Unexpected end of JSON input while parsing /home/ana/.claude/.credentials.json\nlogin again does not help',
  },
  {
    name: 'hard network: retry loop with ECONNRESET behind Zscaler',
    cause: 'network_blocked',
    text: '  ⎿  API Error (Connection error.) · Retrying in 1 seconds… (attempt 1/10)\n    ⎿  Error (read ECONNRESET)\n  ⎿  API Error (Connection error.) · Retrying in 2 seconds… (attempt 2/10)\n    ⎿  Error (read ECONNRESET)\nWe are behind Zscaler at work.',
  },
  {
    name: 'hard network: login page cannot reach console (certificate)',
    cause: 'network_blocked',
    text: 'OAuth error: request to https://console.anthropic.com/v1/oauth/token failed, reason: unable to verify the first certificate',
  },
  {
    name: 'hard network: Python httpx ConnectError',
    cause: 'network_blocked',
    text: 'httpx.ConnectError: [Errno -3] Temporary failure in name resolution\n\nThe above exception was the direct cause of the following exception:\nanthropic.APIConnectionError: Connection error.',
  },
  {
    name: 'hard network: JSON log with escaped certificate error',
    cause: 'network_blocked',
    text: '{"level":"error","msg":"request failed","err":"Error: self-signed certificate in certificate chain\\n    at TLSSocket.onConnectSecure (node:_tls_wrap:1677:34)","code":"SELF_SIGNED_CERT_IN_CHAIN"}',
  },
  {
    name: 'hard installs: npm and native both, auth differs',
    cause: 'multiple_installs',
    text: 'claude doctor says:\n Warning: Leftover npm global installation at /usr/local/lib/node_modules/@anthropic-ai/claude-code\n Fix: Run: npm -g uninstall @anthropic-ai/claude-code\nand the npm one is the one that says Invalid API key, the native one works',
  },
  {
    name: 'hard installs: Windows npm shim vs native exe',
    cause: 'multiple_installs',
    text: "PS> Get-Command claude -All | Select-Object Source\nSource\n------\nC:\\Users\\dev\\AppData\\Roaming\\npm\\claude.ps1\nC:\\Users\\dev\\.local\\bin\\claude.exe",
  },
  {
    name: 'hard account: team admin removed seat, 403 in escaped json',
    cause: 'account_restricted',
    text: '[{"error":"Error: 403 {\\"type\\":\\"error\\",\\"error\\":{\\"type\\":\\"permission_error\\",\\"message\\":\\"Your account does not have access to Claude Code. Please contact your organization admin.\\"}}"}]',
  },
  {
    name: 'hard account: Continue, billing',
    cause: 'account_restricted',
    text: 'Continue error\nHTTP 400 Bad Request from https://api.anthropic.com/v1/messages\n{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans &amp; Billing to upgrade or purchase credits."}}',
  },
  {
    name: 'hard account: org policy disables subscription login',
    cause: 'account_restricted',
    text: 'After our admin changed settings: "Your organization has disabled Claude subscription access for Claude Code". I only have the Team plan login.',
  },
  {
    name: 'hard ide: vscode extension, terminal ok, env var in zshrc',
    cause: 'ide_environment',
    text: 'Claude Code works in my terminal (key comes from ~/.zshrc). The VSCode extension panel shows "Invalid API key · Please run /login". VS Code was started from the Dock.',
  },
  {
    name: 'hard ide: windsurf plugin spawn error',
    cause: 'ide_environment',
    text: 'Windsurf plugin log:\n[error] Failed to start Claude Code: Error: spawn claude ENOENT\n    at ChildProcess._handle.onexit (node:internal/child_process:286:19)',
  },
  {
    name: 'hard remote: codespaces login',
    cause: 'remote_login',
    text: 'In GitHub Codespaces `claude` prints the authorize URL, I open it, approve, and it says "paste code here if prompted" but the CLI never shows a prompt and times out.',
  },
  {
    name: 'hard remote: WSL with mangled URL',
    cause: 'remote_login',
    text: 'WSL2 Ubuntu: the login URL wraps across lines in Windows Terminal, and when I click it the browser says Invalid OAuth Request.',
  },
  {
    name: 'hard conflict: ANTHROPIC_AUTH_TOKEN from an old proxy setup',
    cause: 'credential_conflict',
    text: 'I still had ANTHROPIC_AUTH_TOKEN and ANTHROPIC_BASE_URL exported from trying a proxy last month, so claude ignored my Pro login. Unsetting both fixed it.',
  },
  {
    name: 'hard conflict: /status shows api key while logged in',
    cause: 'credential_conflict',
    text: '> /status\n Auth Token: none\n API Key: ANTHROPIC_API_KEY\n Login method: Claude Max Account\n\nWhy does it bill my API key when I am logged in with Max? Both are configured.',
  },
  {
    name: 'hard cloud: bedrock with SSO profile expired',
    cause: 'cloud_provider',
    text: 'export CLAUDE_CODE_USE_BEDROCK=1 AWS_PROFILE=dev\nclaude\n  ⎿  API Error: Token is expired. To refresh this SSO session run \'aws sso login\' with the corresponding profile.',
  },
  {
    name: 'hard cloud: vertex 403 permission denied',
    cause: 'cloud_provider',
    text: 'CLAUDE_CODE_USE_VERTEX=1, region us-east5\nAPI Error: 403 {"error":{"code":403,"message":"Permission \'aiplatform.endpoints.predict\' denied on resource","status":"PERMISSION_DENIED"}}',
  },
  { name: 'hard not_auth: 529 in a stream-json event', cause: 'not_auth', kind: 'overloaded', text: '{"type":"result","subtype":"error_during_execution","is_error":true,"result":"API Error: 529 {\\"type\\":\\"error\\",\\"error\\":{\\"type\\":\\"overloaded_error\\",\\"message\\":\\"Overloaded\\"}}"}' },
  { name: 'hard not_auth: weekly limit', cause: 'not_auth', kind: 'usage_limit', text: "Claude AI usage limit reached|1750000000\nYou've reached your weekly limit. It resets Monday 9am." },
  { name: 'hard not_auth: request_too_large 413', cause: 'not_auth', kind: 'context_too_long', text: 'API Error: 413 {"type":"error","error":{"type":"request_too_large","message":"Request exceeds the maximum size"}}' },
  { name: 'hard not_auth: MCP server failed to start', cause: 'not_auth', kind: 'mcp_server', text: 'MCP server "postgres" failed to start: spawn npx ENOENT\nRun claude --debug for details' },
  { name: 'hard not_auth: 502 from gateway', cause: 'not_auth', kind: 'server_error', text: 'API Error: 502 <html><head><title>502 Bad Gateway</title></head></html>' },
  { name: 'hard chatter: discussing an old error', cause: 'none', text: 'I remember the invalid key thing from last year, but this thread is about pricing. Anyone compared Max vs API costs?' },
  { name: 'hard chatter: reply with instructions', cause: 'none', text: 'you can check with `claude auth status`, and if it says API key you probably exported ANTHROPIC_API_KEY somewhere' },
  { name: 'hard chatter: release notes', cause: 'none', text: 'New in 1.0.70: better handling of expired OAuth tokens and a clearer message when the keychain is locked.' },
  { name: 'hard chatter: joke', cause: 'none', text: 'my brain returns 529 overloaded before coffee' },
]
