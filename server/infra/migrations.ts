// Migrations are Prisma's: SQL files in prisma/migrations/<timestamp>_<name>/migration.sql,
// recorded in `_prisma_migrations` exactly as `prisma migrate deploy` would. They run through
// Prisma's WebAssembly schema engine because the CLI's native engine is a download that is not
// reachable from every machine (see ENVIRONMENT.md).
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { SchemaEngine, type MigrationList } from '@prisma/schema-engine-wasm';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCHEMA_PATH = path.join(root, 'prisma/schema.prisma');
export const MIGRATIONS_DIR = path.join(root, 'prisma/migrations');
const FILTERS = { externalTables: [], externalEnums: [] };

export async function readMigrationList(baseDir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = existsSync(baseDir) ? await readdir(baseDir, { withFileTypes: true }) : [];
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const lockPath = path.join(baseDir, 'migration_lock.toml');
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      dirs.map(async (dir) => {
        const file = path.join(baseDir, dir, 'migration.sql');
        const content = existsSync(file)
          ? { tag: 'ok' as const, value: await readFile(file, 'utf8') }
          : { tag: 'error' as const, value: `missing ${file}` };
        return { path: dir, migrationFile: { path: 'migration.sql', content } };
      }),
    ),
  };
}

// The schema engine describes a database through catalog queries that return columns of
// PostgreSQL's internal one-byte `"char"` type (OID 18), which @prisma/adapter-pg 7.10 does not
// map and rejects. Its values arrive from `pg` as plain strings, so reporting them as text is exact.
type Queryable = { performIO: (...args: unknown[]) => Promise<{ fields: { dataTypeID: number }[] }> };
function readCharAsText<T>(adapter: T): T {
  const q = adapter as unknown as Queryable;
  const performIO = q.performIO.bind(q);
  q.performIO = async (...args) => {
    const result = await performIO(...args);
    for (const field of result.fields) if (field.dataTypeID === 18) field.dataTypeID = 25;
    return result;
  };
  return adapter;
}
class MigrationAdapterFactory extends PrismaPg {
  override async connect() { return readCharAsText(await super.connect()); }
  override async connectToShadowDb() { return readCharAsText(await super.connectToShadowDb()); }
}

async function withEngine<T>(connectionString: string, fn: (engine: SchemaEngine, schema: string) => Promise<T>): Promise<T> {
  const schema = await readFile(SCHEMA_PATH, 'utf8');
  const adapter = bindMigrationAwareSqlAdapterFactory(new MigrationAdapterFactory({ connectionString }));
  const engine = await SchemaEngine.new({ datamodels: [[SCHEMA_PATH, schema]] }, () => {}, adapter);
  try {
    return await fn(engine, schema);
  } finally {
    engine.free();
  }
}

/** Applies pending migrations; returns the names applied now (empty when up to date). */
export async function applyMigrations(connectionString: string): Promise<string[]> {
  const migrationsList = await readMigrationList();
  return withEngine(connectionString, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: FILTERS });
    return appliedMigrationNames;
  });
}

/**
 * The SQL that would bring the migrations up to schema.prisma, or null when they agree.
 * The migrations replay into a throwaway shadow database created on the same server.
 */
export async function pendingSchemaChanges(connectionString: string, schemaText?: string): Promise<string | null> {
  const migrationsList = await readMigrationList();
  return withEngine(connectionString, async (engine, fileSchema) => {
    const schema = schemaText ?? fileSchema;
    const result = await engine.diff({
      from: { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: schema }] },
      script: true,
      exitCode: true,
      filters: FILTERS,
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : null;
  });
}
