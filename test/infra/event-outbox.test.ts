// The outbox of domain events: a durable subscriber's delivery is a job written in the
// transaction that emits the event. It runs after commit, at least once, on any instance of the
// same job store, is retried when it fails, and is dead-lettered where the operator sees it.
import { inject } from 'vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { transact, transactPipelined } from '../../server/lib/use-case.ts';
import { AppError } from '../../server/lib/app-error.ts';
import { Prisma } from '../../server/generated/prisma/client.ts';
import { notify } from '../../server/modules/notifications/notify.ts';
import { testConfig, unique, uniqueJobsSchema, type TestApp } from '../helpers/app.ts';
import { createUser, signIn } from '../helpers/factories.ts';
import { until } from '../helpers/digests.ts';

declare module '../../server/lib/domain-events.ts' {
  interface DomainEventMap {
    'tests.pinged': { n: string; fail?: number };
  }
}

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

interface Seen {
  n: string;
  key: string;
}

/** An app whose durable subscriber of `tests.pinged` records what it ran, failing the first `fail` attempts of each event. */
async function appWithSubscriber(env: Record<string, string> = {}) {
  const app = await buildApp({ config: testConfig(env), databaseUrl: inject('databaseUrl') });
  const seen: Seen[] = [];
  const attempts = new Map<string, number>();
  app.ctx.events.durable('tests.pinged', 'record', async ({ n, fail = 0 }, { key }) => {
    const attempt = (attempts.get(n) ?? 0) + 1;
    attempts.set(n, attempt);
    if (attempt <= fail) throw new Error(`attempt ${attempt} of ${n} fails on purpose`);
    seen.push({ n, key });
  });
  await app.ready();
  cleanups.push(() => app.close());
  return { app, seen, attempts };
}

const jobsIn = async (app: TestApp, schema: string) =>
  app.prisma.$queryRawUnsafe<{ name: string; state: string }[]>(`SELECT name, state::text FROM "${schema}".job WHERE name LIKE 'event.%'`);

/** Session headers of a new user (the operator when asked). */
async function headersOf(app: TestApp, options: { isOperator?: boolean } = {}) {
  const user = await createUser(app, options);
  return (await signIn(app, user.email)).headers;
}

describe('durable subscribers of domain events', () => {
  it('run once after the commit of the transaction that emitted the event, and never when it rolled back', async () => {
    const schema = uniqueJobsSchema();
    const { app, seen } = await appWithSubscriber({ JOBS_SCHEMA: schema });
    const kept = unique('kept');
    const dropped = unique('dropped');
    await transact(app.ctx, async (_tx, emit) => {
      emit('tests.pinged', { n: kept });
    });
    await expect(
      transact(app.ctx, async (_tx, emit) => {
        emit('tests.pinged', { n: dropped });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // drain() covers the deliveries this instance committed (tests read their effects after it).
    await app.ctx.events.drain();
    expect(seen.map((s) => s.n)).toEqual([kept]);
    // pg-boss records the completion just after the handler returns: wait for it, not for a moment.
    const jobs = await until(
      async () => {
        const rows = await jobsIn(app, schema);
        return rows.every((j) => j.state === 'completed') && rows;
      },
      10_000,
      'the delivery job to be marked completed',
    );
    expect(jobs).toEqual([{ name: 'event.tests.pinged.record', state: 'completed' }]);
  });

  it('run on another instance when the one that committed stops right after', async () => {
    const schema = uniqueJobsSchema();
    // The emitting instance runs no workers: it commits and is gone.
    const emitter = await appWithSubscriber({ JOBS_SCHEMA: schema, JOBS_WORKERS: 'false' });
    const n = unique('handover');
    await transact(emitter.app.ctx, async (_tx, emit) => {
      emit('tests.pinged', { n });
    });
    await emitter.app.close();
    expect(emitter.seen).toEqual([]);

    const worker = await appWithSubscriber({ JOBS_SCHEMA: schema });
    await until(() => worker.seen.length === 1, 10_000, 'the other instance to run the delivery');
    expect(worker.seen[0]!.n).toBe(n);
  });

  it('retry a failing delivery with the same key, so the handler can tell a retry from a new event', async () => {
    const { app, seen, attempts } = await appWithSubscriber();
    const n = unique('flaky');
    await transact(app.ctx, async (_tx, emit) => {
      emit('tests.pinged', { n, fail: 1 });
    });
    await until(() => seen.length === 1, 15_000, 'the retry to succeed');
    expect(attempts.get(n)).toBe(2);
    expect(seen[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
  }, 20_000);

  it('dead-letter a delivery that fails every attempt, where the operator sees the event and the error', async () => {
    const { app, seen, attempts } = await appWithSubscriber({ DELIVERY_MAX_ATTEMPTS: '2' });
    const headers = await headersOf(app, { isOperator: true });
    const n = unique('doomed');
    await transact(app.ctx, async (_tx, emit) => {
      emit('tests.pinged', { n, fail: 99 });
    });
    const list = async () => {
      const res = await app.inject({ method: 'GET', url: '/api/admin/events/dead-letters', headers });
      expect(res.statusCode).toBe(200);
      const found = (res.json() as { deliveries: { subscriber: string; payload: { n: string }; error: string }[] }).deliveries.filter((d) => d.payload.n === n);
      return found.length ? found : null;
    };
    const [dead] = await until(list, 15_000, 'the dead letter');
    expect(dead).toMatchObject({ subscriber: 'tests.pinged.record', payload: { n } });
    expect(dead!.error).toContain('fails on purpose');
    expect(attempts.get(n)).toBe(2);
    expect(seen).toEqual([]);
  }, 20_000);

  it('commit with their change on a pipelined transaction, and not at all when a statement nobody awaited fails or the use case refuses', async () => {
    const schema = uniqueJobsSchema();
    const { app, seen } = await appWithSubscriber({ JOBS_SCHEMA: schema });
    const kept = unique('pipelined-kept');
    const failed = unique('pipelined-failed');
    const refused = unique('pipelined-refused');
    const marker = (n: string) =>
      Prisma.sql`INSERT INTO "AuditEntry" ("actorId", "action", "entityType", "entityId") VALUES (NULL, 'tests.pipelined', 'test', ${n})`;
    const published: string[] = [];
    app.ctx.events.on('tests.pinged', ({ n }) => {
      published.push(n);
    });

    const answer = await transactPipelined(app.ctx, async (p, emit) => {
      void p.run(marker(kept));
      emit('tests.pinged', { n: kept });
      return 'done';
    });
    expect(answer).toBe('done');
    // A statement sent without waiting fails: the error is the caller's, and nothing of it stays.
    await expect(
      transactPipelined(app.ctx, async (p, emit) => {
        void p.run(marker(failed));
        void p.run(Prisma.sql`SELECT 1 / ${0}::int`);
        emit('tests.pinged', { n: failed });
      }),
    ).rejects.toThrow(/division by zero/);
    await expect(
      transactPipelined(app.ctx, async (p, emit) => {
        void p.run(marker(refused));
        emit('tests.pinged', { n: refused });
        await p.run('SELECT 1');
        throw AppError.conflict('tests_refused', 'Refused on purpose.');
      }),
    ).rejects.toThrow('Refused on purpose.');

    await app.ctx.events.drain();
    const markers = await app.prisma.auditEntry.findMany({ where: { action: 'tests.pipelined', entityId: { in: [kept, failed, refused] } } });
    expect(markers.map((m) => m.entityId)).toEqual([kept]);
    expect(published).toEqual([kept]);
    expect(seen.map((s) => s.n)).toEqual([kept]);
    const jobs = await app.prisma.$queryRawUnsafe<{ n: string }[]>(`SELECT data->>'n' AS n FROM "${schema}".job WHERE name = 'event.tests.pinged.record'`);
    expect(jobs.map((j) => j.n)).toEqual([kept]);
    // The connections went back to the pool usable, in their ordinary mode.
    const clients = await Promise.all(Array.from({ length: 3 }, () => app.pgPool.connect()));
    for (const c of clients) {
      expect((c as unknown as { pipeline: boolean }).pipeline).toBe(false);
      expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      c.release();
    }
  });

  it('show the dead letters to the operator only: 401 without a session, 403 to anyone else', async () => {
    const { app } = await appWithSubscriber();
    const url = '/api/admin/events/dead-letters';
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const member = await app.inject({ method: 'GET', url, headers: await headersOf(app) });
    expect(member.statusCode).toBe(403);
    expect(member.json().code).toBe('forbidden');
    expect((await app.inject({ method: 'GET', url, headers: await headersOf(app, { isOperator: true }) })).statusCode).toBe(200);
  });
});

describe('notifications made by durable subscribers', () => {
  it('are made once per delivery key, however many times the delivery runs', async () => {
    const { app } = await appWithSubscriber();
    const user = await createUser(app);
    const payload = { title: 'A reply in your thread', body: 'Agreed.', url: 'http://localhost:3000/x' };
    const key = '0190a0b0-0000-7000-8000-000000000001';
    const first = await notify(app.ctx, 'comment_decided', user.id, payload, { key });
    const again = await notify(app.ctx, 'comment_decided', user.id, payload, { key });
    const other = await notify(app.ctx, 'comment_decided', user.id, payload, { key: '0190a0b0-0000-7000-8000-000000000002' });
    expect(first).toBeTruthy();
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(await app.prisma.notification.count({ where: { userId: user.id } })).toBe(2);
  });
});
