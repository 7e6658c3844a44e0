// Starts one real, throwaway PostgreSQL for the test run and applies the migrations.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { releaseExitHooks, startEmbeddedPostgres } from '../../server/infra/embedded-postgres.ts';
import { applyMigrations } from '../../server/infra/migrations.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // Keep vitest's exit code: embedded-postgres would otherwise exit 0 on beforeExit.
  releaseExitHooks();
  const dir = await mkdtemp(path.join(tmpdir(), 'convene-test-'));
  const port = 40000 + Math.floor(Math.random() * 20000);
  const db = await startEmbeddedPostgres({ dataDir: dir, port, database: 'convene_test', ephemeral: true });
  await applyMigrations(db.url);
  project.provide('databaseUrl', db.url);
  return async () => {
    await db.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
