// The Node.js running this doctor (the one `node` in PATH resolves to): the npm build of Claude Code needs 18+.
import type { Check } from '../types.js'
import { isWindows, parseVersion } from '../util.js'

export const MIN_NODE_MAJOR = 18

export const nodeCheck: Check = {
  id: 'node',
  title: 'Node.js',
  timeoutMs: 2_000,
  async run(env) {
    const v = parseVersion(env.nodeVersion)
    const facts = { version: env.nodeVersion }
    if (!v) return { state: 'warning', summary: `could not read the version (${env.nodeVersion})`, facts }
    if (v[0] >= MIN_NODE_MAJOR) return { state: 'ok', summary: `${env.nodeVersion} (${MIN_NODE_MAJOR} or newer needed)`, facts }
    return {
      state: 'error',
      summary: `${env.nodeVersion} is too old: Claude Code installed with npm needs Node.js ${MIN_NODE_MAJOR} or newer`,
      facts,
      findings: [{ code: 'node.too_old', severity: 'error' }],
      fix: {
        text: 'Install the native build of Claude Code, which brings its own runtime, or update Node.js to the current LTS.',
        commands: isWindows(env) ? ['irm https://claude.ai/install.ps1 | iex'] : ['curl -fsSL https://claude.ai/install.sh | bash'],
      },
    }
  },
}
