// `/claude-auth ...` means the same on Slack and Discord: parse it once here.
import { PLATFORMS, type Platform } from '../diagnosis/types.js'
import { CREDENTIAL_EVENT_KINDS, type CredentialEventKind } from '../store/types.js'

export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'checklist'; platform: Platform | null }
  | { kind: 'doctor' }
  | { kind: 'diagnose'; text: string }
  | { kind: 'event'; eventKind: CredentialEventKind; subject: string | null; note: string | null }
  | { kind: 'events' }
  | { kind: 'stats'; days: number }
  | { kind: 'admin' }
  | { kind: 'invalid'; message: string }

const PLATFORM_ALIASES: Record<string, Platform> = {
  mac: 'macos', macos: 'macos', osx: 'macos', darwin: 'macos',
  linux: 'linux', ubuntu: 'linux', debian: 'linux',
  windows: 'windows', win: 'windows', powershell: 'windows', pwsh: 'windows',
  wsl: 'wsl', wsl2: 'wsl',
  docker: 'docker', container: 'docker', devcontainer: 'docker',
  ssh: 'ssh', remote: 'ssh',
  vscode: 'vscode', 'vs-code': 'vscode', code: 'vscode',
}

export function parsePlatform(word: string | undefined): Platform | null {
  if (!word) return null
  const w = word.toLowerCase()
  return (PLATFORMS as readonly string[]).includes(w) ? (w as Platform) : (PLATFORM_ALIASES[w] ?? null)
}

/**
 * A keyword only counts as a sub-command when it is the whole first line's first word and the rest is short:
 * a pasted error that happens to start with "help" is still diagnosed.
 */
export function parseCommand(raw: string): ParsedCommand {
  const text = raw.trim()
  if (text === '') return { kind: 'help' }
  const firstLine = text.split('\n', 1)[0]!
  const isOneLine = firstLine.length === text.length
  const [word = '', ...rest] = firstLine.split(/\s+/)
  const keyword = word.toLowerCase()
  if (isOneLine) {
    switch (keyword) {
      case 'help':
      case 'usage':
      case '?':
        if (rest.length === 0) return { kind: 'help' }
        break
      case 'checklist':
        if (rest.length <= 1) {
          const platform = parsePlatform(rest[0])
          if (rest[0] && !platform) return { kind: 'invalid', message: `Unknown platform "${rest[0]}". Use one of: ${PLATFORMS.join(', ')}.` }
          return { kind: 'checklist', platform }
        }
        break
      case 'doctor':
        if (rest.length === 0) return { kind: 'doctor' }
        break
      case 'events':
        if (rest.length === 0) return { kind: 'events' }
        break
      case 'admin':
        if (rest.length === 0) return { kind: 'admin' }
        break
      case 'stats': {
        if (rest.length > 1) break
        const m = /^(\d{1,3})d$/.exec(rest[0] ?? '7d')
        if (!m || Number(m[1]) < 1 || Number(m[1]) > 365) return { kind: 'invalid', message: 'Usage: stats [7d|30d] (a number of days from 1 to 365 followed by "d").' }
        return { kind: 'stats', days: Number(m[1]) }
      }
      case 'event': {
        const kind = rest[0]?.toLowerCase()
        if (!kind || !(CREDENTIAL_EVENT_KINDS as readonly string[]).includes(kind)) {
          return { kind: 'invalid', message: `Usage: event <kind> [subject] [note]. Kinds: ${CREDENTIAL_EVENT_KINDS.join(', ')}.` }
        }
        const subject = rest[1] ?? null
        const note = rest.slice(2).join(' ') || null
        return { kind: 'event', eventKind: kind as CredentialEventKind, subject, note }
      }
    }
  }
  return { kind: 'diagnose', text }
}
