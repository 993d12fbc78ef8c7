// Where shell startup files (and, on Windows, the user environment) set the credential variables, compared with what
// this shell has: "defined in ~/.zshrc but not loaded here", or a different value (compared by hash, never shown).
import { analyzeKey, describeHidden, describeKey } from '../key.js'
import { findAssignments } from '../shellfiles.js'
import type { Check, CheckResult, DoctorEnv, Finding, Fix } from '../types.js'
import { errorMessage, fingerprint, getVar, homePath, isWindows, pathsOf, plural, readIfExists, tilde } from '../util.js'
import { detectEnvironment } from './environment.js'

export const CREDENTIAL_VARS = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN'] as const

export function startupFiles(env: DoctorEnv): string[] {
  const h = (...p: string[]) => homePath(env, ...p)
  const posix = [
    h('.bashrc'),
    h('.bash_profile'),
    h('.bash_login'),
    h('.profile'),
    h('.zshenv'),
    h('.zprofile'),
    h('.zshrc'),
    h('.zlogin'),
    h('.config', 'fish', 'config.fish'),
    h('.cshrc'),
    h('.tcshrc'),
  ]
  if (isWindows(env)) {
    const ps = ['Documents', pathsOf(env).join('OneDrive', 'Documents')].flatMap((docs) => [
      h(docs, 'PowerShell', 'Microsoft.PowerShell_profile.ps1'),
      h(docs, 'PowerShell', 'profile.ps1'),
      h(docs, 'WindowsPowerShell', 'Microsoft.PowerShell_profile.ps1'),
      h(docs, 'WindowsPowerShell', 'profile.ps1'),
    ])
    return [...ps, ...posix]
  }
  return [...posix, h('.config', 'powershell', 'Microsoft.PowerShell_profile.ps1'), h('.config', 'powershell', 'profile.ps1'), '/etc/environment']
}

/** which shells read a file, to explain why a definition is not loaded */
function readers(file: string): string | null {
  if (/\.bash(rc|_profile|_login)$/.test(file)) return 'bash'
  if (/\.z(shrc|shenv|profile|login)$/.test(file)) return 'zsh'
  if (/config\.fish$/.test(file)) return 'fish'
  if (/\.t?cshrc$/.test(file)) return 'csh'
  if (/\.ps1$/i.test(file)) return 'PowerShell'
  return null
}

export type Definition = { name: string; source: string; line: number | null; value: string | null; unset: boolean }

/** Windows: the per-user variables set with setx or [Environment]::SetEnvironmentVariable(..., "User") */
async function userRegistryDefinitions(env: DoctorEnv, signal?: AbortSignal): Promise<Definition[]> {
  if (!isWindows(env)) return []
  const out: Definition[] = []
  for (const name of CREDENTIAL_VARS) {
    const r = await env.exec('reg', ['query', 'HKCU\\Environment', '/v', name], { timeoutMs: 4_000, signal })
    if (r.code !== 0) continue
    const m = new RegExp(`^\\s*${name}\\s+REG_(?:EXPAND_)?SZ\\s+(.*)$`, 'mi').exec(r.stdout)
    if (m) out.push({ name, source: 'Windows user environment (setx)', line: null, value: (m[1] as string).replace(/\r$/, ''), unset: false })
  }
  return out
}

export async function findDefinitions(env: DoctorEnv, signal?: AbortSignal): Promise<{ definitions: Definition[]; unreadable: string[] }> {
  const definitions: Definition[] = []
  const unreadable: string[] = []
  for (const file of startupFiles(env)) {
    let text: string | null
    try {
      text = await readIfExists(env, file)
    } catch (err) {
      unreadable.push(`${tilde(env, file)} (${errorMessage(err).split(':')[0]})`)
      continue
    }
    if (text === null) continue
    for (const a of findAssignments(text, CREDENTIAL_VARS)) {
      definitions.push({ name: a.name, source: tilde(env, file), line: a.line, value: a.value, unset: a.unset === true })
    }
  }
  definitions.push(...(await userRegistryDefinitions(env, signal)))
  return { definitions, unreadable }
}

const where = (d: Definition) => (d.line === null ? d.source : `${d.source}:${d.line}`)

export const shellFilesCheck: Check = {
  id: 'shell-files',
  title: 'Shell startup files',
  timeoutMs: 10_000,
  async run(env, ctx): Promise<CheckResult> {
    const { definitions, unreadable } = await findDefinitions(env, ctx.signal)
    const environment = await detectEnvironment(env)
    const details: string[] = []
    const findings: Finding[] = []
    const facts: Record<string, unknown> = { definitions: [] as unknown[] }
    let state: CheckResult['state'] = 'ok'
    let fix: Fix | undefined
    const worse = (s: 'warning' | 'error') => {
      if (state === 'ok' || (state === 'warning' && s === 'error')) state = s
    }
    const reload = (d: Definition): string[] => {
      if (d.line === null) return ['# open a new terminal (and restart VS Code) so it picks up the user environment']
      const file = d.source
      if (/\.ps1$/i.test(file)) return [`. ${file.replace(/^~/, '$HOME')}`]
      return [`source ${file}`]
    }
    if (unreadable.length) details.push(`could not read: ${unreadable.join(', ')}`)

    for (const name of CREDENTIAL_VARS) {
      const defs = definitions.filter((d) => d.name === name)
      if (defs.length === 0) continue
      const current = getVar(env, name)
      const currentPrint = current === undefined ? null : fingerprint(current)
      const assigned = defs.filter((d) => !d.unset)
      const comparable = assigned.filter((d) => d.value !== null)
      for (const d of defs) {
        let text: string
        let same: boolean | null = null
        if (d.unset) text = 'unsets it'
        else if (d.value === null) text = 'sets it from a command or another variable (not compared)'
        else {
          same = currentPrint !== null && fingerprint(d.value) === currentPrint
          text = `sets ${describeKey(d.value, false)}: ${current === undefined ? 'not loaded in this shell' : same ? 'same value as this shell' : 'DIFFERENT from this shell'}`
        }
        details.push(`${name} in ${where(d)} ${text}`)
        ;(facts.definitions as unknown[]).push({ name, source: d.source, line: d.line, kind: d.unset ? 'unset' : d.value === null ? 'computed' : 'value', sameAsShell: same })
        if (d.value !== null) {
          const a = analyzeKey(d.value)
          if (a.hidden.length) {
            worse('error')
            findings.push({ code: 'shell.hidden_characters', severity: 'error' })
            details.push(`  the value there carries hidden characters: ${a.hidden.map(describeHidden).join('; ')}`)
            const cr = a.hidden.some((h) => h.kind === 'carriage_return')
            fix = {
              text: cr
                ? `${d.source} has Windows line endings, so the value ends with a carriage return. Convert the file, then reload it.`
                : `Edit line ${d.line ?? '?'} of ${d.source}: remove the extra characters around the value, then reload it.`,
              commands: cr && !isWindows(env) && d.line !== null ? [`perl -pi.bak -e 's/\\r$//' ${d.source}`, ...reload(d)] : reload(d),
            }
          }
        }
      }
      if (current === undefined && comparable.length > 0) {
        const d = comparable[comparable.length - 1] as Definition
        const shell = environment.shell
        const reader = readers(d.source)
        let why = 'this shell was started before the line was added, or does not read that file'
        if (reader && shell && !shell.toLowerCase().includes(reader.toLowerCase())) why = `your shell is ${shell}, and ${d.source} is read by ${reader} only`
        else if (environment.vscode) why = `${environment.editor ?? 'the editor'} was started without it (it does not read your shell startup files)`
        else if (/\.(bash_profile|bash_login|profile|zprofile|zlogin)$/.test(d.source)) why = `${d.source} is read by login shells only; this one is not`
        worse('warning')
        findings.push({ code: 'shell.not_loaded', severity: 'warning' })
        details.push(`  → ${name} is defined in ${where(d)} but not loaded here: ${why}`)
        fix ??= {
          text: environment.vscode
            ? `Load it in this terminal, and restart ${environment.editor ?? 'the editor'} from a shell that has it (or set "terminal.integrated.inheritEnv": true).`
            : 'Load the file in this shell (or open a new terminal).',
          commands: reload(d),
        }
      }
      if (current !== undefined && comparable.some((d) => fingerprint(d.value as string) !== currentPrint)) {
        const d = comparable.find((x) => fingerprint(x.value as string) !== currentPrint) as Definition
        worse('warning')
        findings.push({ code: 'shell.value_differs', severity: 'warning' })
        details.push(`  → this shell's ${name} differs from the one in ${where(d)}: the terminal still has an old value, or another file overrides it`)
        fix ??= { text: `Reload ${d.source} (or open a new terminal) so this shell has the value you saved; then check which file wins.`, commands: reload(d) }
      }
      const distinct = new Set(comparable.map((d) => fingerprint(d.value as string)))
      if (distinct.size > 1) {
        worse('warning')
        findings.push({ code: 'shell.multiple_values', severity: 'warning' })
        details.push(`  → ${plural(distinct.size, 'different value')} for ${name} across your startup files: the last one read wins; keep one`)
      }
    }
    const names = [...new Set(definitions.map((d) => d.name))]
    const summary =
      definitions.length === 0
        ? 'no startup file sets ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN or CLAUDE_CODE_OAUTH_TOKEN'
        : state === 'ok'
          ? `${names.join(', ')} set in ${plural(new Set(definitions.map((d) => d.source)).size, 'file')}, consistent with this shell`
          : `${names.join(', ')}: startup files and this shell disagree`
    // dedupe findings by code
    const unique = [...new Map(findings.map((f) => [f.code, f])).values()]
    return { state, summary, details, facts, findings: unique, ...(fix ? { fix } : {}) }
  },
}
