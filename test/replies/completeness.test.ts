// fastify style: the playbook is complete, and a test fails the moment a verdict, a NotAuthKind, or a platform a step
// needs loses its reply or its commands.
import { describe, expect, it } from 'vitest'
import { CAUSE_IDS, NOT_AUTH_KINDS, PLATFORMS, VERDICTS, type Platform } from '../../src/diagnosis/types.js'
import {
  CHECKLIST,
  NOT_AUTH_PLAYBOOK,
  PLAYBOOK,
  explicitPlatforms,
  playbookFor,
  resolveCommands,
  type PlaybookEntry,
} from '../../src/replies/index.js'

const entries: [string, PlaybookEntry][] = [
  ...CAUSE_IDS.map((c) => [c, PLAYBOOK[c]] as [string, PlaybookEntry]),
  ['none', PLAYBOOK.none],
  ...NOT_AUTH_KINDS.map((k) => [`not_auth/${k}`, NOT_AUTH_PLAYBOOK[k]] as [string, PlaybookEntry]),
]

/** Where commands really differ per cause: these platforms must have their own variant somewhere in the steps. */
const REQUIRED_VARIANTS: Record<(typeof CAUSE_IDS)[number], Platform[]> = {
  expired_session: ['wsl', 'ssh', 'docker', 'macos'],
  invalid_api_key: ['docker', 'wsl', 'ssh', 'macos'],
  missing_api_key: ['docker', 'vscode', 'wsl', 'ssh'],
  corrupted_credentials: ['macos', 'ssh'],
  network_blocked: ['docker', 'wsl', 'macos'],
  multiple_installs: [],
  account_restricted: [],
  ide_environment: ['vscode', 'macos'],
  remote_login: ['wsl', 'ssh', 'docker'],
  credential_conflict: [],
  cloud_provider: ['docker'],
}

const BASH_ONLY = /(^|\s)(export |source ~|unset |rm -f |rm -rf |which -a|hash -r|rehash|printf '%s'|grep -n|\$\{|~\/\.)/

describe('playbook completeness', () => {
  it('GIVEN every Verdict WHEN looking up its playbook entry THEN one exists with a title, a verdict, steps and next tries', () => {
    for (const v of VERDICTS) {
      const kinds = v === 'not_auth' ? NOT_AUTH_KINDS : [null]
      for (const k of kinds) {
        const e = playbookFor(v, k)
        expect(e, `${v}/${k}`).toBeDefined()
        expect(e.title.length, `${v}/${k}`).toBeGreaterThan(5)
        expect(e.summary.length, `${v}/${k}`).toBeGreaterThan(20)
        expect(e.steps.length, `${v}/${k}`).toBeGreaterThan(0)
        expect(e.ifStillFailing.length, `${v}/${k}`).toBeGreaterThan(0)
      }
    }
    expect(Object.keys(PLAYBOOK).sort()).toEqual([...CAUSE_IDS, 'none'].sort())
  })

  it('GIVEN every NotAuthKind WHEN replying THEN each has its own entry with a distinct title that says it is not a login problem', () => {
    expect(Object.keys(NOT_AUTH_PLAYBOOK).sort()).toEqual([...NOT_AUTH_KINDS].sort())
    const titles = NOT_AUTH_KINDS.map((k) => NOT_AUTH_PLAYBOOK[k].title)
    expect(new Set(titles).size).toBe(titles.length)
    for (const k of NOT_AUTH_KINDS) expect(NOT_AUTH_PLAYBOOK[k].title + NOT_AUTH_PLAYBOOK[k].summary, k).toMatch(/not a login problem|not your login|credentials (work|look fine)|login is fine|not about signing in/i)
    expect(playbookFor('not_auth', null)).toBe(NOT_AUTH_PLAYBOOK.other)
  })

  for (const [name, entry] of entries) {
    describe(name, () => {
      it('GIVEN each step with commands WHEN resolved for every platform it is for (and for an unknown platform) THEN commands come back', () => {
        const ids = entry.steps.map((s) => s.id)
        expect(new Set(ids).size, 'step ids are unique').toBe(ids.length)
        for (const step of entry.steps) {
          if (!step.commands) continue
          for (const p of step.only ?? PLATFORMS) {
            expect(resolveCommands(step.commands, p).length, `${step.id} on ${p}`).toBeGreaterThan(0)
          }
          if (!step.only || step.only.some((p) => ['macos', 'linux', 'windows'].includes(p))) {
            expect(resolveCommands(step.commands, null).length, `${step.id} on unknown platform`).toBeGreaterThan(0)
          }
        }
      })

      it('GIVEN a step that differs between bash and zsh WHEN declared THEN both variants exist, with their own rc file', () => {
        for (const step of entry.steps) {
          const c = step.commands
          if (!c) continue
          expect(!!c.bash, `${step.id}: bash without zsh or zsh without bash`).toBe(!!c.zsh)
          if (c.bash) expect(c.bash.flatMap((v) => v.lines).join('\n')).not.toContain('.zshrc')
          if (c.zsh) expect(c.zsh.flatMap((v) => v.lines).join('\n')).not.toContain('.bashrc')
        }
      })

      it('GIVEN Windows WHEN resolving THEN no bash-only command is shown; GIVEN macOS or Linux THEN no PowerShell', () => {
        for (const step of entry.steps) {
          for (const block of resolveCommands(step.commands, 'windows')) {
            if (block.language === 'powershell' || block.language === 'json' || block.language === 'yaml' || block.language === 'text') continue
            for (const line of block.lines) expect(line, `${step.id} (${block.label}) on Windows`).not.toMatch(BASH_ONLY)
          }
          for (const p of ['macos', 'linux'] as const) {
            for (const block of resolveCommands(step.commands, p)) expect(block.language, `${step.id} on ${p}`).not.toBe('powershell')
          }
        }
      })

      it('GIVEN the platforms the entry says differ WHEN checking its steps THEN each has an explicit variant', () => {
        const explicit = new Set(entry.steps.flatMap((s) => explicitPlatforms(s.commands)))
        for (const p of entry.variants) expect(explicit.has(p), `${name}: no explicit ${p} variant`).toBe(true)
      })
    })
  }

  for (const cause of CAUSE_IDS) {
    it(`GIVEN ${cause} WHEN checking the platforms whose commands differ (WSL/SSH/Docker/VS Code/macOS) THEN each has its own variant`, () => {
      const entry = PLAYBOOK[cause]
      const explicit = new Set(entry.steps.flatMap((s) => explicitPlatforms(s.commands)))
      for (const p of REQUIRED_VARIANTS[cause]) expect(explicit.has(p), `${cause} lacks a ${p} variant`).toBe(true)
      for (const p of REQUIRED_VARIANTS[cause]) expect(entry.variants, `${cause}.variants should declare ${p}`).toContain(p)
    })
  }

  it('GIVEN the quick checklist WHEN resolved for every platform THEN each item with commands has them', () => {
    for (const item of CHECKLIST) {
      if (!item.commands) continue
      for (const p of [null, ...PLATFORMS]) expect(resolveCommands(item.commands, p).length, `${item.title} on ${p}`).toBeGreaterThan(0)
    }
  })

  it("GIVEN the article's facts WHEN collecting every command in the playbook THEN each fix it names is there", () => {
    const all = [...entries.map(([, e]) => e), { steps: CHECKLIST.map((c, i) => ({ id: `c${i}`, ...c })) } as unknown as PlaybookEntry]
      .flatMap((e) => e.steps)
      .flatMap((s) => Object.values(s.commands ?? {}).flat())
      .flatMap((v) => v!.lines)
      .join('\n')
    const facts = [
      'claude auth status',
      'claude auth logout',
      'claude auth login',
      '${ANTHROPIC_API_KEY',
      '$env:ANTHROPIC_API_KEY',
      'https://api.anthropic.com/v1/messages',
      'x-api-key: $ANTHROPIC_API_KEY',
      'anthropic-version: 2023-06-01',
      'Invoke-RestMethod',
      '[System.Environment]::SetEnvironmentVariable("ANTHROPIC_API_KEY"',
      '"User")',
      ">> ~/.bashrc",
      ">> ~/.zshrc",
      'grep -n ANTHROPIC_API_KEY ~/.bashrc',
      'cat -A',
      'rm -f ~/.claude/.credentials.json',
      'rm -rf ~/.claude',
      'curl -I https://api.anthropic.com',
      'HTTPS_PROXY',
      'HTTP_PROXY',
      'NODE_EXTRA_CA_CERTS',
      'npm uninstall -g @anthropic-ai/claude-code',
      'curl -fsSL https://claude.ai/install.sh | bash',
      'irm https://claude.ai/install.ps1 | iex',
      'which -a claude',
      'where.exe claude',
      'Get-Command claude -All',
      'claude --version',
      'docker run -e ANTHROPIC_API_KEY',
      '- ANTHROPIC_API_KEY=${ANTHROPIC_API_KEY}',
      '"terminal.integrated.inheritEnv": true',
      '"args": ["-l"]',
      'unset ANTHROPIC_AUTH_TOKEN',
      'Remove-Item Env:ANTHROPIC_AUTH_TOKEN',
      '/status',
      'aws sso login',
      'aws sts get-caller-identity',
      'CLAUDE_CODE_USE_BEDROCK',
      'gcloud auth application-default login',
      'CLAUDE_CODE_USE_VERTEX',
      'node --version',
      'source ~/.bashrc',
      'source ~/.zshrc',
      'security unlock-keychain',
    ]
    for (const f of facts) expect(all, f).toContain(f)
  })
})
