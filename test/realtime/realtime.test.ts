// Realtime on one instance, with real socket.io-client connections over loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createTestApp, unique, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, createGroup, createUser, sessionFor, type Session } from '../helpers/factories.ts';
import { closeAllSockets, connect, listen, openSocket, record, refused, send, sleep, subscribe, waitFor, type Received } from '../helpers/sockets.ts';
import { transact } from '../../server/lib/use-case.ts';
import { hashToken } from '../../server/lib/tokens.ts';
import { ping, registerTestEvents } from './test-events.ts';
import { pruneRealtimeEvents, PRUNE_QUEUE } from '../../server/modules/realtime/prune-events.ts';
import { fireMilestone } from '../../server/modules/timeframe/fire-milestone.ts';

let app: TestApp;
let url: string;
const documents = new Map<string, string>();

beforeAll(async () => {
  app = await createTestApp({ limits: { realtime: { replayMax: 150, messagesPerSecond: 10, messageBurst: 20, messageBytes: 4096, presenceMax: 50 } } });
  registerTestEvents(app, documents);
  url = await listen(app);
});
afterAll(async () => {
  closeAllSockets();
  await app.close();
});

const milestoneBody = (i: number) => ({ at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(), kind: 'meeting', label: `Meeting ${i}` });
const named = (received: Received[], event: string) => received.filter((r) => r.event === event);

async function castAndSignIn() {
  const cast = await createCastedGroup(app);
  const [convener, participant, observer, outsider] = (await Promise.all(
    [cast.convener, cast.participant, cast.observer, cast.outsider].map((p) => sessionFor(app, p.email)),
  )) as [Session, Session, Session, Session];
  return { ...cast, sessions: { convener, participant, observer, outsider } };
}

describe('the timeframe on sockets', () => {
  it("a milestone reached reaches the group's stream with the phase the server derived", async () => {
    const { group, sessions } = await castAndSignIn();
    const participant = await connect(url, { cookie: sessions.participant.cookie });
    const received = record(participant);
    await subscribe(participant, { kind: 'group', id: group.slug });
    const milestone = await app.prisma.milestone.create({
      data: { groupId: group.id, at: new Date(Date.now() - 60_000), kind: 'DRAFT_POSTED', label: 'Draft posted' },
    });
    expect(await fireMilestone(app.ctx, { milestoneId: milestone.id, at: milestone.at.toISOString() })).not.toBeNull();
    const event = await waitFor(() => named(received, 'milestones.reached')[0], 'the milestone reached');
    expect(event.payload.data).toMatchObject({ milestoneId: milestone.id, kind: 'draft_posted', phase: { kind: 'comments_open' } });
    const phase = await app.inject({ method: 'GET', url: `/api/groups/${group.slug}/phase`, headers: sessions.participant.headers });
    expect(phase.json().kind).toBe(event.payload.data.phase.kind);
  });
});

describe('the handshake', () => {
  it('refuses a connection without a session', async () => {
    const err = await refused(openSocket(url));
    expect(err.data?.code).toBe('unauthenticated');
  });

  it('refuses a connection whose session cookie is unknown or revoked', async () => {
    const user = await createUser(app);
    const session = await sessionFor(app, user.email);
    expect((await refused(openSocket(url, { cookie: '__Host-convene_session=not-a-session' }))).data?.code).toBe('unauthenticated');
    await app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: session.headers });
    expect((await refused(openSocket(url, { cookie: session.cookie }))).data?.code).toBe('unauthenticated');
  });

  it('refuses a signed-in connection from a foreign origin, on websocket and on polling', async () => {
    const user = await createUser(app);
    const session = await sessionFor(app, user.email);
    await expect(refused(openSocket(url, { cookie: session.cookie, origin: 'https://evil.example' }))).resolves.toBeTruthy();
    await expect(refused(openSocket(url, { cookie: session.cookie, origin: 'https://evil.example', transports: ['polling'] }))).resolves.toBeTruthy();
    await expect(refused(openSocket(url, { cookie: session.cookie, origin: 'null' }))).resolves.toBeTruthy();
    const ok = await connect(url, { cookie: session.cookie });
    expect(ok.connected).toBe(true);
  });

  it('works over the polling fallback when websockets are unavailable', async () => {
    const { group, sessions } = await castAndSignIn();
    const socket = await connect(url, { cookie: sessions.participant.cookie, transports: ['polling'] });
    const got = record(socket);
    await subscribe(socket, { kind: 'group', id: group.slug });
    await ping(app, group.id);
    expect((await waitFor(() => named(got, 'test.ping')[0], 'the event over polling')).payload).toMatchObject({ seq: 1, data: { n: 1 } });
  });

  it('closes the sockets of a session that expired while they were open', async () => {
    const user = await createUser(app);
    const [expiring, lasting] = [await sessionFor(app, user.email), await sessionFor(app, user.email)];
    const doomed = await connect(url, { cookie: expiring.cookie });
    const kept = await connect(url, { cookie: lasting.cookie });
    const reason = new Promise((resolve) => doomed.once('disconnect', resolve));
    const session = await app.prisma.session.findUniqueOrThrow({ where: { tokenHash: hashToken(app.config.sessionSecret, expiring.sessionToken) } });
    await app.prisma.session.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await app.realtime.sweepSessions()).toBeGreaterThanOrEqual(1);
    expect(await reason).toBe('io server disconnect');
    expect(kept.connected).toBe(true);
  });

  it('accepts anonymous connections only on /public, and only for published outputs of public groups', async () => {
    const convener = await createUser(app);
    const open = await createGroup(app, [{ user: convener, role: 'CONVENER' }], { visibility: 'PUBLIC_OUTPUTS' });
    const closed = await createGroup(app, [{ user: convener, role: 'CONVENER' }]);
    const anon = await connect(url, { namespace: '/public' });
    const got = record(anon);
    expect(await send(anon, 'subscribe', { kind: 'group', id: open.slug })).toMatchObject({ ok: false, code: 'not_public' });
    expect(await send(anon, 'subscribe', { kind: 'public', id: closed.slug })).toMatchObject({ ok: false, code: 'group_not_found' });
    await subscribe(anon, { kind: 'public', id: open.slug });

    await ping(app, open.id); // a member-only event: not for the public
    await transact(app.ctx, async (_tx, emit) => emit('test.published', { groupId: open.id, title: 'Final report' }));
    const published = await waitFor(() => named(got, 'test.published')[0], 'the published output');
    expect(published.payload).toMatchObject({ stream: `public:${open.id}`, seq: 1, data: { title: 'Final report' } });
    await sleep(100);
    expect(got.map((r) => r.event)).toEqual(['test.published']);

    // Making the group private ends anonymous following at once.
    const session = await sessionFor(app, convener.email);
    const res = await app.inject({ method: 'PATCH', url: `/api/groups/${open.slug}`, headers: session.headers, payload: { visibility: 'private' } });
    expect(res.statusCode).toBe(200);
    await waitFor(() => named(got, 'unsubscribed')[0], 'unsubscribed');
    expect(named(got, 'unsubscribed')[0]!.payload).toMatchObject({ stream: `public:${open.id}`, code: 'group_not_public' });
  });
});

describe('who receives what', () => {
  it('sends group events to members only: never to outsiders or an observer of another group, never with e-mail addresses', async () => {
    const { group, sessions } = await castAndSignIn();
    const other = await createGroup(app, [{ user: await createUser(app), role: 'CONVENER' }]);
    const otherObserver = await createUser(app, { name: 'Other observer' });
    await app.prisma.membership.create({ data: { groupId: other.id, userId: otherObserver.id, role: 'OBSERVER' } });
    const otherSession = await sessionFor(app, otherObserver.email);

    const participant = await connect(url, { cookie: sessions.participant.cookie });
    const observer = await connect(url, { cookie: sessions.observer.cookie });
    const outsider = await connect(url, { cookie: sessions.outsider.cookie });
    const foreign = await connect(url, { cookie: otherSession.cookie });
    const [p, o, out, f] = [record(participant), record(observer), record(outsider), record(foreign)];
    await subscribe(participant, { kind: 'group', id: group.slug });
    await subscribe(observer, { kind: 'group', id: group.slug });
    expect(await send(outsider, 'subscribe', { kind: 'group', id: group.slug })).toMatchObject({ ok: false, code: 'group_not_found' });
    expect(await send(foreign, 'subscribe', { kind: 'group', id: group.slug })).toMatchObject({ ok: false, code: 'group_not_found' });
    await subscribe(foreign, { kind: 'group', id: other.slug });

    const created = await app.inject({
      method: 'POST',
      url: `/api/groups/${group.slug}/milestones`,
      headers: sessions.convener.headers,
      payload: milestoneBody(1),
    });
    expect(created.statusCode).toBe(201);
    const invite = await app.inject({
      method: 'POST',
      url: `/api/groups/${group.slug}/invitations`,
      headers: sessions.convener.headers,
      payload: { invitees: [{ email: `${unique('new')}@example.test`, name: 'Newcomer' }], role: 'participant' },
    });
    expect(invite.statusCode).toBe(200);

    const event = await waitFor(() => named(p, 'milestones.changed')[0], 'the milestone event');
    expect(event.payload).toEqual({ stream: `group:${group.id}`, seq: 1, at: expect.any(String), data: { change: 'created', milestone: created.json() } });
    await waitFor(() => named(o, 'members.invited')[0], 'the observer gets the invitation event');
    await sleep(150);
    expect(out.filter((r) => r.event !== 'presence')).toEqual([]);
    expect(f.filter((r) => r.event !== 'presence')).toEqual([]);
    expect(JSON.stringify([...p, ...o])).not.toContain('@');
  });

  it("sends an event that needs a convener's permission to conveners only", async () => {
    const { group, sessions } = await castAndSignIn();
    const convener = await connect(url, { cookie: sessions.convener.cookie });
    const participant = await connect(url, { cookie: sessions.participant.cookie });
    const [c, p] = [record(convener), record(participant)];
    await subscribe(convener, { kind: 'group', id: group.slug });
    await subscribe(participant, { kind: 'group', id: group.slug });
    await transact(app.ctx, async (_tx, emit) => emit('test.secret', { groupId: group.id, n: 1 }));
    await ping(app, group.id);
    await waitFor(() => named(p, 'test.ping')[0], 'the ping');
    expect(named(c, 'test.secret')).toHaveLength(1);
    expect(named(p, 'test.secret')).toHaveLength(0);
    // Catch-up obeys the same rule.
    const late = await connect(url, { cookie: sessions.participant.cookie });
    const l = record(late);
    expect(await subscribe(late, { kind: 'group', id: group.slug, since: 0 })).toMatchObject({ seq: 2, replayed: 1 });
    expect(l.filter((r) => r.event.startsWith('test.')).map((r) => r.event)).toEqual(['test.ping']);
  });

  it('lets the operator follow any group, including events for conveners only', async () => {
    const { group } = await castAndSignIn();
    const operator = await createUser(app, { isOperator: true });
    const socket = await connect(url, { cookie: (await sessionFor(app, operator.email)).cookie });
    const got = record(socket);
    await subscribe(socket, { kind: 'group', id: group.slug });
    await transact(app.ctx, async (_tx, emit) => emit('test.secret', { groupId: group.id, n: 1 }));
    await waitFor(() => named(got, 'test.secret')[0], 'the operator gets it');
  });

  it('follows documents through the resolver the documents module provides', async () => {
    const { group, sessions } = await castAndSignIn();
    const documentId = randomUUID();
    documents.set(documentId, group.id);
    const editor = await connect(url, {
      cookie: (
        await sessionFor(
          app,
          (
            await app.prisma.membership.findFirstOrThrow({ where: { groupId: group.id, role: 'EDITOR' }, include: { user: true } })
          ).user.email,
        )
      ).cookie,
    });
    const outsider = await connect(url, { cookie: sessions.outsider.cookie });
    const e = record(editor);
    expect(await subscribe(editor, { kind: 'document', id: documentId })).toMatchObject({ stream: `document:${documentId}`, seq: 0 });
    expect(await send(outsider, 'subscribe', { kind: 'document', id: documentId })).toMatchObject({ ok: false, code: 'document_not_found' });
    expect(await send(editor, 'subscribe', { kind: 'document', id: randomUUID() })).toMatchObject({ ok: false, code: 'document_not_found' });
    await transact(app.ctx, async (_tx, emit) => emit('test.doc', { groupId: group.id, documentId, n: 7 }));
    const got = await waitFor(() => named(e, 'test.doc')[0], 'the document event');
    expect(got.payload).toMatchObject({ stream: `document:${documentId}`, seq: 1, data: { n: 7 } });
  });
});

describe('membership changes on open sockets', () => {
  it('moves a member to their new role at once, and unsubscribes a removed member from the group', async () => {
    const { group, participant: person, sessions } = await castAndSignIn();
    const convener = await connect(url, { cookie: sessions.convener.cookie });
    const participant = await connect(url, { cookie: sessions.participant.cookie });
    const [c, p] = [record(convener), record(participant)];
    await subscribe(convener, { kind: 'group', id: group.slug });
    await subscribe(participant, { kind: 'group', id: group.slug });

    const promote = await app.inject({
      method: 'PATCH',
      url: `/api/groups/${group.slug}/members/${person.id}`,
      headers: sessions.convener.headers,
      payload: { role: 'editor' },
    });
    expect(promote.statusCode).toBe(200);
    await waitFor(
      () =>
        c.find((r) => r.event === 'presence' && r.payload.viewers.some((v: { userId: string; role: string }) => v.userId === person.id && v.role === 'editor')),
      'presence with the new role',
    );

    const removed = await app.inject({ method: 'DELETE', url: `/api/groups/${group.slug}/members/${person.id}`, headers: sessions.convener.headers });
    expect(removed.statusCode).toBe(204);
    const notice = await waitFor(() => named(p, 'unsubscribed')[0], 'the removed member is unsubscribed');
    expect(notice.payload).toMatchObject({ stream: `group:${group.id}`, code: 'access_revoked' });
    await ping(app, group.id);
    await waitFor(() => named(c, 'test.ping')[0], 'the convener still gets events');
    await sleep(100);
    expect(named(p, 'test.ping')).toHaveLength(0);
    expect(participant.connected).toBe(true);
    expect(await send(participant, 'subscribe', { kind: 'group', id: group.slug })).toMatchObject({ ok: false, code: 'group_not_found' });
  });
});

describe('catch-up', () => {
  it('brings a client that was away during 100 changes to exactly the server state', async () => {
    const { group, sessions } = await castAndSignIn();
    const state = new Map<string, unknown>();
    const initial = await app.inject({ method: 'GET', url: `/api/groups/${group.slug}/milestones`, headers: sessions.participant.headers });
    for (const m of initial.json().milestones) state.set(m.id, m);
    let lastSeq = 0;
    const apply = (r: Received) => {
      if (r.event !== 'milestones.changed' || r.payload.seq <= lastSeq) return;
      lastSeq = r.payload.seq;
      const { change, milestone } = r.payload.data;
      if (change === 'deleted') state.delete(milestone.id);
      else state.set(milestone.id, milestone);
    };

    const first = await connect(url, { cookie: sessions.participant.cookie });
    first.onAny((event, payload) => apply({ event, payload }));
    const ack = await subscribe(first, { kind: 'group', id: group.slug });
    lastSeq = ack.seq;
    const seed = await app.inject({
      method: 'POST',
      url: `/api/groups/${group.slug}/milestones`,
      headers: sessions.convener.headers,
      payload: milestoneBody(0),
    });
    await waitFor(() => state.has(seed.json().id), 'the first event live');
    first.close();

    // 100 changes while away: creations, moves, renames and deletions.
    const ids: string[] = [seed.json().id];
    for (let i = 1; i <= 100; i++) {
      const h = sessions.convener.headers;
      if (i % 4 === 0 && ids.length > 1) {
        const id = ids.splice(i % ids.length, 1)[0]!;
        expect((await app.inject({ method: 'DELETE', url: `/api/groups/${group.slug}/milestones/${id}`, headers: h })).statusCode).toBe(204);
      } else if (i % 3 === 0) {
        const id = ids[i % ids.length]!;
        expect(
          (
            await app.inject({
              method: 'PATCH',
              url: `/api/groups/${group.slug}/milestones/${id}`,
              headers: h,
              payload: { label: `Renamed ${i}`, at: milestoneBody(i + 50).at },
            })
          ).statusCode,
        ).toBe(200);
      } else {
        const res = await app.inject({ method: 'POST', url: `/api/groups/${group.slug}/milestones`, headers: h, payload: milestoneBody(i) });
        expect(res.statusCode).toBe(201);
        ids.push(res.json().id);
      }
    }

    const again = await connect(url, { cookie: sessions.participant.cookie });
    again.onAny((event, payload) => apply({ event, payload }));
    const back = await subscribe(again, { kind: 'group', id: group.slug, since: lastSeq });
    expect(back).toMatchObject({ replayed: 100, refetch: false });
    expect(lastSeq).toBe(back.seq);
    const server = await app.inject({ method: 'GET', url: `/api/groups/${group.slug}/milestones`, headers: sessions.participant.headers });
    const expected = new Map(server.json().milestones.map((m: { id: string }) => [m.id, m]));
    expect(state).toEqual(expected);
  });

  it('spends nothing on a stream nobody here follows, and a later subscriber still gets its events by replay, then live', async () => {
    const { group, sessions } = await castAndSignIn();
    const other = await castAndSignIn();
    const watcher = await connect(url, { cookie: other.sessions.participant.cookie });
    const w = record(watcher);
    await subscribe(watcher, { kind: 'group', id: other.group.slug });
    // Every delivery to sockets goes through a BroadcastOperator (hub.deliver: nsp.local.to(rooms).emit).
    const sent: string[] = [];
    const operator = Object.getPrototypeOf(app.realtime.io.of('/').local) as { emit: (event: string, ...args: unknown[]) => boolean };
    const original = operator.emit;
    operator.emit = function (this: unknown, event: string, ...args: unknown[]) {
      sent.push(event);
      return original.call(this, event, ...args);
    };
    try {
      await ping(app, group.id, 2);
      // Delivery is strictly in order: once the other group's ping arrived, ours were handled.
      await ping(app, other.group.id, 1, 'after');
      await waitFor(() => named(w, 'test.ping').find((e) => e.payload.data.note === 'after'), 'the later ping');
      expect(sent.filter((e) => e === 'test.ping')).toEqual(['test.ping']);
    } finally {
      operator.emit = original;
    }
    const late = await connect(url, { cookie: sessions.participant.cookie });
    const got = record(late);
    expect(await subscribe(late, { kind: 'group', id: group.slug, since: 0 })).toMatchObject({ refetch: false, seq: 2, replayed: 2 });
    await ping(app, group.id, 1, 'live');
    await waitFor(() => named(got, 'test.ping').length === 3 || undefined, 'the live ping');
    expect(named(got, 'test.ping').map((e) => e.payload.seq)).toEqual([1, 2, 3]);
  });

  it('answers refetch when more events were missed than the replay limit (150 here, 500 by default)', async () => {
    const { group, sessions } = await castAndSignIn();
    const socket = await connect(url, { cookie: sessions.participant.cookie });
    const got = record(socket);
    await ping(app, group.id, 151);
    const ack = await subscribe(socket, { kind: 'group', id: group.slug, since: 0 });
    expect(ack).toMatchObject({ refetch: true, seq: 151, replayed: 0 });
    expect(named(got, 'test.ping')).toHaveLength(0);
    // A number we never handed out (e.g. from before a database restore) also means refetch.
    expect(await subscribe(socket, { kind: 'group', id: group.slug, since: 9_999 })).toMatchObject({ refetch: true, seq: 151 });
    expect(await subscribe(socket, { kind: 'group', id: group.slug, since: 1 })).toMatchObject({ refetch: false, replayed: 150 });
  });

  it('prunes log rows past the retention, and a client whose missed events were pruned is told to refetch', async () => {
    const { group, sessions } = await castAndSignIn();
    await ping(app, group.id, 5);
    const stream = `group:${group.id}`;
    // Events 1–3 are eight days old; 4–5 are fresh.
    await app.prisma.$executeRaw`UPDATE "RealtimeEvent" SET "createdAt" = now() - interval '8 days' WHERE stream = ${stream} AND seq <= 3`;
    const deleted = await pruneRealtimeEvents(app.ctx, { olderThanMs: 7 * 86_400_000 });
    expect(deleted).toBeGreaterThanOrEqual(3);
    const left = await app.prisma.realtimeEvent.findMany({ where: { stream }, orderBy: { seq: 'asc' }, select: { seq: true } });
    expect(left.map((r) => r.seq)).toEqual([4, 5]);

    const socket = await connect(url, { cookie: sessions.participant.cookie });
    const got = record(socket);
    // Seen up to 1: events 2 and 3 are gone, so a replay would silently skip them.
    expect(await subscribe(socket, { kind: 'group', id: group.slug, since: 1 })).toMatchObject({ refetch: true, seq: 5, replayed: 0 });
    expect(named(got, 'test.ping')).toHaveLength(0);
    // Seen up to 3: everything after it is still logged.
    expect(await subscribe(socket, { kind: 'group', id: group.slug, since: 3 })).toMatchObject({ refetch: false, replayed: 2 });
  });

  it('schedules the daily prune of the realtime log', async () => {
    const schedules = await app.jobs.boss.getSchedules();
    expect(schedules.map((s: { name: string }) => s.name)).toContain(PRUNE_QUEUE);
  });

  it('numbers events per stream, in commit order, under concurrent writers', async () => {
    const { group } = await castAndSignIn();
    await Promise.all(Array.from({ length: 10 }, () => ping(app, group.id, 3)));
    const rows = await app.prisma.realtimeEvent.findMany({ where: { stream: `group:${group.id}` }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // Within one transaction the events keep their order.
    const byTx = rows.map((r) => (r.data as { n: number }).n);
    expect(byTx.filter((n) => n === 1)).toHaveLength(10);
  });
});

describe('presence', () => {
  it('lists who is viewing a group, with name and role, as people come and go', async () => {
    const { group, convener: c, participant: p, sessions } = await castAndSignIn();
    const convener = await connect(url, { cookie: sessions.convener.cookie });
    const seen = record(convener);
    await subscribe(convener, { kind: 'group', id: group.slug });
    const participant = await connect(url, { cookie: sessions.participant.cookie });
    await subscribe(participant, { kind: 'group', id: group.slug });
    // A second tab of the same person counts once.
    const tab = await connect(url, { cookie: sessions.participant.cookie });
    await subscribe(tab, { kind: 'group', id: group.slug });

    const both = await waitFor(() => seen.filter((r) => r.event === 'presence' && r.payload.count === 2).at(-1), 'both viewers');
    expect(both.payload.viewers).toEqual(
      expect.arrayContaining([
        { userId: c.id, name: c.name, role: 'convener' },
        { userId: p.id, name: p.name, role: 'participant' },
      ]),
    );
    expect(JSON.stringify(both.payload)).not.toContain('@');
    participant.close();
    tab.close();
    const alone = await waitFor(() => {
      const last = seen.filter((r) => r.event === 'presence').at(-1);
      return last?.payload.count === 1 && last;
    }, 'the participant gone');
    expect(alone.payload.viewers).toEqual([{ userId: c.id, name: c.name, role: 'convener' }]);
  });
});

describe('bad input', () => {
  it('answers unknown events, malformed and oversized payloads and forbidden groups with an error code, joins nothing, keeps the connection', async () => {
    const { group, sessions } = await castAndSignIn();
    const other = await createGroup(app, [{ user: await createUser(app), role: 'CONVENER' }]);
    const socket = await connect(url, { cookie: sessions.participant.cookie });
    const got = record(socket);
    expect(await send(socket, 'shout', { hello: 1 })).toMatchObject({ ok: false, code: 'unknown_event' });
    expect(await send(socket, 'subscribe', 'group')).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await send(socket, 'subscribe', { kind: 'room', id: group.slug })).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await send(socket, 'subscribe', { kind: 'group', id: group.slug, since: -1 })).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await send(socket, 'subscribe', { kind: 'group', id: group.slug, admin: true })).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await send(socket, 'subscribe', { kind: 'group', id: 'x'.repeat(5000) })).toMatchObject({ ok: false, code: 'payload_too_large' });
    expect(await send(socket, 'subscribe', { kind: 'group', id: other.slug })).toMatchObject({ ok: false, code: 'group_not_found' });
    expect(await send(socket, 'unsubscribe', { stream: `group:${other.id}` })).toMatchObject({ ok: false, code: 'not_subscribed' });
    socket.emit('shout', { no: 'ack' });
    await waitFor(() => named(got, 'rejected')[0], 'a rejected notice');
    expect(named(got, 'rejected')[0]!.payload).toMatchObject({ event: 'shout', code: 'unknown_event' });

    await ping(app, other.id);
    await sleep(100);
    expect(got.filter((r) => r.event === 'test.ping')).toEqual([]);
    expect(socket.connected).toBe(true);
    await subscribe(socket, { kind: 'group', id: group.slug });
    expect(await send(socket, 'unsubscribe', { stream: `group:${group.id}` })).toMatchObject({ ok: true });
  });

  it('rate-limits a flood per connection (token bucket) and keeps serving afterwards', async () => {
    const { group, sessions } = await castAndSignIn();
    const socket = await connect(url, { cookie: sessions.participant.cookie });
    const answers = await Promise.all(Array.from({ length: 100 }, () => send(socket, 'subscribe', { kind: 'group', id: group.slug })));
    const limited = answers.filter((a) => !a.ok && a.code === 'rate_limited').length;
    expect(limited).toBeGreaterThanOrEqual(75); // burst 20, 10/s
    expect(answers.filter((a) => a.ok).length).toBeLessThanOrEqual(25);
    expect(socket.connected).toBe(true);
    // Another connection of the same person has its own bucket.
    const fresh = await connect(url, { cookie: sessions.participant.cookie });
    expect(await send(fresh, 'subscribe', { kind: 'group', id: group.slug })).toMatchObject({ ok: true });
    await sleep(300);
    expect(await send(socket, 'subscribe', { kind: 'group', id: group.slug })).toMatchObject({ ok: true });
  });
});
