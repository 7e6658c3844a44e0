// Two instances on one database (same realtime channel), as behind a load balancer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { inject } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, sessionFor } from '../helpers/factories.ts';
import { closeAllSockets, connect, listen, record, send, sleep, subscribe, waitFor } from '../helpers/sockets.ts';
import { ping, registerTestEvents } from './test-events.ts';

let a: TestApp;
let b: TestApp;
let urlA: string;
let urlB: string;
const channel = `c_${Math.random().toString(36).slice(2, 10)}`;

beforeAll(async () => {
  [a, b] = await Promise.all([createTestApp({ env: { REALTIME_CHANNEL: channel } }), createTestApp({ env: { REALTIME_CHANNEL: channel } })]);
  registerTestEvents(a);
  registerTestEvents(b);
  [urlA, urlB] = await Promise.all([listen(a), listen(b)]);
});
afterAll(async () => {
  closeAllSockets();
  await Promise.all([a.close(), b.close()]);
});

describe('several instances on one database', () => {
  it('delivers an event raised on instance A to clients of instance B', async () => {
    const { group, convener, participant } = await createCastedGroup(a);
    const [cs, ps] = await Promise.all([sessionFor(a, convener.email), sessionFor(a, participant.email)]);
    const onB = await connect(urlB, { cookie: ps.cookie });
    const got = record(onB);
    await subscribe(onB, { kind: 'group', id: group.slug });
    const res = await a.inject({
      method: 'POST',
      url: `/api/groups/${group.slug}/milestones`,
      headers: cs.headers,
      payload: { at: '2026-05-25T23:59:00Z', kind: 'comments_close', label: 'Comments close' },
    });
    expect(res.statusCode).toBe(201);
    const event = await waitFor(() => got.find((r) => r.event === 'milestones.changed'), 'the event on B');
    expect(event.payload).toMatchObject({ stream: `group:${group.id}`, seq: 1, data: { change: 'created', milestone: res.json() } });
  });

  it("disconnects a signed-out user's sockets on both instances, and only that session's", async () => {
    const { group, participant } = await createCastedGroup(a);
    const laptop = await sessionFor(a, participant.email);
    const phone = await sessionFor(b, participant.email);
    const sockets = await Promise.all([
      connect(urlA, { cookie: laptop.cookie }),
      connect(urlB, { cookie: laptop.cookie }),
      connect(urlB, { cookie: phone.cookie }),
    ]);
    const reasons: string[] = [];
    for (const [i, s] of sockets.entries()) {
      s.on('disconnect', (reason) => {
        reasons[i] = reason;
      });
    }
    await subscribe(sockets[0]!, { kind: 'group', id: group.slug });

    const out = await b.inject({ method: 'POST', url: '/api/auth/sign-out', headers: laptop.headers });
    expect(out.statusCode).toBe(204);
    await waitFor(() => reasons[0] && reasons[1], 'both laptop sockets closed');
    expect(reasons.slice(0, 2)).toEqual(['io server disconnect', 'io server disconnect']);
    await sleep(100);
    expect(sockets[2]!.connected).toBe(true);

    // Signing out everywhere closes the rest.
    await a.inject({ method: 'POST', url: '/api/auth/sign-out-everywhere', headers: phone.headers });
    await waitFor(() => reasons[2], 'the phone socket closed');
  });

  it('refuses a session signed out on the other instance at once, though that instance had it cached', async () => {
    const user = await createCastedGroup(a).then((c) => c.participant);
    for (const how of ['sign-out', 'sign-out-everywhere'] as const) {
      const session = await sessionFor(a, user.email);
      // B has served the session, so its session cache holds it.
      expect((await b.inject({ method: 'GET', url: '/api/me', headers: { cookie: session.cookie } })).statusCode).toBe(200);
      expect((await b.inject({ method: 'GET', url: '/api/me', headers: { cookie: session.cookie } })).statusCode).toBe(200);
      expect((await a.inject({ method: 'POST', url: `/api/auth/${how}`, headers: session.headers })).statusCode).toBe(204);
      // Straight after the answer, on both instances.
      expect((await b.inject({ method: 'GET', url: '/api/me', headers: { cookie: session.cookie } })).statusCode).toBe(401);
      expect((await a.inject({ method: 'GET', url: '/api/me', headers: { cookie: session.cookie } })).statusCode).toBe(401);
    }
  });

  it('shows presence across instances', async () => {
    const { group, convener, participant } = await createCastedGroup(a);
    const [cs, ps] = await Promise.all([sessionFor(a, convener.email), sessionFor(b, participant.email)]);
    const onA = await connect(urlA, { cookie: cs.cookie });
    const seen = record(onA);
    await subscribe(onA, { kind: 'group', id: group.slug });
    const onB = await connect(urlB, { cookie: ps.cookie });
    const seenB = record(onB);
    await subscribe(onB, { kind: 'group', id: group.slug });
    const list = await waitFor(() => seen.find((r) => r.event === 'presence' && r.payload.count === 2), 'A sees the viewer on B');
    expect(list.payload.viewers.map((v: { name: string; role: string }) => `${v.name}/${v.role}`).sort()).toEqual(
      [`${convener.name}/convener`, `${participant.name}/participant`].sort(),
    );
    onA.close();
    await waitFor(() => seenB.find((r) => r.event === 'presence' && r.payload.count === 1), 'B sees A leave');
  });

  it("survives the adapter's and the listener's database connections being killed, and keeps delivering", async () => {
    const { group, participant } = await createCastedGroup(a);
    const ps = await sessionFor(a, participant.email);
    const onB = await connect(urlB, { cookie: ps.cookie });
    const got = record(onB);
    const ack = await subscribe(onB, { kind: 'group', id: group.slug });
    expect(ack.seq).toBe(0);

    // Kill every connection instance B holds for realtime (the adapter's LISTEN and pool, our LISTEN).
    const admin = new pg.Client({ connectionString: inject('databaseUrl') });
    await admin.connect();
    try {
      const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query ILIKE $1 AND pid <> pg_backend_pid()`, [
        `%LISTEN%${channel}%`,
      ]);
      expect(killed.rowCount).toBeGreaterThanOrEqual(2); // A's and B's listeners at least
    } finally {
      await admin.end();
    }
    // Written while B's listener is down: B finds it in the log when it reconnects.
    await ping(a, group.id, 1, 'while down');
    await waitFor(() => got.find((r) => r.event === 'test.ping'), 'the event after reconnecting', 10_000);
    await ping(a, group.id, 1, 'after');
    await waitFor(() => got.filter((r) => r.event === 'test.ping').length === 2, 'the next event', 10_000);
    expect(got.filter((r) => r.event === 'test.ping').map((r) => r.payload.seq)).toEqual([1, 2]);
    expect(onB.connected).toBe(true);
  });

  it('closes open sockets cleanly on shutdown, within the grace period (clients reconnect elsewhere)', async () => {
    const { group, participant } = await createCastedGroup(a);
    const ps = await sessionFor(a, participant.email);
    const sockets = await Promise.all(Array.from({ length: 5 }, () => connect(urlB, { cookie: ps.cookie })));
    await Promise.all(sockets.map((s) => subscribe(s, { kind: 'group', id: group.slug })));
    const reasons: string[] = [];
    for (const s of sockets) s.on('disconnect', (r) => reasons.push(r));
    const started = Date.now();
    await b.close();
    expect(Date.now() - started).toBeLessThan(b.config.shutdownGraceMs);
    expect(Date.now() - started).toBeLessThan(2_000);
    await waitFor(() => reasons.length === 5, 'every socket told');
    expect(new Set(reasons)).toEqual(new Set(['transport close']));
    // A keeps working alone.
    const onA = await connect(urlA, { cookie: ps.cookie });
    expect(await send(onA, 'subscribe', { kind: 'group', id: group.slug })).toMatchObject({ ok: true });
  });
});
