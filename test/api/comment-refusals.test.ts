// Posting a comment is one path: cheap checks, the one write statement, and, when it stores
// nothing, one function that explains why (explainRefusal in create-comment.ts). These tests hold
// every refusal to the answer the API has always given for it, whether the statement ran (the
// revision cached, the refusal found by the statement itself) or a cheap check stopped the comment
// first (the revision not yet cached), and in a burst where refused and accepted comments share a
// batch; and they check that a refusal stores nothing: no comment, no audit entry, no realtime row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, createUser, sessionFor, type Session } from '../helpers/factories.ts';
import { inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

async function setup(period: 'open' | 'none' | 'closed' = 'open') {
  const cast = await createCastedGroup(app);
  const [convener, participant, observer, outsider] = (await Promise.all(
    [cast.convener, cast.participant, cast.observer, cast.outsider].map((p) => sessionFor(app, p.email)),
  )) as [Session, Session, Session, Session];
  const slug = cast.group.slug;
  const doc = await postDocument(app, slug, convener);
  const revision = await postMarkdownRevision(app, slug, doc.id, convener);
  if (period === 'open') await openPeriodApi(app, slug, doc.id, convener, 1, inHours(-1), inHours(24));
  if (period === 'closed') await openPeriodApi(app, slug, doc.id, convener, 1, '2016-04-01T00:00:00Z', '2016-04-25T23:59:00Z');
  const clause = (n: string) => revision.clauses.find((c) => c.number === n)!.id;
  const base = `/api/groups/${slug}/documents/${doc.id}`;
  return { cast, slug, documentId: doc.id, convener, participant, observer, outsider, clause, base };
}
type Setup = Awaited<ReturnType<typeof setup>>;

const post = (url: string, who: Session, payload: Record<string, unknown>) => app.inject({ method: 'POST', url, headers: who.headers, payload });

/** Everything a comment on the document writes: its rows, their audit entries and the realtime log. */
async function written(s: Setup) {
  const [comments, audits, events] = await Promise.all([
    app.prisma.comment.count({ where: { documentId: s.documentId } }),
    app.prisma.auditEntry.count({ where: { groupId: s.cast.group.id, action: 'comments.created' } }),
    app.prisma.realtimeEvent.count({ where: { stream: `document:${s.documentId}`, name: 'comments.created' } }),
  ]);
  return { comments, audits, events };
}

interface Case {
  name: string;
  period?: 'open' | 'none' | 'closed';
  /** Who posts what, where (default: revision 1 of the document). */
  attempt: (s: Setup) => { who: Session; payload: Record<string, unknown>; url?: string };
  answer: [number, string];
}

const ok = { type: 'technical', body: 'A comment.' };
const CASES: Case[] = [
  {
    name: 'someone outside the group (even with a bad clause and quote)',
    attempt: (s) => ({ who: s.outsider, payload: { ...ok, clauseId: s.clause('7.1'), quotedText: 'not there at all' } }),
    answer: [404, 'group_not_found'],
  },
  {
    name: 'an observer (even with a clause of no revision)',
    attempt: (s) => ({ who: s.observer, payload: { ...ok, clauseId: '0190f0a0-0000-7000-8000-000000000000' } }),
    answer: [403, 'forbidden'],
  },
  {
    name: 'a revision that does not exist',
    attempt: (s) => ({ who: s.participant, payload: ok, url: `${s.base}/revisions/9/comments` }),
    answer: [404, 'revision_not_found'],
  },
  {
    name: 'a clause that is not in the revision',
    attempt: (s) => ({ who: s.participant, payload: { ...ok, clauseId: '0190f0a0-0000-7000-8000-000000000000' } }),
    answer: [404, 'clause_not_found'],
  },
  {
    name: 'a quote that is not in the clause',
    attempt: (s) => ({ who: s.participant, payload: { ...ok, clauseId: s.clause('7.1'), quotedText: 'words that are not there' } }),
    answer: [422, 'quote_not_in_clause'],
  },
  {
    name: 'a quote that is not in the document (whole-document comment)',
    attempt: (s) => ({ who: s.participant, payload: { ...ok, quotedText: 'words that are not there' } }),
    answer: [422, 'quote_not_in_clause'],
  },
  { name: 'a body over the limit', attempt: (s) => ({ who: s.participant, payload: { ...ok, body: 'a'.repeat(20_001) } }), answer: [413, 'comment_too_long'] },
  {
    name: 'a body nested too deep to render',
    attempt: (s) => ({ who: s.participant, payload: { ...ok, body: `${'> '.repeat(150)}deep` } }),
    answer: [422, 'markdown_too_deep'],
  },
  { name: 'no period opened', period: 'none', attempt: (s) => ({ who: s.participant, payload: ok }), answer: [409, 'comment_period_not_open'] },
  { name: 'the period closed', period: 'closed', attempt: (s) => ({ who: s.participant, payload: ok }), answer: [409, 'comment_period_closed'] },
  {
    name: 'an observer after the period closed (403 before 409)',
    period: 'closed',
    attempt: (s) => ({ who: s.observer, payload: ok }),
    answer: [403, 'forbidden'],
  },
  {
    name: 'an outsider when no period is open (404 before 409)',
    period: 'none',
    attempt: (s) => ({ who: s.outsider, payload: ok }),
    answer: [404, 'group_not_found'],
  },
];

describe('every refusal of a comment gets its own answer, and stores nothing', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.answer.join(' ')}, with the revision not yet cached and cached`, async () => {
      const s = await setup(c.period);
      const { who, payload, url = `${s.base}/revisions/1/comments` } = c.attempt(s);
      const cold = await post(url, who, payload);
      expect([cold.statusCode, cold.json().code], cold.body).toEqual(c.answer);
      // A comment that reads revision 1 into the cache (accepted or not, the cheap checks read it).
      await post(`${s.base}/revisions/1/comments`, s.convener, { type: 'general', body: 'Warming the cache.' });
      const before = await written(s);
      const warm = await post(url, who, payload);
      expect([warm.statusCode, warm.json().code], warm.body).toEqual(c.answer);
      expect(warm.json().message).toBe(cold.json().message);
      expect(await written(s)).toEqual(before);
    });
  }

  it('answers each comment of a burst on its own: refusals of every kind beside accepted comments in the same batches', async () => {
    const s = await setup();
    const url = `${s.base}/revisions/1/comments`;
    const burst = Array.from({ length: 24 }, (_, i) => {
      switch (i % 6) {
        case 1:
          return { who: s.outsider, payload: ok, answer: [404, 'group_not_found'] };
        case 3:
          return { who: s.observer, payload: ok, answer: [403, 'forbidden'] };
        case 5:
          return { who: s.participant, payload: { ...ok, clauseId: s.clause('7.1'), quotedText: 'nowhere to be found' }, answer: [422, 'quote_not_in_clause'] };
        default:
          return { who: i % 2 ? s.convener : s.participant, payload: { ...ok, body: `Burst ${i}.` }, answer: [201, undefined] };
      }
    });
    const answers = await Promise.all(burst.map((b) => post(url, b.who, b.payload)));
    for (const [i, res] of answers.entries()) expect([res.statusCode, res.json().code], `comment ${i}: ${res.body}`).toEqual(burst[i]!.answer);
    expect(await written(s)).toEqual({ comments: 12, audits: 12, events: 12 });
  });

  it('lets the operator comment in a group they are not a member of, as before', async () => {
    const s = await setup();
    const operator = await createUser(app, { name: 'Operator', isOperator: true });
    const session = await sessionFor(app, operator.email);
    const res = await post(`${s.base}/revisions/1/comments`, session, { ...ok, clauseId: s.clause('7.1') });
    expect(res.statusCode, res.body).toBe(201);
    const audit = await app.prisma.auditEntry.findFirstOrThrow({ where: { entityId: res.json().id, action: 'comments.created' } });
    expect(audit).toMatchObject({ actorId: operator.id, groupId: s.cast.group.id, entityType: 'comment', before: null });
    expect(audit.after).toMatchObject({ documentId: s.documentId, clauseId: s.clause('7.1'), type: 'technical', body: 'A comment.' });
    expect(audit.at.toISOString()).toBe(res.json().createdAt);
  });
});

describe('every refusal of a reply gets its own answer, and stores nothing', () => {
  async function withComment(period: 'open' | 'closed' = 'open') {
    const s = await setup();
    const parent = (await post(`${s.base}/revisions/1/comments`, s.participant, { ...ok, clauseId: s.clause('2') })).json() as { id: string };
    if (period === 'closed') {
      const p = await app.prisma.commentPeriod.findFirstOrThrow({ where: { documentId: s.documentId } });
      await app.inject({ method: 'POST', url: `${s.base}/periods/${p.id}/close`, headers: s.convener.headers, payload: { reason: 'Adjudication starts' } });
    }
    return { s, parent, reply: (who: Session, id = parent.id) => post(`${s.base}/comments/${id}/replies`, who, { body: 'A reply.' }) };
  }

  it('an outsider 404, an observer 403, an unknown parent 404, a participant after the deadline 409; nothing stored', async () => {
    const open = await withComment();
    const before = await written(open.s);
    const outsider = await open.reply(open.s.outsider);
    expect([outsider.statusCode, outsider.json().code]).toEqual([404, 'group_not_found']);
    const observer = await open.reply(open.s.observer);
    expect([observer.statusCode, observer.json().code]).toEqual([403, 'forbidden']);
    const unknown = await open.reply(open.s.participant, '0190f0a0-0000-7000-8000-000000000000');
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'comment_not_found']);
    expect(await written(open.s)).toEqual(before);

    const closed = await withComment('closed');
    const closedBefore = await written(closed.s);
    const late = await closed.reply(closed.s.participant);
    expect([late.statusCode, late.json().code]).toEqual([409, 'comment_period_closed']);
    expect(await written(closed.s)).toEqual(closedBefore);
  });

  it('accepts, as before, a reply to a reply (it joins the top-level thread) and a reply to a withdrawn comment', async () => {
    const { s, parent, reply } = await withComment();
    const first = (await reply(s.convener)).json() as { id: string; parentId: string };
    const second = await reply(s.participant, first.id);
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().parentId).toBe(parent.id);
    const withdrawn = await app.inject({ method: 'POST', url: `${s.base}/comments/${parent.id}/withdraw`, headers: s.participant.headers });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const afterWithdrawal = await reply(s.convener);
    expect(afterWithdrawal.statusCode, afterWithdrawal.body).toBe(201);
    expect(
      await app.prisma.auditEntry.count({ where: { action: 'comments.created', entityId: { in: [first.id, second.json().id, afterWithdrawal.json().id] } } }),
    ).toBe(3);
  });
});
