// SIGTERM under traffic, as a rollout sends it: the real entry point in a child process, a client
// issuing requests continuously over kept-alive connections, and a live socket. Every request
// sent gets a whole answer (200, or 503 with Connection: close during the drain), none is reset
// (a client could not tell whether a reset comment was stored), and sockets hear that the server
// is going away and reconnect at once.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { reconnectWhenServerLeaves, SERVER_SHUTDOWN_EVENT } from '../../client/src/lib/live-document.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function startServer() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'convene-shutdown-'));
  dirs.push(dataDir);
  const port = 20000 + Math.floor(Math.random() * 10000);
  let output = '';
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'server/main.ts'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      SESSION_SECRET: 'shutdown-test-secret-shutdown-test-0123',
      LOG_LEVEL: 'warn',
      SEED: 'never',
      PORT: String(port),
      EMBEDDED_PG_PORT: String(port + 10000),
      DATA_DIR: dataDir,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
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
  const closed = new Promise((resolve) => child.once('close', resolve));
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (child.exitCode !== null) {
      await closed; // all of its output read
      throw new Error(`server exited (${child.exitCode}) before it was ready: ${output}`);
    }
    if (Date.now() > until) throw new Error(`server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, port, output: () => output };
}

type Outcome = { kind: 'response'; status: number; connection: string | undefined; complete: boolean } | { kind: 'refused' } | { kind: 'reset'; code: string };

/** One GET on the kept-alive agent, classified: a whole response, a refused connection (never sent), or a reset. */
function get(agent: http.Agent, port: number, pathName: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathName, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => {
        let complete = true;
        try {
          JSON.parse(body);
        } catch {
          complete = false;
        }
        resolve({ kind: 'response', status: res.statusCode!, connection: res.headers.connection, complete });
      });
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ kind: 'reset', code: err.code ?? err.message }));
    });
    req.on('error', (err: NodeJS.ErrnoException) =>
      resolve(err.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'reset', code: err.code ?? err.message }),
    );
  });
}

describe('shutdown under traffic', () => {
  it('answers every request sent on a kept-alive connection after SIGTERM (200 or 503 with Connection: close), resets none, and tells sockets to reconnect at once', async () => {
    const server = await startServer();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const outcomes: Outcome[] = [];
    let stopLoops = false;
    // Sixteen clients in a loop, each reusing its kept-alive connection; a group page and health
    // (both read the database), so some requests are in flight at the signal.
    const loops = Array.from({ length: 16 }, async (_, i) => {
      while (!stopLoops) {
        const outcome = await get(agent, server.port, i % 2 ? '/api/health' : '/api/groups/none-such/digests');
        outcomes.push(outcome);
        if (outcome.kind === 'refused') break;
      }
    });

    const socket = io(`http://127.0.0.1:${server.port}/public`, {
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 2_000,
      reconnectionDelayMax: 2_000,
      randomizationFactor: 0,
    });
    reconnectWhenServerLeaves(socket);
    const notices: unknown[] = [];
    socket.on(SERVER_SHUTDOWN_EVENT, (notice: unknown) => {
      notices.push(notice);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    let noticeAt = 0;
    let retriedAt = 0;
    socket.on(SERVER_SHUTDOWN_EVENT, () => {
      noticeAt = Date.now();
    });
    socket.io.on('error', () => {
      retriedAt ||= Date.now();
    });

    await new Promise((r) => setTimeout(r, 500)); // traffic flowing on kept-alive connections
    const before = outcomes.length;
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');
    const code = await exited;
    stopLoops = true;
    await Promise.all(loops);
    socket.close();
    agent.destroy();

    expect(code, server.output()).toBe(0);
    expect(before).toBeGreaterThan(16);
    const resets = outcomes.filter((o) => o.kind === 'reset');
    expect(resets, 'requests reset instead of answered').toEqual([]);
    const responses = outcomes.filter((o): o is Extract<Outcome, { kind: 'response' }> => o.kind === 'response');
    expect(responses.every((r) => r.complete)).toBe(true);
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([200, 404, 503]));
    // During the drain: told not to reuse the connection, so the next request goes elsewhere.
    expect(responses.filter((r) => r.status === 503).every((r) => r.connection === 'close')).toBe(true);

    expect(notices).toEqual([{ reason: 'server_shutdown', reconnect: true }]);
    // Reconnected at once (refused here: this was the only instance), not after the 2 s backoff.
    expect(retriedAt - noticeAt).toBeGreaterThanOrEqual(0);
    expect(retriedAt - noticeAt).toBeLessThan(1_000);
  }, 120_000);
});
