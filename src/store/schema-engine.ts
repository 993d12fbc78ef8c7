// Prisma's schema engine (the one behind `prisma migrate`) compiled to WebAssembly, driven through a driver adapter,
// so migrations are created and applied without Prisma's native binaries. Workarounds for the adapters' gaps:
//   - adapter-pg executeScript splits scripts on ';' (breaks $$ bodies, ';' in strings): send the script whole as one
//     simple-protocol query (one implicit transaction per migration, like the native engine);
//   - adapter-pg cannot read pg_catalog "char" (oid 18) columns during introspection: read them as text;
//   - adapter-pg connectToShadowDb() ignores the generated database name when given a connection string (it would
//     run the shadow work in the MAIN database): we create and drop the shadow database ourselves;
//   - pglite-prisma-adapter executeScript does not await exec(): errors would be lost;
//   - the engine takes pg_advisory_lock(72707369) on "a" connection: our pool has one connection so that lock, the
//     migration scripts and the bookkeeping all run in one session;
//   - the engine arms a 10 s timer (advisory-lock timeout) that is never cleared: timers it creates are unref'd so
//     they never keep the process alive.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import type { PGlite } from '@electric-sql/pglite'
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils'
import type * as SchemaEngineWasm from '@prisma/schema-engine-wasm'

const require = createRequire(import.meta.url)

export type SchemaEngine = SchemaEngineWasm.SchemaEngine
type EngineModule = typeof SchemaEngineWasm

let modulePromise: Promise<EngineModule> | null = null

type WasmApi = {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> }
}

type PanicRegistry = { message: string; get(): string; set_message(m: string): void }

/** Loads (once per process) the WASM schema engine without --experimental-wasm-modules. */
export function loadSchemaEngineModule(): Promise<EngineModule> {
  modulePromise ??= (async () => {
    const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry }
    g.PRISMA_WASM_PANIC_REGISTRY ??= {
      message: '',
      get() {
        return this.message
      },
      set_message(m: string) {
        this.message = `RuntimeError: ${m}`
      },
    }
    const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')
    const bg = (await import(bgPath)) as Record<string, unknown> & { __wbg_set_wasm(exports: unknown): void }
    // every timer the engine arms is unref'd: its leftover 10 s advisory-lock timeout must not hold the process
    const imports: Record<string, unknown> = { ...bg }
    for (const key of Object.keys(bg)) {
      if (key.startsWith('__wbg_setTimeout_')) {
        imports[key] = (fn: () => void, ms: number) => {
          const t = setTimeout(fn, ms >>> 0)
          t.unref()
          return t
        }
      }
    }
    const bytes = fs.readFileSync(path.join(path.dirname(bgPath), 'schema_engine_bg.wasm'))
    // (the project's lib settings carry no WebAssembly typings)
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly
    const instance = new wasm.Instance(new wasm.Module(bytes), { './schema_engine_bg.js': imports })
    bg.__wbg_set_wasm(instance.exports)
    ;(instance.exports as { __wbindgen_start(): void }).__wbindgen_start()
    return bg as unknown as EngineModule
  })()
  return modulePromise
}

/** What the engine connects to: an open PGlite instance (the caller holds its directory lock) or a PostgreSQL URL. */
export type EngineConnection =
  | {
      backend: 'pglite'
      pglite: PGlite
      /** the database is a throw-away (in memory): use it as the shadow database too instead of a second initdb */
      scratch?: boolean
    }
  | { backend: 'postgres'; url: string }

/** A factory plus the list of everything it opened, closed by `disposeAll`. */
type TrackedFactory = { factory: SqlMigrationAwareDriverAdapterFactory; disposeAll(): Promise<void> }

function track(): { add(d: () => Promise<void>): void; disposeAll(): Promise<void> } {
  const list: (() => Promise<void>)[] = []
  return {
    add: (d) => void list.push(d),
    async disposeAll() {
      while (list.length) {
        const d = list.pop()!
        try {
          await d()
        } catch {
          // already closed
        }
      }
    },
  }
}

/** Wraps dispose so it runs once whoever calls it (the engine, or our cleanup). */
function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | null = null
  return () => (p ??= fn())
}

async function pgliteFactory(main: PGlite, mainIsScratch: boolean): Promise<TrackedFactory> {
  const { PGlite } = await import('@electric-sql/pglite')
  const { PrismaPGlite } = await import('pglite-prisma-adapter')
  const tracked = track()
  const fix = (a: SqlDriverAdapter, db: PGlite, onDispose?: () => Promise<void>): SqlDriverAdapter => {
    const onError = (a as unknown as { onError(e: unknown): never }).onError.bind(a)
    a.executeScript = async (script: string) => {
      try {
        await db.exec(script)
      } catch (e) {
        onError(e)
      }
    }
    if (onDispose) {
      const d = once(onDispose)
      a.dispose = d
      tracked.add(d)
    }
    return a
  }
  const base = new PrismaPGlite(main)
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => fix(await base.connect(), main),
    connectToShadowDb: async () => {
      if (mainIsScratch) {
        // a fresh schema in the scratch database is as good as a new database, and 4 s cheaper
        await main.exec('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;')
        return fix(await base.connect(), main)
      }
      const shadow = new PGlite('memory://')
      await shadow.waitReady
      return fix(await new PrismaPGlite(shadow).connect(), shadow, () => shadow.close())
    },
  }
  return { factory, disposeAll: tracked.disposeAll }
}

type PgQueryResult = { fields: { dataTypeID: number }[]; rows: unknown[][] & { charColumns?: number[] } }
type Queryable = {
  performIO(q: unknown): Promise<PgQueryResult>
  queryRaw(q: unknown): Promise<{ columnTypes: number[]; rows: unknown[][] }>
}

function readCharAsText<T>(q: T): T {
  const x = q as unknown as Queryable
  const performIO = x.performIO.bind(x)
  const queryRaw = x.queryRaw.bind(x)
  x.performIO = async (query) => {
    const r = await performIO(query)
    const idx: number[] = []
    r.fields.forEach((f, i) => {
      if (f.dataTypeID === 18) {
        f.dataTypeID = 25
        idx.push(i)
      }
    })
    r.rows.charColumns = idx
    return r
  }
  x.queryRaw = async (query) => {
    const r = await queryRaw(query)
    for (const i of (r.rows as PgQueryResult['rows']).charColumns ?? []) r.columnTypes[i] = ColumnTypeEnum.Character
    return r
  }
  return q
}

async function pgFactory(url: string): Promise<TrackedFactory> {
  const { PrismaPg } = await import('@prisma/adapter-pg')
  const pg = (await import('pg')).default
  const tracked = track()
  const fix = (a: SqlDriverAdapter): SqlDriverAdapter => {
    const client = (a as unknown as { client: { query(s: string): Promise<unknown> } }).client
    const onError = (a as unknown as { onError(e: unknown): never }).onError.bind(a)
    a.executeScript = async (script: string) => {
      try {
        await client.query(script)
      } catch (e) {
        onError(e)
      }
    }
    const startTransaction = a.startTransaction.bind(a)
    a.startTransaction = async (...args) => readCharAsText(await startTransaction(...args))
    const d = once(a.dispose.bind(a))
    a.dispose = d
    tracked.add(d)
    return readCharAsText(a)
  }
  // one connection: the engine's advisory lock, scripts and bookkeeping share a session
  const base = new PrismaPg({ connectionString: url, max: 1 })
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => fix(await base.connect()),
    connectToShadowDb: async () => {
      const shadowUrl = process.env.SHADOW_DATABASE_URL
      if (shadowUrl) {
        const a = fix(await new PrismaPg({ connectionString: shadowUrl, max: 1 }).connect())
        await a.executeScript('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;')
        return a
      }
      const name = `prisma_shadow_${crypto.randomUUID().replaceAll('-', '')}`
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      try {
        await admin.query(`CREATE DATABASE "${name}"`)
      } catch (e) {
        await admin.end()
        throw e
      }
      const u = new URL(url)
      u.pathname = `/${name}`
      const a = fix(await new PrismaPg({ connectionString: u.toString(), max: 1 }).connect())
      const closeShadow = a.dispose
      const d = once(async () => {
        try {
          await closeShadow()
          await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
        } finally {
          await admin.end()
        }
      })
      a.dispose = d
      tracked.add(d)
      return a
    },
  }
  return { factory, disposeAll: tracked.disposeAll }
}

export type EngineSession = { engine: SchemaEngine; close(): Promise<void> }

/**
 * Starts a schema engine on `conn` with `schemaPath` as its datamodel. `close()` frees the engine and everything it
 * opened (shadow databases, pools); it never closes the caller's PGlite.
 */
export async function startSchemaEngine(
  conn: EngineConnection,
  schemaPath: string,
  onLog?: (message: string) => void,
): Promise<EngineSession> {
  const mod = await loadSchemaEngineModule()
  const tracked = conn.backend === 'pglite' ? await pgliteFactory(conn.pglite, conn.scratch === true) : await pgFactory(conn.url)
  const content = fs.readFileSync(schemaPath, 'utf8')
  let engine: SchemaEngine
  try {
    engine = await mod.SchemaEngine.new(
      { datamodels: [[schemaPath, content]] },
      (m: string) => onLog?.(m),
      bindMigrationAwareSqlAdapterFactory(tracked.factory),
    )
  } catch (e) {
    await tracked.disposeAll()
    throw engineError(e)
  }
  let closed = false
  return {
    engine,
    async close() {
      if (closed) return
      closed = true
      try {
        engine.free()
      } finally {
        await tracked.disposeAll()
      }
    },
  }
}

/** Engine errors arrive as plain objects or strings; make them Errors with a readable message. */
export function engineError(e: unknown): Error {
  if (e instanceof Error) return e
  if (typeof e === 'string') return new Error(e)
  const o = e as { message?: string; error_code?: string; meta?: unknown } | null
  if (o && typeof o.message === 'string') return Object.assign(new Error(o.message), { code: o.error_code })
  return new Error(JSON.stringify(e))
}
