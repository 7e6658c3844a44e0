import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { pendingSchemaChanges, readMigrationList, SCHEMA_PATH } from '../../server/infra/migrations.ts';

/** A fresh, empty database on the test server. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `migrate_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: inject('databaseUrl') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = new pg.Client({ connectionString: inject('databaseUrl') });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await again.end();
    },
  };
}

/** applyMigrations in a process of its own, as an instance runs it at start. */
function applyInProcess(url: string) {
  return new Promise<{ code: number | null; output: string; applied: string[]; ms: number; endedAt: number }>((resolve) => {
    const t0 = Date.now();
    let output = '';
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', path.resolve('test/fixtures/apply-migrations.ts')], {
      env: { PATH: process.env.PATH, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('exit', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('['));
      resolve({ code, output, applied: line ? JSON.parse(line) : [], ms: Date.now() - t0, endedAt: Date.now() });
    });
  });
}

describe('migrations', () => {
  it('agree with schema.prisma (run `npm run db:migration -- <name>` when this fails)', async () => {
    const drift = await pendingSchemaChanges(inject('databaseUrl'));
    expect(drift, `schema.prisma has changes without a migration:\n${drift}`).toBeNull();
  });

  it('report the SQL a schema change needs (the drift check can fail)', async () => {
    const schema = await readFile(SCHEMA_PATH, 'utf8');
    const changed = schema.replace('model Group {', 'model Group {\n  colour String?');
    const drift = await pendingSchemaChanges(inject('databaseUrl'), changed);
    expect(drift).toMatch(/ALTER TABLE "Group" ADD COLUMN\s+"colour" TEXT/);
  });

  it('are recorded in _prisma_migrations as prisma migrate deploy would', async () => {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT migration_name, finished_at FROM _prisma_migrations');
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.finished_at)).toBe(true);
    } finally {
      await client.end();
    }
  });

  it('can be applied by three instances starting at once on a fresh database: one applies them, the others wait and go on', async () => {
    const db = await freshDatabase();
    try {
      const runs = await Promise.all([1, 2, 3].map(() => applyInProcess(db.url)));
      for (const run of runs) expect(run.code, run.output).toBe(0);
      const names = (await readMigrationList()).migrationDirectories.map((d) => d.path);
      expect(runs.map((r) => r.applied.length).sort((a, b) => a - b)).toEqual([0, 0, names.length]);
      // The lock is handed on as soon as the first is done, not when an idle connection times out
      // (10 s): the others, already started, finish soon after it.
      const ends = runs.map((r) => r.endedAt);
      const spread = Math.max(...ends) - Math.min(...ends);
      console.log(`three concurrent applyMigrations on a fresh database: ${runs.map((r) => r.ms).join(', ')} ms; last finished ${spread} ms after the first`);
      expect(spread).toBeLessThan(8_000);
    } finally {
      await db.drop();
    }
  }, 60_000);
});
