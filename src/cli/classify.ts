// `classify` command: diagnose pasted Claude Code output from a FILE or stdin.
//   classify [FILE]            human reply (Markdown) for the paste
//   classify --json [FILE]     the Diagnosis as JSON
//   classify --batch           JSON lines {"id","text"} on stdin -> one JSON line {"id", ...Diagnosis} per input
// Exit codes: 0 ok (bad batch lines are answered inline with {"id","error"}), 2 usage error or unreadable file.
import fs from 'node:fs/promises'
import { z } from 'zod'
import { classify } from '../diagnosis/index.js'

const USAGE = `Usage: classify [--json] [FILE]    classify a paste (FILE or stdin); --json prints the Diagnosis
       classify --batch            JSON lines {"id","text"} on stdin, one JSON line of {"id", ...Diagnosis} per input
`

const BatchLine = z.object({ id: z.union([z.string(), z.number()]), text: z.string() })

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}

function write(line: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(line)) resolve()
    else process.stdout.once('drain', () => resolve())
  })
}

async function runBatch(): Promise<number> {
  const input = await readStdin()
  let bad = 0
  let out = ''
  for (const raw of input.split('\n')) {
    const line = raw.trim()
    if (!line) continue
    let result: object
    try {
      const parsed = BatchLine.safeParse(JSON.parse(line))
      if (!parsed.success) throw new Error(`expected {"id","text"}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'line'} ${i.message}`).join('; ')}`)
      result = { id: parsed.data.id, ...classify(parsed.data.text) }
    } catch (err) {
      bad++
      let id: unknown = null
      try {
        const o = JSON.parse(line) as { id?: unknown }
        if (typeof o?.id === 'string' || typeof o?.id === 'number') id = o.id
      } catch {
        /* not JSON at all */
      }
      result = { id, error: err instanceof SyntaxError ? `invalid JSON: ${err.message}` : (err as Error).message }
    }
    out += JSON.stringify(result) + '\n'
    if (out.length > 1 << 16) {
      await write(out)
      out = ''
    }
  }
  if (out) await write(out)
  // bad lines are reported inline; the batch itself succeeded
  if (bad) process.stderr.write(`classify: ${bad} bad input line${bad === 1 ? '' : 's'} (reported inline with "error")\n`)
  return 0
}

export async function run(args: string[]): Promise<number> {
  const flags = new Set(args.filter((a) => a.startsWith('--')))
  const files = args.filter((a) => !a.startsWith('--') && a !== '-')
  const unknown = [...flags].filter((f) => !['--json', '--batch', '--help'].includes(f))
  if (flags.has('--help')) {
    process.stdout.write(USAGE)
    return 0
  }
  if (unknown.length || files.length > 1 || (flags.has('--batch') && files.length)) {
    process.stderr.write(`${unknown.length ? `Unknown option ${unknown.join(', ')}. ` : ''}${USAGE}`)
    return 2
  }
  if (flags.has('--batch')) return runBatch()

  let text: string
  if (files[0]) {
    try {
      text = await fs.readFile(files[0], 'utf8')
    } catch (err) {
      const e = err as NodeJS.ErrnoException
      process.stderr.write(`classify: cannot read ${files[0]}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.message}\n`)
      return 2
    }
  } else text = await readStdin()

  const diagnosis = classify(text)
  if (flags.has('--json')) {
    process.stdout.write(JSON.stringify(diagnosis, null, 2) + '\n')
    return 0
  }
  // loaded only for the human output, so --json and --batch never depend on the replies module
  const { buildReply, renderMarkdown } = await import('../replies/index.js')
  process.stdout.write(renderMarkdown(buildReply(diagnosis, { text })) + '\n')
  return 0
}
