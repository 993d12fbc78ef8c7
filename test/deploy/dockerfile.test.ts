// No Docker engine runs here, so the image is checked the next best way: the Dockerfile's own steps are executed
// as plain commands (install stage for real, runtime stage assembled from its COPY lines), the assembled image
// starts, answers its HEALTHCHECK command and stops cleanly on SIGTERM; and the compose file is validated.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')
type Instruction = { op: string; args: string }
type Stage = { name: string; from: string; steps: Instruction[] }

function parseDockerfile(text: string): Stage[] {
  const joined = text.replace(/\\\n/g, ' ')
  const stages: Stage[] = []
  for (const raw of joined.split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const [op, ...rest] = line.split(/\s+/)
    const args = rest.join(' ')
    if (op!.toUpperCase() === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!
      stages.push({ from: m[1]!, name: m[2] ?? String(stages.length), steps: [] })
    } else stages.at(-1)!.steps.push({ op: op!.toUpperCase(), args })
  }
  return stages
}

const dockerfile = fs.readFileSync(path.join(root, 'docker/Dockerfile'), 'utf8')
const stages = parseDockerfile(dockerfile)
const runtime = stages.at(-1)!

describe('the Dockerfile', () => {
  it('GIVEN the Dockerfile WHEN read THEN it is multi-stage and the runtime runs as a non-root user with a HEALTHCHECK', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2)
    const user = runtime.steps.filter((s) => s.op === 'USER').at(-1)
    expect(user?.args).toBe('node')
    expect(runtime.steps.some((s) => s.op === 'HEALTHCHECK' && /\/healthz/.test(s.args))).toBe(true)
    // node itself is PID 1, so SIGTERM reaches the graceful shutdown (npm would not forward it)
    expect(runtime.steps.find((s) => s.op === 'CMD')?.args).toMatch(/^\["node"/)
  })
})

describe('the Dockerfile steps run as plain commands', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'docker-steps-'))
  const stageDirs = new Map<string, string>()
  let port = 0

  /** COPY [--from=stage] src... dest, relative to the stage's WORKDIR */
  function copy(args: string, cwd: string) {
    const from = /^--from=(\S+)\s+/.exec(args)
    const parts = args.replace(/^--from=\S+\s+/, '').split(/\s+/)
    const dest = path.join(cwd, parts.pop()!)
    const base = from ? stageDirs.get(from[1]!)! : root
    for (const src of parts) {
      const source = from ? path.join(base, src.replace(/^\/app\/?/, '')) : path.join(base, src)
      const target = parts.length > 1 || dest.endsWith('/') ? path.join(dest, path.basename(src)) : dest
      fs.mkdirSync(path.dirname(target), { recursive: true })
      fs.cpSync(source, target, { recursive: true, dereference: false })
    }
  }

  beforeAll(() => {
    for (const stage of stages) {
      const dir = path.join(work, stage.name)
      fs.mkdirSync(dir, { recursive: true })
      stageDirs.set(stage.name, dir)
      for (const step of stage.steps) {
        if (step.op === 'COPY') copy(step.args, dir)
        // RUN steps of the install stage run for real; the runtime stage's RUN only prepares /data and its owner,
        // which the test replaces with a temporary directory.
        if (step.op === 'RUN' && stage !== runtime) execFileSync('bash', ['-c', step.args], { cwd: dir, stdio: 'pipe', env: { ...process.env, npm_config_loglevel: 'error' } })
      }
    }
  }, 240_000)
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

  it('GIVEN the assembled runtime image WHEN started THEN the HEALTHCHECK command passes and SIGTERM stops it cleanly', async () => {
    const dir = stageDirs.get(runtime.name)!
    expect(fs.existsSync(path.join(dir, 'node_modules/@slack/bolt'))).toBe(true)
    expect(fs.existsSync(path.join(dir, 'node_modules/vitest'))).toBe(false)
    const cmd = JSON.parse(runtime.steps.find((s) => s.op === 'CMD')!.args) as string[]
    const child = spawn(cmd[0]!, cmd.slice(1), {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: work, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `pglite:${path.join(work, 'data/pglite')}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    const deadline = Date.now() + 60_000
    while (!port && Date.now() < deadline) {
      const m = /"port":(\d+)/.exec(out)
      if (m) port = Number(m[1])
      else await new Promise((r) => setTimeout(r, 100))
    }
    expect(port, out).toBeGreaterThan(0)
    const health = JSON.parse(runtime.steps.find((s) => s.op === 'HEALTHCHECK')!.args.replace(/^.*CMD\s+/, '')) as string[]
    const check = spawnSync(health[0]!, health.slice(1), { env: { PATH: process.env.PATH, PORT: String(port) }, encoding: 'utf8' })
    expect(check.status, check.stderr).toBe(0)
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(out).toMatch(/stopped cleanly/)
  }, 90_000)
})

describe('the compose file', () => {
  const compose = spawnSync('docker-compose', ['--version'], { encoding: 'utf8' })
  it('GIVEN docker/compose.yaml WHEN validated by docker-compose THEN it is a valid file with a healthy-gated start order', () => {
    expect(compose.status, 'docker-compose is needed to validate the compose file (.ci/run installs it)').toBe(0)
    const res = spawnSync('docker-compose', ['-f', path.join(root, 'docker/compose.yaml'), 'config'], { encoding: 'utf8', env: { ...process.env, POSTGRES_PASSWORD: 'test-only' } })
    expect(res.status, res.stderr).toBe(0)
    expect(res.stdout).toMatch(/service_healthy/)
    expect(res.stdout).toMatch(/service_completed_successfully/)
    expect(res.stdout).toMatch(/pgdata/)
  })
})
