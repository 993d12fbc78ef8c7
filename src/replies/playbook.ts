// The playbook: for every verdict (each auth cause, each kind of non-auth error, and "no error"), a title, a one-line
// verdict, numbered steps with commands per platform, and what to try when the steps did not help.
// A test fails when any verdict or NotAuthKind lacks an entry, or a step lacks commands for a platform it needs.
import type { CauseId, NotAuthKind, Platform, Verdict } from '../diagnosis/types.js'
import { labelled, ps, sh } from './commands.js'
import * as S from './steps.js'
import type { PlaybookStep } from './steps.js'

export type { PlaybookStep } from './steps.js'

export type PlaybookEntry = {
  title: string
  /** the one-line verdict */
  summary: string
  steps: readonly PlaybookStep[]
  ifStillFailing: readonly string[]
  /**
   * Platforms whose commands differ for this cause and so need their own variant in at least one step (checked by
   * the completeness test): e.g. Docker passes variables with -e, VS Code needs settings.json.
   */
  variants: readonly Platform[]
}

const DOCTOR_HINT = 'Run the doctor (/claude-auth doctor): it checks this machine and sends back a redacted report.'

export const PLAYBOOK: Record<CauseId | 'none', PlaybookEntry> = {
  expired_session: {
    title: 'Your Claude login has expired',
    summary: 'The OAuth session Claude Code saved is no longer accepted (expired, revoked, or its refresh failed), so it needs a fresh sign-in.',
    steps: [S.checkStatus, S.signInAgain, S.clearStoredLogin, S.unlockKeychain, S.updateClaude],
    ifStillFailing: [
      'Close other Claude Code windows while you sign in: several sessions refreshing the same login at once can undo each other.',
      'If your organization changed its single sign-on or removed your seat, the login cannot succeed until an admin restores access.',
      DOCTOR_HINT,
    ],
    variants: ['wsl', 'ssh', 'docker', 'macos'],
  },

  invalid_api_key: {
    title: 'Your API key is being rejected',
    summary: 'Anthropic refuses the API key Claude Code sends: it was rotated, revoked, mistyped, or picked up invisible characters on the way.',
    steps: [S.showKey, S.hiddenCharacters, S.testKey, S.newKey, S.saveKey, S.findKeyDefinitions, S.reloadShell],
    ifStillFailing: [
      'Make sure the key belongs to the organization and workspace you expect; a key from another workspace may be disabled there.',
      'If you also signed in with a Claude account, run claude auth status to see which of the two Claude Code actually uses.',
      DOCTOR_HINT,
    ],
    variants: ['docker', 'wsl', 'ssh', 'macos'],
  },

  missing_api_key: {
    title: 'Claude Code cannot find any credentials',
    summary: 'No API key or login reached the process that runs Claude Code: the variable is unset in this terminal, editor, container or CI job.',
    steps: [S.showKey, S.saveKey, S.reloadShell, S.passKeyToContainer, S.editorInheritEnv, S.ciSecret, S.checkStatus],
    ifStillFailing: [
      'Prefer signing in with your Claude account? Run claude auth login and skip the key altogether.',
      'Check for a typo in the variable name: it must be exactly ANTHROPIC_API_KEY.',
      DOCTOR_HINT,
    ],
    variants: ['docker', 'vscode', 'wsl', 'ssh'],
  },

  corrupted_credentials: {
    title: 'The saved credentials on this machine are broken',
    summary: 'Your account is probably fine, but the login Claude Code stored locally (credentials file, ~/.claude.json or the macOS Keychain) cannot be read or trusted.',
    steps: [S.validateConfigJson, S.clearStoredLogin, S.fixPermissions, S.unlockKeychain, S.startFromEmptyConfig],
    ifStillFailing: [
      'Do not edit the credential files by hand; delete them and let claude auth login write them again.',
      'If the disk is full or the home directory is read-only, Claude Code cannot save a new login either.',
      DOCTOR_HINT,
    ],
    variants: ['macos', 'ssh'],
  },

  network_blocked: {
    title: 'The network is blocking Claude Code',
    summary: 'Your credentials may be fine, but a firewall, VPN, proxy, TLS inspection or DNS problem stops requests from reaching Anthropic.',
    steps: [S.reachApi, S.checkProxy, S.setProxy, S.trustCorporateCa, S.vpnCheck, S.wslNetworking],
    ifStillFailing: [
      'Try another network (a phone hotspot, for example): if it works there, the block is on the original network.',
      'Ask IT whether api.anthropic.com, claude.ai and console.anthropic.com are allowed, and whether HTTPS is inspected.',
      'Some regions are not supported; a VPN exit in such a region is refused as well.',
      DOCTOR_HINT,
    ],
    variants: ['docker', 'wsl', 'macos'],
  },

  multiple_installs: {
    title: 'More than one Claude Code is installed',
    summary: 'Several claude installations are on your PATH (often an old npm one beside the native one) and the wrong one answers with its own login.',
    steps: [S.listInstalls, S.removeNpmInstall, S.installNative, S.refreshPathCache, S.nodeVersion, S.signInAgain],
    ifStillFailing: [
      'Look for leftovers installed with other tools (Homebrew, a version manager such as nvm or volta) and remove them the same way.',
      DOCTOR_HINT,
    ],
    variants: ['wsl', 'ssh', 'docker'],
  },

  account_restricted: {
    title: 'Your account or organization is blocking access',
    summary: 'The sign-in works, but the account is not allowed to use Claude Code right now: billing, credit, plan, or an organization restriction.',
    steps: [
      S.checkStatus,
      {
        id: 'check-billing',
        title: 'Check billing, credit and plan',
        detail:
          'With an API key: the Console billing page shows your credit balance and spend limits; an empty balance or a reached limit blocks every request. With a Claude account: your plan must include Claude Code.',
        commands: {
          macos: sh(`open ${S.CONSOLE_BILLING_URL}`),
          linux: sh(`xdg-open ${S.CONSOLE_BILLING_URL}`),
          powershell: ps(`Start-Process "${S.CONSOLE_BILLING_URL}"`),
          wsl: [labelled('WSL2 (opens the Windows browser)', 'bash', `explorer.exe "${S.CONSOLE_BILLING_URL}"`)],
          ssh: [labelled('on your own computer', 'text', `Open ${S.CONSOLE_BILLING_URL} in your local browser.`)],
          docker: [labelled('on the host', 'text', `Open ${S.CONSOLE_BILLING_URL} in your browser.`)],
        },
      },
      {
        id: 'ask-admin',
        title: 'Ask an organization admin',
        detail:
          'A disabled organization, a removed seat, a role without Claude Code access or a new policy can only be undone by an admin. Send them the exact error and the time it started.',
      },
      {
        id: 'switch-account',
        title: 'Sign in with the account that has access',
        detail: 'If you belong to several organizations, choose the one with Claude Code when the browser asks.',
        commands: { all: sh('claude auth logout', 'claude auth login') },
      },
    ],
    ifStillFailing: [
      'Local fixes cannot lift an account restriction: contact your admin or Anthropic support with the request id from the error.',
      'If you were recently moved to another plan or organization, an API key from the old one stops working; create a new key there.',
    ],
    variants: ['wsl', 'ssh', 'docker'],
  },

  ide_environment: {
    title: 'Your editor does not see your credentials',
    summary: 'Claude Code works in your terminal but not in VS Code (or another editor), because the editor does not inherit your shell environment.',
    steps: [S.checkKeyInEditor, S.editorInheritEnv, S.launchEditorFromShell, S.reloadEditor, S.editorRemoteSide],
    ifStillFailing: [
      "Sign in from the editor instead: run /login in the Claude Code panel, or claude auth login in VS Code's terminal.",
      'Update the Claude Code extension and VS Code itself, then reload the window.',
      DOCTOR_HINT,
    ],
    variants: ['vscode', 'macos'],
  },

  remote_login: {
    title: 'The browser login cannot reach this remote machine',
    summary: 'On WSL2, SSH or in a container the browser cannot hand the login back to the CLI, so it has to be finished by hand or replaced by a token.',
    steps: [S.manualCodeFlow, S.unlockKeychain, S.wslBrowser, S.longLivedToken, S.checkStatus],
    ifStillFailing: [
      'Copy the whole URL: terminals sometimes wrap long lines and drop characters at the break.',
      'Paste the code quickly; it expires after a few minutes.',
      DOCTOR_HINT,
    ],
    variants: ['wsl', 'ssh', 'docker'],
  },

  credential_conflict: {
    title: 'Several credentials are fighting',
    summary: 'More than one credential is set at once (an API key, ANTHROPIC_AUTH_TOKEN, an OAuth token, an apiKeyHelper or a custom base URL) and Claude Code picks one you did not intend.',
    steps: [S.listCredentialVars, S.findApiKeyHelper, S.unsetConflicts, S.reloadShell, S.confirmWithStatus],
    ifStillFailing: [
      'Remove ANTHROPIC_BASE_URL unless you really use a gateway or proxy in front of the API.',
      'Check project settings too: .claude/settings.json in the repository can set environment variables for every session.',
      DOCTOR_HINT,
    ],
    variants: [],
  },

  cloud_provider: {
    title: 'Your AWS or Google Cloud credentials are not valid',
    summary: 'Claude Code is set to use Amazon Bedrock or Google Vertex AI, and the cloud credentials it gets from there are expired or invalid.',
    steps: [
      {
        id: 'bedrock-login',
        title: 'Bedrock: refresh your AWS sign-in',
        detail: 'SSO sessions and temporary keys expire after a few hours. The second command should print your account and role.',
        commands: { all: sh('aws sso login --profile <your-profile>', 'aws sts get-caller-identity --profile <your-profile>') },
      },
      {
        id: 'bedrock-env',
        title: 'Bedrock: point Claude Code at that profile',
        detail: null,
        commands: {
          posix: sh('export CLAUDE_CODE_USE_BEDROCK=1', 'export AWS_PROFILE=<your-profile>', 'export AWS_REGION=us-east-1'),
          powershell: ps('$env:CLAUDE_CODE_USE_BEDROCK = "1"', '$env:AWS_PROFILE = "<your-profile>"', '$env:AWS_REGION = "us-east-1"'),
          docker: [
            labelled(
              'docker run',
              'bash',
              'docker run -v "$HOME/.aws:/root/.aws:ro" -e AWS_PROFILE=<your-profile> -e AWS_REGION=us-east-1 -e CLAUDE_CODE_USE_BEDROCK=1 your-image',
            ),
          ],
        },
      },
      {
        id: 'vertex-login',
        title: 'Vertex AI: refresh your Google credentials',
        detail: 'Application default credentials are what Claude Code uses; your gcloud user login alone is not enough.',
        commands: {
          posix: sh('gcloud auth application-default login', 'gcloud auth application-default print-access-token >/dev/null && echo "credentials OK"'),
          powershell: ps('gcloud auth application-default login', 'gcloud auth application-default print-access-token | Out-Null; if ($?) { "credentials OK" }'),
        },
      },
      {
        id: 'vertex-env',
        title: 'Vertex AI: set the project and region',
        detail: null,
        commands: {
          posix: sh('export CLAUDE_CODE_USE_VERTEX=1', 'export CLOUD_ML_REGION=us-east5', 'export ANTHROPIC_VERTEX_PROJECT_ID=<your-project-id>'),
          powershell: ps('$env:CLAUDE_CODE_USE_VERTEX = "1"', '$env:CLOUD_ML_REGION = "us-east5"', '$env:ANTHROPIC_VERTEX_PROJECT_ID = "<your-project-id>"'),
          docker: [
            labelled(
              'docker run',
              'bash',
              'docker run -v "$HOME/.config/gcloud:/root/.config/gcloud:ro" -e CLAUDE_CODE_USE_VERTEX=1 -e CLOUD_ML_REGION=us-east5 -e ANTHROPIC_VERTEX_PROJECT_ID=<your-project-id> your-image',
            ),
          ],
        },
      },
      {
        id: 'check-clock',
        title: "Check this machine's clock",
        detail: 'Signed cloud requests are refused when the clock is off by more than a few minutes ("Signature expired").',
        commands: { posix: sh('date -u'), powershell: ps('(Get-Date).ToUniversalTime()') },
      },
    ],
    ifStillFailing: [
      'Make sure your role may call the Anthropic models in that region (model access is granted per region on Bedrock and per project on Vertex).',
      'If you did not mean to use a cloud provider, unset CLAUDE_CODE_USE_BEDROCK and CLAUDE_CODE_USE_VERTEX and sign in with claude auth login.',
      DOCTOR_HINT,
    ],
    variants: ['docker'],
  },

  none: {
    title: 'No Claude Code error found',
    summary: 'I could not find an error message from Claude Code in that text.',
    steps: [
      {
        id: 'paste-full-error',
        title: 'Paste the complete error output',
        detail: 'Copy everything from the command you ran to the last line of the error, including any status code or request id. I hide keys and personal details before quoting anything.',
      },
      S.checkStatus,
    ],
    ifStillFailing: [DOCTOR_HINT],
    variants: [],
  },
}

const STATUS_JSON = 'https://status.anthropic.com/api/v2/status.json'
const checkStatusPage: PlaybookStep = {
  id: 'check-status-page',
  title: 'Check the Anthropic status page',
  detail: `${S.STATUS_URL} lists ongoing incidents; the command prints the current overall state.`,
  commands: {
    posix: sh(`curl -s ${STATUS_JSON}`),
    powershell: ps(`(Invoke-RestMethod ${STATUS_JSON}).status`),
  },
}

const waitAndRetry = (what: string): PlaybookStep => ({
  id: 'wait-and-retry',
  title: 'Wait a little and try again',
  detail: `${what} Claude Code already retries on its own; a short pause before the next attempt usually helps.`,
})

/** Replies for real errors that are not about authentication: say what they are and what helps instead. */
export const NOT_AUTH_PLAYBOOK: Record<NotAuthKind, PlaybookEntry> = {
  rate_limit: {
    title: 'Rate limited (429), not a login problem',
    summary: 'Your credentials work; you sent more requests or tokens per minute than your limits allow.',
    steps: [
      waitAndRetry('Rate limits reset within about a minute.'),
      {
        id: 'check-limits',
        title: 'Look at your limits and usage',
        detail: 'API keys: the Console shows the rate limits of your usage tier. Subscriptions: /status inside Claude Code shows your plan. Fewer parallel sessions also helps.',
        commands: { all: [labelled('inside a Claude Code session', 'text', '/status')] },
      },
    ],
    ifStillFailing: ['Ask an admin whether a higher usage tier or a per-workspace limit applies to you.'],
    variants: [],
  },
  overloaded: {
    title: 'Anthropic is overloaded (529), not a login problem',
    summary: 'Your credentials work; the API is temporarily too busy to take the request.',
    steps: [waitAndRetry('Overload errors usually clear within minutes.'), checkStatusPage],
    ifStillFailing: ['If it lasts, switch to another model for a while (/model inside Claude Code).'],
    variants: [],
  },
  server_error: {
    title: 'Server error on Anthropic\'s side, not a login problem',
    summary: 'Your credentials work; the API answered with an internal error (5xx).',
    steps: [waitAndRetry('Server errors are usually short-lived.'), checkStatusPage, S.updateClaude],
    ifStillFailing: ['If the same request fails every time, share the request id from the error with Anthropic support.'],
    variants: [],
  },
  usage_limit: {
    title: 'You reached your plan\'s usage limit, not a login problem',
    summary: 'Your login is fine; your plan\'s usage allowance for this period is used up.',
    steps: [
      {
        id: 'wait-for-reset',
        title: 'Wait for the reset time shown in the message',
        detail: 'Subscription limits reset on a rolling window; the error states when. /status shows where you stand.',
        commands: { all: [labelled('inside a Claude Code session', 'text', '/status')] },
      },
      {
        id: 'more-capacity',
        title: 'Need to keep going now?',
        detail: 'Upgrade the plan, or use an API key with pay-as-you-go billing for the rest of the period.',
      },
    ],
    ifStillFailing: ['If the limit looks wrong for your plan, check with your admin or Anthropic support.'],
    variants: [],
  },
  context_too_long: {
    title: 'The conversation is too long, not a login problem',
    summary: 'The request is larger than the model\'s context window: too much history, output or attached files.',
    steps: [
      {
        id: 'compact-or-clear',
        title: 'Shrink the conversation',
        detail: '/compact summarises the history and keeps going; /clear starts over. Avoid pasting huge logs or files in one go.',
        commands: { all: [labelled('inside a Claude Code session', 'text', '/compact', '/clear')] },
      },
    ],
    ifStillFailing: ['Split the task into smaller pieces, or point Claude Code at files instead of pasting their contents.'],
    variants: [],
  },
  invalid_request: {
    title: 'The request was rejected as invalid, not a login problem',
    summary: 'Your credentials work; the API refused the request itself (a 400), often because of a setting, a tool definition or an old Claude Code version.',
    steps: [S.updateClaude, {
      id: 'check-settings',
      title: 'Check recent changes to settings and tools',
      detail: 'A custom model name, an MCP server or a hook added recently is a common cause. Undo the last change and try again.',
    }],
    ifStillFailing: ['Share the full error (it is redacted before I quote it) and the request id with your team or Anthropic support.'],
    variants: [],
  },
  mcp_server: {
    title: 'An MCP server failed, not your login',
    summary: 'Claude Code is signed in; one of the MCP servers it starts could not connect or crashed.',
    steps: [
      {
        id: 'list-mcp',
        title: 'See which MCP servers are configured and their state',
        detail: null,
        commands: { all: sh('claude mcp list', 'claude mcp get <server-name>') },
      },
      {
        id: 'fix-mcp',
        title: 'Fix or remove the failing server',
        detail: 'Check its command, arguments and any token it needs; remove it while you investigate so the rest keeps working.',
        commands: { all: sh('claude mcp remove <server-name>') },
      },
    ],
    ifStillFailing: ['Start Claude Code with --debug to see the server\'s own error output.'],
    variants: [],
  },
  model_not_found: {
    title: 'That model is not available to you, not a login problem',
    summary: 'Your credentials work; the model name requested does not exist or your account cannot use it.',
    steps: [
      {
        id: 'check-model-setting',
        title: 'See which model is configured',
        detail: 'ANTHROPIC_MODEL or a "model" entry in settings.json overrides the default. On Bedrock and Vertex, model ids look different from the Anthropic API ones.',
        commands: {
          posix: sh('echo "$ANTHROPIC_MODEL"', 'grep -n \'"model"\' ~/.claude/settings.json .claude/settings.json 2>/dev/null'),
          powershell: ps('$env:ANTHROPIC_MODEL', 'Select-String -Path "$env:USERPROFILE\\.claude\\settings.json" -Pattern \'"model"\' -ErrorAction SilentlyContinue'),
        },
      },
      {
        id: 'pick-model',
        title: 'Pick an available model',
        detail: null,
        commands: { all: [labelled('inside a Claude Code session', 'text', '/model')] },
      },
    ],
    ifStillFailing: ['Ask your admin whether your organization restricts which models you may use.'],
    variants: [],
  },
  other: {
    title: 'A real error, but not about signing in',
    summary: 'Your credentials look fine; this error comes from somewhere else.',
    steps: [S.updateClaude, {
      id: 'claude-doctor',
      title: 'Run Claude Code\'s own health check',
      detail: null,
      commands: { all: sh('claude doctor') },
    }],
    ifStillFailing: ['Share the full error with your team; I redact it before quoting.'],
    variants: [],
  },
}

/** The entry for a verdict; 'not_auth' needs the kind (falls back to 'other'). */
export function playbookFor(cause: Verdict, notAuthKind?: NotAuthKind | null): PlaybookEntry {
  if (cause === 'not_auth') return NOT_AUTH_PLAYBOOK[notAuthKind ?? 'other']
  return PLAYBOOK[cause]
}

/** The title of a cause, for "other likely causes" lists. */
export const causeTitle = (cause: CauseId) => PLAYBOOK[cause].title
