// The project's root directory (where package.json, prisma/ and src/ live), found by walking up from this module, so
// it is the same whether the code runs from src/ (tsx, tests) or from the bundle in dist/ (`npm start`, Docker).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json')
    if (fs.existsSync(manifest)) {
      try {
        if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'claude-auth-bot') return dir
      } catch {
        // an unreadable package.json further down is not ours; keep walking up
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`claude-auth-bot: cannot find the project's package.json above ${from}`)
  }
}

export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)))
