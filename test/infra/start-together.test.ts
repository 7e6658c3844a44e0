// A rollout or `docker compose up --scale app=3`: several instances of the real entry point start
// at the same moment on one new database, each migrating and loading the demo groups on its
// own. Every one must come up, and the database must end as one instance alone would leave it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';

const children: ChildProcess[] = [];
const databases: string[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  const admin = new pg.Client({ connectionString: inject('databaseUrl') });
  await admin.connect();
  for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
});

async function freshDatabase() {
  const name = `together_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: inject('databaseUrl') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  databases.push(name);
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

/** Resolves with the instance's port once it answers /api/health, or rejects with its output if it exits. */
function startInstance(databaseUrl: string, port: number) {
  let output = '';
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'server/main.ts'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      PUBLIC_URL: `http://localhost:${port}`,
      SESSION_SECRET: 'start-together-secret-start-together-0123',
      LOG_LEVEL: 'warn',
      JOBS_SCHEMA: 'pgboss',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  return new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`instance on port ${port} exited with ${code}:\n${output.slice(-3000)}`)));
    const poll = async () => {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return resolve(port);
      } catch {
        /* not listening yet */
      }
      if (child.exitCode === null) setTimeout(poll, 200);
    };
    void poll();
  });
}

describe('instances started together', () => {
  it('all come up on one new database, which ends migrated once and seeded once', async () => {
    const url = await freshDatabase();
    const base = 63000 + Math.floor(Math.random() * 2000); // above the ephemeral port range
    const ports = await Promise.all([0, 1, 2].map((i) => startInstance(url, base + i)));
    expect(ports).toHaveLength(3);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const migrations = await db.query('SELECT migration_name, count(*)::int AS n FROM _prisma_migrations GROUP BY migration_name');
      expect(migrations.rows.every((r) => r.n === 1)).toBe(true);
      const groups = await db.query('SELECT slug FROM "Group" ORDER BY slug');
      // The 2016 CG-IoTsec, its live copy and the IS3C sub-group; the draft in each CG-IoTsec.
      expect(groups.rows.map((r) => r.slug)).toEqual(['cg-iotsec', 'cg-iotsec-live', 'is3c-wg1-iot', 'itu-t-sg17']);
      const documents = await db.query('SELECT count(*)::int AS n FROM "Document"');
      expect(documents.rows[0].n).toBe(3); // the CG-IoTsec report, its live copy, the IS3C WG1 draft report
    } finally {
      await db.end();
    }
    // Still up after the others started.
    for (const port of ports) expect((await fetch(`http://127.0.0.1:${port}/api/health`)).ok).toBe(true);
  }, 120_000);
});
