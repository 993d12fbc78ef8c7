// Runs a TypeScript file in a child Node process (through tsx) and lets a test follow its output line by line.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export type TsChild = {
  child: ChildProcess
  /** every stdout line so far */
  lines: string[]
  stderr(): string
  /** resolves with the first stdout line matching `re` (rejects if the process exits first or after `timeoutMs`) */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>
  /** resolves when the process has exited, with its code and signal and the time it exited (epoch ms) */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>
}

export function spawnTs(file: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): TsChild {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(PROJECT_ROOT, file), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let err = ''
  let partial = ''
  const listeners = new Set<() => void>()
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk
    const parts = partial.split('\n')
    partial = parts.pop() ?? ''
    lines.push(...parts)
    for (const l of listeners) l()
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    child.on('exit', (code, signal) => {
      const at = Date.now()
      // let the last stdout chunks arrive
      child.stdout!.once('close', () => {
        if (partial) lines.push(partial)
        partial = ''
        for (const l of listeners) l()
        resolve({ code, signal, at })
      })
      if (child.stdout!.closed) resolve({ code, signal, at })
    })
  })
  let done = false
  void exited.then(() => {
    done = true
    for (const l of listeners) l()
  })
  return {
    child,
    lines,
    stderr: () => err,
    exited,
    waitFor(re, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`timed out waiting for ${re} from ${file}; stderr: ${err.slice(-2000)}`)), timeoutMs)
        const check = () => {
          const hit = lines.find((l) => re.test(l))
          if (hit !== undefined) finish(null, hit)
          else if (done) finish(new Error(`${file} exited before printing ${re}; stderr: ${err.slice(-2000)}`))
        }
        const finish = (e: Error | null, line?: string) => {
          clearTimeout(timer)
          listeners.delete(check)
          if (e) reject(e)
          else resolve(line!)
        }
        listeners.add(check)
        check()
      })
    },
  }
}
