// PostgreSQL going away under a running server (restart, failover): requests are answered 503
// with a wait and a sentence, never 500, and the server serves again once PostgreSQL is back,
// without a restart of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { testConfig, type TestApp } from '../helpers/app.ts';
import { dedicatedPostgres, type DedicatedPostgres } from '../helpers/dedicated-postgres.ts';
import { createGroup, createUser, signIn, type Session } from '../helpers/factories.ts';

let db: DedicatedPostgres;
let app: TestApp;

beforeAll(async () => {
  db = await dedicatedPostgres();
  app = await buildApp({ config: testConfig(), databaseUrl: db.url });
  await app.ready();
}, 60_000);
afterAll(async () => {
  await app?.close();
  await db?.cleanup();
});

describe('PostgreSQL down', () => {
  it('answers reads and writes 503 with Retry-After and database_unavailable, then serves again when PostgreSQL is back', async () => {
    const convener = await createUser(app);
    const group = await createGroup(app, [{ user: convener, role: 'CONVENER' }]);
    const session: Session = await signIn(app, convener.email);
    const read = () => app.inject({ method: 'GET', url: `/api/groups/${group.slug}`, headers: session.headers });
    const write = () =>
      app.inject({ method: 'POST', url: `/api/groups/${group.slug}/documents`, headers: session.headers, payload: { title: 'Written during an outage' } });
    const documents = () => app.inject({ method: 'GET', url: `/api/groups/${group.slug}/documents`, headers: session.headers });
    expect((await read()).statusCode).toBe(200);
    // Connections in the pool that PostgreSQL is about to terminate (57P01), not only new ones refused.
    expect((await documents()).statusCode).toBe(200);

    db.stop();
    try {
      for (const res of [await read(), await write(), await documents(), await read()]) {
        expect(res.statusCode, res.body).toBe(503);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.json()).toEqual({
          code: 'database_unavailable',
          message: expect.stringMatching(/database/i),
          retryAfterSeconds: Number(res.headers['retry-after']),
        });
      }
      const health = await app.inject({ method: 'GET', url: '/api/health' });
      expect(health.statusCode).toBe(503);
    } finally {
      db.start();
    }

    expect((await read()).statusCode).toBe(200);
    const created = await write();
    expect(created.statusCode, created.body).toBe(201);
    const listed = await documents();
    expect(listed.json().documents.map((d: { title: string }) => d.title)).toEqual(['Written during an outage']);
  }, 60_000);
});
