// Bundles the service (src/main.ts and everything it imports from src/) into ESM files, dist/main.js and its chunks, which
// `npm start` and the Docker image run with plain `node`. Installed packages stay external (resolved from
// node_modules at run time). Running compiled JavaScript instead of the tsx loader saves its hook thread: a second
// V8 isolate of about 35 MB resident for the life of the process.
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { build } from 'esbuild'
import { PROJECT_ROOT } from './project-root.js'

export const SERVER_BUNDLE = path.join(PROJECT_ROOT, 'dist/main.js')

/**
 * The node flags the service runs with (`npm start`, the Docker CMD, the test harness; a test keeps them equal). By
 * default V8 lets the heap fill with garbage up to about 110 MB before collecting (the live heap is 40-55 MB under
 * 100 pastes/s): a 2 MB young generation and a 128 MB old-generation limit make it collect sooner, for about 10% more
 * CPU per message. (--optimize-for-size kept memory as low but cost 45% more CPU and tripled the p99.) Nothing the
 * service holds grows with traffic beyond bounded queues and capped result lists; raise the limit with more load.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--max-old-space-size=128']

/**
 * Environment the service runs with (set the same way in the three places). MALLOC_ARENA_MAX=2: glibc gives every
 * thread that allocates (V8's GC and compiler helpers, libuv's pool) its own malloc arena, each keeping freed pages;
 * two arenas took 25 MB off the resident size under load with no change in latency or CPU.
 */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' }

/**
 * Writes the bundle: dist/main.js plus one chunk per lazily imported part (the Slack and Discord adapters), so a
 * service without Discord never loads discord.js (about 50 MB resident). Chunks are written first and main.js last,
 * each to a temporary name then renamed, so a process starting at the same moment never reads half a build; chunks of
 * earlier builds are removed.
 */
export async function bundleServer(outfile: string = SERVER_BUNDLE): Promise<{ outfile: string; bytes: number }> {
  const outdir = path.dirname(outfile)
  const result = await build({
    entryPoints: { [path.basename(outfile, '.js')]: path.join(PROJECT_ROOT, 'src/main.ts') },
    bundle: true,
    splitting: true,
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    write: false,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    // stack traces and logs keep the source's names; the files stay readable
    minify: false,
    keepNames: true,
    legalComments: 'none',
    logLevel: 'silent',
    banner: { js: '// claude-auth-bot service, bundled from src/ by `npm run build`. Do not edit: edit src/ and rebuild.' },
  })
  const main = result.outputFiles.find((f) => path.resolve(f.path) === path.resolve(outfile))
  if (!main) throw new Error('esbuild produced no main.js')
  const chunks = result.outputFiles.filter((f) => f !== main)
  const chunkDir = path.join(outdir, 'chunks')
  await mkdir(chunkDir, { recursive: true })
  for (const file of [...chunks, main]) {
    const temp = `${file.path}.${process.pid}.tmp`
    await writeFile(temp, file.contents)
    await rename(temp, file.path)
  }
  const current = new Set(chunks.map((f) => path.basename(f.path)))
  for (const name of await readdir(chunkDir)) if (!current.has(name) && name.endsWith('.js')) await rm(path.join(chunkDir, name), { force: true })
  return { outfile, bytes: result.outputFiles.reduce((n, f) => n + f.contents.byteLength, 0) }
}

export async function run(args: string[]): Promise<number> {
  if (args.length) {
    process.stderr.write(`build: takes no arguments (got ${args.join(' ')}); it writes ${path.relative(process.cwd(), SERVER_BUNDLE)}\n`)
    return 2
  }
  try {
    const { outfile, bytes } = await bundleServer()
    process.stdout.write(`wrote ${path.relative(process.cwd(), outfile)} (${Math.round(bytes / 1024)} KB)\n`)
    return 0
  } catch (err) {
    // esbuild lists each error with file and line
    process.stderr.write(`build failed: ${(err as Error).message}\n`)
    return 1
  }
}
