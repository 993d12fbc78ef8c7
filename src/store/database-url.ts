// DATABASE_URL picks the backend: `pglite:<dir>` (embedded, file-backed), `pglite:memory` (embedded, throw-away), or
// `postgresql://…` (production; several replicas may share it).
import path from 'node:path'
import { AppError } from '../errors.js'

export const DEFAULT_DATABASE_URL = 'pglite:./.data/pglite'

export type DatabaseTarget =
  | { backend: 'pglite'; /** absolute directory, or null for an in-memory database */ dataDir: string | null; url: string }
  | { backend: 'postgres'; url: string }

export function parseDatabaseUrl(url: string | undefined | null, cwd: string = process.cwd()): DatabaseTarget {
  const u = (url ?? '').trim() || DEFAULT_DATABASE_URL
  if (u.startsWith('pglite:')) {
    const location = u.slice('pglite:'.length).replace(/^\/\/(?=[^/])/, '')
    if (!location) throw new AppError('DATABASE_URL_INVALID', 'DATABASE_URL "pglite:" needs a directory, e.g. pglite:./.data/pglite, or pglite:memory')
    if (location === 'memory' || location === 'memory://') return { backend: 'pglite', dataDir: null, url: 'pglite:memory' }
    return { backend: 'pglite', dataDir: path.resolve(cwd, location), url: u }
  }
  if (/^postgres(ql)?:\/\//.test(u)) {
    try {
      new URL(u)
    } catch {
      throw new AppError('DATABASE_URL_INVALID', `DATABASE_URL is not a valid URL: ${maskUrl(u)}`)
    }
    return { backend: 'postgres', url: u }
  }
  throw new AppError(
    'DATABASE_URL_INVALID',
    `DATABASE_URL must be pglite:<directory>, pglite:memory, or postgresql://user@host:port/database (got ${JSON.stringify(maskUrl(u))})`,
  )
}

/** The URL with any password replaced, for logs and error messages. */
export function maskUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/, '$1***@')
}
