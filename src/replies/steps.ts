// Reusable playbook steps. Each holds its commands per platform; the wording is ours, the facts (commands, files,
// variables) come from the troubleshooting article and Claude Code's own behaviour.
import type { Platform } from '../diagnosis/types.js'
import { labelled, ps, sh, type StepCommands } from './commands.js'

export type PlaybookStep = {
  /** stable id, unique within an entry */
  id: string
  title: string
  detail: string | null
  /** the platforms this step is for; omitted: every platform */
  only?: readonly Platform[]
  commands?: StepCommands
}

export const CONSOLE_KEYS_URL = 'https://console.anthropic.com/settings/keys'
export const CONSOLE_BILLING_URL = 'https://console.anthropic.com/settings/billing'
export const STATUS_URL = 'https://status.anthropic.com'

const KEY_PLACEHOLDER = '<paste-your-new-key-here>'
const MANUAL_FLOW = [
  '# no browser can open here: copy the URL it prints into a browser on your own computer,',
  '# approve the sign-in, then paste the code the page shows back into this terminal',
]

// ---------------------------------------------------------------------------------------------------------------
// Login state

export const checkStatus: PlaybookStep = {
  id: 'check-status',
  title: 'See how Claude Code is signed in',
  detail: 'This reports whether you use a Claude account or an API key, and which account or organization it belongs to.',
  commands: { all: sh('claude auth status') },
}

export const signInAgain: PlaybookStep = {
  id: 'sign-in-again',
  title: 'Sign out, then sign in again',
  detail:
    'Signing out throws away the stored session; signing in asks your browser to approve a new one. Check the status afterwards: it should show your account without errors.',
  commands: {
    all: sh('claude auth logout', 'claude auth login', 'claude auth status'),
    wsl: sh('claude auth logout', 'claude auth login', ...MANUAL_FLOW, 'claude auth status'),
    ssh: sh('claude auth logout', 'claude auth login', ...MANUAL_FLOW, 'claude auth status'),
    docker: [
      labelled('Docker', 'bash', 'docker exec -it <container> claude auth logout', 'docker exec -it <container> claude auth login', ...MANUAL_FLOW),
    ],
  },
}

export const manualCodeFlow: PlaybookStep = {
  id: 'manual-code-flow',
  title: 'Sign in with the code instead of the browser callback',
  detail:
    'The login normally finishes by redirecting your browser to a small server the CLI starts on this machine. From WSL2, an SSH session or a container the browser cannot reach it, so finish the login by hand with the code the page shows.',
  commands: {
    all: sh('claude auth login', ...MANUAL_FLOW),
    wsl: [labelled('WSL2 (inside the Linux shell)', 'bash', 'claude auth login', '# if no Windows browser opens, copy the URL into one yourself,', '# approve, then paste the code back here')],
    ssh: [labelled('on the remote machine (SSH)', 'bash', 'claude auth login', '# open the printed URL in the browser on your laptop, approve,', '# then paste the code back into this SSH session')],
    docker: [labelled('Docker', 'bash', 'docker exec -it <container> claude auth login', ...MANUAL_FLOW)],
  },
}

export const updateClaude: PlaybookStep = {
  id: 'update-claude',
  title: 'Update Claude Code',
  detail: 'Sign-in and token refresh fixes ship often; an old build can keep failing where a current one works.',
  commands: { all: sh('claude --version', 'claude update', 'claude --version') },
}

// ---------------------------------------------------------------------------------------------------------------
// API keys

export const showKey: PlaybookStep = {
  id: 'show-key',
  title: 'Check the key this shell really sees',
  detail:
    'This prints only the first characters and the length, so the output is safe to share. An empty value or a length of 0 means the variable is not set here; an Anthropic key starts with sk-ant-api03- and is a little over 100 characters long.',
  commands: {
    posix: sh('echo "${ANTHROPIC_API_KEY:0:12}... (${#ANTHROPIC_API_KEY} characters)"'),
    powershell: ps('"$("$env:ANTHROPIC_API_KEY".PadRight(12).Substring(0, 12))... ($("$env:ANTHROPIC_API_KEY".Length) characters)"'),
    docker: [labelled('Docker (from the host)', 'bash', 'docker exec <container> printenv ANTHROPIC_API_KEY | cut -c1-12', 'docker exec <container> printenv ANTHROPIC_API_KEY | wc -c')],
  },
}

export const hiddenCharacters: PlaybookStep = {
  id: 'hidden-characters',
  title: 'Look for invisible characters in the key',
  detail:
    'Copying from a web page, chat or password manager can drag along a space, a line break or a Windows carriage return. The first line shows the end of the key (^M or $ there is a stray character); the second prints only characters a key never contains, so empty output means clean.',
  commands: {
    linux: sh(
      `printf '%s' "$ANTHROPIC_API_KEY" | tail -c 4 | cat -A`,
      `printf '%s' "$ANTHROPIC_API_KEY" | LC_ALL=C tr -d 'A-Za-z0-9_-' | od -c`,
    ),
    macos: [
      labelled(
        'macOS (BSD cat has no -A)',
        'bash',
        `printf '%s' "$ANTHROPIC_API_KEY" | tail -c 4 | cat -vet`,
        `printf '%s' "$ANTHROPIC_API_KEY" | LC_ALL=C tr -d 'A-Za-z0-9_-' | od -c`,
      ),
    ],
    powershell: ps(
      '$k = "$env:ANTHROPIC_API_KEY"',
      '"length $($k.Length), without spaces and line breaks $($k.Trim().Length)"',
      "[regex]::Matches($k, '[^A-Za-z0-9_-]') | ForEach-Object { 'U+{0:X4}' -f [int][char]$_.Value }",
    ),
  },
}

export const testKey: PlaybookStep = {
  id: 'test-key',
  title: 'Ask the API directly whether it accepts the key',
  detail:
    'An answer mentioning authentication_error means the key itself is refused. Any other answer, even an error about the model, means the key works and the problem is in how Claude Code gets it.',
  commands: {
    posix: sh(
      'curl -sS https://api.anthropic.com/v1/messages \\',
      '  -H "x-api-key: $ANTHROPIC_API_KEY" \\',
      '  -H "anthropic-version: 2023-06-01" \\',
      '  -H "content-type: application/json" \\',
      `  -d '{"model":"claude-haiku-4-5","max_tokens":8,"messages":[{"role":"user","content":"ping"}]}'`,
    ),
    powershell: ps(
      '$headers = @{ "x-api-key" = $env:ANTHROPIC_API_KEY; "anthropic-version" = "2023-06-01" }',
      `$body = '{"model":"claude-haiku-4-5","max_tokens":8,"messages":[{"role":"user","content":"ping"}]}'`,
      'Invoke-RestMethod -Method Post -Uri "https://api.anthropic.com/v1/messages" -Headers $headers -ContentType "application/json" -Body $body',
    ),
  },
}

export const newKey: PlaybookStep = {
  id: 'new-key',
  title: 'Create a fresh key in the Anthropic Console',
  detail:
    'A key that was rotated, revoked or deleted never comes back. Create a new one under Settings > API Keys, copy it once into your terminal (never into a chat), and replace the old value everywhere it is used.',
  commands: {
    macos: sh(`open ${CONSOLE_KEYS_URL}`),
    linux: sh(`xdg-open ${CONSOLE_KEYS_URL}`),
    powershell: ps(`Start-Process "${CONSOLE_KEYS_URL}"`),
    wsl: [labelled('WSL2 (opens the Windows browser)', 'bash', `explorer.exe "${CONSOLE_KEYS_URL}"`)],
    ssh: [labelled('on your own computer', 'text', `Open ${CONSOLE_KEYS_URL} in your local browser.`)],
    docker: [labelled('on the host', 'text', `Open ${CONSOLE_KEYS_URL} in your browser.`)],
  },
}

export const saveKey: PlaybookStep = {
  id: 'save-key',
  title: 'Store the key where every new terminal finds it',
  detail:
    'A variable typed into one terminal lives only there. Put it in your shell start-up file (or your Windows user environment), then reload. Type the key in your own terminal only.',
  commands: {
    bash: sh(`echo 'export ANTHROPIC_API_KEY="${KEY_PLACEHOLDER}"' >> ~/.bashrc`, 'source ~/.bashrc'),
    zsh: sh(`echo 'export ANTHROPIC_API_KEY="${KEY_PLACEHOLDER}"' >> ~/.zshrc`, 'source ~/.zshrc'),
    powershell: ps(
      `[System.Environment]::SetEnvironmentVariable("ANTHROPIC_API_KEY", "${KEY_PLACEHOLDER}", "User")`,
      '# new windows see it; load it into this one too:',
      '$env:ANTHROPIC_API_KEY = [System.Environment]::GetEnvironmentVariable("ANTHROPIC_API_KEY", "User")',
    ),
    wsl: [
      labelled(
        'WSL2 (inside the Linux shell)',
        'bash',
        '# Windows variables do not reach the WSL2 shell: set it on the Linux side',
        `echo 'export ANTHROPIC_API_KEY="${KEY_PLACEHOLDER}"' >> ~/.bashrc`,
        'source ~/.bashrc',
      ),
    ],
    ssh: [
      labelled(
        'on the remote machine (SSH)',
        'bash',
        '# the key on your laptop does not travel over SSH: set it on the remote side',
        `echo 'export ANTHROPIC_API_KEY="${KEY_PLACEHOLDER}"' >> ~/.bashrc`,
        'source ~/.bashrc',
      ),
    ],
    docker: [
      labelled('docker run', 'bash', 'docker run -e ANTHROPIC_API_KEY="$ANTHROPIC_API_KEY" your-image'),
      labelled('docker compose (compose.yaml)', 'yaml', 'services:', '  app:', '    environment:', '      - ANTHROPIC_API_KEY=${ANTHROPIC_API_KEY}'),
    ],
  },
}

export const findKeyDefinitions: PlaybookStep = {
  id: 'find-key-definitions',
  title: 'Find every place that sets the key',
  detail:
    'An old export further down a start-up file, or a second one in another file, silently wins over the key you just set. Keep exactly one. The commands show where, not the value.',
  commands: {
    posix: sh(`grep -n ANTHROPIC_API_KEY ~/.bashrc ~/.bash_profile ~/.zshrc ~/.zprofile ~/.profile 2>/dev/null | sed 's/=.*/=.../'`),
    powershell: ps(
      '"User variable set: $([bool][System.Environment]::GetEnvironmentVariable("ANTHROPIC_API_KEY", "User"))"',
      '"Machine variable set: $([bool][System.Environment]::GetEnvironmentVariable("ANTHROPIC_API_KEY", "Machine"))"',
      'if (Test-Path $PROFILE) { Select-String -Path $PROFILE -Pattern ANTHROPIC_API_KEY | ForEach-Object { "profile line $($_.LineNumber)" } }',
    ),
  },
}

export const reloadShell: PlaybookStep = {
  id: 'reload-shell',
  title: 'Reload the shell (or open a new terminal)',
  detail: 'Start-up files are read when a terminal starts; an open window keeps its old environment until you reload it.',
  commands: {
    bash: sh('source ~/.bashrc'),
    zsh: sh('source ~/.zshrc'),
    powershell: ps('# environment changes reach new windows; or reload your profile here:', '. $PROFILE'),
  },
}

export const passKeyToContainer: PlaybookStep = {
  id: 'pass-key-to-container',
  title: 'Hand the key to the container explicitly',
  detail: 'Containers start with an empty environment: nothing from your shell reaches them unless you pass it with -e or in the compose file.',
  only: ['docker', 'linux', 'macos', 'windows', 'wsl', 'ssh'],
  commands: {
    posix: sh('docker run -e ANTHROPIC_API_KEY="$ANTHROPIC_API_KEY" your-image'),
    powershell: ps('docker run -e ANTHROPIC_API_KEY="$env:ANTHROPIC_API_KEY" your-image'),
    docker: [
      labelled('docker run', 'bash', 'docker run -e ANTHROPIC_API_KEY="$ANTHROPIC_API_KEY" your-image'),
      labelled('docker compose (compose.yaml)', 'yaml', 'services:', '  app:', '    environment:', '      - ANTHROPIC_API_KEY=${ANTHROPIC_API_KEY}'),
    ],
  },
}

export const ciSecret: PlaybookStep = {
  id: 'ci-secret',
  title: 'In CI, map the stored secret into the job',
  detail: 'CI runners do not read your shell files. Store the key as a repository or organization secret and expose it to the step that runs claude.',
  commands: {
    all: [labelled('GitHub Actions workflow', 'yaml', 'env:', '  ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}')],
  },
}

// ---------------------------------------------------------------------------------------------------------------
// Local credential state

export const validateConfigJson: PlaybookStep = {
  id: 'validate-config-json',
  title: 'Check that ~/.claude.json is still valid JSON',
  detail: 'A crash or a hand edit can leave this file half written. If the check fails, move the file aside (a copy is kept) and let Claude Code write a new one.',
  commands: {
    posix: sh(
      `node -e "JSON.parse(require('fs').readFileSync(require('os').homedir() + '/.claude.json', 'utf8')); console.log('~/.claude.json is valid')"`,
      '# only if it is broken:',
      'mv ~/.claude.json ~/.claude.json.broken',
    ),
    powershell: ps(
      `node -e "JSON.parse(require('fs').readFileSync(require('os').homedir() + '/.claude.json', 'utf8')); console.log('~/.claude.json is valid')"`,
      '# only if it is broken:',
      'Rename-Item "$env:USERPROFILE\\.claude.json" ".claude.json.broken"',
    ),
  },
}

export const clearStoredLogin: PlaybookStep = {
  id: 'clear-stored-login',
  title: 'Delete the stored login and sign in again',
  detail:
    'Removing the saved credentials forces a clean login. On Linux, WSL and Windows they live in ~/.claude/.credentials.json; on macOS Claude Code keeps them in the login Keychain instead.',
  commands: {
    posix: sh('rm -f ~/.claude/.credentials.json', 'claude auth login'),
    macos: [
      labelled(
        'macOS',
        'bash',
        '# the login is kept in the Keychain item "Claude Code-credentials"',
        'security delete-generic-password -s "Claude Code-credentials" >/dev/null 2>&1',
        'rm -f ~/.claude/.credentials.json',
        'claude auth login',
      ),
    ],
    powershell: ps('Remove-Item "$env:USERPROFILE\\.claude\\.credentials.json" -Force -ErrorAction SilentlyContinue', 'claude auth login'),
  },
}

export const fixPermissions: PlaybookStep = {
  id: 'fix-permissions',
  title: 'Make sure you own your Claude Code files',
  detail: 'Running claude once with sudo can leave files owned by root, which your normal user then cannot read or update.',
  commands: {
    posix: sh('ls -la ~/.claude ~/.claude.json', 'sudo chown -R "$(id -un)" ~/.claude ~/.claude.json', 'chmod 700 ~/.claude'),
    powershell: ps('icacls "$env:USERPROFILE\\.claude"', 'icacls "$env:USERPROFILE\\.claude" /grant "${env:USERNAME}:(OI)(CI)F"'),
  },
}

export const unlockKeychain: PlaybookStep = {
  id: 'unlock-keychain',
  title: 'Unlock the macOS login Keychain',
  detail:
    'Claude Code saves its login in the Keychain. In an SSH session, or after the Keychain was locked, it can neither read nor write it ("Keychain is locked" or "not writable"). Unlock it for this session, then sign in.',
  only: ['macos', 'ssh'],
  commands: {
    macos: sh('security unlock-keychain ~/Library/Keychains/login.keychain-db', 'claude auth login'),
    ssh: [
      labelled(
        'on the remote Mac (SSH)',
        'bash',
        'security unlock-keychain ~/Library/Keychains/login.keychain-db',
        'claude auth login',
        ...MANUAL_FLOW,
      ),
    ],
  },
}

export const startFromEmptyConfig: PlaybookStep = {
  id: 'start-from-empty-config',
  title: 'Last resort: start from an empty ~/.claude',
  detail:
    'Warning: this deletes your settings, custom commands, memory files and history along with the login. The first line keeps a copy, so you can bring back what you need afterwards.',
  commands: {
    posix: sh('cp -R ~/.claude ~/.claude-backup-$(date +%Y%m%d)', 'rm -rf ~/.claude', 'claude auth login'),
    powershell: ps(
      'Copy-Item -Recurse "$env:USERPROFILE\\.claude" "$env:USERPROFILE\\.claude-backup"',
      'Remove-Item -Recurse -Force "$env:USERPROFILE\\.claude"',
      'claude auth login',
    ),
  },
}

// ---------------------------------------------------------------------------------------------------------------
// Network

export const reachApi: PlaybookStep = {
  id: 'reach-api',
  title: 'Check that this machine can reach the API at all',
  detail: 'Any HTTP status line back (even 404) means the network path is open. A timeout, a refused connection or a certificate error points at the network, not at your login.',
  commands: {
    posix: sh('curl -I https://api.anthropic.com'),
    powershell: ps('Test-NetConnection api.anthropic.com -Port 443', 'curl.exe -I https://api.anthropic.com'),
    wsl: [
      labelled(
        'WSL2 (inside the Linux shell)',
        'bash',
        'curl -I https://api.anthropic.com',
        '# a Windows VPN often leaves WSL2 with a DNS server it cannot reach:',
        'cat /etc/resolv.conf',
      ),
    ],
    docker: [labelled('Docker', 'bash', 'docker exec <container> curl -sSI https://api.anthropic.com')],
  },
}

export const checkProxy: PlaybookStep = {
  id: 'check-proxy',
  title: 'See which proxy settings are active',
  detail: 'Claude Code honours HTTPS_PROXY and HTTP_PROXY. A stale value sends every request to a proxy that no longer exists; a missing one makes a proxy-only network look offline.',
  commands: {
    posix: sh(`env | grep -i -E '^(https?|no|all)_proxy='`),
    powershell: ps("Get-ChildItem Env: | Where-Object Name -Match 'proxy'", 'netsh winhttp show proxy'),
  },
}

export const setProxy: PlaybookStep = {
  id: 'set-proxy',
  title: 'Route Claude Code through your company proxy',
  detail: 'Use the proxy address your IT team gives you. Add the same lines to your shell start-up file to keep them.',
  commands: {
    posix: sh('export HTTPS_PROXY=http://proxy.example.com:8080', 'export HTTP_PROXY=http://proxy.example.com:8080'),
    powershell: ps(
      '$env:HTTPS_PROXY = "http://proxy.example.com:8080"',
      '[System.Environment]::SetEnvironmentVariable("HTTPS_PROXY", "http://proxy.example.com:8080", "User")',
    ),
    docker: [labelled('docker run', 'bash', 'docker run -e HTTPS_PROXY=http://proxy.example.com:8080 -e HTTP_PROXY=http://proxy.example.com:8080 your-image')],
  },
}

export const trustCorporateCa: PlaybookStep = {
  id: 'trust-corporate-ca',
  title: 'Trust the certificate of a TLS-inspecting firewall',
  detail:
    'Errors such as SELF_SIGNED_CERT_IN_CHAIN or "unable to get local issuer certificate" mean something on the network re-signs HTTPS traffic. Point Node.js at your company root certificate (ask IT for the .pem file).',
  commands: {
    posix: sh('export NODE_EXTRA_CA_CERTS=/path/to/company-root-ca.pem'),
    macos: [
      labelled(
        'macOS',
        'bash',
        '# export the certificates your Mac already trusts, then point Node.js at them',
        'security find-certificate -a -p /Library/Keychains/System.keychain > ~/company-root-ca.pem',
        'export NODE_EXTRA_CA_CERTS=~/company-root-ca.pem',
      ),
    ],
    powershell: ps('[System.Environment]::SetEnvironmentVariable("NODE_EXTRA_CA_CERTS", "C:\\certs\\company-root-ca.pem", "User")'),
    docker: [labelled('docker run', 'bash', 'docker run -v /path/to/company-root-ca.pem:/certs/ca.pem:ro -e NODE_EXTRA_CA_CERTS=/certs/ca.pem your-image')],
  },
}

export const vpnCheck: PlaybookStep = {
  id: 'vpn-check',
  title: 'Try once with the VPN off',
  detail:
    'If signing in works without the VPN, ask IT to allow api.anthropic.com, claude.ai and console.anthropic.com, or to exclude them through split tunnelling. Firewalls that block those hosts make a valid login look broken.',
}

export const wslNetworking: PlaybookStep = {
  id: 'wsl-networking',
  title: 'Let WSL2 share the Windows network',
  detail: 'With a VPN on Windows, WSL2 in its default NAT mode often loses DNS or routes. Mirrored networking makes it use the same network as Windows.',
  only: ['wsl'],
  commands: {
    wsl: [
      labelled('%UserProfile%\\.wslconfig on Windows', 'text', '[wsl2]', 'networkingMode=mirrored'),
      labelled('PowerShell on Windows, then reopen WSL', 'powershell', 'wsl --shutdown'),
    ],
  },
}

// ---------------------------------------------------------------------------------------------------------------
// Installation

export const listInstalls: PlaybookStep = {
  id: 'list-installs',
  title: 'List every claude on your PATH',
  detail: 'More than one path means an old npm install sits beside the native one, and whichever comes first answers with its own login.',
  commands: {
    posix: sh('which -a claude', 'claude --version', 'npm ls -g --depth=0 2>/dev/null | grep claude-code'),
    powershell: ps('Get-Command claude -All', 'where.exe claude', 'claude --version'),
  },
}

export const removeNpmInstall: PlaybookStep = {
  id: 'remove-npm-install',
  title: 'Remove the old npm install',
  detail: 'If it was installed with sudo, remove it the same way.',
  commands: { all: sh('npm uninstall -g @anthropic-ai/claude-code') },
}

export const installNative: PlaybookStep = {
  id: 'install-native',
  title: 'Install the native build',
  detail: null,
  commands: {
    posix: sh('curl -fsSL https://claude.ai/install.sh | bash'),
    powershell: ps('irm https://claude.ai/install.ps1 | iex'),
  },
}

export const refreshPathCache: PlaybookStep = {
  id: 'refresh-path-cache',
  title: 'Make the shell forget the old location',
  detail: 'Shells remember where they found a command. Clear that memory (or open a new terminal), then confirm a single install answers.',
  commands: {
    bash: sh('hash -r', 'which -a claude', 'claude --version', 'claude doctor'),
    zsh: sh('rehash', 'which -a claude', 'claude --version', 'claude doctor'),
    powershell: ps(
      '$env:Path = [System.Environment]::GetEnvironmentVariable("Path", "Machine") + ";" + [System.Environment]::GetEnvironmentVariable("Path", "User")',
      'Get-Command claude -All',
      'claude --version',
      'claude doctor',
    ),
  },
}

export const nodeVersion: PlaybookStep = {
  id: 'node-version',
  title: 'Check Node.js is version 18 or newer',
  detail: 'npm installs of Claude Code run on your Node.js; older versions fail in odd ways, including during sign-in.',
  commands: { all: sh('node --version') },
}

// ---------------------------------------------------------------------------------------------------------------
// Editors

export const checkKeyInEditor: PlaybookStep = {
  id: 'check-key-in-editor',
  title: "Check the variable inside VS Code's terminal",
  detail: "Run this in VS Code's integrated terminal. If it is empty there but set in your normal terminal, VS Code did not inherit your environment.",
  commands: showKey.commands!,
}

const VSCODE_INHERIT = ['{', '  "terminal.integrated.inheritEnv": true', '}']
const VSCODE_MAC_LOGIN = [
  '{',
  '  "terminal.integrated.inheritEnv": true,',
  '  "terminal.integrated.profiles.osx": { "zsh": { "path": "zsh", "args": ["-l"] } },',
  '  "terminal.integrated.defaultProfile.osx": "zsh"',
  '  // older VS Code versions: "terminal.integrated.shellArgs.osx": ["-l"]',
  '}',
]

export const editorInheritEnv: PlaybookStep = {
  id: 'editor-inherit-env',
  title: 'Let VS Code pass your shell environment on',
  detail:
    'Add this to your user settings.json (Command Palette > Preferences: Open User Settings (JSON)). On macOS also start the terminal as a login shell (-l) so ~/.zprofile and ~/.zshrc are read.',
  commands: {
    all: [labelled('VS Code settings.json', 'json', ...VSCODE_INHERIT)],
    macos: [labelled('VS Code settings.json (macOS)', 'json', ...VSCODE_MAC_LOGIN)],
    vscode: [labelled('VS Code settings.json (the osx lines matter on macOS only)', 'json', ...VSCODE_MAC_LOGIN)],
  },
}

export const launchEditorFromShell: PlaybookStep = {
  id: 'launch-editor-from-shell',
  title: 'Start VS Code from a terminal that has the key',
  detail: 'Started from the Dock, Start menu or launcher, VS Code may never see your shell variables; started from a terminal, it inherits them.',
  commands: { all: sh('code .') },
}

export const reloadEditor: PlaybookStep = {
  id: 'reload-editor',
  title: 'Reload the VS Code window',
  detail:
    'Command Palette (Ctrl+Shift+P, or Cmd+Shift+P on macOS) > "Developer: Reload Window". If the variable is still missing, quit VS Code completely and open it again.',
}

export const editorRemoteSide: PlaybookStep = {
  id: 'editor-remote-side',
  title: 'Using VS Code Remote (WSL or SSH)? Set the key on the remote side',
  detail: 'With Remote - WSL or Remote - SSH the terminal and the extension run on the remote machine, which reads its own start-up files.',
  only: ['vscode', 'wsl', 'ssh'],
  commands: {
    vscode: [labelled('remote shell (WSL or SSH host)', 'bash', `echo 'export ANTHROPIC_API_KEY="${KEY_PLACEHOLDER}"' >> ~/.bashrc`, 'source ~/.bashrc')],
    wsl: [labelled('WSL2 (inside the Linux shell)', 'bash', `echo 'export ANTHROPIC_API_KEY="${KEY_PLACEHOLDER}"' >> ~/.bashrc`, 'source ~/.bashrc')],
    ssh: [labelled('on the remote machine (SSH)', 'bash', `echo 'export ANTHROPIC_API_KEY="${KEY_PLACEHOLDER}"' >> ~/.bashrc`, 'source ~/.bashrc')],
  },
}

// ---------------------------------------------------------------------------------------------------------------
// Remote machines

export const wslBrowser: PlaybookStep = {
  id: 'wsl-browser',
  title: 'Let WSL2 open your Windows browser',
  detail: 'With wslu installed and BROWSER set, the login page opens in Windows and the callback can reach WSL2.',
  only: ['wsl'],
  commands: { wsl: sh('sudo apt install -y wslu', 'export BROWSER=wslview', 'claude auth login') },
}

export const longLivedToken: PlaybookStep = {
  id: 'long-lived-token',
  title: 'On machines without a browser, use a long-lived token',
  detail:
    'With a Claude subscription, create a token once on a computer that has a browser and give it to the remote machine or container as CLAUDE_CODE_OAUTH_TOKEN. With an API key, set ANTHROPIC_API_KEY there instead.',
  commands: {
    posix: sh(
      '# on a computer with a browser:',
      'claude setup-token',
      '# on the remote machine (keep it out of shared files):',
      'export CLAUDE_CODE_OAUTH_TOKEN="<token printed by setup-token>"',
    ),
    powershell: ps('claude setup-token', '$env:CLAUDE_CODE_OAUTH_TOKEN = "<token printed by setup-token>"'),
    docker: [
      labelled('docker run', 'bash', 'docker run -e CLAUDE_CODE_OAUTH_TOKEN="$CLAUDE_CODE_OAUTH_TOKEN" your-image'),
      labelled('docker compose (compose.yaml)', 'yaml', 'services:', '  app:', '    environment:', '      - CLAUDE_CODE_OAUTH_TOKEN=${CLAUDE_CODE_OAUTH_TOKEN}'),
    ],
  },
}

// ---------------------------------------------------------------------------------------------------------------
// Several credential sources

const CREDENTIAL_VARS = 'ANTHROPIC_API_KEY|ANTHROPIC_AUTH_TOKEN|CLAUDE_CODE_OAUTH_TOKEN|ANTHROPIC_BASE_URL|CLAUDE_CODE_USE_BEDROCK|CLAUDE_CODE_USE_VERTEX'

export const listCredentialVars: PlaybookStep = {
  id: 'list-credential-vars',
  title: 'List the credential variables this shell sets',
  detail: 'Names only, no values. Claude Code prefers some sources over others, so an old token here can override the login you expect.',
  commands: {
    posix: sh(`env | grep -E '^(${CREDENTIAL_VARS})=' | cut -d= -f1`),
    powershell: ps("Get-ChildItem Env: | Where-Object Name -Match '^(ANTHROPIC_|CLAUDE_CODE_)' | Select-Object -ExpandProperty Name"),
  },
}

export const findApiKeyHelper: PlaybookStep = {
  id: 'find-api-key-helper',
  title: 'Look for an apiKeyHelper in your settings',
  detail: 'A helper script configured in settings.json hands Claude Code a key of its own, on top of any login.',
  commands: {
    posix: sh('grep -n apiKeyHelper ~/.claude/settings.json .claude/settings.json .claude/settings.local.json 2>/dev/null'),
    powershell: ps(
      'Select-String -Path "$env:USERPROFILE\\.claude\\settings.json", ".claude\\settings.json", ".claude\\settings.local.json" -Pattern apiKeyHelper -ErrorAction SilentlyContinue',
    ),
  },
}

export const unsetConflicts: PlaybookStep = {
  id: 'unset-conflicts',
  title: 'Keep one way of signing in and remove the others',
  detail:
    'Decide between your Claude subscription login and an API key. Unset the variables you do not mean to use, then delete their lines from your start-up files (or Windows user environment) so they do not come back.',
  commands: {
    posix: sh(
      'unset ANTHROPIC_AUTH_TOKEN',
      '# only if you want your Claude subscription login rather than an API key:',
      'unset ANTHROPIC_API_KEY',
      `grep -n -E '${CREDENTIAL_VARS.split('|').slice(0, 3).join('|')}' ~/.bashrc ~/.zshrc ~/.profile 2>/dev/null | sed 's/=.*/=.../'`,
    ),
    powershell: ps(
      'Remove-Item Env:ANTHROPIC_AUTH_TOKEN -ErrorAction SilentlyContinue',
      '[System.Environment]::SetEnvironmentVariable("ANTHROPIC_AUTH_TOKEN", $null, "User")',
      '# only if you want your Claude subscription login rather than an API key:',
      'Remove-Item Env:ANTHROPIC_API_KEY -ErrorAction SilentlyContinue',
    ),
  },
}

export const confirmWithStatus: PlaybookStep = {
  id: 'confirm-with-status',
  title: 'Confirm which credential Claude Code now uses',
  detail: 'Inside a Claude Code session, /status names the active sign-in method; it should list only the one you chose.',
  commands: {
    all: [labelled('any terminal', 'bash', 'claude auth status'), labelled('inside a Claude Code session', 'text', '/status')],
  },
}
