import { defineConfig } from 'prisma/config'

// Used by `prisma generate` only; migrations run through scripts/prisma-migrate.mjs without native binaries.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
})
