// Where Claude Code runs: OS, shell, editor terminal, WSL, SSH, containers. Informational: these do not break auth by
// themselves, but they change the likely cause (VS Code does not inherit the shell; remote logins need the manual
// code flow).
import type { Check, DoctorEnv, Finding } from '../types.js'
import { getVar, hasVar, pathsOf } from '../util.js'

export type EnvironmentFacts = {
  os: string
  shell: string | null
  vscode: boolean
  editor: string | null
  wsl: boolean
  wslDistro: string | null
  ssh: boolean
  container: string | null
}

const OS_NAMES: Partial<Record<NodeJS.Platform, string>> = { darwin: 'macOS', linux: 'Linux', win32: 'Windows' }

export async function detectEnvironment(env: DoctorEnv): Promise<EnvironmentFacts> {
  const p = pathsOf(env)
  const shellVar = getVar(env, 'SHELL')
  let shell: string | null = shellVar ? p.basename(shellVar) : null
  if (!shell && env.platform === 'win32') shell = hasVar(env, 'PSModulePath') ? 'PowerShell' : getVar(env, 'ComSpec') ? 'cmd' : null

  const termProgram = getVar(env, 'TERM_PROGRAM') ?? ''
  const vscode =
    termProgram.toLowerCase() === 'vscode' || ['VSCODE_PID', 'VSCODE_IPC_HOOK_CLI', 'VSCODE_INJECTION', 'VSCODE_GIT_IPC_HANDLE'].some((v) => hasVar(env, v))
  // Cursor and Windsurf are VS Code forks and say TERM_PROGRAM=vscode too
  const editor = vscode ? (hasVar(env, 'CURSOR_TRACE_ID') ? 'Cursor' : 'VS Code') : hasVar(env, 'TERMINAL_EMULATOR') && /jetbrains/i.test(getVar(env, 'TERMINAL_EMULATOR') ?? '') ? 'JetBrains' : null

  let wsl = hasVar(env, 'WSL_DISTRO_NAME') || hasVar(env, 'WSL_INTEROP')
  if (!wsl && env.platform === 'linux') {
    try {
      wsl = /microsoft|wsl/i.test(await env.fs.readFile('/proc/version'))
    } catch {
      /* no /proc: not WSL */
    }
  }
  const ssh = ['SSH_CONNECTION', 'SSH_TTY', 'SSH_CLIENT'].some((v) => hasVar(env, v))

  let container: string | null = null
  if (getVar(env, 'CODESPACES') === 'true') container = 'GitHub Codespaces'
  else if (getVar(env, 'REMOTE_CONTAINERS') === 'true' || hasVar(env, 'REMOTE_CONTAINERS_IPC')) container = 'devcontainer'
  else if (env.platform !== 'win32' && (await env.fs.stat('/.dockerenv'))) container = 'Docker'
  else if (env.platform !== 'win32' && (await env.fs.stat('/run/.containerenv'))) container = 'Podman'

  const osName = OS_NAMES[env.platform] ?? env.platform
  return {
    os: `${osName} ${env.osRelease} (${env.arch})`,
    shell,
    vscode,
    editor,
    wsl,
    wslDistro: wsl ? (getVar(env, 'WSL_DISTRO_NAME') ?? null) : null,
    ssh,
    container,
  }
}

export const environmentCheck: Check = {
  id: 'environment',
  title: 'Environment',
  timeoutMs: 3_000,
  async run(env) {
    const f = await detectEnvironment(env)
    const parts = [f.os, f.shell ? `shell ${f.shell}` : 'shell unknown']
    const findings: Finding[] = []
    const details: string[] = []
    if (f.editor) {
      parts.push(`${f.editor} terminal`)
      if (f.vscode) findings.push({ code: 'env.vscode', severity: 'info' })
      details.push(`Running inside ${f.editor}: it starts with the environment it was launched with, not your shell's startup files.`)
    }
    if (f.wsl) {
      parts.push(`WSL${f.wslDistro ? ` (${f.wslDistro})` : ''}`)
      findings.push({ code: 'env.wsl', severity: 'info' })
      details.push('WSL: the browser opened by `claude auth login` runs in Windows; use the code shown in the terminal if the callback does not arrive.')
    }
    if (f.ssh) {
      parts.push('SSH session')
      findings.push({ code: 'env.ssh', severity: 'info' })
      details.push('SSH session: the login page cannot call back to this machine; copy the code from the browser into the terminal.')
    }
    if (f.container) {
      parts.push(f.container)
      findings.push({ code: 'env.container', severity: 'info' })
      details.push(`${f.container}: containers start with a clean environment; variables must be passed in (docker run -e ANTHROPIC_API_KEY).`)
    }
    return { state: 'ok', summary: parts.join(', '), details, facts: f, findings }
  },
}
