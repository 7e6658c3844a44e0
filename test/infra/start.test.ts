// `npm start` as a user runs it: the real entry point in a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function start(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'server/main.ts'], {
    env: { PATH: process.env.PATH, NODE_ENV: 'production', SESSION_SECRET: 'start-test-secret-start-test-secret-0123', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  return { child, output: () => output };
}

async function waitHealthy(port: number, ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become healthy');
}

const stop = (child: ChildProcess) =>
  new Promise<{ code: number | null; ms: number }>((resolve) => {
    const t0 = Date.now();
    child.once('exit', (code) => resolve({ code, ms: Date.now() - t0 }));
    child.kill('SIGTERM');
  });

describe('npm start', () => {
  it('runs an embedded PostgreSQL whose data persists across restarts, loads the seed once, and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'convene-start-'));
    dirs.push(dataDir);
    const port = 20000 + Math.floor(Math.random() * 10000);
    const pgPort = port + 10000;
    const env = { PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), DATA_DIR: dataDir, PUBLIC_URL: `http://localhost:${port}` };

    const first = start(env);
    await waitHealthy(port);
    const db = new pg.Client({ connectionString: `postgresql://convene:convene@127.0.0.1:${pgPort}/convene` });
    await db.connect();
    await db.query(`UPDATE "Group" SET name = 'Renamed before restart' WHERE slug = 'cg-iotsec'`);
    await db.end();
    const stopped = await stop(first.child);
    expect(stopped.code, first.output()).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);

    const second = start(env);
    await waitHealthy(port);
    const again = new pg.Client({ connectionString: `postgresql://convene:convene@127.0.0.1:${pgPort}/convene` });
    await again.connect();
    const { rows } = await again.query(`SELECT name FROM "Group" WHERE slug = 'cg-iotsec'`);
    const count = await again.query('SELECT count(*)::int AS n FROM "Group"');
    await again.end();
    expect(rows[0].name).toBe('Renamed before restart');
    expect(count.rows[0].n).toBe(4); // the seed's groups, once: CG-IoTsec, its live copy, IS3C WG1, SG17
    expect((await stop(second.child)).code).toBe(0);
  }, 120_000);
});
