// Entry of the one-file doctor (built by src/doctor/build.ts into doctor.mjs): wires the real machine into the
// program and exits with its status. Runs on Node 18+ with nothing installed.
import { createInterface } from 'node:readline'
import { createNodeEnv } from './node-env.js'
import { runDoctor, type ProgramIO } from './program.js'

/** replaced at bundle time with the URL of the service that serves this file (or undefined) */
declare const __DOCTOR_DEFAULT_SERVER__: string | undefined

const defaultServer = typeof __DOCTOR_DEFAULT_SERVER__ === 'string' ? __DOCTOR_DEFAULT_SERVER__ : undefined

let lines: AsyncIterator<string> | null = null
const io: ProgramIO = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  interactive: process.stdin.isTTY === true,
  async readLine() {
    lines ??= createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]()
    const next = await lines.next()
    return next.done ? null : next.value
  },
}

const flush = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()))

const major = Number(process.versions.node.split('.')[0])
if (major < 18) {
  process.stderr.write(`The doctor needs Node.js 18 or newer; this is ${process.version}.\n`)
  process.exit(1)
}

runDoctor(process.argv.slice(2), { env: createNodeEnv(), io, defaultServer })
  .catch((err: unknown) => {
    process.stderr.write(`doctor: unexpected failure: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  })
  .then(async (code) => {
    await Promise.all([flush(process.stdout), flush(process.stderr)])
    // a hung check may still hold a socket or a child process: the report is out, so leave now
    process.exit(code)
  })
