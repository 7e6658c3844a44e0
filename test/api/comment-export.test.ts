// The export (GET …/comments/export) writes its JSON without the generic layers (list-comments.ts,
// exportCommentsJson): flat rows, instants respelled from PostgreSQL's text, no per-field schema
// encoding. These tests hold its answer to what the generic path gives for the same comments:
// Prisma's nested read through presentComment, and the route's own response schema. Any field
// added to one and not the other, respelled, reordered or escaped differently breaks them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, createUser, sessionFor } from '../helpers/factories.ts';
import { DRAFT_MD, inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';
import { presentComment, type CommentWithContext } from '../../server/modules/comments/comments.presenter.ts';
import { CommentSchema } from '../../server/modules/comments/comments.schemas.ts';
import { isoFromUtcText } from '../../server/modules/comments/list-comments.ts';
import { uuidv7 } from '../../server/lib/uuid.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

const ExportSchema = z.strictObject({ documentId: z.string(), comments: z.array(CommentSchema) });

/** The generic path: Prisma's nested read, presented by presentComment. */
async function reference(documentId: string) {
  const comments = await app.prisma.comment.findMany({
    where: { documentId },
    include: {
      author: { select: { id: true, name: true, affiliation: true } },
      revision: { select: { sequence: true } },
      clause: { select: { number: true } },
      carriedTo: { include: { revision: { select: { sequence: true } }, clause: { select: { number: true } } }, orderBy: { revision: { sequence: 'asc' } } },
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return { documentId, comments: (comments as CommentWithContext[]).map(presentComment) };
}

async function exported(slug: string, documentId: string, cookie: string) {
  const res = await app.inject({ method: 'GET', url: `/api/groups/${slug}/documents/${documentId}/comments/export`, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  return res;
}

describe('comment export', () => {
  it('answers what presentComment gives for each comment, carried through a revision that renumbers and removes clauses, in the response schema', async () => {
    const cast = await createCastedGroup(app);
    const [convener, participant, editor, observer] = await Promise.all([
      sessionFor(app, cast.convener.email),
      sessionFor(app, cast.participant.email),
      sessionFor(app, cast.editor.email),
      sessionFor(app, cast.observer.email),
    ]);
    const slug = cast.group.slug;
    const doc = await postDocument(app, slug, convener);
    const r1 = await postMarkdownRevision(app, slug, doc.id, convener);
    await openPeriodApi(app, slug, doc.id, convener, 1, inHours(-1), inHours(24));
    const base = `/api/groups/${slug}/documents/${doc.id}`;
    const clause = (n: string) => r1.clauses.find((c) => c.number === n)!.id;
    const post = async (who: typeof participant, payload: Record<string, unknown>) => {
      const res = await app.inject({ method: 'POST', url: `${base}/revisions/1/comments`, headers: who.headers, payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string };
    };
    const quoted = await post(participant, {
      clauseId: clause('7.1'),
      type: 'technical',
      body: 'Keys "extracted" \\ </script> need **tamper** resistance — ☃ 𝄞',
      proposedChange: 'Add\ttamper-resistant storage.',
      quotedText: 'their keys extracted',
    });
    await post(editor, { type: 'general', body: 'The report should say who it is for.' });
    const removed = await post(participant, { clauseId: clause('7.3'), type: 'editorial', body: 'Typo in the heading.' });
    const edited = await post(participant, { clauseId: clause('2'), type: 'editorial', body: 'First wording.' });
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: `${base}/comments/${edited.id}`,
          headers: participant.headers,
          payload: { version: 1, body: 'Second wording.' },
        })
      ).statusCode,
    ).toBe(200);
    const withdrawn = await post(editor, { clauseId: clause('1'), type: 'general', body: 'Never mind.' });
    expect((await app.inject({ method: 'POST', url: `${base}/comments/${withdrawn.id}/withdraw`, headers: editor.headers })).statusCode).toBe(200);
    const reply = await app.inject({
      method: 'POST',
      url: `${base}/comments/${quoted.id}/replies`,
      headers: convener.headers,
      payload: { body: 'Agreed, see 7.1.' },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    // Revision 2 renumbers 7.x to 8.x, rewords 2, removes 7.3: matched, renumbered, orphaned links.
    await postMarkdownRevision(
      app,
      slug,
      doc.id,
      convener,
      DRAFT_MD.replace('# 7 Security', '# 8 Security')
        .replace('## 7.1', '## 8.1')
        .replace('## 7.2', '## 8.2')
        .replace(/## 7\.3[^\n]*\n\n[^\n]*/, '')
        .replace('Overview of the Internet of things.', 'Overview of the IoT.'),
      "Conveners' draft",
    );

    const res = await exported(slug, doc.id, observer.cookie);
    const body = res.json();
    const expected = await reference(doc.id);
    expect(body).toStrictEqual(expected);
    expect(ExportSchema.parse(body)).toStrictEqual(body);
    // The case under test did happen: edits, withdrawal, replies, each kind of carry.
    expect(body.comments).toHaveLength(6);
    const byId = new Map(body.comments.map((c: { id: string }) => [c.id, c]));
    expect(byId.get(edited.id)).toMatchObject({ version: 2, body: 'Second wording.' });
    expect(byId.get(withdrawn.id)).toMatchObject({ status: 'withdrawn', withdrawnAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
    expect(byId.get(removed.id)).toMatchObject({ carriedTo: [expect.objectContaining({ revision: 2, clauseId: null, reason: 'orphaned' })] });
    expect(byId.get(quoted.id)).toMatchObject({ carriedTo: [expect.objectContaining({ revision: 2, clauseNumber: '8.1' })] });
    // No e-mail address of anyone in the answer (PII).
    for (const person of [cast.convener, cast.participant, cast.editor]) expect(res.body).not.toContain(person.email);
  });

  it('answers an empty list for a document without comments', async () => {
    const cast = await createCastedGroup(app);
    const convener = await sessionFor(app, cast.convener.email);
    const doc = await postDocument(app, cast.group.slug, convener);
    const res = await exported(cast.group.slug, doc.id, convener.cookie);
    expect(res.json()).toStrictEqual({ documentId: doc.id, comments: [] });
  });

  it('matches the generic path for generated comments: any text, instants, types, statuses and carry similarities', async () => {
    const cast = await createCastedGroup(app);
    const convener = await sessionFor(app, cast.convener.email);
    const slug = cast.group.slug;
    // An author whose name and affiliation need escaping too.
    const odd = await createUser(app, { name: 'Zoë "Q" \\ Ø\u0001\u2028', affiliation: 'SG17 </script> <!-- 𝄞' });
    const authors = [cast.convener.id, cast.participant.id, odd.id];
    const doc = await postDocument(app, slug, convener);
    const revisions = [await postMarkdownRevision(app, slug, doc.id, convener)];
    revisions.push(await postMarkdownRevision(app, slug, doc.id, convener, DRAFT_MD, 'Second'));
    revisions.push(await postMarkdownRevision(app, slug, doc.id, convener, DRAFT_MD, 'Third'));
    const [first, ...later] = revisions;

    // Text PostgreSQL can store: anything but NUL (unpaired surrogates are refused at the door, text-input.ts).
    const text = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replaceAll('\0', ''));
    // Milliseconds that PostgreSQL writes with 0 to 3 digits (.000 is omitted, .120 is ".12").
    const instant = fc
      .tuple(fc.integer({ min: Date.UTC(1970, 0, 1) / 1000, max: Date.UTC(2999, 11, 31) / 1000 }), fc.constantFrom(0, 100, 120, 123, 999, 7))
      .map(([s, ms]) => new Date(s * 1000 + ms));
    const comment = fc.record({
      body: text,
      bodyHtml: text,
      proposedChange: text,
      quotedText: fc.option(text),
      onClause: fc.nat({ max: first!.clauses.length }),
      type: fc.option(fc.constantFrom('GENERAL', 'TECHNICAL', 'EDITORIAL' as const)),
      withdrawnAt: fc.option(instant),
      version: fc.integer({ min: 1, max: 1000 }),
      createdAt: instant,
      updatedAt: instant,
      author: fc.constantFrom(...authors),
      links: fc.subarray(later.map((_, i) => i)).chain((which) =>
        fc.tuple(
          ...which.map((i) =>
            fc.record({
              revision: fc.constant(i),
              onClause: fc.nat({ max: first!.clauses.length }),
              reason: fc.constantFrom('SAME_NUMBER_AND_HEADING', 'SAME_HEADING', 'TEXT_SIMILARITY', 'DOCUMENT_LEVEL', 'ORPHANED' as const),
              similarity: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.0005, 0.8125, 0.9995)),
            }),
          ),
        ),
      ),
    });

    await fc.assert(
      fc.asyncProperty(fc.array(comment, { maxLength: 6 }), async (generated) => {
        await app.prisma.comment.deleteMany({ where: { documentId: doc.id } });
        for (const g of generated) {
          const id = uuidv7();
          await app.prisma.comment.create({
            data: {
              id,
              documentId: doc.id,
              revisionId: first!.id,
              clauseId: first!.clauses[g.onClause]?.id ?? null,
              authorId: g.author,
              type: g.type,
              body: g.body,
              bodyHtml: g.bodyHtml,
              proposedChange: g.proposedChange,
              quotedText: g.quotedText,
              status: g.withdrawnAt ? 'WITHDRAWN' : 'OPEN',
              withdrawnAt: g.withdrawnAt,
              version: g.version,
              createdAt: g.createdAt,
              updatedAt: g.updatedAt,
              carriedTo: {
                create: g.links.map((l) => ({
                  revisionId: later[l.revision]!.id,
                  clauseId: later[l.revision]!.clauses[l.onClause]?.id ?? null,
                  reason: l.reason,
                  similarity: l.similarity,
                })),
              },
            },
          });
        }
        const res = await exported(slug, doc.id, convener.cookie);
        const body = res.json();
        expect(body).toStrictEqual(await reference(doc.id));
        expect(body.comments).toHaveLength(generated.length);
        expect(ExportSchema.parse(body)).toStrictEqual(body);
      }),
      { numRuns: 40 },
    );
  });
});

describe('isoFromUtcText', () => {
  it("respells PostgreSQL's ISO text of a UTC timestamp as toISOString does", () => {
    expect(isoFromUtcText('2016-04-25 23:59:00')).toBe('2016-04-25T23:59:00.000Z');
    expect(isoFromUtcText('2016-02-29 00:00:00.1')).toBe('2016-02-29T00:00:00.100Z');
    expect(isoFromUtcText('2016-02-29 00:00:00.12')).toBe('2016-02-29T00:00:00.120Z');
    expect(isoFromUtcText('2016-02-29 00:00:00.123')).toBe('2016-02-29T00:00:00.123Z');
    expect(isoFromUtcText(null)).toBeNull();
  });
});
