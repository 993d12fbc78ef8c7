// `tsx src/cli.ts db <migrate | status | new NAME | check>` (npm run db:migrate, db:status, db:new -- NAME).
// DATABASE_URL picks the database (default pglite:./.data/pglite). No native Prisma binaries involved.
import { AppError } from '../errors.js'
import { createLogger, type Logger } from '../log.js'
import { openPglite } from './connection.js'
import { DEFAULT_DATABASE_URL, maskUrl, parseDatabaseUrl } from './database-url.js'
import { applyMigrations, checkSchema, createMigration, migrationStatus } from './migrations.js'
import type { EngineConnection } from './schema-engine.js'

const USAGE = `Usage: tsx src/cli.ts db <command>

  migrate      apply pending migrations (like prisma migrate deploy)
  status       list applied and pending migrations; exit 1 unless up to date
  new NAME     create prisma/migrations/<timestamp>_NAME from changes to prisma/schema.prisma
  check        exit 1 when prisma/schema.prisma and prisma/migrations disagree

DATABASE_URL = pglite:<directory> (default ${DEFAULT_DATABASE_URL}) | pglite:memory | postgresql://...
`

type Io = { out(s: string): void; err(s: string): void }

const defaultIo: Io = { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') }

/** Runs `fn` with an engine connection for `url`; embedded databases are locked while it runs and closed after. */
async function withConnection<T>(url: string, fn: (conn: EngineConnection) => Promise<T>): Promise<T> {
  const target = parseDatabaseUrl(url)
  if (target.backend === 'postgres') return fn({ backend: 'postgres', url: target.url })
  const db = await openPglite(target.dataDir)
  try {
    return await fn({ backend: 'pglite', pglite: db.pglite, scratch: target.dataDir === null })
  } finally {
    await db.close()
  }
}

export async function run(args: string[], options: { env?: NodeJS.ProcessEnv; io?: Io; log?: Logger } = {}): Promise<number> {
  const env = options.env ?? process.env
  const io = options.io ?? defaultIo
  const log = options.log ?? createLogger({ level: env.LOG_LEVEL ?? 'warn' })
  const [command, ...rest] = args
  const url = env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL
  const where = maskUrl(url)
  try {
    switch (command) {
      case 'migrate': {
        const { applied } = await withConnection(url, (conn) => applyMigrations(conn, { log }))
        io.out(applied.length ? `Applied to ${where}:\n${applied.map((n) => `  ${n}`).join('\n')}` : `No pending migrations (${where}).`)
        return 0
      }
      case 'status': {
        const s = await withConnection(url, (conn) => migrationStatus(conn, { log }))
        const applied = s.local.filter((n) => !s.pending.includes(n))
        io.out(`Database: ${where}`)
        io.out(`${s.local.length} migration(s) in prisma/migrations; ${applied.length} applied, ${s.pending.length} pending.`)
        for (const n of s.local) io.out(`  ${s.pending.includes(n) ? 'pending ' : 'applied '} ${n}`)
        for (const n of s.unknown) io.out(`  unknown  ${n} (in the database, not in prisma/migrations)`)
        for (const n of s.failed) io.out(`  FAILED   ${n}`)
        for (const n of s.edited) io.out(`  EDITED   ${n} (the file changed after it was applied)`)
        if (s.upToDate) io.out('Database schema is up to date.')
        else if (s.pending.length && !s.unknown.length && !s.failed.length && !s.edited.length) io.out('Run `npm run db:migrate` to apply.')
        return s.upToDate ? 0 : 1
      }
      case 'new': {
        const name = rest.filter((a) => !a.startsWith('-')).join('_')
        if (!name) {
          io.err('Usage: npm run db:new -- NAME')
          return 2
        }
        // only a shadow database is needed: an in-memory one unless DATABASE_URL is PostgreSQL
        const shadowUrl = parseDatabaseUrl(url).backend === 'postgres' ? url : 'pglite:memory'
        const created = await withConnection(shadowUrl, (conn) => createMigration(conn, name, { log }))
        io.out(created ? `Created ${created.path}` : 'No changes in prisma/schema.prisma: nothing to create.')
        return 0
      }
      case 'check': {
        const shadowUrl = parseDatabaseUrl(url).backend === 'postgres' ? url : 'pglite:memory'
        const result = await withConnection(shadowUrl, (conn) => checkSchema(conn, { log }))
        if (result.ok) {
          io.out('prisma/schema.prisma and prisma/migrations agree.')
          return 0
        }
        io.err(`prisma/schema.prisma and prisma/migrations disagree. Create a migration (npm run db:new -- NAME); missing SQL:\n${result.missingSql}`)
        return 1
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE)
        return command === undefined ? 2 : 0
      default:
        io.err(`Unknown db command "${command}".\n${USAGE}`)
        return 2
    }
  } catch (e) {
    const err = e as { code?: string; message?: string }
    io.err(`${err instanceof AppError || err.code ? `[${err.code}] ` : ''}${err.message ?? String(e)}`)
    return 1
  }
}
