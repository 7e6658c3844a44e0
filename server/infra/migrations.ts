// Migrations are Prisma's: SQL files in prisma/migrations/<timestamp>_<name>/migration.sql,
// recorded in `_prisma_migrations` exactly as `prisma migrate deploy` would. They run through
// Prisma's WebAssembly schema engine because the CLI's native engine is a download that is not
// reachable from every machine (no outbound network on the build machines).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import { SchemaEngine, type MigrationList } from '@prisma/schema-engine-wasm';
import { splitSqlScript } from './sql-script.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCHEMA_PATH = path.join(root, 'prisma/schema.prisma');
export const MIGRATIONS_DIR = path.join(root, 'prisma/migrations');
const FILTERS = { externalTables: [], externalEnums: [] };

export async function readMigrationList(baseDir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = existsSync(baseDir) ? await readdir(baseDir, { withFileTypes: true }) : [];
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockPath = path.join(baseDir, 'migration_lock.toml');
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      dirs.map(async (dir) => {
        const file = path.join(baseDir, dir, 'migration.sql');
        const content = existsSync(file) ? { tag: 'ok' as const, value: await readFile(file, 'utf8') } : { tag: 'error' as const, value: `missing ${file}` };
        return { path: dir, migrationFile: { path: 'migration.sql', content } };
      }),
    ),
  };
}

// The schema engine describes a database through catalog queries that return columns of
// PostgreSQL's internal one-byte `"char"` type (OID 18, e.g. pg_constraint.contype), which
// @prisma/adapter-pg 7.10 does not map and rejects. The engine reads them as its Character type,
// so report them as text to the adapter, then as Character to the engine.
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
type Queryable = {
  performIO: (...args: unknown[]) => Promise<{ fields: { dataTypeID: number }[] }>;
  queryRaw: (...args: unknown[]) => Promise<{ columnTypes: number[] }>;
  executeScript: (script: string) => Promise<void>;
  client: { query: (sql: string) => Promise<unknown> };
  onError: (error: unknown) => never;
};
function forMigrations<T>(adapter: T): T {
  const q = adapter as unknown as Queryable;
  // See sql-script.ts: the adapter's own executeScript cuts function bodies at their semicolons.
  q.executeScript = async (script) => {
    for (const statement of splitSqlScript(script)) {
      try {
        await q.client.query(statement);
      } catch (error) {
        q.onError(error);
      }
    }
  };
  const performIO = q.performIO.bind(q);
  const queryRaw = q.queryRaw.bind(q);
  let charColumns: number[] = [];
  q.performIO = async (...args) => {
    const result = await performIO(...args);
    charColumns = [];
    result.fields.forEach((field, i) => {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID;
        charColumns.push(i);
      }
    });
    return result;
  };
  q.queryRaw = async (...args) => {
    const result = await queryRaw(...args);
    for (const i of charColumns) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };
  return adapter;
}
class MigrationAdapterFactory extends PrismaPg {
  private readonly url: string;
  private readonly opened: { dispose(): Promise<void> }[] = [];
  constructor(url: string) {
    super({ connectionString: url });
    this.url = url;
  }

  override async connect() {
    const adapter = forMigrations(await super.connect());
    this.opened.push(adapter);
    return adapter;
  }

  /**
   * Freeing the engine leaves its adapters' pools open, and their connection still holds the
   * engine's session advisory lock: another instance waiting for it would wait until the pool's
   * idle timeout (10 s, exactly Prisma's lock timeout) and fail with P1002. Close them now.
   */
  async disposeAll() {
    await Promise.allSettled(this.opened.splice(0).map((adapter) => adapter.dispose()));
  }

  // adapter-pg 7.10 names the shadow database with a `database` option that a connection
  // string overrides, so its "shadow" would be the real database. Point a URL at it instead.
  override async connectToShadowDb() {
    const main = await super.connect();
    const name = `prisma_shadow_${randomUUID().replaceAll('-', '')}`;
    await main.executeScript(`CREATE DATABASE "${name}"`);
    const url = new URL(this.url);
    url.pathname = `/${name}`;
    const shadow = forMigrations(await new PrismaPg({ connectionString: url.toString() }).connect());
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await main.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await main.dispose();
    };
    return shadow;
  }
}

// The engine reports a Rust panic through this global before it traps; keep its message.
let lastPanic = '';
(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY ??= {
  set_message: (message: string) => {
    lastPanic = message;
  },
};

async function withEngine<T>(connectionString: string, fn: (engine: SchemaEngine, schema: string) => Promise<T>): Promise<T> {
  const schema = await readFile(SCHEMA_PATH, 'utf8');
  const factory = new MigrationAdapterFactory(connectionString);
  try {
    const engine = await SchemaEngine.new({ datamodels: [[SCHEMA_PATH, schema]] }, () => {}, bindMigrationAwareSqlAdapterFactory(factory));
    try {
      return await fn(engine, schema);
    } catch (err) {
      if (lastPanic) throw new Error(`Prisma schema engine panicked: ${lastPanic}`, { cause: err });
      throw err;
    } finally {
      engine.free();
    }
  } finally {
    await factory.disposeAll();
  }
}

/** Our own lock around applying, distinct from the schema engine's (72707369). */
const APPLY_LOCK_KEY = 7_268_001_417;
/** How long an instance waits for another to finish migrating before it gives up. */
const APPLY_LOCK_TIMEOUT_MS = 5 * 60_000;

/**
 * Holds a session advisory lock of ours while `fn` runs. Instances started together queue here
 * for as long as a migration may reasonably take, where the schema engine's own lock gives up
 * after 10 s (P1002): the first applies, the others then find nothing left to do.
 */
async function withApplyLock<T>(connectionString: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, application_name: 'convene-migrations' });
  // A server-side disconnect surfaces through the query that is waiting; never as an unhandled event.
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`SET lock_timeout = ${APPLY_LOCK_TIMEOUT_MS}`);
    try {
      await client.query('SELECT pg_advisory_lock($1)', [APPLY_LOCK_KEY]);
    } catch (err) {
      if ((err as { code?: string }).code === '55P03') {
        throw new Error(`Another instance has been applying migrations for ${APPLY_LOCK_TIMEOUT_MS / 60_000} minutes; giving up waiting for it.`, {
          cause: err,
        });
      }
      throw err;
    }
    return await fn();
  } finally {
    // Ending the session releases the lock.
    await client.end().catch(() => {});
  }
}

/** Applies pending migrations; returns the names applied now (empty when up to date). */
export async function applyMigrations(connectionString: string): Promise<string[]> {
  const migrationsList = await readMigrationList();
  return withApplyLock(connectionString, () =>
    withEngine(connectionString, async (engine) => {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: FILTERS });
      return appliedMigrationNames;
    }),
  );
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
