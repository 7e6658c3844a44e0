// Convene itself, listening on loopback against a bench database, with a signed-in member.
import { createServer, type AddressInfo } from 'node:net';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { transact } from '../../server/lib/use-case.ts';
import { createSession } from '../../server/modules/auth/session.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * `browser: true` makes PUBLIC_URL the address it listens on, so a browser's sockets pass the Origin check.
 * `env`: configuration variables to set. Load shedding is off unless `env` turns it on: a
 * throughput figure must count work done, not 503s (the overload bench compares both).
 */
export async function startBenchApp(
  databaseUrl: string,
  options: {
    browser?: boolean;
    env?: Record<string, string>;
    /** Keep the configured per-account and sign-in limits (only the per-IP request limit is lifted: every bench client is 127.0.0.1). */
    productionLimits?: boolean;
    /** Told of every 5xx answer's error (the bench app logs nothing). */
    onServerError?: (error: Error, request: { method: string; url: string }) => void;
  } = {},
) {
  const port = options.browser ? await freePort() : 0;
  const base = loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01',
    PUBLIC_URL: options.browser ? `http://127.0.0.1:${port}` : 'http://localhost:3000',
    LOAD_SHEDDING: 'false',
    ...options.env,
  });
  const config = {
    ...base,
    // A bench measures what production runs: the compiled serializer without the tests' check.
    checkResponses: false,
    limits: {
      ...base.limits,
      requestsPerMinute: 10_000_000,
      ...(options.productionLimits ? {} : { writesPerAccount: { max: 10_000_000, windowMs: 60_000 }, signInPerIp: { max: 10_000_000, windowMs: 60_000 } }),
    },
  };
  const app = await buildApp({ config, databaseUrl, logger: false });
  const onServerError = options.onServerError;
  if (onServerError) {
    // The error behind each 5xx answer (a 503 sent by load shedding or the drain has none).
    const errors = new WeakMap<object, Error>();
    app.addHook('onError', (request, _reply, error, done) => {
      errors.set(request, error);
      done();
    });
    app.addHook('onResponse', (request, reply, done) => {
      if (reply.statusCode >= 500) onServerError(errors.get(request) ?? new Error(`answered ${reply.statusCode} without an error`), request);
      done();
    });
  }
  await app.listen({ host: '127.0.0.1', port });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { app, url };
}

export async function signedInMember(app: Awaited<ReturnType<typeof startBenchApp>>['app'], role: 'CONVENER' | 'PARTICIPANT' = 'CONVENER') {
  const suffix = Math.random().toString(36).slice(2, 8);
  const user = await app.prisma.user.create({ data: { email: `bench-${suffix}@example.test`, name: `Bench ${suffix}`, affiliation: 'SG17 / Bench' } });
  const group = await app.prisma.group.create({
    data: {
      slug: `bench-${suffix}`,
      name: 'Bench group',
      acronym: 'BENCH',
      parentBodies: ['SG17'],
      termsOfReference: 'Bench.',
      memberships: { create: { userId: user.id, role } },
    },
  });
  const { token, session } = await transact(app.ctx, (tx) => createSession(app.ctx, tx, { userId: user.id, ip: '127.0.0.1', userAgent: 'bench' }));
  const headers = { cookie: `__Host-convene_session=${token}`, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' };
  return { user, group, headers };
}

/** The baseline: bare Fastify on the same machine, optionally inserting one row with `pg`. */
export async function startBareServer(databaseUrl: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  // The bench database stops at the end of a run; an idle client told so must not end the process.
  pool.on('error', () => {});
  await pool.query('CREATE TABLE IF NOT EXISTS bench_rows (id bigserial primary key, body text not null, created_at timestamptz not null default now())');
  const app = Fastify({ logger: false });
  app.get('/bare', async () => ({ slug: 'bench', name: 'Bench group', acronym: 'BENCH', milestones: [] }));
  app.post('/bare-insert', async (request) => {
    const { rows } = await pool.query('INSERT INTO bench_rows (body) VALUES ($1) RETURNING id', [JSON.stringify(request.body)]);
    return { id: rows[0].id };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    close: async () => {
      await app.close();
      await pool.end();
    },
  };
}
