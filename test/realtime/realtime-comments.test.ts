// Comments, revisions and comment periods live over socket.io, with real
// socket.io-client connections: who receives a comment, what it carries, and catch-up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, sessionFor, type Session } from '../helpers/factories.ts';
import { closeAllSockets, connect, listen, record, send, sleep, subscribe, waitFor, type Received } from '../helpers/sockets.ts';
import { inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';

let app: TestApp;
let url: string;

beforeAll(async () => {
  app = await createTestApp();
  url = await listen(app);
});
afterAll(async () => {
  closeAllSockets();
  await app.close();
});

const named = (received: Received[], event: string) => received.filter((r) => r.event === event);

async function groupWithOpenDocument() {
  const cast = await createCastedGroup(app);
  const [convener, participant, observer, outsider] = (await Promise.all(
    [cast.convener, cast.participant, cast.observer, cast.outsider].map((p) => sessionFor(app, p.email)),
  )) as [Session, Session, Session, Session];
  const slug = cast.group.slug;
  const document = await postDocument(app, slug, convener);
  const revision = await postMarkdownRevision(app, slug, document.id, convener);
  const period = await openPeriodApi(app, slug, document.id, convener, 1, inHours(-1), inHours(48));
  return { ...cast, slug, document, revision, period, sessions: { convener, participant, observer, outsider } };
}

async function postComment(slug: string, documentId: string, s: Session, body: string, clauseId: string | null = null) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/groups/${slug}/documents/${documentId}/revisions/1/comments`,
    headers: s.headers,
    payload: { clauseId, type: 'technical', body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number; status: string; body: string; createdAt: string };
}

async function postReply(slug: string, documentId: string, s: Session, commentId: string, body: string) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/groups/${slug}/documents/${documentId}/comments/${commentId}/replies`,
    headers: s.headers,
    payload: { body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

describe('comments on a followed document', () => {
  it('reach a member following the document, never an outsider or an observer of another group, and carry no e-mail address', async () => {
    const g = await groupWithOpenDocument();
    const other = await createCastedGroup(app);
    const otherObserver = await sessionFor(app, other.observer.email);
    const otherConvener = await sessionFor(app, other.convener.email);
    const otherDocument = await postDocument(app, other.group.slug, otherConvener);

    const follower = await connect(url, { cookie: g.sessions.participant.cookie });
    const observer = await connect(url, { cookie: g.sessions.observer.cookie });
    const outsider = await connect(url, { cookie: g.sessions.outsider.cookie });
    const foreign = await connect(url, { cookie: otherObserver.cookie });
    const [gotFollower, gotObserver, gotOutsider, gotForeign] = [follower, observer, outsider, foreign].map(record) as [
      Received[],
      Received[],
      Received[],
      Received[],
    ];

    await subscribe(follower, { kind: 'document', id: g.document.id });
    await subscribe(observer, { kind: 'document', id: g.document.id });
    // Not in the group: the document reads as not found, nothing joined.
    expect(await send(outsider, 'subscribe', { kind: 'document', id: g.document.id })).toMatchObject({ ok: false, code: 'document_not_found' });
    expect(await send(foreign, 'subscribe', { kind: 'document', id: g.document.id })).toMatchObject({ ok: false, code: 'document_not_found' });
    expect(await send(foreign, 'subscribe', { kind: 'document', id: 'not-a-uuid' })).toMatchObject({ ok: false, code: 'document_not_found' });
    await subscribe(foreign, { kind: 'document', id: otherDocument.id });

    const clause = g.revision.clauses.find((c) => c.number === '7.1')!;
    const comment = await postComment(g.slug, g.document.id, g.sessions.convener, 'Key extraction needs a **countermeasure**.', clause.id);
    const event = await waitFor(() => named(gotFollower, 'comments.created')[0], 'the comment at the follower');
    expect(event.payload).toMatchObject({
      stream: `document:${g.document.id}`,
      data: {
        id: comment.id,
        clauseId: clause.id,
        clauseNumber: '7.1',
        type: 'technical',
        parentId: null,
        author: { id: g.convener.id, name: g.convener.name, affiliation: g.convener.affiliation },
      },
    });
    expect(event.payload.data.bodyHtml).toContain('<strong>countermeasure</strong>');
    // Exactly what the POST answered (the same presenter; instants from the database clock).
    expect(event.payload.data).toEqual({ ...comment, replyCount: 0 });
    expect(JSON.stringify(event.payload)).not.toContain(g.convener.email);
    expect(Object.keys(event.payload.data.author).sort()).toEqual(['affiliation', 'id', 'name']);
    // Observers read comments (they never write them).
    await waitFor(() => named(gotObserver, 'comments.created')[0], 'the comment at the observer');

    // A reply is a comments.created with its parent.
    const reply = await postReply(g.slug, g.document.id, g.sessions.participant, comment.id, 'Agreed, see 7.2 too.');
    const replied = await waitFor(() => named(gotFollower, 'comments.created').find((r) => r.payload.data.id === reply.id), 'the reply');
    expect(replied.payload.data).toMatchObject({ parentId: comment.id, type: null, author: { id: g.participant.id } });
    expect(JSON.stringify(replied.payload)).not.toContain(g.participant.email);

    await sleep(150);
    expect([...gotOutsider, ...gotForeign].filter((r) => r.event.startsWith('comments.'))).toEqual([]);
  });

  it('makes edits, withdrawals, new revisions and period extensions live on the document stream, in sequence', async () => {
    const g = await groupWithOpenDocument();
    const follower = await connect(url, { cookie: g.sessions.participant.cookie });
    const got = record(follower);
    const ack = await subscribe(follower, { kind: 'document', id: g.document.id });

    const mine = await postComment(g.slug, g.document.id, g.sessions.participant, 'First wording.');
    const base = `/api/groups/${g.slug}/documents/${g.document.id}`;
    const edited = await app.inject({
      method: 'PATCH',
      url: `${base}/comments/${mine.id}`,
      headers: g.sessions.participant.headers,
      payload: { body: 'Second wording.' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const withdrawn = await app.inject({ method: 'POST', url: `${base}/comments/${mine.id}/withdraw`, headers: g.sessions.participant.headers });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const extended = await app.inject({
      method: 'POST',
      url: `${base}/periods/${g.period.id}/extensions`,
      headers: g.sessions.convener.headers,
      payload: { closesAt: inHours(96), reason: 'Two administrations asked for more time.' },
    });
    expect(extended.statusCode, extended.body).toBe(200);
    await postMarkdownRevision(app, g.slug, g.document.id, g.sessions.convener, undefined, "Conveners' draft");

    const names = ['comments.created', 'comments.updated', 'comments.withdrawn', 'periods.extended', 'revisions.posted'];
    await waitFor(() => names.every((n) => named(got, n).length), 'every event');
    const events = got.filter((r) => names.includes(r.event));
    expect(events.map((e) => e.event)).toEqual(names);
    expect(events.map((e) => e.payload.seq)).toEqual(names.map((_, i) => ack.seq + 1 + i));
    expect(named(got, 'comments.updated')[0]!.payload.data).toMatchObject({ id: mine.id, version: 2, body: 'Second wording.' });
    // The edit's event is the comment exactly as the route answered it (both presented from what the transaction wrote).
    expect(named(got, 'comments.updated')[0]!.payload.data).toEqual(edited.json());
    expect(named(got, 'comments.withdrawn')[0]!.payload.data).toMatchObject({ id: mine.id, status: 'withdrawn' });
    expect(named(got, 'periods.extended')[0]!.payload.data).toMatchObject({
      id: g.period.id,
      extensions: [{ reason: 'Two administrations asked for more time.' }],
    });
    expect(named(got, 'revisions.posted')[0]!.payload.data).toMatchObject({ sequence: 2, label: "Conveners' draft", postedBy: { id: g.convener.id } });
    expect(JSON.stringify(events)).not.toMatch(/@/);
  });

  it('announces a new document to the group', async () => {
    const g = await groupWithOpenDocument();
    const member = await connect(url, { cookie: g.sessions.participant.cookie });
    const got = record(member);
    await subscribe(member, { kind: 'group', id: g.slug });
    const created = await postDocument(app, g.slug, g.sessions.convener, 'Liaison statement');
    expect((await waitFor(() => named(got, 'documents.created')[0], 'documents.created')).payload.data).toMatchObject({
      id: created.id,
      title: 'Liaison statement',
      state: 'draft',
    });
  });
});

describe('a late comment', () => {
  it('records nothing on the document stream and sends nothing', async () => {
    const g = await groupWithOpenDocument();
    const follower = await connect(url, { cookie: g.sessions.observer.cookie });
    const got = record(follower);
    const ack = await subscribe(follower, { kind: 'document', id: g.document.id });
    const closed = await app.inject({
      method: 'POST',
      url: `/api/groups/${g.slug}/documents/${g.document.id}/periods/${g.period.id}/close`,
      headers: g.sessions.convener.headers,
      payload: { reason: 'Closed early.' },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    await waitFor(() => named(got, 'periods.closed')[0], 'periods.closed');
    const late = await app.inject({
      method: 'POST',
      url: `/api/groups/${g.slug}/documents/${g.document.id}/revisions/1/comments`,
      headers: g.sessions.participant.headers,
      payload: { type: 'general', body: 'Too late.' },
    });
    expect(late.statusCode).toBe(409);
    const head = await app.prisma.realtimeStream.findUniqueOrThrow({ where: { key: `document:${g.document.id}` } });
    expect(head.lastSeq).toBe(ack.seq + 1); // the period closing only
    await sleep(150);
    expect(named(got, 'comments.created')).toEqual([]);
  });
});

describe('catch-up', () => {
  it('brings a client that was disconnected while 100 comments were posted to exactly the server’s comment set', async () => {
    const g = await groupWithOpenDocument();
    type Held = { id: string; version: number; status: string; body: string; parentId: string | null };
    const held = new Map<string, Held>();
    let lastSeq = 0;
    const apply = (r: Received) => {
      if (!r.event.startsWith('comments.') || r.payload.seq <= lastSeq) return;
      lastSeq = r.payload.seq;
      const c = r.payload.data;
      held.set(c.id, { id: c.id, version: c.version, status: c.status, body: c.body, parentId: c.parentId });
    };

    const first = await connect(url, { cookie: g.sessions.observer.cookie });
    first.onAny((event: string, payload: unknown) => apply({ event, payload }));
    const before = await postComment(g.slug, g.document.id, g.sessions.participant, 'Before the laptop slept.');
    lastSeq = (await subscribe(first, { kind: 'document', id: g.document.id })).seq;
    // The client loads the current state over HTTP, then follows.
    const loaded = await app.inject({
      method: 'GET',
      url: `/api/groups/${g.slug}/documents/${g.document.id}/comments/export`,
      headers: { cookie: g.sessions.observer.cookie },
    });
    for (const c of loaded.json().comments) held.set(c.id, { id: c.id, version: c.version, status: c.status, body: c.body, parentId: c.parentId });
    expect(held.has(before.id)).toBe(true);
    first.close();

    // 100 comments while it sleeps (10 of them replies, posted 10 at a time), then an edit and a withdrawal.
    const authors = [g.sessions.participant, g.sessions.convener];
    const posted: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const made = await Promise.all(Array.from({ length: 9 }, (_, i) => postComment(g.slug, g.document.id, authors[i % 2]!, `Comment ${batch}.${i}`)));
      posted.push(...made.map((c) => c.id), (await postReply(g.slug, g.document.id, g.sessions.convener, made[0]!.id, `Reply ${batch}`)).id);
    }
    expect(posted).toHaveLength(100);
    const base = `/api/groups/${g.slug}/documents/${g.document.id}`;
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: `${base}/comments/${before.id}`,
          headers: g.sessions.participant.headers,
          payload: { body: 'Edited while it slept.' },
        })
      ).statusCode,
    ).toBe(200);
    expect((await app.inject({ method: 'POST', url: `${base}/comments/${posted[2]}/withdraw`, headers: g.sessions.participant.headers })).statusCode).toBe(200);

    const again = await connect(url, { cookie: g.sessions.observer.cookie });
    const replayed: Received[] = [];
    again.onAny((event: string, payload: unknown) => {
      replayed.push({ event, payload });
      apply({ event, payload });
    });
    const ack = await subscribe(again, { kind: 'document', id: g.document.id, since: lastSeq });
    expect(ack).toMatchObject({ ok: true, refetch: false, replayed: 102 });
    expect(lastSeq).toBe(ack.seq);

    const server = (await app.inject({ method: 'GET', url: `${base}/comments/export`, headers: { cookie: g.sessions.observer.cookie } })).json()
      .comments as Held[];
    const shape = (c: Held) => ({ id: c.id, version: c.version, status: c.status, body: c.body, parentId: c.parentId });
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect([...held.values()].map(shape).sort(byId)).toEqual(server.map(shape).sort(byId));
    expect(server).toHaveLength(101);
    expect(held.get(before.id)).toMatchObject({ version: 2, body: 'Edited while it slept.' });
    expect(held.get(posted[2]!)).toMatchObject({ status: 'withdrawn' });
  });
});
