// Finds where shell startup files set a variable (sh/bash/zsh, fish, csh, PowerShell). Pure: text in, assignments
// out. A value is null when the shell computes it ($(...), $OTHER, `...`), so it cannot be compared.

export type Assignment = {
  name: string
  /** 1-based line number */
  line: number
  /** the value the shell would set, as far as a static read can tell; null when computed at start-up */
  value: string | null
  /** the line is `unset NAME` / `Remove-Item Env:NAME` */
  unset?: boolean
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** reads one shell word (quotes, backslashes) from the start of `rest`; null when it holds expansions */
function shellWord(rest: string): string | null {
  let out = ''
  let i = 0
  while (i < rest.length) {
    const ch = rest[i] as string
    if (/[\s;&|#]/.test(ch) && ch !== '\r') break
    if (ch === "'") {
      const end = rest.indexOf("'", i + 1)
      if (end < 0) return null
      out += rest.slice(i + 1, end)
      i = end + 1
    } else if (ch === '"') {
      let j = i + 1
      for (; j < rest.length && rest[j] !== '"'; j++) {
        const c = rest[j] as string
        if (c === '$' || c === '`') return null
        if (c === '\\' && j + 1 < rest.length && /["\\$`]/.test(rest[j + 1] as string)) j++
        out += rest[j]
      }
      if (j >= rest.length) return null
      i = j + 1
    } else if (ch === '$' || ch === '`') {
      return null
    } else if (ch === '\\' && i + 1 < rest.length) {
      out += rest[i + 1]
      i += 2
    } else {
      out += ch
      i++
    }
  }
  return out
}

/** PowerShell value: '...' or "..." (null when it interpolates) or a bare word */
function psWord(rest: string): string | null {
  const t = rest.trim()
  const single = /^'((?:[^']|'')*)'/.exec(t)
  if (single) return (single[1] as string).replace(/''/g, "'")
  const double = /^"([^"]*)"/.exec(t)
  if (double) return /[$`]/.test(double[1] as string) ? null : (double[1] as string)
  const bare = /^([^\s;#]+)/.exec(t)
  if (!bare || /[$(]/.test(bare[1] as string)) return null
  return bare[1] as string
}

export function findAssignments(text: string, names: readonly string[]): Assignment[] {
  const out: Assignment[] = []
  const alternatives = names.map(escapeRe).join('|')
  const sh = new RegExp(`^\\s*(?:(?:export|declare\\s+-x|typeset\\s+-x|readonly)\\s+)?(${alternatives})=(.*)$`, 's')
  const shUnset = /^\s*unset\s+(?:-v\s+)?(.+)$/
  const fish = new RegExp(`^\\s*set\\s+(?:-[a-zA-Z]+\\s+)*(${alternatives})\\s+(.*)$`, 's')
  const fishErase = new RegExp(`^\\s*set\\s+(?:-[a-zA-Z]+\\s+)*-e\\s+(?:-[a-zA-Z]+\\s+)*(${alternatives})\\b`)
  const csh = new RegExp(`^\\s*setenv\\s+(${alternatives})\\s+(.*)$`, 's')
  const psEnv = new RegExp(`^\\s*\\$env:(${alternatives})\\s*=\\s*(.*)$`, 'is')
  const psSet = new RegExp(
    `^\\s*\\[(?:System\\.)?Environment\\]::SetEnvironmentVariable\\(\\s*['"](${alternatives})['"]\\s*,\\s*(.*)$`,
    'is',
  )
  const psRemove = new RegExp(`^\\s*Remove-Item\\s+(?:-Path\\s+)?Env:\\\\?(${alternatives})\\b`, 'i')
  const lines = text.split('\n')
  lines.forEach((raw, index) => {
    const line = index + 1
    if (/^\s*#/.test(raw)) return
    let m: RegExpExecArray | null
    if ((m = sh.exec(raw))) {
      // bash keeps a trailing CR (a file saved with Windows line endings) as part of the value; so does shellWord
      out.push({ name: m[1] as string, line, value: shellWord(m[2] as string) })
    } else if ((m = fishErase.exec(raw))) {
      out.push({ name: m[1] as string, line, value: null, unset: true })
    } else if ((m = fish.exec(raw))) {
      out.push({ name: m[1] as string, line, value: shellWord((m[2] as string).replace(/\r$/, '')) })
    } else if ((m = csh.exec(raw))) {
      out.push({ name: m[1] as string, line, value: shellWord((m[2] as string).replace(/\r$/, '')) })
    } else if ((m = psEnv.exec(raw))) {
      out.push({ name: m[1] as string, line, value: psWord((m[2] as string).replace(/\r$/, '')) })
    } else if ((m = psSet.exec(raw))) {
      out.push({ name: m[1] as string, line, value: psWord((m[2] as string).replace(/\r$/, '')) })
    } else if ((m = psRemove.exec(raw))) {
      out.push({ name: m[1] as string, line, value: null, unset: true })
    } else if ((m = shUnset.exec(raw))) {
      for (const word of (m[1] as string).trim().split(/\s+/)) {
        if (names.includes(word)) out.push({ name: word, line, value: null, unset: true })
      }
    }
  })
  return out
}
