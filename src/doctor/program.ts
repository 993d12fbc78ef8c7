// The doctor's command line: parse the arguments, run the checks, print the report (text or --json), and upload it
// when asked. Everything from the outside world comes in through `deps`, so tests run it against built environments.
import { ALL_CHECKS } from './checks/index.js'
import { renderReport } from './render.js'
import { buildReport, exitCodeOf } from './report.js'
import { runChecks } from './runner.js'
import type { Check, DoctorEnv, DoctorOptions } from './types.js'
import { upload, type UploadIO } from './upload.js'
import { getVar } from './util.js'
import type { VerdictOptions } from './verdict.js'
import { DOCTOR_VERSION } from './version.js'

export const DEFAULT_API_URL = 'https://api.anthropic.com'

export type ProgramIO = {
  stdout(text: string): void
  stderr(text: string): void
  /** stdin is a terminal a person can answer on */
  interactive: boolean
  readLine(): Promise<string | null>
}

export type ProgramDeps = {
  env: DoctorEnv
  io: ProgramIO
  checks?: readonly Check[]
  /** built in by the service that serves the file (buildDoctor({ defaultServer })) */
  defaultServer?: string
  classify?: VerdictOptions['classify']
}

export type ParsedArgs = {
  help: boolean
  version: boolean
  json: boolean
  verbose: boolean
  checkKey: boolean
  showKeySuffix: boolean
  upload: string | null
  server: string | null
  yes: boolean
  apiUrl: string
}

export const USAGE = `Usage: node doctor.mjs [options]

Checks why Claude Code cannot authenticate on this machine. Read-only: it changes nothing, and never prints a
key or token (at most the last four characters of ANTHROPIC_API_KEY, with --show-key-suffix).

Options:
  --json               print the report as JSON
  --verbose            also print the details of checks that passed
  --check-key          ask the API whether ANTHROPIC_API_KEY is accepted (one free request: GET /v1/models)
  --show-key-suffix    show the key's last four characters, as the Anthropic Console shows them
  --upload CODE        send the redacted report to the support bot; CODE comes from "/claude-auth doctor"
  --server URL         the bot's address for --upload (default: built in, or CLAUDE_AUTH_BOT_URL)
  --yes, -y            upload without asking (the report is still printed first)
  --api-url URL        test another API address (a gateway; default ${DEFAULT_API_URL})
  --version            print the doctor's version
  --help, -h           this help

Exit status: 0 nothing wrong, 1 something is wrong (an error or a crashed check, or the upload failed), 2 bad usage
or an upload without consent.
`

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const a: ParsedArgs = { help: false, version: false, json: false, verbose: false, checkKey: false, showKeySuffix: false, upload: null, server: null, yes: false, apiUrl: DEFAULT_API_URL }
  const rest = [...argv]
  const value = (flag: string, inline: string | undefined): string => {
    const v = inline ?? rest.shift()
    if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`)
    return v
  }
  while (rest.length) {
    const arg = rest.shift() as string
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1
    const flag = eq > 0 ? arg.slice(0, eq) : arg
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined
    switch (flag) {
      case '-h':
      case '--help':
        a.help = true
        break
      case '--version':
        a.version = true
        break
      case '--json':
        a.json = true
        break
      case '--verbose':
      case '-v':
        a.verbose = true
        break
      case '--check-key':
        a.checkKey = true
        break
      case '--show-key-suffix':
        a.showKeySuffix = true
        break
      case '--yes':
      case '-y':
        a.yes = true
        break
      case '--upload':
        a.upload = value(flag, inline).trim()
        break
      case '--server':
        a.server = value(flag, inline)
        break
      case '--api-url': {
        const v = value(flag, inline)
        try {
          const u = new URL(v)
          if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme')
        } catch {
          throw new UsageError(`--api-url: "${v}" is not an http(s) URL`)
        }
        a.apiUrl = v
        break
      }
      default:
        throw new UsageError(`unknown option: ${arg}`)
    }
  }
  if (a.yes && !a.upload) throw new UsageError('--yes only makes sense with --upload CODE')
  if (a.server && !a.upload) throw new UsageError('--server only makes sense with --upload CODE')
  return a
}

export async function runDoctor(argv: readonly string[], deps: ProgramDeps): Promise<number> {
  const { env, io } = deps
  let args: ParsedArgs
  try {
    args = parseArgs(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    io.stderr(`doctor: ${err.message}\n\n${USAGE}`)
    return 2
  }
  if (args.help) {
    io.stdout(USAGE)
    return 0
  }
  if (args.version) {
    io.stdout(`${DOCTOR_VERSION}\n`)
    return 0
  }
  const server = args.server ?? (getVar(env, 'CLAUDE_AUTH_BOT_URL') || null) ?? deps.defaultServer ?? null
  if (args.upload && !server) {
    io.stderr('doctor: --upload needs the bot\'s address: add --server URL (or set CLAUDE_AUTH_BOT_URL)\n')
    return 2
  }

  const options: DoctorOptions = { apiUrl: args.apiUrl, checkKey: args.checkKey, showKeySuffix: args.showKeySuffix }
  if (!args.json) io.stderr('Checking… (read-only; this takes a few seconds)\n')
  const results = await runChecks(deps.checks ?? ALL_CHECKS, env, options)
  const report = buildReport(env, options, results, { classify: deps.classify })
  io.stdout(args.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, { verbose: args.verbose }))
  let code = exitCodeOf(report)

  if (args.upload && server) {
    // with --json, stdout carries only the report; the conversation about the upload goes to stderr
    const uploadIo: UploadIO = { write: args.json ? io.stderr : io.stdout, interactive: io.interactive, readLine: io.readLine }
    const outcome = await upload(env, report, { code: args.upload, server, yes: args.yes }, uploadIo)
    if (!outcome.sent && (outcome.reason === 'no_consent' || outcome.reason === 'bad_server')) code = 2
    else if (!outcome.sent && outcome.reason === 'network') code = 1
    else if (outcome.sent && !outcome.ok) code = 1
  }
  return code
}
