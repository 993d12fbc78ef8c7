// Plain Markdown for the CLI and the HTTP API.
import { PLATFORM_LABELS, percent, platformLine } from './labels.js'
import { codeFence, safeInline } from './format.js'
import type { Reply, ReplyStep } from './types.js'

function inlineCode(text: string): string {
  return `\`${safeInline(text)}\``
}

export function renderStepsMarkdown(steps: readonly ReplyStep[]): string[] {
  const out: string[] = []
  steps.forEach((s, i) => {
    out.push(`${i + 1}. **${s.title}**`)
    if (s.detail) out.push(`   ${s.detail}`)
    for (const c of s.commands) {
      out.push('', `   _${c.label}_`, '')
      out.push(...codeFence(c).split('\n').map((l) => `   ${l}`))
    }
    out.push('')
  })
  return out
}

export function renderMarkdown(reply: Reply): string {
  const out: string[] = [`## ${reply.title}`, '', reply.verdict, '']
  if (reply.redactionNote) out.push(`> 🔒 ${reply.redactionNote}`, '')
  if (reply.eventNote) out.push(`> 🗓️ ${reply.eventNote}`, '')
  if (reply.why.length) {
    out.push('### Why I think so', '')
    for (const w of reply.why) out.push(`- ${inlineCode(w.quote)}`)
    out.push('')
  }
  if (reply.steps.length) {
    out.push(reply.cause === 'none' ? '### What you can do' : '### How to fix it', '')
    if (reply.steps.some((s) => s.commands.length)) out.push(`_${platformLine(reply.platform)}_`, '')
    out.push(...renderStepsMarkdown(reply.steps))
  }
  if (reply.ifStillFailing.length) {
    out.push('### Still failing?', '')
    for (const t of reply.ifStillFailing) out.push(`- ${t}`)
    out.push('')
  }
  if (reply.alternatives.length) {
    out.push(`_Other possible causes: ${reply.alternatives.map((a) => `${a.title} (${percent(a.confidence)})`).join('; ')}._`, '')
  }
  if (reply.cause !== 'none') {
    out.push(`_Diagnosis: ${reply.cause}${reply.symptom ? ` / ${reply.symptom}` : ''}, confidence ${percent(reply.confidence)}${reply.platform ? `, platform ${PLATFORM_LABELS[reply.platform]}` : ''}._`)
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n'
}
