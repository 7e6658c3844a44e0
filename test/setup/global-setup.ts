// Starts one real, throwaway PostgreSQL for the test run and applies the migrations. Both vitest
// projects (the parallel files and the ones that run alone) share it: the second project to set
// up finds it on globalThis (one vitest process runs every global setup).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { releaseExitHooks, startEmbeddedPostgres } from '../../server/infra/embedded-postgres.ts';
import { applyMigrations } from '../../server/infra/migrations.ts';
import { ensureClientBuilt } from '../../scripts/build-client.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

interface Shared {
  url: Promise<string>;
  client: Promise<unknown>;
  users: number;
  stop: () => Promise<void>;
}
const KEY = Symbol.for('convene.test.postgres');
const holder = globalThis as unknown as Record<symbol, Shared | undefined>;

function start(): Shared {
  let stopDb: () => Promise<void> = async () => {};
  let dir = '';
  const url = (async () => {
    // Keep vitest's exit code: embedded-postgres would otherwise exit 0 on beforeExit.
    releaseExitHooks();
    dir = await mkdtemp(path.join(tmpdir(), 'convene-test-'));
    const port = 40000 + Math.floor(Math.random() * 20000);
    const db = await startEmbeddedPostgres({ dataDir: dir, port, database: 'convene_test', ephemeral: true });
    stopDb = () => db.stop();
    await applyMigrations(db.url);
    return db.url;
  })();
  return {
    url,
    // Built once, before any file runs: files running at the same time that found it stale would
    // otherwise each build client/dist, one emptying it under the other's server.
    client: ensureClientBuilt(),
    users: 0,
    stop: async () => {
      await stopDb();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

export default async function setup(project: TestProject) {
  holder[KEY] ??= start();
  const shared = holder[KEY];
  shared.users++;
  project.provide('databaseUrl', await shared.url);
  await shared.client;
  return async () => {
    if (--shared.users > 0) return;
    holder[KEY] = undefined;
    await shared.stop();
  };
}
