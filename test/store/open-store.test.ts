// Opening the store: DATABASE_URL parsing, the embedded directory lock (one process per directory, stale locks taken
// over), parent directories created, and the migrate modes.
import { execFileSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src/errors.js'
import { createLogger } from '../../src/log.js'
import { DEFAULT_DATABASE_URL, maskUrl, parseDatabaseUrl } from '../../src/store/database-url.js'
import { acquireDirLock, lockPathFor } from '../../src/store/dir-lock.js'
import { listMigrationNames } from '../../src/store/migrations.js'
import { openStore } from '../../src/store/open-store.js'
import { createTestDatabase, DEFAULT_TEST_DATABASE_URL, testBackends } from '../support/test-store.js'
import { spawnTs } from '../support/spawn-ts.js'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cab-open-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

/** a pid that is certainly not running: a child that has already exited */
function deadPid(): number {
  return Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString())
}

describe('DATABASE_URL', () => {
  it('GIVEN no value WHEN parsed THEN the embedded default directory is used', () => {
    expect(DEFAULT_DATABASE_URL).toBe('pglite:./.data/pglite')
    expect(parseDatabaseUrl(undefined, '/srv/app')).toEqual({ backend: 'pglite', dataDir: '/srv/app/.data/pglite', url: DEFAULT_DATABASE_URL })
    expect(parseDatabaseUrl('  ', '/srv/app')).toMatchObject({ dataDir: '/srv/app/.data/pglite' })
  })

  it('GIVEN pglite:memory, a relative or absolute dir, or a postgres URL WHEN parsed THEN the backend and location follow', () => {
    expect(parseDatabaseUrl('pglite:memory')).toEqual({ backend: 'pglite', dataDir: null, url: 'pglite:memory' })
    expect(parseDatabaseUrl('pglite:data/db', '/srv')).toMatchObject({ backend: 'pglite', dataDir: '/srv/data/db' })
    expect(parseDatabaseUrl('pglite:/var/lib/bot')).toMatchObject({ backend: 'pglite', dataDir: '/var/lib/bot' })
    expect(parseDatabaseUrl('postgresql://u:p@db:5432/bot')).toEqual({ backend: 'postgres', url: 'postgresql://u:p@db:5432/bot' })
    expect(parseDatabaseUrl('postgres://db/bot')).toMatchObject({ backend: 'postgres' })
  })

  it('GIVEN anything else WHEN parsed THEN an AppError explains the accepted forms without echoing a password', () => {
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/x')).toThrow(AppError)
    expect(() => parseDatabaseUrl('pglite:')).toThrow(/needs a directory/)
    expect(maskUrl('postgresql://bot:s3cret@db:5432/x')).toBe('postgresql://bot:***@db:5432/x')
    try {
      parseDatabaseUrl('postgresql://bot:s3cret@db:bad port/x')
    } catch (e) {
      expect((e as Error).message).not.toContain('s3cret')
    }
  })
})

describe('The embedded directory lock', () => {
  it('GIVEN a directory locked by this process WHEN it is locked again THEN DATABASE_LOCKED names the directory and this pid', () => {
    const dir = path.join(tmp, 'same-process')
    const lock = acquireDirLock(dir)
    try {
      expect(() => acquireDirLock(dir)).toThrow(AppError)
      try {
        acquireDirLock(dir)
      } catch (e) {
        expect(e).toMatchObject({ code: 'DATABASE_LOCKED' })
        expect((e as Error).message).toContain(dir)
        expect((e as Error).message).toContain(String(process.pid))
      }
    } finally {
      lock.release()
    }
    expect(fs.existsSync(lockPathFor(dir))).toBe(false)
    acquireDirLock(dir).release()
  })

  it('GIVEN a lock file left by a dead process WHEN the directory is locked THEN the stale lock is taken over', () => {
    const dir = path.join(tmp, 'stale')
    fs.writeFileSync(lockPathFor(dir), JSON.stringify({ pid: deadPid(), host: os.hostname(), since: new Date().toISOString() }))
    const lock = acquireDirLock(dir)
    expect(JSON.parse(fs.readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid })
    lock.release()
  })

  it('GIVEN a lock file of a live process on this host WHEN the directory is locked THEN it is refused', () => {
    const dir = path.join(tmp, 'live')
    fs.writeFileSync(lockPathFor(dir), JSON.stringify({ pid: process.ppid, host: os.hostname(), since: new Date().toISOString() }))
    expect(() => acquireDirLock(dir)).toThrow(new RegExp(`in use by process ${process.ppid}`))
    fs.rmSync(lockPathFor(dir))
  })

  it('GIVEN a lock file from another host WHEN it is fresh THEN it is refused; WHEN not refreshed for minutes THEN it is taken over', () => {
    const dir = path.join(tmp, 'other-host')
    const file = lockPathFor(dir)
    fs.writeFileSync(file, JSON.stringify({ pid: 1, host: 'some-other-container', since: new Date().toISOString() }))
    expect(() => acquireDirLock(dir)).toThrow(/on host some-other-container/)
    const old = new Date(Date.now() - 5 * 60_000)
    fs.utimesSync(file, old, old)
    acquireDirLock(dir).release()
  })

  it('GIVEN a process holding an embedded database WHEN another process opens it THEN it gets DATABASE_LOCKED naming the dir and the pid; after a SIGKILL the directory opens again', { timeout: 180_000 }, async () => {
    const db = await createTestDatabase('pglite')
    const dir = db.url.slice('pglite:'.length)
    const holder = spawnTs('test/store/fixtures/hold-db.ts', [], { DATABASE_URL: db.url })
    try {
      const pid = Number((await holder.waitFor(/^READY \d+$/)).split(' ')[1])
      const err = await openStore({ url: db.url, migrate: 'never' }).then(
        async (s) => {
          await s.close()
          return null
        },
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(AppError)
      expect(err).toMatchObject({ code: 'DATABASE_LOCKED' })
      expect((err as Error).message).toContain(dir)
      expect((err as Error).message).toContain(`process ${pid}`)
      holder.child.kill('SIGKILL')
      await holder.exited
      const store = await openStore({ url: db.url, migrate: 'never' })
      await store.ping()
      await store.close()
    } finally {
      if (holder.child.exitCode === null) holder.child.kill('SIGKILL')
      await db.drop()
    }
  })
})

describe('openStore', () => {
  it('GIVEN pglite:<dir> whose parents do not exist WHEN opened with migrate "auto" THEN the directories are created, migrations applied, and the lock released on close', { timeout: 180_000 }, async () => {
    const dir = path.join(tmp, 'a', 'b', 'c', 'db')
    const store = await openStore({ url: `pglite:${dir}`, migrate: 'auto' })
    try {
      expect(store.backend).toBe('pglite')
      expect(fs.existsSync(lockPathFor(dir))).toBe(true)
      const rows = await store.prisma.$queryRawUnsafe<{ migration_name: string }[]>('SELECT migration_name FROM _prisma_migrations ORDER BY 1')
      expect(rows.map((r) => r.migration_name)).toEqual(listMigrationNames())
      await store.recordIncident({ workspace: { platform: 'slack', externalId: 'T' }, cause: 'none', confidence: 0, excerpt: 'x', source: 'paste' })
    } finally {
      await store.close()
    }
    expect(fs.existsSync(lockPathFor(dir))).toBe(false)
    // reopening keeps the data and applies nothing new
    const again = await openStore({ url: `pglite:${dir}`, migrate: 'auto' })
    expect(await again.prisma.incident.count()).toBe(1)
    await again.close()
  })

  describe.runIf(testBackends().includes('postgres'))('on PostgreSQL', () => {
    async function emptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
      const base = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL
      const name = `cab_open_${process.pid}_${crypto.randomBytes(4).toString('hex')}`
      const admin = new pg.Client({ connectionString: base })
      await admin.connect()
      await admin.query(`CREATE DATABASE "${name}"`)
      await admin.end()
      const u = new URL(base)
      u.pathname = `/${name}`
      return {
        url: u.toString(),
        drop: async () => {
          const c = new pg.Client({ connectionString: base })
          await c.connect()
          await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
          await c.end()
        },
      }
    }

    it('GIVEN an empty database WHEN opened with migrate "auto" THEN nothing is applied and a warning says to migrate; WITH "always" THEN migrations are applied', { timeout: 120_000 }, async () => {
      const db = await emptyDatabase()
      try {
        const lines: string[] = []
        const log = createLogger({ level: 'warn', destination: { write: (s: string) => void lines.push(s) } })
        const auto = await openStore({ url: db.url, migrate: 'auto', log })
        const tables = await auto.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`)
        expect(tables[0]!.n).toBe(0)
        await auto.close()
        expect(lines.join('')).toContain('db:migrate')
        const always = await openStore({ url: db.url, migrate: 'always' })
        const applied = await always.prisma.$queryRawUnsafe<{ migration_name: string }[]>('SELECT migration_name FROM _prisma_migrations ORDER BY 1')
        expect(applied.map((r) => r.migration_name)).toEqual(listMigrationNames())
        await always.close()
      } finally {
        await db.drop()
      }
    })
  })
})
