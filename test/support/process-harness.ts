// The bot as a real child process, exactly as `npm start` runs it (`node dist/main.js`, the bundle test/support/global-setup.ts builds), for the proofs
// under load and faults: two replicas on one database, SIGKILL and restart, SIGTERM with work in flight, RSS.
//   - environment: a clean one (PATH, HOME, TMPDIR) plus what the test passes; nothing leaks in from the test run;
//   - stdout: pino's JSON lines, parsed and kept (every line, for the "no secret in the logs" scan);
//   - start resolves once the "HTTP server listening" line names the port;
//   - stop() sends SIGTERM and waits for the exit; kill() sends SIGKILL and waits;
//   - every process started here is killed (by its pid) if a test forgets it: killAllBots() in afterAll.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import { PROJECT_ROOT } from './spawn-ts.js'
import { SERVER_BUNDLE, SERVER_ENV, SERVER_NODE_FLAGS } from '../../src/server-bundle.js'

export { PROJECT_ROOT }

export type LogLine = { level: number; msg: string; time?: string; [key: string]: unknown }

export type Exit = { code: number | null; signal: NodeJS.Signals | null; at: number }

export type BotProcess = {
  name: string
  child: ChildProcess
  pid: number
  port: number
  /** http://127.0.0.1:<port> */
  url: string
  /** every stdout line parsed as JSON (lines that are not JSON are kept as { level: -1, msg: line }) */
  logs: LogLine[]
  /** stdout as received (for secret scans) */
  stdout(): string
  stderr(): string
  /** resolves with the first log line (already seen or coming) for which `pred` holds */
  waitForLog(pred: (line: LogLine) => boolean, timeoutMs?: number, what?: string): Promise<LogLine>
  /** GET or POST on the bot's HTTP port */
  request(pathname: string, init?: RequestInit): Promise<{ status: number; text: string; json<T = any>(): T }>
  /** resident set size now and its peak so far (VmRSS / VmHWM from /proc), in MB; null once exited */
  memory(): { rssMb: number; peakMb: number } | null
  exited: Promise<Exit>
  /** SIGTERM, then waits for the exit (SIGKILL after `timeoutMs`) */
  stop(timeoutMs?: number): Promise<Exit>
  /** SIGKILL, then waits for the exit */
  kill(): Promise<Exit>
}

export type StartBotOptions = {
  env: Record<string, string>
  name?: string
  /** how long to wait for the listening line */
  readyTimeoutMs?: number
  /** extra node flags before the entry point (e.g. --cpu-prof) */
  nodeArgs?: string[]
}

const running = new Set<BotProcess>()

const LISTENING = /HTTP server listening/

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'SYSTEMROOT']) if (process.env[key]) env[key] = process.env[key]
  return { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...SERVER_ENV, ...env, ...extra }
}

/** node's arguments for the service as `npm start` runs it (extra node flags go before the bundle) */
export function serviceArgs(nodeArgs: string[] = []): string[] {
  return [...SERVER_NODE_FLAGS, ...nodeArgs, SERVER_BUNDLE]
}

export async function startBot(options: StartBotOptions): Promise<BotProcess> {
  const name = options.name ?? 'bot'
  const child = spawn(process.execPath, serviceArgs(options.nodeArgs), {
    cwd: PROJECT_ROOT,
    env: cleanEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: LogLine[] = []
  const out: string[] = []
  let err = ''
  let partial = ''
  const listeners = new Set<() => void>()
  const notify = () => listeners.forEach((l) => l())
  const take = (line: string) => {
    if (!line) return
    try {
      const parsed = JSON.parse(line) as LogLine
      logs.push(typeof parsed === 'object' && parsed ? parsed : { level: -1, msg: line })
    } catch {
      logs.push({ level: -1, msg: line })
    }
  }
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out.push(chunk)
    partial += chunk
    const parts = partial.split('\n')
    partial = parts.pop() ?? ''
    parts.forEach(take)
    notify()
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk
    if (err.length > 1_000_000) err = err.slice(-500_000)
  })
  let done = false
  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => {
      const at = Date.now()
      const finish = () => {
        take(partial)
        partial = ''
        done = true
        notify()
        resolve({ code, signal, at })
      }
      if (child.stdout!.readableEnded || child.stdout!.destroyed) finish()
      else child.stdout!.once('close', finish)
    })
  })

  const waitForLog = (pred: (line: LogLine) => boolean, timeoutMs = 30_000, what = 'a log line'): Promise<LogLine> =>
    new Promise((resolve, reject) => {
      let seen = 0
      const check = () => {
        for (; seen < logs.length; seen++) {
          if (pred(logs[seen]!)) return finish(null, logs[seen])
        }
        if (done) finish(new Error(`${name} exited before logging ${what}; stderr: ${err.slice(-3000)}; last logs: ${lastLogs(logs)}`))
      }
      const timer = setTimeout(() => finish(new Error(`${name}: timed out after ${timeoutMs} ms waiting for ${what}; stderr: ${err.slice(-3000)}; last logs: ${lastLogs(logs)}`)), timeoutMs)
      const finish = (e: Error | null, line?: LogLine) => {
        clearTimeout(timer)
        listeners.delete(check)
        if (e) reject(e)
        else resolve(line!)
      }
      listeners.add(check)
      check()
    })

  let port = 0
  const bot: BotProcess = {
    name,
    child,
    pid: child.pid!,
    get port() {
      return port
    },
    get url() {
      return `http://127.0.0.1:${port}`
    },
    logs,
    stdout: () => out.join(''),
    stderr: () => err,
    waitForLog,
    async request(pathname, init) {
      const res = await fetch(`http://127.0.0.1:${port}${pathname}`, { ...init, signal: init?.signal ?? AbortSignal.timeout(10_000) })
      const text = await res.text()
      return { status: res.status, text, json: () => JSON.parse(text) }
    },
    memory: () => (done ? null : readMemory(child.pid!)),
    exited,
    async stop(timeoutMs = 20_000) {
      if (!done) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      const exit = await exited
      clearTimeout(timer)
      running.delete(bot)
      return exit
    },
    async kill() {
      if (!done) child.kill('SIGKILL')
      const exit = await exited
      running.delete(bot)
      return exit
    },
  } as BotProcess
  running.add(bot)
  void exited.then(() => running.delete(bot))

  try {
    const line = await waitForLog((l) => LISTENING.test(l.msg) && typeof l.port === 'number', options.readyTimeoutMs ?? 60_000, 'the listening line')
    port = line.port as number
  } catch (e) {
    await bot.kill()
    throw e
  }
  return bot
}

/** kills (SIGKILL, by pid) every bot process this harness started that is still running */
export async function killAllBots(): Promise<void> {
  await Promise.all([...running].map((b) => b.kill()))
}

function lastLogs(logs: LogLine[]): string {
  return logs
    .slice(-8)
    .map((l) => `[${l.level}] ${l.msg}`)
    .join(' | ')
}

/** VmRSS and VmHWM of a process, in MB (Linux /proc; null elsewhere or when it is gone) */
export function readMemory(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 }
  } catch {
    return null
  }
}

/** pino's numeric levels */
export const LEVEL = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const

/** Resolves with the first truthy value of `probe` (sync or async), polled every `everyMs`; rejects after `ms`. */
export async function waitUntil<T>(probe: () => T | Promise<T>, ms: number, what: string, everyMs = 50): Promise<NonNullable<T>> {
  const end = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (v) return v as NonNullable<T>
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}
