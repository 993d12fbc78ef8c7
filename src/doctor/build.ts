// Bundles the doctor (src/doctor/main.ts, with undici and src/redaction) into one ESM file that runs on Node 18+
// with nothing installed. The service serves buildDoctor()'s output at /doctor.mjs; `npm run build:doctor` writes it
// to dist/doctor.mjs.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { PROJECT_ROOT } from '../project-root.js'

// from the sources even when the service runs bundled (dist/main.js)
const ENTRY = path.join(PROJECT_ROOT, 'src/doctor/main.ts')

export type BuildDoctorOptions = {
  /** the bot's public URL, used by --upload when no --server or CLAUDE_AUTH_BOT_URL is given */
  defaultServer?: string
}

export async function buildDoctor(options: BuildDoctorOptions = {}): Promise<string> {
  if (options.defaultServer !== undefined) {
    const u = new URL(options.defaultServer)
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`defaultServer must be an http(s) URL, got ${options.defaultServer}`)
  }
  // loaded on first use: esbuild's API costs ~15 MB resident, and the service only needs it when /doctor.mjs is asked for
  const { build } = await import('esbuild')
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    platform: 'node',
    target: 'node18',
    format: 'esm',
    // readable on purpose: people are asked to run this file, so they should be able to read it
    minify: false,
    legalComments: 'none',
    sourcemap: false,
    logLevel: 'silent',
    define: { __DOCTOR_DEFAULT_SERVER__: options.defaultServer === undefined ? 'undefined' : JSON.stringify(options.defaultServer) },
    banner: {
      js: [
        '#!/usr/bin/env node',
        '// claude-auth-bot doctor: read-only diagnostics for Claude Code authentication. Run: node doctor.mjs --help',
        // bundled CommonJS (undici) calls require() for Node built-ins
        "import { createRequire as __doctorCreateRequire } from 'node:module';",
        'const require = __doctorCreateRequire(import.meta.url);',
      ].join('\n'),
    },
  })
  const file = result.outputFiles[0]
  if (!file) throw new Error('esbuild produced no output')
  return file.text
}

const USAGE = 'Usage: build-doctor [--out FILE] [--server URL]\n  --out FILE     where to write the bundle (default dist/doctor.mjs)\n  --server URL   the bot URL built in as the default for --upload\n'

export async function run(args: string[]): Promise<number> {
  let out = 'dist/doctor.mjs'
  let server: string | undefined
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--out' && args[i + 1]) out = args[++i] as string
    else if (a === '--server' && args[i + 1]) server = args[++i]
    else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE)
      return 0
    } else {
      process.stderr.write(`build-doctor: unknown argument ${a}\n${USAGE}`)
      return 2
    }
  }
  const code = await buildDoctor({ defaultServer: server })
  const target = path.resolve(out)
  await mkdir(path.dirname(target), { recursive: true })
  await writeFile(target, code, { mode: 0o755 })
  const shown = path.relative(process.cwd(), target)
  process.stdout.write(`wrote ${shown.startsWith('..') ? target : shown} (${Math.round(code.length / 1024)} KB)\n`)
  return 0
}
