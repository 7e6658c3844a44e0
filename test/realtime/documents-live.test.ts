// Documents made live by their own modules: members follow a real document and receive its
// comments (created, edited, withdrawn), period changes and new revisions as the HTTP routes
// present them; outsiders cannot follow it, and nothing carries an e-mail address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, sessionFor, type Session } from '../helpers/factories.ts';
import { inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';
import { closeAllSockets, connect, listen, record, send, subscribe, waitFor, type Received } from '../helpers/sockets.ts';

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

describe('a document followed live', () => {
  it('delivers comments, edits, withdrawals, period changes and new revisions to members, in seq order, without addresses', async () => {
    const cast = await createCastedGroup(app);
    const [convener, participant, observer, outsider] = (await Promise.all(
      [cast.convener, cast.participant, cast.observer, cast.outsider].map((p) => sessionFor(app, p.email)),
    )) as [Session, Session, Session, Session];
    const slug = cast.group.slug;
    const document = await postDocument(app, slug, convener);
    const revision = await postMarkdownRevision(app, slug, document.id, convener);
    const period = await openPeriodApi(app, slug, document.id, convener, 1, inHours(-1), inHours(5));

    const denied = await send(await connect(url, { cookie: outsider.cookie }), 'subscribe', { kind: 'document', id: document.id });
    expect(denied).toMatchObject({ ok: false });
    const unknown = await send(await connect(url, { cookie: observer.cookie }), 'subscribe', { kind: 'document', id: 'not-a-uuid' });
    expect(unknown).toMatchObject({ ok: false, code: 'document_not_found' });

    const socket = await connect(url, { cookie: observer.cookie });
    const received = record(socket);
    const ack = await subscribe(socket, { kind: 'document', id: document.id });
    expect(ack.stream).toBe(`document:${document.id}`);

    const base = `/api/groups/${slug}/documents/${document.id}`;
    const clause = revision.clauses.find((c) => c.number === '7.1')!;
    const created = await app.inject({
      method: 'POST',
      url: `${base}/revisions/1/comments`,
      headers: participant.headers,
      payload: { clauseId: clause.id, type: 'technical', body: 'Keys need protection.', quotedText: 'keys extracted' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    await app.inject({ method: 'PATCH', url: `${base}/comments/${id}`, headers: participant.headers, payload: { body: 'Keys need hardware protection.' } });
    await app.inject({ method: 'POST', url: `${base}/comments/${id}/withdraw`, headers: participant.headers });
    await app.inject({
      method: 'POST',
      url: `${base}/periods/${period.id}/extensions`,
      headers: convener.headers,
      payload: { closesAt: inHours(48), reason: 'Late national consultation.' },
    });
    await postMarkdownRevision(app, slug, document.id, convener, '# 1 Scope\n\nShorter.', "Conveners' draft");

    await waitFor(() => named(received, 'revisions.posted').length === 1, 'the new revision');
    const [c1, c2, c3] = [named(received, 'comments.created')[0]!, named(received, 'comments.updated')[0]!, named(received, 'comments.withdrawn')[0]!];
    expect(c1.payload.data).toMatchObject({
      id,
      clauseId: clause.id,
      clauseNumber: '7.1',
      type: 'technical',
      status: 'open',
      author: { id: cast.participant.id, name: cast.participant.name },
    });
    expect(c2.payload.data).toMatchObject({ id, body: 'Keys need hardware protection.', version: 2 });
    expect(c3.payload.data).toMatchObject({ id, status: 'withdrawn' });
    expect(named(received, 'periods.extended')[0]!.payload.data).toMatchObject({ id: period.id, extensions: [{ reason: 'Late national consultation.' }] });
    expect(named(received, 'revisions.posted')[0]!.payload.data).toMatchObject({ sequence: 2, label: "Conveners' draft" });
    const seqs = received.filter((r) => r.payload?.seq !== undefined).map((r) => r.payload.seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(JSON.stringify(received)).not.toContain('@');

    // A reconnecting client catches up from the last seq it saw.
    const late = await connect(url, { cookie: observer.cookie });
    const replay = record(late);
    const again = await subscribe(late, { kind: 'document', id: document.id, since: seqs[0] });
    expect(again.replayed).toBe(seqs.length - 1);
    expect(named(replay, 'comments.updated')).toHaveLength(1);
  });
});
