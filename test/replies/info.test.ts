import { describe, expect, it } from 'vitest'
import { PLATFORMS } from '../../src/diagnosis/types.js'
import {
  checklistReply,
  doctorCommands,
  doctorReply,
  helpReply,
  renderInfoDiscord,
  renderInfoMarkdown,
  renderInfoSlack,
  type InfoReply,
} from '../../src/replies/index.js'
import { checkDiscord, checkSlack } from './limits.js'
import { fencesBalanced } from './helpers.js'

const doctorInput = {
  code: 'K7Q2-9XZD',
  expiresAt: new Date('2025-06-01T12:15:00Z'),
  now: new Date('2025-06-01T12:00:00Z'),
  publicUrl: 'https://claude-auth.example.com/',
}

function renderedOk(info: InfoReply, label: string) {
  const md = renderInfoMarkdown(info)
  expect(fencesBalanced(md), label).toBe(true)
  checkSlack(renderInfoSlack(info), label)
  checkDiscord(renderInfoDiscord(info), label)
  return md
}

describe('help', () => {
  it('GIVEN help WHEN rendered THEN it shows the paste, checklist, doctor and help usage plus mention and shortcut ways to ask', () => {
    const md = renderedOk(helpReply({ chat: 'slack' }), 'help')
    for (const s of ['/claude-auth <paste the error>', '/claude-auth checklist [platform]', '/claude-auth doctor', '/claude-auth help', '@mention', 'Diagnose this error', 'threads'])
      expect(md).toContain(s)
    expect(md).not.toContain('Admin commands')
    expect(renderInfoMarkdown(helpReply({ chat: 'discord' }))).toContain('Apps > Diagnose this error')
  })

  it('GIVEN admin help WHEN rendered THEN event, events, stats and admin are listed, and more can be added', () => {
    const md = renderedOk(helpReply({ admin: true, adminItems: [{ term: 'spikes', text: 'recent spikes' }] }), 'admin help')
    for (const s of ['/claude-auth event <kind> [subject] [note]', '/claude-auth events', '/claude-auth stats [7d|30d]', '/claude-auth admin', '/claude-auth spikes'])
      expect(md).toContain(s)
  })

  it('GIVEN help for Slack WHEN rendered THEN the first block names it', () => {
    expect((renderInfoSlack(helpReply()).blocks[0] as { block_id: string }).block_id).toBe('info:help')
  })
})

describe('checklist', () => {
  it('GIVEN each platform WHEN the checklist is built THEN it has the quick checks with commands for that platform only', () => {
    for (const p of [null, ...PLATFORMS]) {
      const info = checklistReply(p)
      const md = renderedOk(info, `checklist ${p}`)
      const steps = info.sections.flatMap((s) => (s.type === 'steps' ? s.steps : []))
      expect(steps.length).toBe(9)
      expect(md).toContain('claude auth status')
      if (p === 'windows') {
        expect(md).toContain('$env:ANTHROPIC_API_KEY')
        expect(md).not.toContain('rm -f ~/.claude/.credentials.json')
      }
      if (p === 'macos') {
        expect(md).toContain('security delete-generic-password')
        expect(md).not.toContain('```powershell')
      }
      if (p === null) expect(md).toMatch(/```powershell[\s\S]*```bash|```bash[\s\S]*```powershell/)
    }
  })
})

describe('doctor', () => {
  it('GIVEN a code and the public URL WHEN rendered THEN the bash/zsh and PowerShell one-liners carry both exactly', () => {
    const md = renderedOk(doctorReply({ ...doctorInput, platform: null }), 'doctor')
    expect(md).toContain('curl -fsSL https://claude-auth.example.com/doctor.mjs -o claude-auth-doctor.mjs && node claude-auth-doctor.mjs --upload K7Q2-9XZD')
    expect(md).toContain('irm https://claude-auth.example.com/doctor.mjs -OutFile claude-auth-doctor.mjs; node claude-auth-doctor.mjs --upload K7Q2-9XZD')
    expect(md).toContain('expires in 15 minutes (12:15 UTC)')
  })

  it('GIVEN Windows or Docker WHEN rendered THEN only the matching command is shown', () => {
    const win = renderInfoMarkdown(doctorReply({ ...doctorInput, platform: 'windows' }))
    expect(win).toContain('irm https://')
    expect(win).not.toContain('curl -fsSL')
    const docker = renderInfoMarkdown(doctorReply({ ...doctorInput, platform: 'docker' }))
    expect(docker).toContain('docker exec -it <container> sh -c')
  })

  it('GIVEN no clock or an expired code WHEN rendered THEN the expiry is worded accordingly', () => {
    expect(renderInfoMarkdown(doctorReply({ ...doctorInput, now: undefined, platform: null }))).toContain('expires at 12:15 UTC')
    expect(renderInfoMarkdown(doctorReply({ ...doctorInput, now: new Date('2025-06-01T13:00:00Z'), platform: null }))).toContain('already (ask for a new one)')
  })

  it('GIVEN a code or URL that would inject into a shell WHEN building THEN it throws', () => {
    expect(() => doctorCommands('abc; rm -rf /', 'https://x.example.com')).toThrow()
    expect(() => doctorCommands('GOOD-CODE', 'https://x.example.com/$(id)')).toThrow()
    expect(() => doctorCommands('GOOD-CODE', 'file:///etc/passwd')).toThrow()
    expect(() => doctorCommands('GOOD-CODE', 'not a url')).toThrow()
    expect(() => doctorCommands('GOOD-CODE', 'http://localhost:8080')).not.toThrow()
  })

  it('GIVEN Slack and Discord WHEN rendered THEN the commands sit in intact code blocks', () => {
    const slack = JSON.stringify(renderInfoSlack(doctorReply({ ...doctorInput, platform: 'linux' })))
    expect(slack).toContain('```\\ncurl -fsSL https://claude-auth.example.com/doctor.mjs -o claude-auth-doctor.mjs &amp;&amp; node claude-auth-doctor.mjs --upload K7Q2-9XZD\\n```')
    const discord = renderInfoDiscord(doctorReply({ ...doctorInput, platform: 'windows' }))
    expect(JSON.stringify(discord.embeds)).toContain('```powershell\\nirm https://claude-auth.example.com/doctor.mjs')
  })
})

describe('info replies without text', () => {
  it('GIVEN an info reply with no intro WHEN rendered for Discord THEN the embed has no empty description', () => {
    const info: InfoReply = { kind: 'help', title: 'T', intro: null, platform: null, sections: [{ type: 'list', heading: null, items: [{ term: null, text: 'x' }] }], footer: null }
    const embed = renderInfoDiscord(info).embeds[0]!
    expect('description' in embed).toBe(false)
    expect(embed.fields![0]!.name).toBe('\u200b')
  })
})
