// Comments that arrive together are written together (group commit, insert-comments.ts): one
// statement, one commit. These tests hold the batch to what a comment written alone guarantees:
// each caller's own answer, gap-free sequence numbers delivered in order, an audit entry per
// comment, and no comment refused for its neighbour's sake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, sessionFor, type Session } from '../helpers/factories.ts';
import { closeAllSockets, connect, listen, record, subscribe, waitFor } from '../helpers/sockets.ts';
import { inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';
import { writeComment, type CommentDraft } from '../../server/modules/comments/insert-comments.ts';
import { uuidv7 } from '../../server/lib/uuid.ts';

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

async function openDocument() {
  const cast = await createCastedGroup(app);
  const sessions = (await Promise.all(
    [cast.convener, cast.editor, cast.participant, cast.observer, cast.outsider].map((p) => sessionFor(app, p.email)),
  )) as Session[];
  const [convener, editor, participant, observer, outsider] = sessions as [Session, Session, Session, Session, Session];
  const document = await postDocument(app, cast.group.slug, convener);
  const revision = await postMarkdownRevision(app, cast.group.slug, document.id, convener);
  await openPeriodApi(app, cast.group.slug, document.id, convener, 1, inHours(-1), inHours(24));
  return { cast, slug: cast.group.slug, document, revision, convener, editor, participant, observer, outsider };
}

describe('comments posted at the same time', () => {
  it('each get their own answer, are all stored and audited, and reach followers with consecutive sequence numbers in order', async () => {
    const g = await openDocument();
    const follower = await connect(url, { cookie: g.participant.cookie });
    const got = record(follower);
    const ack = await subscribe(follower, { kind: 'document', id: g.document.id });
    const clause = g.revision.clauses.find((c) => c.number === '7.1')!;
    const writers = [g.convener, g.editor, g.participant];
    const bursts = Array.from({ length: 36 }, (_, i) => ({
      who: i % 12 === 5 ? g.observer : i % 12 === 11 ? g.outsider : writers[i % 3]!,
      body: `**Burst** comment ${i}.`,
    }));

    const answers = await Promise.all(
      bursts.map(({ who, body }) =>
        app.inject({
          method: 'POST',
          url: `/api/groups/${g.slug}/documents/${g.document.id}/revisions/1/comments`,
          headers: who.headers,
          payload: { clauseId: clause.id, type: 'technical', body, quotedText: 'keys' },
        }),
      ),
    );

    bursts.forEach(({ who, body }, i) => {
      const res = answers[i]!;
      if (who === g.observer) expect([res.statusCode, res.json().code]).toEqual([403, 'forbidden']);
      else if (who === g.outsider) expect([res.statusCode, res.json().code]).toEqual([404, 'group_not_found']);
      // Each answer carries its own Markdown rendered (batches render their comments together).
      else expect([res.statusCode, res.json().body, res.json().bodyHtml]).toEqual([201, body, `<p><strong>Burst</strong> comment ${i}.</p>`]);
    });
    const created = answers.filter((r) => r.statusCode === 201).map((r) => r.json() as { id: string });
    expect(created).toHaveLength(30);

    const stored = await app.prisma.comment.findMany({ where: { documentId: g.document.id } });
    expect(stored.map((c) => c.id).sort()).toEqual(created.map((c) => c.id).sort());
    expect(await app.prisma.auditEntry.count({ where: { action: 'comments.created', entityId: { in: created.map((c) => c.id) } } })).toBe(30);
    // Fewer statements than comments: comments that waited for the one in flight went together.
    expect(new Set(stored.map((c) => c.createdAt.getTime())).size).toBeLessThan(30);

    await waitFor(() => got.filter((r) => r.event === 'comments.created').length >= 30 && true, 'all 30 comments at the follower');
    const live = got.filter((r) => r.event === 'comments.created');
    expect(live.map((r) => r.payload.seq)).toEqual(Array.from({ length: 30 }, (_, i) => ack.seq + 1 + i));
    expect(live.map((r) => r.payload.data.id).sort()).toEqual(created.map((c) => c.id).sort());
    const log = await app.prisma.realtimeEvent.findMany({ where: { stream: `document:${g.document.id}`, name: 'comments.created' }, orderBy: { seq: 'asc' } });
    expect(log.map((e) => e.seq)).toEqual(live.map((r) => r.payload.seq));
    // Each event shows its own comment with the database instant it was stored at.
    for (const r of live) {
      const row = stored.find((c) => c.id === r.payload.data.id)!;
      expect(r.payload.data).toMatchObject({ body: row.body, bodyHtml: row.bodyHtml, createdAt: row.createdAt.toISOString(), author: { id: row.authorId } });
      expect(row.bodyHtml).toBe(`<p><strong>Burst</strong> ${row.body.slice('**Burst** '.length)}</p>`);
    }
  });

  it('are not refused for a neighbour: a batch one comment breaks is written again one comment at a time', async () => {
    const g = await openDocument();
    const clause = g.revision.clauses[0]!;
    const row = (i: number, clauseId: string, id = uuidv7()): CommentDraft => ({
      id,
      documentId: g.document.id,
      revisionId: g.revision.id,
      clauseId,
      parentId: null,
      authorId: g.cast.participant.id,
      groupId: g.cast.group.id,
      type: 'GENERAL',
      body: `Row ${i}`,
      proposedChange: '',
      quotedText: null,
      anyTime: false,
      memberSlug: g.slug,
      operator: false,
      audit: { actorId: g.cast.participant.id, groupId: g.cast.group.id, action: 'comments.created', entityType: 'comment', entityId: id, after: {} },
      present: () => ({ id: `row-${i}` }),
      event: {
        name: 'comments.created',
        payload: {
          groupId: g.cast.group.id,
          documentId: g.document.id,
          revisionId: g.revision.id,
          commentId: id,
          clauseId,
          parentId: null,
          authorId: g.cast.participant.id,
        },
        recorded: true,
      },
      stream: `document:${g.document.id}`,
      read: 'comments.read',
    });
    // The first write goes at once; the rest wait and go as one batch, which row 6 (no such clause) breaks.
    const rows = Array.from({ length: 10 }, (_, i) => row(i, i === 6 ? uuidv7() : clause.id));
    const outcomes = await Promise.allSettled(rows.map((r) => writeComment(app.ctx, r)));
    expect(outcomes.map((o) => o.status)).toEqual(rows.map((_, i) => (i === 6 ? 'rejected' : 'fulfilled')));
    for (const o of outcomes) if (o.status === 'fulfilled') expect(o.value.createdAt).toBeInstanceOf(Date);
    expect((await app.prisma.comment.findMany({ where: { documentId: g.document.id }, select: { body: true } })).map((c) => c.body).sort()).toEqual(
      rows
        .filter((_, i) => i !== 6)
        .map((r) => r.body)
        .sort(),
    );
    const log = await app.prisma.realtimeEvent.findMany({ where: { stream: `document:${g.document.id}`, name: 'comments.created' }, orderBy: { seq: 'asc' } });
    expect(log).toHaveLength(9);
    expect(log.map((e) => e.seq - log[0]!.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
