// Load shedding: past the configured event-loop delay or database-pool queue, requests are
// answered 503 + Retry-After at once (not queued until they time out), /api/health still answers
// and says it is degraded, and one statement cannot hold a connection past statement_timeout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../server/generated/prisma/client.ts';
import { toErrorResponse } from '../../server/plugins/errors.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, createGroup, createUser, sessionFor } from '../helpers/factories.ts';
import { inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';

/** For the per-request bounds: a loaded test machine's event-loop delay must not shed the requests these tests expect served. */
const ONLY_PER_REQUEST_CHECKS = { LOAD_MAX_EVENT_LOOP_DELAY_MS: '60000' };

/** Keeps the event loop busy, as a burst of large responses would. */
function blockEventLoop(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* busy */
  }
}

describe('load shedding on event-loop delay', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({
      env: { LOAD_SHEDDING: 'true', LOAD_MAX_EVENT_LOOP_DELAY_MS: '40', LOAD_SAMPLE_INTERVAL_MS: '100', LOAD_RETRY_AFTER_SECONDS: '3' },
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers 503 server_busy with Retry-After while the event loop is blocked, and health still answers, degraded', async () => {
    const convener = await createUser(app);
    const group = await createGroup(app, [{ user: convener, role: 'CONVENER' }], { visibility: 'PUBLIC_OUTPUTS' });
    const read = () => app.inject({ method: 'GET', url: `/api/groups/${group.slug}/digests` });
    // Served once the loop is quiet: polled, since a shed request does no I/O and only a timer
    // lets the sampler run (starting the app may itself have kept the loop busy).
    const servedWhenQuiet = async () => {
      const until = Date.now() + 5_000;
      while (Date.now() < until) {
        if ((await read()).statusCode === 200) return true;
        await new Promise((r) => setTimeout(r, 20));
      }
      return false;
    };
    expect(await servedWhenQuiet()).toBe(true);

    let shed: Awaited<ReturnType<typeof read>> | undefined;
    let health: Awaited<ReturnType<typeof app.inject>> | undefined;
    for (let attempt = 0; attempt < 20 && !shed; attempt++) {
      blockEventLoop(250);
      // Both arrive in the same moment of pressure: one is shed, the health check is not.
      const [res, h] = await Promise.all([read(), app.inject({ method: 'GET', url: '/api/health' })]);
      if (res.statusCode === 503) {
        shed = res;
        health = h;
      } else expect(res.statusCode).toBe(200);
    }
    expect(shed, 'no request was shed while the event loop was blocked').toBeDefined();
    expect(shed!.headers['retry-after']).toBe('3');
    expect(shed!.json()).toEqual({ code: 'server_busy', message: expect.stringMatching(/busy/), retryAfterSeconds: 3 });
    expect(health!.statusCode).toBe(200);
    expect(health!.json()).toEqual({ status: 'degraded', database: 'ok', load: 'shedding' });

    // Once the loop is free again, requests are served: the next samples see no delay.
    expect(await servedWhenQuiet()).toBe(true);
    expect((await app.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({ status: 'ok', database: 'ok', load: 'ok' });
  });
});

describe('load shedding on the database pool queue', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ env: { LOAD_SHEDDING: 'true', LOAD_MAX_POOL_WAITING: '2', ...ONLY_PER_REQUEST_CHECKS } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers 503 server_busy while more requests wait for a database connection than allowed, and serves again after', async () => {
    const group = await createGroup(app, [], { visibility: 'PUBLIC_OUTPUTS' });
    const read = () => app.inject({ method: 'GET', url: `/api/groups/${group.slug}/digests` });
    // Every connection of the pool (10) busy, and more statements queued behind them.
    const held = Array.from({ length: 14 }, () => app.runStatement(Prisma.sql`SELECT pg_sleep(0.6)`));
    const res = await read();
    expect(res.statusCode, res.body).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.json().code).toBe('server_busy');
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    expect(health.json()).toMatchObject({ status: 'degraded', load: 'shedding' });
    await Promise.all(held);
    expect((await read()).statusCode).toBe(200);
  });
});

describe('load shedding on requests in flight', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ env: { LOAD_SHEDDING: 'true', LOAD_MAX_IN_FLIGHT: '1', ...ONLY_PER_REQUEST_CHECKS } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers 503 server_busy beyond LOAD_MAX_IN_FLIGHT requests being worked on, before they reach the pool', async () => {
    const group = await createGroup(app, [], { visibility: 'PUBLIC_OUTPUTS' });
    const read = () => app.inject({ method: 'GET', url: `/api/groups/${group.slug}/digests` });
    // Every connection busy, so the first request stays in flight, waiting for one.
    const held = Array.from({ length: 10 }, () => app.runStatement(Prisma.sql`SELECT pg_sleep(0.5)`));
    const first = read().then((res) => res); // inject sends when asked for its result
    for (let i = 0; i < 200 && app.pgPool.waitingCount === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(app.pgPool.waitingCount).toBeGreaterThan(0);
    const second = await read();
    expect(second.statusCode).toBe(503);
    expect(second.json().code).toBe('server_busy');
    await Promise.all(held);
    expect((await first).statusCode).toBe(200);
    expect((await read()).statusCode).toBe(200);
  });
});

describe('deadline writes are shed last', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ env: { LOAD_SHEDDING: 'true', LOAD_MAX_IN_FLIGHT: '1', LOAD_MAX_IN_FLIGHT_DEADLINE_WRITES: '3', ...ONLY_PER_REQUEST_CHECKS } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('takes a comment and its edit while reads past LOAD_MAX_IN_FLIGHT are refused, and refuses them too past their own bound', async () => {
    const cast = await createCastedGroup(app);
    const convener = await sessionFor(app, cast.convener.email);
    const participant = await sessionFor(app, cast.participant.email);
    const document = await postDocument(app, cast.group.slug, convener);
    await postMarkdownRevision(app, cast.group.slug, document.id, convener);
    await openPeriodApi(app, cast.group.slug, document.id, convener, 1, inHours(-1), inHours(1));
    const base = `/api/groups/${cast.group.slug}/documents/${document.id}`;
    const read = () => app.inject({ method: 'GET', url: `${base}/comments`, headers: participant.headers });
    const comment = (body: string) =>
      app.inject({ method: 'POST', url: `${base}/revisions/1/comments`, headers: participant.headers, payload: { clauseId: null, type: 'technical', body } });

    // Every connection busy, so each admitted request stays in flight, waiting for one.
    const held = Array.from({ length: 10 }, () => app.runStatement(Prisma.sql`SELECT pg_sleep(0.5)`));
    const first = read().then((res) => res);
    for (let i = 0; i < 200 && app.pgPool.waitingCount === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(app.pgPool.waitingCount).toBeGreaterThan(0);
    // One read in flight: the next read is refused, the comments are taken (two more in flight)...
    expect((await read()).statusCode).toBe(503);
    const late = [comment('Posted under load.').then((res) => res), comment('Also posted under load.').then((res) => res)];
    for (let i = 0; i < 200 && app.pgPool.waitingCount < 3; i++) await new Promise((r) => setTimeout(r, 5));
    // ...until their own bound: a fourth request in flight is refused, even a comment.
    const refused = await comment('One too many.');
    expect(refused.statusCode, refused.body).toBe(503);
    expect(refused.json().code).toBe('server_busy');
    await Promise.all(held);
    expect((await first).statusCode).toBe(200);
    const taken = await Promise.all(late);
    expect(taken.map((r) => r.statusCode)).toEqual([201, 201]);
    const edited = await app.inject({
      method: 'PATCH',
      url: `${base}/comments/${taken[0]!.json().id}`,
      headers: participant.headers,
      payload: { body: 'Posted under load, then edited.' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const bodies = ((await read()).json() as { comments: Array<{ body: string }> }).comments.map((c) => c.body).sort();
    expect(bodies).toEqual(['Also posted under load.', 'Posted under load, then edited.']);
  });
});

describe('statement timeout', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ env: { DATABASE_STATEMENT_TIMEOUT_MS: '200' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('cancels a statement that runs past DATABASE_STATEMENT_TIMEOUT_MS, which the error handler answers 503 server_busy', async () => {
    const raw = await app.runStatement(Prisma.sql`SELECT pg_sleep(2)`).catch((err: unknown) => err);
    expect(toErrorResponse(raw)).toMatchObject({ status: 503, body: { code: 'server_busy' } });
    const viaPrisma = await app.prisma.$queryRaw`SELECT pg_sleep(2)`.catch((err: unknown) => err);
    expect(toErrorResponse(viaPrisma)).toMatchObject({ status: 503, body: { code: 'server_busy' } });
    // A quick statement on the same pool is unaffected.
    expect(await app.prisma.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });
});
