// Commands per platform. A playbook step lists command variants by target (a shell or an environment); a reply
// resolves them for one platform, or for the common pair (bash/zsh and PowerShell) when the platform is unknown.
import { PLATFORMS, type Platform } from '../diagnosis/types.js'
import type { CommandBlock, CommandLanguage } from './types.js'

/**
 * Where a command variant applies.
 * - `all`: the same line works in every shell (e.g. `claude auth status`)
 * - `posix`: bash and zsh alike (macOS, Linux, WSL, SSH, containers)
 * - `bash` / `zsh`: only where the two differ (rc file, rehash)
 * - `powershell`: Windows
 * - `macos`, `linux`, `wsl`, `ssh`, `docker`, `vscode`: environment-specific overrides where they differ
 */
export const COMMAND_TARGETS = ['all', 'posix', 'bash', 'zsh', 'powershell', 'macos', 'linux', 'wsl', 'ssh', 'docker', 'vscode'] as const
export type CommandTarget = (typeof COMMAND_TARGETS)[number]

export type CommandVariant = { lines: string[]; language: CommandLanguage; label?: string }
export type StepCommands = Partial<Record<CommandTarget, CommandVariant[]>>

const DEFAULT_LABELS: Record<CommandTarget, string> = {
  all: 'any terminal',
  posix: 'bash / zsh',
  bash: 'bash (~/.bashrc)',
  zsh: 'zsh (~/.zshrc)',
  powershell: 'PowerShell',
  macos: 'macOS',
  linux: 'Linux',
  wsl: 'WSL2 (inside the Linux shell)',
  ssh: 'on the remote machine (SSH)',
  docker: 'Docker',
  vscode: 'VS Code',
}

// Small builders so the playbook reads like the commands it holds.
export const sh = (...lines: string[]): CommandVariant[] => [{ language: 'bash', lines }]
export const ps = (...lines: string[]): CommandVariant[] => [{ language: 'powershell', lines }]
export const labelled = (label: string, language: CommandLanguage, ...lines: string[]): CommandVariant => ({ label, language, lines })

function blocks(target: CommandTarget, variants: CommandVariant[] | undefined): CommandBlock[] {
  return (variants ?? []).map((v) => ({ label: v.label ?? DEFAULT_LABELS[target], language: v.language, lines: [...v.lines] }))
}

/** bash/zsh variants: `posix` when given, else the bash and zsh pair (zsh first on macOS, where it is the default) */
function unixShells(c: StepCommands, zshFirst: boolean): CommandBlock[] {
  if (c.posix) return blocks('posix', c.posix)
  const bash = blocks('bash', c.bash)
  const zsh = blocks('zsh', c.zsh)
  return zshFirst ? [...zsh, ...bash] : [...bash, ...zsh]
}

const orElse = (first: CommandBlock[], ...rest: (() => CommandBlock[])[]) => {
  let out = first
  for (const next of rest) {
    if (out.length) return out
    out = next()
  }
  return out
}

/** The command blocks a person on `platform` should see (null: the common bash/zsh and PowerShell variants). */
export function resolveCommands(c: StepCommands | undefined, platform: Platform | null): CommandBlock[] {
  if (!c) return []
  const all = () => blocks('all', c.all)
  switch (platform) {
    case 'windows':
      return orElse(blocks('powershell', c.powershell), all)
    case 'macos':
      return orElse(blocks('macos', c.macos), () => unixShells(c, true), all)
    case 'linux':
      return orElse(blocks('linux', c.linux), () => unixShells(c, false), all)
    case 'wsl':
    case 'ssh':
    case 'docker':
      return orElse(blocks(platform, c[platform]), () => resolveCommands(c, 'linux'))
    case 'vscode':
      return orElse(blocks('vscode', c.vscode), () => resolveCommands(c, null))
    case null: {
      const unix = orElse(unixShells(c, false), () => blocks('linux', c.linux), () => blocks('macos', c.macos))
      const win = blocks('powershell', c.powershell)
      const common = [...unix, ...win]
      return common.length ? common : all()
    }
  }
}

/** Platforms for which a step has its own explicit variant (not a fallback). */
export function explicitPlatforms(c: StepCommands | undefined): Platform[] {
  if (!c) return []
  return PLATFORMS.filter((p) => (p === 'windows' ? !!c.powershell : !!c[p as CommandTarget]))
}
