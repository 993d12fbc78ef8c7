// Opens the Store named by DATABASE_URL and brings its schema up to date when asked:
//   migrate 'auto'   = apply pending migrations on embedded PGlite (zero setup), not on PostgreSQL (run
//                      `npm run db:migrate` as a release step there; a warning names pending migrations);
//   migrate 'always' = apply on both (several replicas may start together: applying is serialised by an advisory lock);
//   migrate 'never'  = touch nothing.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Logger } from '../log.js'
import { openPrisma, type OpenPrismaOptions, type PrismaHandle } from './connection.js'
import { applyMigrations, DEFAULT_MIGRATION_PATHS, listMigrationNames, type MigrationOptions } from './migrations.js'
import { PrismaStore } from './prisma-store.js'

export { openPrisma, type PrismaHandle, type OpenPrismaOptions }
export { PrismaStore }

export type MigrateMode = 'auto' | 'always' | 'never'

export type OpenStoreOptions = {
  url: string
  log?: Logger
  migrate: MigrateMode
  /** the store's clock (expiry of codes and sessions, default timestamps); default () => new Date() */
  now?: () => Date
  /** PostgreSQL pool size (default 10) */
  poolSize?: number
  /** embedded only: start a new database from a dumped data directory (fast test databases) */
  pglite?: OpenPrismaOptions['pglite']
  /** where schema.prisma and the migrations are (default: this project's prisma/) */
  migrations?: Omit<MigrationOptions, 'log'>
}

export async function openStore(options: OpenStoreOptions): Promise<PrismaStore> {
  const handle = await openPrisma({ url: options.url, log: options.log, poolSize: options.poolSize, pglite: options.pglite })
  try {
    const apply = options.migrate === 'always' || (options.migrate === 'auto' && handle.backend === 'pglite')
    if (apply) {
      // the schema engine costs a second or two to start: skip it when every migration is already applied unchanged
      const pending = await pendingMigrations(handle, options)
      if (pending.length) await applyMigrations(handle.engineConnection, { ...options.migrations, log: options.log })
    } else if (options.migrate === 'auto') await warnIfBehind(handle, options)
    return new PrismaStore(handle, { now: options.now, log: options.log })
  } catch (e) {
    await handle.close().catch(() => undefined)
    throw e
  }
}

/**
 * Cheap check (no schema engine): migrations on disk that `_prisma_migrations` does not list as finished with the same
 * checksum (all of them when the database has no migrations table).
 */
async function pendingMigrations(handle: PrismaHandle, options: OpenStoreOptions): Promise<string[]> {
  const dir = options.migrations?.migrationsDir ?? DEFAULT_MIGRATION_PATHS.migrationsDir
  const local = listMigrationNames(dir)
  let rows: { migration_name: string; checksum: string }[]
  try {
    rows = await handle.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string }[]>(
      'SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    )
  } catch {
    return local
  }
  const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]))
  return local.filter((name) => {
    const file = path.join(dir, name, 'migration.sql')
    return !fs.existsSync(file) || applied.get(name) !== crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')
  })
}

async function warnIfBehind(handle: PrismaHandle, options: OpenStoreOptions): Promise<void> {
  const log = options.log
  if (!log) return
  const pending = await pendingMigrations(handle, options)
  if (pending.length) log.warn({ pending }, 'database migrations are pending or changed: run `npm run db:migrate`')
}
