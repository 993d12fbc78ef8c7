// Info replies for the chat commands (help, checklist, doctor): a small model parallel to Reply, with the same three
// renderers (Markdown, Slack blocks, Discord embeds) and the same limits.
import type { Platform } from '../diagnosis/types.js'
import { labelled, ps, resolveCommands, sh, type StepCommands } from './commands.js'
import { COLORS, DISCORD_LIMITS, fitSteps, shrinkToTotal, type DiscordEmbed, type DiscordField, type DiscordMessage } from './discord.js'
import { truncate } from './format.js'
import { PLATFORM_LABELS, platformLine } from './labels.js'
import { renderStepsMarkdown } from './markdown.js'
import { PLAYBOOK } from './playbook.js'
import { SLACK_LIMITS, context, escapeSlack, section, stepSections, type SlackBlock, type SlackMessage } from './slack.js'
import * as S from './steps.js'
import type { ReplyStep } from './types.js'

export type InfoItem = { term: string | null; text: string }
export type InfoSection =
  | { type: 'list'; heading: string | null; items: InfoItem[] }
  | { type: 'steps'; heading: string | null; steps: ReplyStep[] }
  | { type: 'text'; heading: string | null; text: string }

export type InfoReply = {
  kind: 'help' | 'checklist' | 'doctor'
  title: string
  intro: string | null
  /** the platform the commands are for (null: bash/zsh and PowerShell) */
  platform: Platform | null
  sections: InfoSection[]
  footer: string | null
}

// ---------------------------------------------------------------------------------------------------------------
// help

export type HelpOptions = {
  /** the slash command as registered; default /claude-auth */
  command?: string
  /** tailors the "other ways to ask" list */
  chat?: 'slack' | 'discord' | null
  /** show the admin commands */
  admin?: boolean
  /** further admin commands, added by later features */
  adminItems?: InfoItem[]
  /** the platform's own command list (e.g. Discord subcommands), instead of the `/claude-auth <paste>` forms */
  commands?: InfoItem[]
  /** the platform's own "other ways to ask", instead of the defaults for `chat` */
  ways?: InfoItem[]
}

export const ADMIN_HELP_ITEMS: readonly InfoItem[] = [
  { term: 'event <kind> [subject] [note]', text: 'record a credential change (key_rotated, key_revoked, user_removed, user_added, org_changed, billing_changed, policy_changed, sso_changed, other), so later failures can be tied to it' },
  { term: 'events', text: 'list the recent credential changes of this workspace' },
  { term: 'stats [7d|30d]', text: 'what keeps failing, by cause and platform' },
  { term: 'admin', text: 'a sign-in link to the admin dashboard' },
]

export function helpReply(opts: HelpOptions = {}): InfoReply {
  const cmd = opts.command ?? '/claude-auth'
  const usage: InfoItem[] = opts.commands ?? [
    { term: `${cmd} <paste the error>`, text: 'tell me what is wrong with the Claude Code output you paste, with numbered fixes for your platform' },
    { term: `${cmd} checklist [platform]`, text: 'the quick checks worth trying first; platform is one of macos, linux, windows, wsl, docker, ssh, vscode' },
    { term: `${cmd} doctor`, text: 'a one-time code and a one-line command that checks your machine and sends me a redacted report' },
    { term: `${cmd} help`, text: 'this message' },
  ]
  const ways: InfoItem[] =
    opts.ways ??
    (opts.chat === 'discord'
      ? [
          { term: '@mention', text: 'mention me in a message that holds the error, or reply to one with a mention' },
          { term: 'Apps > Diagnose this error', text: 'right-click (or long-press) any message and pick the app command' },
        ]
      : opts.chat === 'slack'
        ? [
            { term: '@mention', text: 'mention me in a thread with the error; slash commands do not work inside threads' },
            { term: 'Diagnose this error', text: 'the message shortcut in the "..." menu of any message' },
            { term: 'paste in a watched channel', text: 'I answer in a thread when a message clearly holds a Claude Code error' },
          ]
        : [
            { term: '@mention', text: 'mention me next to the error, also inside threads' },
            { term: 'Diagnose this error', text: 'the message shortcut (Slack) or app command (Discord) on any message' },
          ])
  const sections: InfoSection[] = [
    { type: 'list', heading: 'Commands', items: usage },
    { type: 'list', heading: 'Other ways to ask', items: ways },
  ]
  if (opts.admin || opts.adminItems?.length) {
    sections.push({ type: 'list', heading: 'Admin commands (admins only)', items: [...(opts.admin ? ADMIN_HELP_ITEMS : []), ...(opts.adminItems ?? [])].map((i) => ({ ...i, term: i.term ? `${cmd} ${i.term}` : null })) })
  }
  sections.push({
    type: 'text',
    heading: 'Privacy',
    text: 'Before I quote, store or log anything, I replace API keys, tokens, passwords, emails and user names with placeholders such as [anthropic-api-key].',
  })
  return {
    kind: 'help',
    title: 'Claude auth helper',
    intro: 'I read Claude Code error output, tell you why sign-in fails and give you the exact commands to fix it.',
    platform: null,
    sections,
    footer: null,
  }
}

// ---------------------------------------------------------------------------------------------------------------
// checklist

type ChecklistItem = { title: string; detail: string | null; commands?: StepCommands }

const billingCommands = PLAYBOOK.account_restricted.steps.find((s) => s.id === 'check-billing')?.commands

/** The quick checks, in order, from cheapest to most invasive. Exported for the completeness test. */
export const CHECKLIST: readonly ChecklistItem[] = [
  { title: 'See how Claude Code is signed in', detail: 'Account or API key, and whether it is still valid.', commands: S.checkStatus.commands },
  { title: 'Sign out and sign in again', detail: 'Fixes most expired or revoked sessions.', commands: S.signInAgain.commands },
  { title: 'Confirm ANTHROPIC_API_KEY where Claude Code runs', detail: 'Only if you use an API key; the output is safe to share.', commands: S.showKey.commands },
  { title: 'Check billing, credit and plan', detail: 'An empty balance, a reached spend limit or a plan without Claude Code blocks sign-in.', commands: billingCommands },
  { title: 'Try once with the VPN off', detail: 'If that works, the VPN or firewall needs an exception for api.anthropic.com and claude.ai.' },
  { title: 'Check Node.js is 18 or newer', detail: 'Matters for npm installs.', commands: S.nodeVersion.commands },
  { title: 'Check the proxy settings', detail: 'A stale HTTPS_PROXY sends requests nowhere.', commands: S.checkProxy.commands },
  { title: 'Clear the stored login', detail: 'Then sign in again; it rewrites the local credentials.', commands: S.clearStoredLogin.commands },
  { title: 'Restart the terminal', detail: 'New variables only reach terminals opened (or reloaded) after the change.', commands: S.reloadShell.commands },
]

export function checklistReply(platform: Platform | null, command = '/claude-auth'): InfoReply {
  const steps: ReplyStep[] = CHECKLIST.map((c) => ({ title: c.title, detail: c.detail, commands: resolveCommands(c.commands, platform) }))
  return {
    kind: 'checklist',
    title: `Quick checklist${platform ? ` for ${PLATFORM_LABELS[platform]}` : ''}`,
    intro: `Try these in order; most sign-in problems are gone by step 3. ${platformLine(platform)}`,
    platform,
    sections: [{ type: 'steps', heading: null, steps }],
    footer: `Another platform? ${command} checklist macos|linux|windows|wsl|docker|ssh|vscode. Still stuck? Paste the error: ${command} <error>.`,
  }
}

// ---------------------------------------------------------------------------------------------------------------
// doctor

export type DoctorReplyInput = {
  /** the one-time upload code */
  code: string
  expiresAt: Date
  /** the bot's public base URL, e.g. https://bot.example.com */
  publicUrl: string
  platform: Platform | null
  /** for "expires in 15 minutes"; without it the time is given */
  now?: Date
}

/** The one-line commands that fetch and run the doctor, per platform. Inputs are validated: they end up in a shell. */
export function doctorCommands(code: string, publicUrl: string): StepCommands {
  if (!/^[A-Za-z0-9_-]{4,64}$/.test(code)) throw new Error('doctor code must be 4-64 letters, digits, "-" or "_"')
  let url: URL
  try {
    url = new URL(publicUrl)
  } catch {
    throw new Error(`publicUrl is not a URL: ${publicUrl}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('publicUrl must be http(s)')
  if (/["'`$\s\\;&|<>]/.test(publicUrl)) throw new Error('publicUrl holds characters that are unsafe in a shell')
  const base = publicUrl.replace(/\/+$/, '')
  return {
    posix: sh(`curl -fsSL ${base}/doctor.mjs -o claude-auth-doctor.mjs && node claude-auth-doctor.mjs --upload ${code}`),
    powershell: ps(`irm ${base}/doctor.mjs -OutFile claude-auth-doctor.mjs; node claude-auth-doctor.mjs --upload ${code}`),
    docker: [
      labelled(
        'Docker (runs inside the container)',
        'bash',
        `docker exec -it <container> sh -c "curl -fsSL ${base}/doctor.mjs -o /tmp/claude-auth-doctor.mjs && node /tmp/claude-auth-doctor.mjs --upload ${code}"`,
      ),
    ],
  }
}

function expiryText(expiresAt: Date, now?: Date): string {
  const at = `${expiresAt.toISOString().slice(11, 16)} UTC`
  if (!now) return `at ${at}`
  const minutes = Math.round((expiresAt.getTime() - now.getTime()) / 60_000)
  if (minutes <= 0) return 'already (ask for a new one)'
  return `in ${minutes} minute${minutes === 1 ? '' : 's'} (${at})`
}

export function doctorReply(input: DoctorReplyInput): InfoReply {
  const commands = resolveCommands(doctorCommands(input.code, input.publicUrl), input.platform)
  return {
    kind: 'doctor',
    title: 'Run the Claude auth doctor',
    intro:
      'The doctor is one Node.js file (Node 18 or newer). It checks the installs, sign-in state, environment variables, proxy and network of the machine it runs on, hides every secret, and uploads the report to this thread.',
    platform: input.platform,
    sections: [
      {
        type: 'steps',
        heading: null,
        steps: [
          { title: 'Run this on the machine where Claude Code fails', detail: platformLine(input.platform), commands },
          { title: 'Wait for the report here', detail: 'I post the findings in this thread with the fixes that match them.', commands: [] },
        ],
      },
      { type: 'text', heading: null, text: `The code ${input.code} works once and expires ${expiryText(input.expiresAt, input.now)}.` },
    ],
    footer: 'You can read the script before running it: it is a single file with no other downloads.',
  }
}

// ---------------------------------------------------------------------------------------------------------------
// renderers

export function renderInfoMarkdown(info: InfoReply): string {
  const out: string[] = [`## ${info.title}`, '']
  if (info.intro) out.push(info.intro, '')
  for (const s of info.sections) {
    if (s.heading) out.push(`### ${s.heading}`, '')
    if (s.type === 'list') {
      for (const i of s.items) out.push(`- ${i.term ? `\`${i.term}\`: ` : ''}${i.text}`)
      out.push('')
    } else if (s.type === 'steps') out.push(...renderStepsMarkdown(s.steps))
    else out.push(s.text, '')
  }
  if (info.footer) out.push(`_${info.footer}_`)
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n'
}

export function renderInfoSlack(info: InfoReply): SlackMessage {
  const blocks: SlackBlock[] = [section(`*${escapeSlack(info.title)}*${info.intro ? `\n${escapeSlack(info.intro)}` : ''}`, `info:${info.kind}`)]
  const footer = info.footer ? context(escapeSlack(info.footer)) : null
  const budget = SLACK_LIMITS.blocks - (footer ? 1 : 0)
  outer: for (const s of info.sections) {
    const heading = s.heading ? `*${escapeSlack(s.heading)}*\n` : ''
    if (s.type === 'list') {
      let text = heading.trimEnd()
      for (const i of s.items) {
        const line = `\n• ${i.term ? `\`${escapeSlack(i.term)}\` ` : ''}${escapeSlack(i.text)}`
        if (text.length + line.length > SLACK_LIMITS.sectionText) break
        text += line
      }
      if (blocks.length >= budget) break
      blocks.push(section(text.trimStart()))
    } else if (s.type === 'steps') {
      if (heading && blocks.length < budget) blocks.push(section(heading.trimEnd()))
      for (const [i, step] of s.steps.entries()) {
        const add = stepSections(step, i + 1)
        if (blocks.length + add.length > budget) break outer
        blocks.push(...add)
      }
    } else {
      if (blocks.length >= budget) break
      blocks.push(section(`${heading}${escapeSlack(s.text)}`))
    }
  }
  if (footer) blocks.push(footer)
  return { text: escapeSlack(truncate(`${info.title}${info.intro ? `: ${info.intro}` : ''}`, SLACK_LIMITS.fallbackText)), blocks }
}

export function renderInfoDiscord(info: InfoReply): DiscordMessage {
  const texts: string[] = [info.intro ?? '']
  const listFields: DiscordField[] = []
  let steps: ReplyStep[] = []
  for (const s of info.sections) {
    if (s.type === 'text') texts.push(`${s.heading ? `**${s.heading}**\n` : ''}${s.text}`)
    else if (s.type === 'list') {
      listFields.push({
        name: truncate(s.heading ?? '\u200b', DISCORD_LIMITS.fieldName),
        value: truncate(s.items.map((i) => `• ${i.term ? `\`${i.term}\` ` : ''}${i.text}`).join('\n'), DISCORD_LIMITS.fieldValue),
      })
    } else steps = [...steps, ...s.steps]
  }
  const description = truncate(texts.filter(Boolean).join('\n\n'), DISCORD_LIMITS.description)
  const base: DiscordEmbed = {
    title: truncate(info.title, DISCORD_LIMITS.title),
    ...(description ? { description } : {}),
    color: COLORS.info,
    ...(info.footer ? { footer: { text: truncate(info.footer, DISCORD_LIMITS.footer) } } : {}),
  }
  const embed: DiscordEmbed = { ...base, fields: fitSteps(base, listFields, steps, []) }
  shrinkToTotal(embed)
  return { content: '', embeds: [embed], components: [], allowed_mentions: { parse: [] } }
}
