// Migrations without Prisma's native binaries: schema.prisma and prisma/migrations agree; drift is caught; new
// migrations are created by diffing; applying records the native CLI's checksums; replicas applying at once are
// serialised; the CLI exits promptly despite the WASM engine's leftover timer.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPglite, type OpenPglite } from '../../src/store/connection.js'
import {
  applyMigrations,
  checkSchema,
  createMigration,
  DEFAULT_MIGRATION_PATHS,
  listMigrationNames,
  MIGRATION_ADVISORY_LOCK,
  migrationStatus,
} from '../../src/store/migrations.js'
import type { EngineConnection } from '../../src/store/schema-engine.js'
import { DEFAULT_TEST_DATABASE_URL, testBackends } from '../support/test-store.js'
import { spawnTs } from '../support/spawn-ts.js'

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex')

/** A copy of prisma/ in a temp dir, to change without touching the project's. */
function copyOfPrismaDir(): { schemaPath: string; migrationsDir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cab-prisma-'))
  fs.copyFileSync(DEFAULT_MIGRATION_PATHS.schemaPath, path.join(dir, 'schema.prisma'))
  fs.cpSync(DEFAULT_MIGRATION_PATHS.migrationsDir, path.join(dir, 'migrations'), { recursive: true })
  return { schemaPath: path.join(dir, 'schema.prisma'), migrationsDir: path.join(dir, 'migrations') }
}

type Fresh = { conn: EngineConnection; query(sql: string): Promise<Record<string, unknown>[]>; close(): Promise<void> }

/** An empty database on `backend` (PGlite: in memory; PostgreSQL: a new database on TEST_DATABASE_URL's server). */
async function freshDatabase(backend: 'pglite' | 'postgres', opts: { scratch?: boolean } = {}): Promise<Fresh & { url?: string }> {
  if (backend === 'pglite') {
    const db: OpenPglite = await openPglite(null)
    return {
      conn: { backend: 'pglite', pglite: db.pglite, scratch: opts.scratch },
      query: async (sql) => (await db.pglite.query<Record<string, unknown>>(sql)).rows,
      close: () => db.close(),
    }
  }
  const base = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL
  const name = `cab_migr_${process.pid}_${crypto.randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${name}"`)
  const u = new URL(base)
  u.pathname = `/${name}`
  const client = new pg.Client({ connectionString: u.toString() })
  await client.connect()
  return {
    url: u.toString(),
    conn: { backend: 'postgres', url: u.toString() },
    query: async (sql) => (await client.query(sql)).rows as Record<string, unknown>[],
    close: async () => {
      await client.end()
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await admin.end()
    },
  }
}

describe('prisma/migrations layout', () => {
  it('GIVEN the project WHEN its migrations are listed THEN they follow Prisma\'s layout with a postgresql lock file', () => {
    const names = listMigrationNames()
    expect(names.length).toBeGreaterThan(0)
    for (const n of names) {
      expect(n).toMatch(/^\d{14}_[a-z0-9_]+$/)
      expect(fs.existsSync(path.join(DEFAULT_MIGRATION_PATHS.migrationsDir, n, 'migration.sql'))).toBe(true)
    }
    expect(names.some((n) => n.endsWith('_init'))).toBe(true)
    expect(fs.readFileSync(path.join(DEFAULT_MIGRATION_PATHS.migrationsDir, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"')
  })
})

describe.each(testBackends())('Migrations on %s', (backend) => {
  // one scratch database for the diff-based commands (PGlite: saves an initdb per command)
  let scratch: Fresh
  beforeAll(async () => {
    scratch = await freshDatabase(backend, { scratch: true })
  }, 180_000)
  afterAll(async () => {
    await scratch?.close()
  })

  it('GIVEN the project WHEN schema.prisma is checked against prisma/migrations THEN they agree', { timeout: 120_000 }, async () => {
    expect(await checkSchema(scratch.conn)).toEqual({ ok: true, missingSql: '' })
  })

  it('GIVEN a field added to schema.prisma WHEN checked THEN the drift is reported; WHEN a migration is created THEN it has the SQL and the check passes', { timeout: 180_000 }, async () => {
    const copy = copyOfPrismaDir()
    const schema = fs.readFileSync(copy.schemaPath, 'utf8').replace('  resolved      Boolean', '  extraNote     String?\n  resolved      Boolean')
    fs.writeFileSync(copy.schemaPath, schema)
    const drift = await checkSchema(scratch.conn, copy)
    expect(drift.ok).toBe(false)
    expect(drift.missingSql).toMatch(/ALTER TABLE "Incident" ADD COLUMN\s+"extraNote" TEXT/)

    const created = await createMigration(scratch.conn, 'Add extra note!', { ...copy, now: () => new Date('2099-01-02T03:04:05Z') })
    expect(created?.name).toBe('20990102030405_add_extra_note')
    expect(fs.readFileSync(path.join(copy.migrationsDir, '20990102030405_add_extra_note', 'migration.sql'), 'utf8')).toMatch(/ADD COLUMN\s+"extraNote"/)
    expect(await checkSchema(scratch.conn, copy)).toEqual({ ok: true, missingSql: '' })
    expect(await createMigration(scratch.conn, 'again', copy)).toBeNull()
  })

  it('GIVEN an empty database WHEN migrations are applied THEN all are recorded once with the native CLI checksums, and status is up to date', { timeout: 180_000 }, async () => {
    const db = await freshDatabase(backend)
    try {
      const before = await migrationStatus(db.conn)
      expect(before).toMatchObject({ upToDate: false, hasMigrationsTable: false, pending: listMigrationNames() })
      const { applied } = await applyMigrations(db.conn)
      expect(applied).toEqual(listMigrationNames())
      expect(await applyMigrations(db.conn)).toEqual({ applied: [] })
      const after = await migrationStatus(db.conn)
      expect(after).toMatchObject({ upToDate: true, hasMigrationsTable: true, pending: [], failed: [], edited: [], unknown: [] })
      const rows = await db.query('SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name')
      expect(rows.map((r) => r.migration_name)).toEqual(listMigrationNames())
      for (const r of rows) {
        const sql = fs.readFileSync(path.join(DEFAULT_MIGRATION_PATHS.migrationsDir, String(r.migration_name), 'migration.sql'), 'utf8')
        expect(r.checksum).toBe(sha256(sql))
        expect(r.finished_at).not.toBeNull()
      }
      // an applied migration edited afterwards is reported
      const copy = copyOfPrismaDir()
      const first = listMigrationNames(copy.migrationsDir)[0]!
      fs.appendFileSync(path.join(copy.migrationsDir, first, 'migration.sql'), '\n-- edited\n')
      expect(await migrationStatus(db.conn, copy)).toMatchObject({ upToDate: false, edited: [first] })
    } finally {
      await db.close()
    }
  })
})

describe.runIf(testBackends().includes('postgres'))('Migrations from several replicas at once (PostgreSQL)', () => {
  it('GIVEN a fresh database WHEN three processes run `db migrate` together THEN all succeed, each migration is applied once, and each exits promptly', { timeout: 180_000 }, async () => {
    const db = await freshDatabase('postgres')
    try {
      const children = [0, 1, 2].map(() => spawnTs('test/store/fixtures/migrate-cli-child.ts', ['migrate'], { DATABASE_URL: db.url }))
      const results = await Promise.all(
        children.map(async (c) => {
          const done = Number((await c.waitFor(/^DONE \d+$/, 90_000)).split(' ')[1])
          const exit = await c.exited
          return { code: exit.code, lingerMs: exit.at - done, out: c.lines.join('\n'), err: c.stderr() }
        }),
      )
      for (const r of results) {
        expect(r.code, r.err).toBe(0)
        expect(r.lingerMs).toBeLessThan(3_000) // the engine's 10 s timer must not hold the process
      }
      expect(results.filter((r) => r.out.includes('Applied to'))).toHaveLength(1)
      expect(results.filter((r) => r.out.includes('No pending migrations'))).toHaveLength(2)
      const rows = await db.query('SELECT migration_name, count(*)::int AS n FROM _prisma_migrations GROUP BY 1 ORDER BY 1')
      expect(rows).toEqual(listMigrationNames().map((name) => ({ migration_name: name, n: 1 })))
      const tables = await db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'Incident'`)
      expect(tables[0]!.n).toBe(1)
    } finally {
      await db.close()
    }
  })

  it('GIVEN another replica holding the migration lock WHEN this one applies THEN it waits for the lock and applies once it is released', { timeout: 120_000 }, async () => {
    const db = await freshDatabase('postgres')
    const holder = new pg.Client({ connectionString: db.url })
    await holder.connect()
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_ADVISORY_LOCK])
      let settled = false
      const applying = applyMigrations(db.conn).finally(() => {
        settled = true
      })
      await new Promise((r) => setTimeout(r, 2_000))
      expect(settled).toBe(false)
      expect(await db.query('SELECT to_regclass(\'"Incident"\') IS NULL AS absent')).toEqual([{ absent: true }])
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_ADVISORY_LOCK])
      expect(await applying).toEqual({ applied: listMigrationNames() })
    } finally {
      await holder.end()
      await db.close()
    }
  })
})

describe('The db CLI', () => {
  it('GIVEN a new embedded directory WHEN `db migrate` then `db status` run THEN migrations are applied, status exits 0, and the process exits promptly', { timeout: 180_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cab-cli-'))
    const url = `pglite:${path.join(dir, 'nested', 'db')}`
    try {
      const migrate = spawnTs('test/store/fixtures/migrate-cli-child.ts', ['migrate'], { DATABASE_URL: url })
      const done = Number((await migrate.waitFor(/^DONE \d+$/, 90_000)).split(' ')[1])
      const exit = await migrate.exited
      expect(exit.code, migrate.stderr()).toBe(0)
      expect(exit.at - done).toBeLessThan(3_000)
      expect(migrate.lines.join('\n')).toContain(listMigrationNames()[0])
      // the real dispatcher, as `npm run db:status` runs it
      const status = spawnTs('src/cli.ts', ['db', 'status'], { DATABASE_URL: url })
      const st = await status.exited
      expect(st.code, status.stderr()).toBe(0)
      expect(status.lines.join('\n')).toContain('Database schema is up to date.')
      expect(fs.existsSync(`${path.join(dir, 'nested', 'db')}.lock`)).toBe(false)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('GIVEN an unknown db command WHEN run THEN it prints the usage and exits 2', async () => {
    const { run } = await import('../../src/store/migrate-cli.js')
    const out: string[] = []
    const code = await run(['frobnicate'], { env: {}, io: { out: (s) => out.push(s), err: (s) => out.push(s) } })
    expect(code).toBe(2)
    expect(out.join('\n')).toContain('Usage: tsx src/cli.ts db <command>')
  })
})
