// Prisma CLI configuration. Only `prisma generate` is used from the CLI: migrations are
// created and applied through Prisma's WebAssembly schema engine (scripts/create-migration.ts,
// server/infra/migrations.ts) because the CLI's native engine cannot be downloaded everywhere.
import { defineConfig } from 'prisma/config';

// `prisma generate` never runs the native schema engine, but the CLI insists on locating one;
// any existing file satisfies that check. This file is tooling, not the app: the config plugin
// rule (no process.env outside it) applies to server code.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= new URL('./package.json', import.meta.url).pathname;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
