// Renderers: platform limits (Slack 3,000 per section and 50 blocks; Discord 2,000 / 4,096 / 1,024 / 25 / 6,000),
// fences never broken, and every interactive id round-trips through decodeAction.
import { describe, expect, it } from 'vitest'
import { PLATFORMS, type Verdict } from '../../src/diagnosis/types.js'
import {
  buildReply,
  decodeAction,
  renderDiscord,
  renderMarkdown,
  renderSlack,
  type SlackMessage,
} from '../../src/replies/index.js'
import type { Reply } from '../../src/replies/types.js'
import { INCIDENT, allReplies, diag, ev, fencesBalanced } from './helpers.js'
import { checkDiscord, checkSlack } from './limits.js'

type AnyBlock = Record<string, any>

describe('renderers on every verdict and platform', () => {
  it('GIVEN every reply the playbook can produce WHEN rendered for Markdown, Slack and Discord THEN all limits hold and fences pair up', () => {
    for (const { name, reply } of allReplies()) {
      const md = renderMarkdown(reply)
      expect(md, name).toContain(reply.title)
      expect(fencesBalanced(md), name).toBe(true)
      checkSlack(renderSlack(reply, { incidentId: INCIDENT, shareable: true }), name)
      const d = renderDiscord(reply, { incidentId: INCIDENT, shareable: true })
      checkDiscord(d, name)
      // nothing of the playbook is dropped for lack of room
      expect(d.embeds[0]!.fields!.some((f) => f.name === 'More steps'), name).toBe(false)
    }
  })
})

describe('Slack', () => {
  it('GIVEN a reply WHEN rendered THEN the verdict section has block_id diagnosis:<cause> and every id decodes back', () => {
    for (const cause of ['invalid_api_key', 'not_auth', 'none'] as Verdict[]) {
      const reply = buildReply(diag(cause, { notAuthKind: cause === 'not_auth' ? 'rate_limit' : null }), { text: '', platform: 'linux' })
      const msg = renderSlack(reply, { incidentId: INCIDENT, shareable: true })
      const first = msg.blocks[0] as AnyBlock
      expect(first.block_id).toBe(`diagnosis:${cause}`)
      expect(first.text.text).toContain(reply.verdict)
      const actions = (msg.blocks as AnyBlock[]).find((b) => b.type === 'actions')
      if (cause === 'none') {
        expect(actions).toBeUndefined()
        continue
      }
      for (const el of actions!.elements) {
        const ref = decodeAction(el.action_id)!
        expect(ref).not.toBeNull()
        expect(ref.cause).toBe(cause)
        expect(ref.incidentId).toBe(INCIDENT)
        if (el.type === 'static_select') {
          expect(ref.action).toBe('pick_platform')
          expect(el.options.map((o: AnyBlock) => decodeAction(o.value)!.platform)).toEqual([...PLATFORMS])
          expect(decodeAction(el.initial_option.value)!.platform).toBe('linux')
        } else {
          expect(decodeAction(el.value)).toEqual(ref)
        }
      }
    }
  })

  it('GIVEN shareable or not WHEN rendered THEN "Share in channel" appears only when shareable', () => {
    const reply = buildReply(diag('expired_session'), { text: '' })
    const labels = (m: SlackMessage) => (m.blocks as AnyBlock[]).find((b) => b.type === 'actions')!.elements.map((e: AnyBlock) => e.text?.text ?? 'select')
    expect(labels(renderSlack(reply, { incidentId: null, shareable: true }))).toEqual(['select', 'That fixed it', 'Still failing', 'Run the doctor', 'Share in channel'])
    expect(labels(renderSlack(reply, { incidentId: null }))).toEqual(['select', 'That fixed it', 'Still failing', 'Run the doctor'])
    const id = (renderSlack(reply, { incidentId: null }).blocks as AnyBlock[]).find((b) => b.type === 'actions')!.elements[1].action_id
    expect(decodeAction(id)).toEqual({ action: 'fixed', cause: 'expired_session', incidentId: null, platform: null })
  })

  it('GIVEN text with <, > and & (a paste trying <!channel>) WHEN rendered THEN it is escaped', () => {
    const text = 'Error <!channel> & <@U123> invalid x-api-key'
    const reply = buildReply(diag('invalid_api_key', { evidence: [ev(text, text)] }), { text })
    const json = JSON.stringify(renderSlack(reply, { incidentId: null }))
    expect(json).not.toContain('<!channel>')
    expect(json).toContain('&lt;!channel&gt;')
  })
})

describe('Discord', () => {
  it('GIVEN a reply WHEN rendered THEN the select and buttons carry encodeAction ids that decode back', () => {
    const reply = buildReply(diag('missing_api_key'), { text: '', platform: 'docker' })
    const msg = renderDiscord(reply, { incidentId: INCIDENT })
    const [selectRow, buttonRow] = msg.components as AnyBlock[]
    const select = selectRow!.components[0]
    expect(select.type).toBe(3)
    expect(decodeAction(select.custom_id)).toEqual({ action: 'pick_platform', cause: 'missing_api_key', incidentId: INCIDENT, platform: 'docker' })
    expect(select.options.filter((o: AnyBlock) => o.default).map((o: AnyBlock) => decodeAction(o.value)!.platform)).toEqual(['docker'])
    const buttons = buttonRow!.components
    expect(buttons.every((b: AnyBlock) => b.type === 2)).toBe(true)
    expect(buttons.map((b: AnyBlock) => decodeAction(b.custom_id)!.action)).toEqual(['fixed', 'still_failing', 'run_doctor'])
    expect(msg.embeds[0]!.title).toBe(reply.title)
    expect(msg.embeds[0]!.fields!.map((f) => f.name)).toContain('1. Check the key this shell really sees')
  })

  it('GIVEN a reply with hidden secrets WHEN rendered THEN the note is in the content', () => {
    const reply = buildReply(diag('invalid_api_key'), { text: 'key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx' })
    expect(renderDiscord(reply, { incidentId: null }).content).toMatch(/I hid 1 Anthropic API key/)
  })
})

describe('a 40,000-character paste and oversized content', () => {
  const KEY = 'sk-ant-api03-QwErTyUiOpAsDfGhJkLzXcVbNm0123456789_-QwErTyUiOpAsDf'
  const noise = Array.from({ length: 600 }, (_, i) => `2025-06-01T12:00:${String(i % 60).padStart(2, '0')} DEBUG request ${i} ok`).join('\n')
  const paste = `${noise}\nAPI Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}} key=${KEY}\n${noise}`.slice(0, 40_000)

  it('GIVEN a 40,000-char paste with evidence spanning nearly all of it WHEN rendered THEN limits hold and the reply is still useful', () => {
    expect(paste.length).toBe(40_000)
    const evidence = [
      { rule: 'everything', text: paste, start: 0, end: paste.length },
      ev(paste, 'invalid x-api-key', 'invalid-key'),
      ...Array.from({ length: 40 }, (_, i) => ev(paste, `request ${i * 10} ok`, `r${i}`)),
    ]
    const reply = buildReply(diag('invalid_api_key', { evidence, platform: 'macos' }), { text: paste })
    for (const w of reply.why) expect(w.quote.length).toBeLessThanOrEqual(300)
    const slack = renderSlack(reply, { incidentId: INCIDENT, shareable: true })
    checkSlack(slack, '40k slack')
    const discord = renderDiscord(reply, { incidentId: INCIDENT })
    checkDiscord(discord, '40k discord')
    const all = JSON.stringify([slack, discord, renderMarkdown(reply)])
    expect(all).not.toContain(KEY.slice(13))
    expect(all).toContain('invalid x-api-key')
    expect(all).toContain('Create a fresh key')
    expect((slack.blocks as AnyBlock[]).some((b) => b.type === 'actions')).toBe(true)
  })

  it('GIVEN a reply far beyond every limit WHEN rendered THEN it is cut to fit, whole steps first, code fences intact', () => {
    const huge = (n: number, unit = 'x') => unit.repeat(n)
    const reply: Reply = {
      cause: 'network_blocked',
      symptom: null,
      confidence: 0.5,
      platform: null,
      title: huge(1000, 'T'),
      verdict: huge(10_000, 'v '),
      why: Array.from({ length: 20 }, (_, i) => ({ rule: `r${i}`, quote: `${i} ${huge(299, 'q')}` })),
      steps: Array.from({ length: 60 }, (_, i) => ({
        title: `Step ${i} ${huge(400, 's')}`,
        detail: huge(5000, 'd '),
        commands: [
          { label: 'bash / zsh', language: 'bash' as const, lines: [huge(5000, 'c'), ...Array.from({ length: 200 }, (_, j) => `echo ${j} \`x\``)] },
          { label: 'PowerShell', language: 'powershell' as const, lines: ['Write-Host ```not a fence```'] },
        ],
      })),
      ifStillFailing: Array.from({ length: 50 }, () => huge(200, 'f ')),
      alternatives: [{ cause: 'invalid_api_key', title: huge(300, 'a'), confidence: 0.2 }],
      eventNote: huge(5000, 'e '),
      redactionNote: huge(5000, 'n '),
      actions: ['pick_platform', 'fixed', 'still_failing', 'run_doctor', 'share'],
    }
    const slack = renderSlack(reply, { incidentId: INCIDENT, shareable: true })
    checkSlack(slack, 'huge slack')
    expect((slack.blocks[0] as AnyBlock).block_id).toBe('diagnosis:network_blocked')
    expect((slack.blocks as AnyBlock[]).at(-1)!.type).toBe('actions')
    expect(JSON.stringify(slack)).toContain('*1. Step 0')
    const discord = renderDiscord(reply, { incidentId: INCIDENT, shareable: true })
    checkDiscord(discord, 'huge discord')
    expect(discord.components.length).toBe(2)
    expect(fencesBalanced(renderMarkdown(reply))).toBe(true)
  })
})

describe('fences', () => {
  it('GIVEN a command holding ``` WHEN rendered for Slack and Discord THEN only triple fences are used and none is closed early', () => {
    const reply: Reply = {
      ...buildReply(diag('invalid_api_key'), { text: '' }),
      steps: [{ title: 't', detail: null, commands: [{ label: 'bash / zsh', language: 'bash', lines: ['echo ```x```'] }] }],
    }
    const slack = JSON.stringify(renderSlack(reply, { incidentId: null }))
    expect(slack).not.toContain('````')
    expect(slack).toContain("echo '''x'''")
    const discord = renderDiscord(reply, { incidentId: null })
    const value = discord.embeds[0]!.fields!.find((f) => f.name === '1. t')!.value
    expect(value).toBe("*bash / zsh*\n```bash\necho '''x'''\n```")
  })
})
