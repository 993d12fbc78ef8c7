// `npm start`, the Docker image and the test harness must run the same thing: the bundle, with the same node flags
// (the flags are what keeps the service inside its memory budget, so a drift would go unnoticed in the benchmarks).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { SERVER_BUNDLE, SERVER_ENV, SERVER_NODE_FLAGS } from '../../src/server-bundle.js'
import { PROJECT_ROOT } from '../../src/project-root.js'
import { pidAlive } from '../../src/store/dir-lock.js'

const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
const dockerfile = fs.readFileSync(path.join(PROJECT_ROOT, 'docker/Dockerfile'), 'utf8')
const bundle = path.relative(PROJECT_ROOT, SERVER_BUNDLE)

/** every process below `root` (Linux /proc) */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // the process ended meanwhile
    }
  }
  const found: number[] = []
  const walk = (pid: number) => {
    for (const [child, parent] of parentOf) if (parent === pid) found.push(child), walk(child)
  }
  walk(root)
  return found
}


describe('the start command', () => {
  const envPrefix = Object.entries(SERVER_ENV).map(([k, v]) => `${k}=${v} `).join('')

  it('GIVEN package.json WHEN npm start runs THEN it rebuilds the bundle and runs it with the service environment and node flags', () => {
    // exec: node replaces the shell, so the signal npm forwards reaches the service (a shell would die and leave it running)
    expect(pkg.scripts.start).toBe(`npm run --silent build && ${envPrefix}exec node ${SERVER_NODE_FLAGS.join(' ')} ${bundle}`)
  })

  it('GIVEN the service started by npm start WHEN npm gets SIGTERM THEN the service shuts down cleanly and no process is left running', async () => {
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'pglite:memory', npm_config_loglevel: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    npm.stdout.on('data', (d) => (out += d))
    npm.stderr.on('data', (d) => (out += d))
    const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)))
    const deadline = Date.now() + 60_000
    while (!/HTTP server listening/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    expect(out).toMatch(/HTTP server listening/)
    const started = descendants(npm.pid!)
    expect(started.length, 'npm runs the service as its child').toBeGreaterThan(0)
    npm.kill('SIGTERM')
    await exited
    for (let i = 0; i < 100 && started.some(pidAlive); i++) await new Promise((r) => setTimeout(r, 100))
    expect(started.filter(pidAlive), 'processes that outlived npm').toEqual([])
    expect(out).toMatch(/stopped cleanly/)
  }, 90_000)

  it('GIVEN the Dockerfile WHEN the image starts THEN node runs the same bundle with the same flags as PID 1', () => {
    const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1]
    expect(JSON.parse(cmd ?? 'null')).toEqual(['node', ...SERVER_NODE_FLAGS, bundle])
    expect(dockerfile).toMatch(/^RUN npm run --silent build$/m)
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))
    for (const [k, v] of Object.entries(SERVER_ENV)) expect(runtime).toMatch(new RegExp(`^(?:ENV|\\s+)\\s*${k}=${v}\\b`, 'm'))
  })
})
