// `npm start`, the Docker image and the test harness must run the same thing: the bundle, with the same node flags
// (the flags are what keeps the service inside its memory budget, so a drift would go unnoticed in the benchmarks).
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { SERVER_BUNDLE, SERVER_ENV, SERVER_NODE_FLAGS } from '../../src/server-bundle.js'
import { PROJECT_ROOT } from '../../src/project-root.js'

const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
const dockerfile = fs.readFileSync(path.join(PROJECT_ROOT, 'docker/Dockerfile'), 'utf8')
const bundle = path.relative(PROJECT_ROOT, SERVER_BUNDLE)

describe('the start command', () => {
  const envPrefix = Object.entries(SERVER_ENV).map(([k, v]) => `${k}=${v} `).join('')

  it('GIVEN package.json WHEN npm start runs THEN it rebuilds the bundle and runs it with the service environment and node flags', () => {
    expect(pkg.scripts.start).toBe(`npm run --silent build && ${envPrefix}node ${SERVER_NODE_FLAGS.join(' ')} ${bundle}`)
  })

  it('GIVEN the Dockerfile WHEN the image starts THEN node runs the same bundle with the same flags as PID 1', () => {
    const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1]
    expect(JSON.parse(cmd ?? 'null')).toEqual(['node', ...SERVER_NODE_FLAGS, bundle])
    expect(dockerfile).toMatch(/^RUN npm run --silent build$/m)
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))
    for (const [k, v] of Object.entries(SERVER_ENV)) expect(runtime).toMatch(new RegExp(`^(?:ENV|\\s+)\\s*${k}=${v}\\b`, 'm'))
  })
})
