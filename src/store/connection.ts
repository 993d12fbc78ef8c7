// Opens the database named by DATABASE_URL: embedded PGlite (locked directory, parent directories created) or
// PostgreSQL, and the generated Prisma client on top of it through a driver adapter.
import fs from 'node:fs'
import path from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { AppError } from '../errors.js'
import type { Logger } from '../log.js'
import { PrismaClient } from '../generated/prisma/client.js'
import { acquireDirLock, type DirLock } from './dir-lock.js'
import { maskUrl, parseDatabaseUrl, type DatabaseTarget } from './database-url.js'
import type { EngineConnection } from './schema-engine.js'

export type Backend = 'pglite' | 'postgres'

const PGLITE_WORK_MEM = '32MB'

/** An open embedded database: the PGlite instance and the lock on its directory. */
export type OpenPglite = { pglite: PGlite; dataDir: string | null; close(): Promise<void> }

export type PgliteOpenOptions = {
  /** a data directory tarball (from dumpDataDir) to start from, for fast test databases */
  loadDataDir?: Blob
}

/** Opens (creating if needed) a PGlite database; `dataDir` null = in memory. Throws DATABASE_LOCKED when in use. */
export async function openPglite(dataDir: string | null, options: PgliteOpenOptions = {}): Promise<OpenPglite> {
  const { PGlite } = await import('@electric-sql/pglite')
  let lock: DirLock | null = null
  if (dataDir) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true }) // PGlite does not create parent directories
    lock = acquireDirLock(dataDir)
  }
  let pglite: PGlite
  try {
    pglite = new PGlite(dataDir ?? 'memory://', options.loadDataDir ? { loadDataDir: options.loadDataDir } : {})
    await pglite.waitReady
    // one session serves the whole process: give reporting queries room to hash-aggregate in memory
    await pglite.exec(`SET work_mem = '${PGLITE_WORK_MEM}'`)
  } catch (e) {
    lock?.release()
    throw new AppError(
      'DATABASE_OPEN_FAILED',
      `Could not open the embedded database ${dataDir ?? '(in memory)'}: ${(e as Error).message ?? String(e)}`,
    )
  }
  let closed = false
  return {
    pglite,
    dataDir,
    async close() {
      if (closed) return
      closed = true
      try {
        await pglite.close()
      } finally {
        lock?.release()
      }
    },
  }
}

/** Plain SQL with $1… placeholders, for the few hot statements where Prisma's per-query overhead matters. */
export type SqlRunner = {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>
}

export type PrismaHandle = {
  backend: Backend
  target: DatabaseTarget
  prisma: PrismaClient
  /** the same database and connections as `prisma`, without Prisma in between */
  sql: SqlRunner
  /** the embedded database, when backend is pglite */
  pglite: PGlite | null
  /** what the schema engine (migrations) should connect to: the same PGlite instance, or the URL */
  engineConnection: EngineConnection
  close(): Promise<void>
}

export type OpenPrismaOptions = {
  url: string
  log?: Logger
  /** PostgreSQL pool size (default 10) */
  poolSize?: number
  pglite?: PgliteOpenOptions
}

/** Opens only the raw Prisma client (no migrations, no repositories). */
export async function openPrisma(options: OpenPrismaOptions): Promise<PrismaHandle> {
  const target = parseDatabaseUrl(options.url)
  const log = options.log
  if (target.backend === 'pglite') {
    const db = await openPglite(target.dataDir, options.pglite)
    const { PrismaPGlite } = await import('pglite-prisma-adapter')
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(db.pglite) })
    log?.debug({ database: target.dataDir ?? 'memory' }, 'embedded database open')
    const pglite = db.pglite
    return {
      backend: 'pglite',
      target,
      prisma,
      sql: { query: async <T>(text: string, params: unknown[] = []) => (await pglite.query<T>(text, params)).rows },
      pglite: db.pglite,
      engineConnection: { backend: 'pglite', pglite: db.pglite },
      close: once(async () => {
        try {
          await prisma.$disconnect()
        } finally {
          await db.close()
        }
      }),
    }
  }
  const { PrismaPg } = await import('@prisma/adapter-pg')
  const pg = (await import('pg')).default
  // one pool shared by Prisma and the plain-SQL path
  const pool = new pg.Pool({ connectionString: target.url, max: options.poolSize ?? 10, application_name: 'claude-auth-bot' })
  pool.on('error', (err) => log?.warn({ err: err.message }, 'database pool error'))
  const adapter = new PrismaPg(pool)
  const prisma = new PrismaClient({ adapter })
  log?.debug({ database: maskUrl(target.url) }, 'database client created')
  return {
    backend: 'postgres',
    target,
    prisma,
    sql: { query: async <T>(text: string, params: unknown[] = []) => (await pool.query(text, params)).rows as T[] },
    pglite: null,
    engineConnection: { backend: 'postgres', url: target.url },
    close: once(async () => {
      try {
        await prisma.$disconnect()
      } finally {
        await pool.end()
      }
    }),
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | null = null
  return () => (p ??= fn())
}
