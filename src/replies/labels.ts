// Human names shared by the renderers.
import { PLATFORMS, type Platform } from '../diagnosis/types.js'
import type { ReplyActionId } from './types.js'

export const PLATFORM_LABELS: Record<Platform, string> = {
  macos: 'macOS',
  linux: 'Linux',
  windows: 'Windows (PowerShell)',
  wsl: 'WSL2',
  docker: 'Docker / devcontainer',
  ssh: 'SSH / remote machine',
  vscode: 'VS Code',
}

export const PLATFORM_OPTIONS: readonly { platform: Platform; label: string }[] = PLATFORMS.map((p) => ({ platform: p, label: PLATFORM_LABELS[p] }))

export const ACTION_LABELS: Record<Exclude<ReplyActionId, 'pick_platform'>, string> = {
  fixed: 'That fixed it',
  still_failing: 'Still failing',
  run_doctor: 'Run the doctor',
  share: 'Share in channel',
}

/** "Commands for macOS." / "Commands for bash/zsh and PowerShell; pick your platform for exact ones." */
export function platformLine(platform: Platform | null): string {
  return platform
    ? `Commands for ${PLATFORM_LABELS[platform]}.`
    : 'Commands for bash/zsh (macOS, Linux) and PowerShell (Windows); pick your platform for exact ones.'
}

export const percent = (x: number) => `${Math.round(Math.max(0, Math.min(1, x)) * 100)}%`
