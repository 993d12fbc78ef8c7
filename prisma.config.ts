import { defineConfig } from 'prisma/config'

// Used by `prisma generate` only; migrations run through src/store/migrations.ts (WASM schema engine, no native binaries).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
})
