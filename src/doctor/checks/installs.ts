// Every `claude` executable in PATH, what kind of install it belongs to, and its version. Several installs side by
// side (an old npm one beside the native one) authenticate differently and are a known cause of auth failures.
import type { Check, DoctorEnv, Finding } from '../types.js'
import { getVar, homePath, isWindows, parseVersion, pathsOf, plural, tilde } from '../util.js'

export type InstallKind = 'npm-global' | 'native' | 'local' | 'homebrew' | 'other'

export const INSTALL_KIND_LABEL: Record<InstallKind, string> = {
  'npm-global': 'npm global',
  native: 'native',
  local: 'local (~/.claude/local)',
  homebrew: 'Homebrew',
  other: 'other',
}

export type Install = {
  /** the executable as found in PATH */
  path: string
  /** where it points after symlinks */
  realpath: string
  kind: InstallKind
  /** also found through these PATH entries (same file) */
  aliases: string[]
}

export type InstallWithVersion = Install & { version: string | null; versionError: string | null }

const NPM_PACKAGE = 'node_modules/@anthropic-ai/claude-code'

function norm(env: DoctorEnv, p: string): string {
  const s = p.replace(/\\/g, '/')
  return isWindows(env) ? s.toLowerCase() : s
}

export async function classifyInstall(env: DoctorEnv, found: string, real: string): Promise<InstallKind> {
  const home = norm(env, env.homedir).replace(/\/+$/, '')
  const f = norm(env, found)
  const r = norm(env, real)
  const under = (p: string, dir: string) => p.startsWith(`${dir}/`)
  if (under(f, `${home}/.claude/local`) || under(r, `${home}/.claude/local`)) return 'local'
  if (r.includes(`/${NPM_PACKAGE}/`) || r.endsWith(`/${NPM_PACKAGE}`)) return 'npm-global'
  if (under(r, `${home}/.local/share/claude`) || (/\/\.local\/bin\/claude(\.exe)?$/.test(f) && under(f, home))) return 'native'
  if (/\/(caskroom|cellar)\//i.test(r) || /^\/opt\/homebrew\/|^\/home\/linuxbrew\/\.linuxbrew\//.test(r)) return 'homebrew'
  // Windows npm shims (claude.cmd) do not resolve to the package; the package sits beside them
  const p = pathsOf(env)
  if (await env.fs.stat(p.join(p.dirname(found), ...NPM_PACKAGE.split('/')))) return 'npm-global'
  return 'other'
}

const WINDOWS_NAMES = ['claude.exe', 'claude.cmd', 'claude.bat', 'claude.ps1']

/** every `claude` in PATH, in PATH order, the same file found twice counted once */
export async function findInstalls(env: DoctorEnv): Promise<Install[]> {
  const p = pathsOf(env)
  const dirs = (getVar(env, 'PATH') ?? '').split(isWindows(env) ? ';' : ':').filter(Boolean)
  const installs: Install[] = []
  const byReal = new Map<string, Install>()
  for (const dir of dirs) {
    const names = isWindows(env) ? WINDOWS_NAMES : ['claude']
    for (const name of names) {
      const candidate = p.join(dir, name)
      if (!(await env.fs.isExecutable(candidate))) continue
      let real = candidate
      try {
        real = await env.fs.realpath(candidate)
      } catch {
        /* keep the PATH name */
      }
      const seen = byReal.get(norm(env, real))
      if (seen) {
        if (seen.path !== candidate && !seen.aliases.includes(candidate)) seen.aliases.push(candidate)
      } else {
        const install: Install = { path: candidate, realpath: real, kind: await classifyInstall(env, candidate, real), aliases: [] }
        byReal.set(norm(env, real), install)
        installs.push(install)
      }
      break // one shim per directory on Windows (claude.cmd and claude.ps1 are the same install)
    }
  }
  return installs
}

export async function versionOf(env: DoctorEnv, file: string, signal?: AbortSignal, timeoutMs = 5_000): Promise<{ version: string | null; error: string | null }> {
  const r = await env.exec(file, ['--version'], { timeoutMs, signal })
  if (r.timedOut) return { version: null, error: `no answer to --version within ${timeoutMs / 1000} s` }
  if (r.error) return { version: null, error: `could not run it (${r.error})` }
  const v = parseVersion(r.stdout) ?? parseVersion(r.stderr)
  if (!v) return { version: null, error: `--version printed no version (exit ${r.code ?? '?'})` }
  return { version: v.join('.'), error: null }
}

function removalCommands(env: DoctorEnv, installs: InstallWithVersion[]): { text: string; commands: string[] } {
  const kinds = new Set(installs.map((i) => i.kind))
  const win = isWindows(env)
  const commands: string[] = []
  const steps: string[] = []
  const keepsNative = kinds.has('native')
  if (kinds.has('npm-global') && installs.length > 1) {
    steps.push('remove the npm install')
    commands.push('npm uninstall -g @anthropic-ai/claude-code')
  }
  if (kinds.has('local') && (keepsNative || kinds.has('npm-global') || kinds.has('homebrew'))) {
    steps.push('remove the old local install')
    commands.push(win ? 'Remove-Item -Recurse -Force "$HOME\\.claude\\local"' : 'rm -rf ~/.claude/local')
  }
  if (kinds.has('homebrew') && keepsNative) {
    steps.push('remove the Homebrew install')
    commands.push('brew uninstall --cask claude-code')
  }
  if (!keepsNative) {
    steps.push('install the native build')
    commands.push(win ? 'irm https://claude.ai/install.ps1 | iex' : 'curl -fsSL https://claude.ai/install.sh | bash')
  }
  const others = installs.filter((i) => i.kind === 'other')
  if (others.length > 0) steps.push(`delete or move the unknown one${others.length > 1 ? 's' : ''} (${others.map((i) => tilde(env, i.path)).join(', ')})`)
  commands.push(...(win ? ['where.exe claude', 'claude --version'] : ['hash -r', 'which -a claude', 'claude --version']))
  return { text: `Keep one install, the native one: ${steps.join(', then ')}; then open a new terminal and check that one \`claude\` is left.`, commands }
}

export const installsCheck: Check = {
  id: 'installs',
  title: 'Claude Code installs',
  timeoutMs: 15_000,
  async run(env, ctx) {
    const found = await findInstalls(env)
    const installs: InstallWithVersion[] = await Promise.all(
      found.map(async (i) => {
        const v = await versionOf(env, i.path, ctx.signal)
        return { ...i, version: v.version, versionError: v.error }
      }),
    )
    const facts = {
      count: installs.length,
      installs: installs.map((i) => ({ path: tilde(env, i.path), realpath: tilde(env, i.realpath), kind: i.kind, version: i.version, aliases: i.aliases.map((a) => tilde(env, a)) })),
    }
    const describe = (i: InstallWithVersion) => `${INSTALL_KIND_LABEL[i.kind]} ${i.version ?? '(version unknown)'}`
    const details = installs.map((i, n) => {
      const where = i.realpath !== i.path ? `${tilde(env, i.path)} -> ${tilde(env, i.realpath)}` : tilde(env, i.path)
      const extra = [i.versionError, i.aliases.length ? `also via ${i.aliases.map((a) => tilde(env, a)).join(', ')}` : null].filter(Boolean)
      return `${n + 1}. ${describe(i)}: ${where}${extra.length ? ` (${extra.join('; ')})` : ''}`
    })

    if (installs.length === 0) {
      const native = homePath(env, '.local', 'bin', isWindows(env) ? 'claude.exe' : 'claude')
      const hasNative = await env.fs.isExecutable(native)
      const shell = pathsOf(env).basename(getVar(env, 'SHELL') ?? 'bash')
      const rc = shell === 'zsh' ? '~/.zshrc' : '~/.bashrc'
      return {
        state: 'warning',
        summary: hasNative ? `no \`claude\` in PATH, but ${tilde(env, native)} exists: its folder is not in PATH` : 'no `claude` in PATH of this shell',
        facts: { ...facts, nativeOutsidePath: hasNative },
        findings: [{ code: hasNative ? 'installs.not_in_path' : 'installs.none', severity: 'warning' }],
        fix: hasNative
          ? {
              text: 'Add ~/.local/bin to PATH, then open a new terminal.',
              commands: isWindows(env)
                ? ['[Environment]::SetEnvironmentVariable("Path", "$env:USERPROFILE\\.local\\bin;" + [Environment]::GetEnvironmentVariable("Path", "User"), "User")']
                : [`echo 'export PATH="$HOME/.local/bin:$PATH"' >> ${rc}`, `source ${rc}`],
            }
          : { text: 'Install Claude Code (native build).', commands: [isWindows(env) ? 'irm https://claude.ai/install.ps1 | iex' : 'curl -fsSL https://claude.ai/install.sh | bash'] },
      }
    }
    const first = installs[0] as InstallWithVersion
    if (installs.length === 1) {
      return { state: 'ok', summary: `${describe(first)} at ${tilde(env, first.path)}`, details: details.length > 1 ? details : [], facts }
    }
    const kinds = new Set(installs.map((i) => i.kind))
    const versions = new Set(installs.map((i) => i.version))
    // an npm install beside another kind is the known conflict; two of the same kind and version is only clutter
    const serious = kinds.has('npm-global') || kinds.size > 1 || versions.size > 1
    const findings: Finding[] = [{ code: 'installs.multiple', severity: serious ? 'error' : 'warning' }]
    return {
      state: serious ? 'error' : 'warning',
      summary: `${plural(installs.length, 'install')} in PATH; \`claude\` runs the first: ${describe(first)}`,
      details,
      facts,
      findings,
      fix: removalCommands(env, installs),
    }
  },
}
