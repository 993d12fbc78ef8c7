// An embedded PGlite data directory must be opened by one process at a time: two processes on the same directory
// silently lose rows. The holder keeps `<dir>.lock` (created with O_EXCL) containing its pid and host; a second opener
// gets a clear error naming the directory and the holder. A lock left by a dead process is taken over:
//   - same host: the recorded pid is not running (or is this very process but not held by it, e.g. pid 1 in a
//     restarted container);
//   - another host (shared volume): the holder refreshes the file's mtime every HEARTBEAT_MS; a lock not refreshed
//     for STALE_MS is stale.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { AppError } from '../errors.js'

const HEARTBEAT_MS = 10_000
const STALE_MS = 60_000

type LockInfo = { pid: number; host: string; since: string; purpose?: string }

export type DirLock = {
  /** path of the lock file */
  readonly path: string
  /** removes the lock file (idempotent) */
  release(): void
}

/** lock files held by this process (absolute paths) */
const held = new Set<string>()

export function lockPathFor(dir: string): string {
  return `${path.resolve(dir).replace(/[\\/]+$/, '')}.lock`
}

/** whether a process with this id runs on this host (EPERM: it runs, as another user) */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readLock(file: string): { info: LockInfo | null; mtimeMs: number } | null {
  try {
    const stat = fs.statSync(file)
    let info: LockInfo | null = null
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockInfo>
      if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') info = parsed as LockInfo
    } catch {
      info = null
    }
    return { info, mtimeMs: stat.mtimeMs }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw e
  }
}

function isStale(file: string, existing: { info: LockInfo | null; mtimeMs: number }): boolean {
  const { info, mtimeMs } = existing
  const age = Date.now() - mtimeMs
  // a file being written right now by a concurrent opener has no content yet: give it a moment
  if (!info) return age > 5_000
  if (info.host !== os.hostname()) return age > STALE_MS
  if (info.pid === process.pid) return !held.has(file)
  return !pidAlive(info.pid)
}

/**
 * Takes the lock for `dir` or throws AppError('DATABASE_LOCKED') naming the directory and the holder's pid.
 * `purpose` is recorded in the file for people who find it.
 */
export function acquireDirLock(dir: string, purpose = 'claude-auth-bot embedded database'): DirLock {
  const file = lockPathFor(dir)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const info: LockInfo = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), purpose }
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number
    try {
      fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o644)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const existing = readLock(file)
      if (!existing) continue // released meanwhile: try again
      if (!isStale(file, existing)) {
        const who = existing.info
          ? `process ${existing.info.pid}${existing.info.host !== os.hostname() ? ` on host ${existing.info.host}` : ''}${existing.info.pid === process.pid ? ' (this process)' : ''}`
          : 'another process'
        throw new AppError(
          'DATABASE_LOCKED',
          `The embedded database directory ${path.resolve(dir)} is in use by ${who} (lock file ${file}). ` +
            'Only one process may open a PGlite directory: stop the other process, point DATABASE_URL at another ' +
            'directory, or use PostgreSQL to run several replicas.',
          503,
        )
      }
      // stale: move it aside atomically so that of several racing openers only one removes it, then retry
      const aside = `${file}.stale-${process.pid}-${attempt}`
      try {
        fs.renameSync(file, aside)
        fs.rmSync(aside, { force: true })
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      }
      continue
    }
    try {
      fs.writeSync(fd, JSON.stringify(info) + '\n')
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    held.add(file)
    return holdLock(file)
  }
  throw new AppError('DATABASE_LOCKED', `Could not take the lock ${file} for ${path.resolve(dir)}: it keeps changing hands.`, 503)
}

function holdLock(file: string): DirLock {
  let released = false
  const heartbeat = setInterval(() => {
    try {
      const now = new Date()
      fs.utimesSync(file, now, now)
    } catch {
      // the file vanished: nothing useful to do from a timer
    }
  }, HEARTBEAT_MS)
  heartbeat.unref()
  const onExit = () => release()
  process.once('exit', onExit)
  function release(): void {
    if (released) return
    released = true
    clearInterval(heartbeat)
    process.removeListener('exit', onExit)
    held.delete(file)
    try {
      const current = readLock(file)
      if (current?.info?.pid === process.pid) fs.rmSync(file, { force: true })
    } catch {
      // best effort
    }
  }
  return { path: file, release }
}
