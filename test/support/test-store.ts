// Fresh, migrated databases for tests, fast:
//   pglite   : migrations are applied once into a template directory (cached in the OS temp dir, keyed by the
//              migrations' content and the PGlite version); each test store is a copy of it (~1 s instead of ~6 s).
//   postgres : (when TEST_DATABASE_URL is set) a template database migrated once per migrations version, then
//              CREATE DATABASE … TEMPLATE … per test store, so test files running in parallel never share tables.
// Usage:
//   describe.each(testBackends())('%s', (backend) => {
//     let t: TestStore
//     beforeAll(async () => { t = await createTestStore(backend, { now: () => clock }) }, 180_000) // first use builds the template
//     afterAll(() => t.cleanup())
//   })
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import pg from 'pg'
import { openPglite } from '../../src/store/connection.js'
import { pidAlive } from '../../src/store/dir-lock.js'
import { applyMigrations, DEFAULT_MIGRATION_PATHS, listMigrationNames } from '../../src/store/migrations.js'
import { openStore, type PrismaStore } from '../../src/store/open-store.js'

export type TestBackend = 'pglite' | 'postgres'

export type TestStore = {
  /** a PrismaStore (implements Store; `.prisma` is the raw client for assertions) */
  store: PrismaStore
  /** DATABASE_URL of this test database (pglite:<dir> or postgresql://…), e.g. for a child process once `store` is closed */
  url: string
  /** closes the store (if still open) and deletes the database */
  cleanup(): Promise<void>
}

export const DEFAULT_TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/test'

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set. */
export function testBackends(): TestBackend[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']
}

const scratchRoot = path.join(os.tmpdir(), 'claude-auth-bot-tests')
let counter = 0

export async function createTestStore(backend: TestBackend, options: { now?: () => Date } = {}): Promise<TestStore> {
  return backend === 'pglite' ? createPgliteStore(options) : createPostgresStore(options)
}

/** Creates a migrated database and returns its URL without opening a store (for child processes). */
export async function createTestDatabase(backend: TestBackend): Promise<{ url: string; drop(): Promise<void> }> {
  if (backend === 'pglite') {
    const dir = await clonePgliteTemplate()
    return { url: `pglite:${dir}`, drop: async () => removeDir(dir) }
  }
  const { url, drop } = await clonePostgresTemplate()
  return { url, drop }
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url)
  let dir = path.dirname(require.resolve('@electric-sql/pglite'))
  while (dir !== path.dirname(dir)) {
    const file = path.join(dir, 'package.json')
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string }
      if (pkg.name === '@electric-sql/pglite') return String(pkg.version)
    }
    dir = path.dirname(dir)
  }
  return 'unknown'
}

/** What identifies the current schema: migration names and contents, and the PGlite version. */
function migrationsKey(): string {
  const h = crypto.createHash('sha256')
  h.update(pgliteVersion())
  for (const name of listMigrationNames()) {
    h.update(name)
    h.update(fs.readFileSync(path.join(DEFAULT_MIGRATION_PATHS.migrationsDir, name, 'migration.sql')))
  }
  return h.digest('hex').slice(0, 16)
}

// ---- PGlite --------------------------------------------------------------------------------------------------------

async function pgliteTemplate(): Promise<string> {
  fs.mkdirSync(scratchRoot, { recursive: true })
  const template = path.join(scratchRoot, `pglite-template-${migrationsKey()}`)
  const ready = `${template}.ready`
  const building = `${template}.building`
  for (;;) {
    if (fs.existsSync(ready)) return template
    let fd: number | null = null
    try {
      fd = fs.openSync(building, 'wx')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
    if (fd === null) {
      // another test process is building it: wait, unless it died
      const pid = Number(fs.readFileSync(building, 'utf8').trim() || '0')
      const age = Date.now() - (fs.statSync(building, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
      if ((pid && !pidAlive(pid)) || (!pid && age > 10_000)) fs.rmSync(building, { force: true })
      else await new Promise((r) => setTimeout(r, 200))
      continue
    }
    try {
      fs.writeSync(fd, String(process.pid))
      fs.closeSync(fd)
      const tmp = `${template}.tmp-${process.pid}`
      fs.rmSync(tmp, { recursive: true, force: true })
      const db = await openPglite(tmp)
      try {
        await applyMigrations({ backend: 'pglite', pglite: db.pglite })
      } finally {
        await db.close()
      }
      fs.rmSync(template, { recursive: true, force: true })
      fs.renameSync(tmp, template)
      fs.writeFileSync(ready, new Date().toISOString())
      return template
    } finally {
      fs.rmSync(building, { force: true })
    }
  }
}

/** Test databases are named db-<pid>-…; remove those whose process is gone (a crashed or killed test run). */
let swept = false
function sweepPgliteLeftovers(): void {
  if (swept) return
  swept = true
  for (const name of fs.readdirSync(scratchRoot)) {
    const m = /^db-(\d+)-\d+-[0-9a-f]+$/.exec(name)
    if (!m || Number(m[1]) === process.pid || pidAlive(Number(m[1]))) continue
    const age = Date.now() - (fs.statSync(path.join(scratchRoot, name), { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
    if (age > 5 * 60_000) removeDir(path.join(scratchRoot, name))
  }
}

async function clonePgliteTemplate(): Promise<string> {
  const template = await pgliteTemplate()
  sweepPgliteLeftovers()
  const dir = path.join(scratchRoot, `db-${process.pid}-${++counter}-${crypto.randomBytes(3).toString('hex')}`)
  fs.cpSync(template, dir, { recursive: true })
  return dir
}

function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true })
  fs.rmSync(`${dir}.lock`, { force: true })
}

async function createPgliteStore(options: { now?: () => Date }): Promise<TestStore> {
  const dir = await clonePgliteTemplate()
  const url = `pglite:${dir}`
  const store = await openStore({ url, migrate: 'never', now: options.now })
  return {
    store,
    url,
    async cleanup() {
      await store.close()
      removeDir(dir)
    },
  }
}

// ---- PostgreSQL ----------------------------------------------------------------------------------------------------

function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

async function adminClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL })
  await client.connect()
  return client
}

const TEMPLATE_LOCK = 7_270_736_902

async function postgresTemplate(): Promise<string> {
  const name = `cab_template_${migrationsKey()}`
  const admin = await adminClient()
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK])
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (exists.rowCount) return name
    const tmp = `${name}_tmp_${process.pid}`
    await admin.query(`DROP DATABASE IF EXISTS "${tmp}" WITH (FORCE)`)
    await admin.query(`CREATE DATABASE "${tmp}"`)
    await applyMigrations({ backend: 'postgres', url: withDatabase(baseUrl(), tmp) })
    await admin.query(`ALTER DATABASE "${tmp}" RENAME TO "${name}"`)
    return name
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]).catch(() => undefined)
    await admin.end()
  }
}

function baseUrl(): string {
  return process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL
}

/**
 * Test databases are named cab_test_<pid>_…; on a server on this machine, drop those whose process is gone (pids of
 * another machine cannot be checked, so a remote server is left alone).
 */
let sweptPg = false
async function sweepPostgresLeftovers(admin: pg.Client): Promise<void> {
  if (sweptPg) return
  sweptPg = true
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(new URL(baseUrl()).hostname)) return
  const rows = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'cab\\_test\\_%'`)
  for (const { datname } of rows.rows) {
    const pid = Number(/^cab_test_(\d+)_/.exec(datname)?.[1] ?? 0)
    if (!pid || pid === process.pid || pidAlive(pid)) continue
    await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined)
  }
}

async function clonePostgresTemplate(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const template = await postgresTemplate()
  const name = `cab_test_${process.pid}_${++counter}_${crypto.randomBytes(3).toString('hex')}`
  const admin = await adminClient()
  try {
    await sweepPostgresLeftovers(admin)
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)
        break
      } catch (e) {
        // "source database is being accessed by other users": another clone is starting; try again
        if (attempt >= 20 || (e as { code?: string }).code !== '55006') throw e
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200))
      }
    }
  } finally {
    await admin.end()
  }
  return {
    url: withDatabase(baseUrl(), name),
    name,
    async drop() {
      const c = await adminClient()
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await c.end()
      }
    },
  }
}

async function createPostgresStore(options: { now?: () => Date }): Promise<TestStore> {
  const db = await clonePostgresTemplate()
  const store = await openStore({ url: db.url, migrate: 'never', now: options.now, poolSize: 5 })
  return {
    store,
    url: db.url,
    async cleanup() {
      await store.close()
      await db.drop()
    },
  }
}
