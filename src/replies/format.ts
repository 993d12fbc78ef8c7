// Text helpers for the renderers: code fences that cannot be broken by their content, safe inline quotes, and
// length-bounded truncation.
import type { CommandBlock } from './types.js'

/** a fence longer than any backtick run inside, so content can never close it early */
export function fenceFor(lines: readonly string[]): string {
  let longest = 0
  for (const l of lines) for (const m of l.matchAll(/`+/g)) longest = Math.max(longest, m[0].length)
  return '`'.repeat(Math.max(3, longest + 1))
}

export function codeFence(block: Pick<CommandBlock, 'language' | 'lines'>, withLanguage = true): string {
  const fence = fenceFor(block.lines)
  return `${fence}${withLanguage && block.language !== 'text' ? block.language : ''}\n${block.lines.join('\n')}\n${fence}`
}

/** user text shown inline: no backticks (they would end the code span), no line breaks */
export function safeInline(text: string): string {
  return text.replace(/`/g, "'").replace(/\s+/g, ' ').trim()
}

/** cuts to at most `max` characters, ending with an ellipsis when something was cut */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  if (max <= 1) return text.slice(0, max)
  return `${text.slice(0, max - 1).trimEnd()}…`
}

/**
 * Splits code lines into chunks whose fenced size stays within `max` characters (each chunk fenced on its own, so a
 * fence is never cut). A single line longer than the budget is shortened.
 */
export function fencedChunks(block: Pick<CommandBlock, 'language' | 'lines'>, max: number, withLanguage = true): string[] {
  const fence = fenceFor(block.lines)
  const overhead = fence.length * 2 + (withLanguage ? block.language.length : 0) + 2
  const budget = Math.max(20, max - overhead)
  const chunks: string[][] = []
  let current: string[] = []
  let size = 0
  for (const raw of block.lines) {
    const line = truncate(raw, budget)
    const add = line.length + (current.length ? 1 : 0)
    if (current.length && size + add > budget) {
      chunks.push(current)
      current = []
      size = 0
    }
    current.push(line)
    size += line.length + (current.length > 1 ? 1 : 0)
  }
  if (current.length) chunks.push(current)
  return chunks.map((lines) => codeFence({ language: block.language, lines }, withLanguage))
}
