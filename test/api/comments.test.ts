import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, sessionFor, type Session } from '../helpers/factories.ts';
import { inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

type Cast = Awaited<ReturnType<typeof createCastedGroup>>;
interface Setup {
  cast: Cast;
  slug: string;
  documentId: string;
  convener: Session;
  participant: Session;
  editor: Session;
  observer: Session;
  revision: Awaited<ReturnType<typeof postMarkdownRevision>>;
  clause: (n: string) => string;
  base: string;
}

/** A group with a document, revision 1 posted by the convener and a period open for the next day. */
async function setup(open = true): Promise<Setup> {
  const cast = await createCastedGroup(app);
  const [convener, participant, editor, observer] = await Promise.all([
    sessionFor(app, cast.convener.email),
    sessionFor(app, cast.participant.email),
    sessionFor(app, cast.editor.email),
    sessionFor(app, cast.observer.email),
  ]);
  const slug = cast.group.slug;
  const doc = await postDocument(app, slug, convener);
  const revision = await postMarkdownRevision(app, slug, doc.id, convener);
  if (open) await openPeriodApi(app, slug, doc.id, convener, 1, inHours(-1), inHours(24));
  const clause = (n: string) => revision.clauses.find((c) => c.number === n)!.id;
  return { cast, slug, documentId: doc.id, convener, participant, editor, observer, revision, clause, base: `/api/groups/${slug}/documents/${doc.id}` };
}

const post = (s: Setup, who: Session, payload: Record<string, unknown>, sequence = 1) =>
  app.inject({ method: 'POST', url: `${s.base}/revisions/${sequence}/comments`, headers: who.headers, payload });

describe('commenting on a clause', () => {
  it('stores a technical comment with quote and proposed change, audits it and raises comments.created after commit', async () => {
    const s = await setup();
    const events: unknown[] = [];
    app.ctx.events.on('comments.created', (e) => {
      events.push(e);
    });
    const res = await post(s, s.participant, {
      clauseId: s.clause('7.1'),
      type: 'technical',
      body: 'Key extraction needs **tamper resistance**.',
      proposedChange: 'Add "tamper-resistant storage".',
      quotedText: 'their keys  extracted',
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      revision: 1,
      clauseNumber: '7.1',
      type: 'technical',
      quotedText: 'their keys extracted',
      status: 'open',
      version: 1,
      parentId: null,
    });
    expect(c.bodyHtml).toBe('<p>Key extraction needs <strong>tamper resistance</strong>.</p>');
    expect(c.author).toEqual({ id: s.cast.participant.id, name: s.cast.participant.name, affiliation: s.cast.participant.affiliation });
    expect(JSON.stringify(c)).not.toContain(s.cast.participant.email);
    const audit = await app.prisma.auditEntry.findFirst({ where: { entityId: c.id } });
    expect(audit).toMatchObject({ action: 'comments.created', actorId: s.cast.participant.id, groupId: s.cast.group.id });
    await app.ctx.events.drain();
    expect(events).toContainEqual(expect.objectContaining({ commentId: c.id, clauseId: s.clause('7.1'), parentId: null, groupId: s.cast.group.id }));
  });

  it('accepts a comment on the document as a whole', async () => {
    const s = await setup();
    const res = await post(s, s.editor, { type: 'general', body: 'The report should say who it is for.' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ clauseId: null, clauseNumber: null, type: 'general' });
  });

  it('stores XSS inert: raw HTML rendered escaped (visible as typed), unsafe links reduced to their words, the raw body returned as JSON text only', async () => {
    const s = await setup();
    const body = '<script>alert(1)</script><img src=x onerror=alert(2)>\n\n[x](javascript:alert(3)) **ok** <a href="javascript:alert(4)">y</a>';
    const res = await post(s, s.participant, { clauseId: s.clause('1'), type: 'editorial', body });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c.bodyHtml).not.toMatch(/<script|<img|<a href="javascript:|href="javascript:/i);
    expect(c.bodyHtml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(c.bodyHtml).toContain('<p>x <strong>ok</strong> &lt;a href=&quot;javascript:alert(4)&quot;&gt;y&lt;/a&gt;</p>');
    expect(c.body).toBe(body);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });
});

describe('bad comments', () => {
  it('answers 404 for a clause of another revision and stores nothing', async () => {
    const s = await setup();
    const other = await setup();
    const res = await post(s, s.participant, { clauseId: other.clause('1'), type: 'general', body: 'Wrong clause.' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('clause_not_found');
    expect(await app.prisma.comment.count({ where: { documentId: s.documentId } })).toBe(0);
  });

  it('answers 404 for a revision that does not exist', async () => {
    const s = await setup();
    expect((await post(s, s.participant, { type: 'general', body: 'x' }, 9)).json().code).toBe('revision_not_found');
  });

  it('answers 422 when the quoted text is not in the clause', async () => {
    const s = await setup();
    const res = await post(s, s.participant, { clauseId: s.clause('7.1'), type: 'technical', body: 'x', quotedText: 'words that are not there' });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('quote_not_in_clause');
  });

  it('answers 400 for an empty body and for an unknown type', async () => {
    const s = await setup();
    const empty = await post(s, s.participant, { type: 'general', body: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().field).toBe('body.body');
    const unknown = await post(s, s.participant, { type: 'ge', body: 'x' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/general, technical or editorial/);
  });

  it('answers 413 for a body over 20,000 characters and stores nothing', async () => {
    const s = await setup();
    const res = await post(s, s.participant, { type: 'general', body: 'a'.repeat(20_001) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'comment_too_long' });
    expect(res.json().message).toContain('20,000');
    expect((await post(s, s.participant, { type: 'general', body: 'a'.repeat(20_000) })).statusCode).toBe(201);
  });

  it('forbids an observer to comment or reply (403) and lets them read', async () => {
    const s = await setup();
    const res = await post(s, s.observer, { type: 'general', body: 'I only watch.' });
    expect(res.statusCode).toBe(403);
    const ok = await post(s, s.participant, { type: 'general', body: 'A comment.' });
    const reply = await app.inject({
      method: 'POST',
      url: `${s.base}/comments/${ok.json().id}/replies`,
      headers: s.observer.headers,
      payload: { body: 'Me too.' },
    });
    expect(reply.statusCode).toBe(403);
    const list = await app.inject({ method: 'GET', url: `${s.base}/comments`, headers: { cookie: s.observer.cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(1);
  });

  it('answers 404 to someone outside the group', async () => {
    const s = await setup();
    const outsider = await sessionFor(app, s.cast.outsider.email);
    expect((await post(s, outsider, { type: 'general', body: 'x' })).statusCode).toBe(404);
  });

  it('refuses a comment when no period has been opened (409) and stores nothing', async () => {
    const s = await setup(false);
    const res = await post(s, s.participant, { type: 'general', body: 'Too early.' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('comment_period_not_open');
  });
});

describe('access is decided afresh on every comment (the revision is cached, membership never)', () => {
  it('refuses a participant removed from the group after commenting (404), and one made observer (403), storing nothing', async () => {
    const s = await setup();
    const body = { clauseId: s.clause('7.1'), type: 'technical', body: 'First, while a participant.' };
    expect((await post(s, s.participant, body)).statusCode).toBe(201);
    const membership = { groupId: s.cast.group.id, userId: s.cast.participant.id };
    await app.prisma.membership.updateMany({ where: membership, data: { role: 'OBSERVER' } });
    const demoted = await post(s, s.participant, { ...body, body: 'Second, as an observer.' });
    expect(demoted.statusCode, demoted.body).toBe(403);
    await app.prisma.membership.deleteMany({ where: membership });
    const removed = await post(s, s.participant, { ...body, body: 'Third, removed.' });
    expect(removed.statusCode, removed.body).toBe(404);
    expect(removed.json().code).toBe('group_not_found');
    expect(await app.prisma.comment.count({ where: { documentId: s.documentId } })).toBe(1);
  });

  it('answers an outsider 404 before anything about the clause or the quote', async () => {
    const s = await setup();
    expect((await post(s, s.participant, { clauseId: s.clause('7.1'), type: 'general', body: 'Warm the cache.' })).statusCode).toBe(201);
    const outsider = await sessionFor(app, s.cast.outsider.email);
    const res = await post(s, outsider, { clauseId: s.clause('7.1'), type: 'general', body: 'x', quotedText: 'words that are not there' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('group_not_found');
  });

  it("refuses a document of another group posted under this group's address (404), even for a member of both", async () => {
    const a = await setup();
    const b = await setup();
    await app.prisma.membership.create({ data: { groupId: b.cast.group.id, userId: a.cast.participant.id, role: 'PARTICIPANT' } });
    const url = `/api/groups/${a.slug}/documents/${b.documentId}/revisions/1/comments`;
    const payload = { clauseId: b.clause('7.1'), type: 'general', body: 'Wrong address.' };
    // Once with the revision not yet cached, once cached (after a legitimate comment on it).
    expect((await app.inject({ method: 'POST', url, headers: a.participant.headers, payload })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: `${b.base}/revisions/1/comments`, headers: a.participant.headers, payload })).statusCode).toBe(201);
    const res = await app.inject({ method: 'POST', url, headers: a.participant.headers, payload });
    expect(res.statusCode, res.body).toBe(404);
    expect(await app.prisma.comment.count({ where: { documentId: b.documentId } })).toBe(1);
  });
});

describe('after the deadline', () => {
  it('answers 409 comment_period_closed with the deadline in the message, and stores nothing', async () => {
    const s = await setup(false);
    await openPeriodApi(app, s.slug, s.documentId, s.convener, 1, '2016-04-01T00:00:00Z', '2016-04-25T23:59:00Z');
    const res = await post(s, s.participant, { type: 'general', body: 'Late.' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'comment_period_closed', closesAt: '2016-04-25T23:59:00.000Z' });
    expect(res.json().message).toContain('25 April 2016 23:59 UTC (26 April 2016 01:59 CEST)');
    expect(await app.prisma.comment.count({ where: { documentId: s.documentId } })).toBe(0);
    expect(await app.prisma.auditEntry.count({ where: { groupId: s.cast.group.id, action: 'comments.created' } })).toBe(0);
  });

  it('lets a convener reply after the deadline, but not a participant', async () => {
    const s = await setup();
    const c = (await post(s, s.participant, { clauseId: s.clause('2'), type: 'editorial', body: 'Add Y.2066.' })).json();
    const period = await app.prisma.commentPeriod.findFirstOrThrow({ where: { documentId: s.documentId } });
    await app.inject({ method: 'POST', url: `${s.base}/periods/${period.id}/close`, headers: s.convener.headers, payload: { reason: 'Adjudication starts' } });
    const late = await app.inject({
      method: 'POST',
      url: `${s.base}/comments/${c.id}/replies`,
      headers: s.participant.headers,
      payload: { body: 'One more thing.' },
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('comment_period_closed');
    const answer = await app.inject({
      method: 'POST',
      url: `${s.base}/comments/${c.id}/replies`,
      headers: s.convener.headers,
      payload: { body: 'Accepted; added.' },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    expect(answer.json()).toMatchObject({ parentId: c.id, type: null, clauseId: s.clause('2') });
  });
});

describe('threads, edits and withdrawal', () => {
  it('keeps replies in the thread of the top-level comment', async () => {
    const s = await setup();
    const c = (await post(s, s.participant, { clauseId: s.clause('7.2'), type: 'technical', body: 'Mention replay attacks.' })).json();
    const r1 = (
      await app.inject({ method: 'POST', url: `${s.base}/comments/${c.id}/replies`, headers: s.editor.headers, payload: { body: 'Agreed.' } })
    ).json();
    const r2 = await app.inject({ method: 'POST', url: `${s.base}/comments/${r1.id}/replies`, headers: s.participant.headers, payload: { body: 'Thanks.' } });
    expect(r2.json().parentId).toBe(c.id);
    const thread = await app.inject({ method: 'GET', url: `${s.base}/comments/${c.id}`, headers: { cookie: s.observer.cookie } });
    expect(thread.json().replies.map((r: { body: string }) => r.body)).toEqual(['Agreed.', 'Thanks.']);
  });

  it('edits keep the earlier version; a stale version is refused with 409', async () => {
    const s = await setup();
    const c = (await post(s, s.participant, { clauseId: s.clause('7.3'), type: 'editorial', body: 'Typo: atractive.' })).json();
    const edit = await app.inject({
      method: 'PATCH',
      url: `${s.base}/comments/${c.id}`,
      headers: s.participant.headers,
      payload: { version: 1, type: 'technical', body: 'Platforms need *isolation*.', quotedText: 'attractive targets' },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({
      version: 2,
      type: 'technical',
      body: 'Platforms need *isolation*.',
      bodyHtml: '<p>Platforms need <em>isolation</em>.</p>',
      quotedText: 'attractive targets',
    });
    const stale = await app.inject({
      method: 'PATCH',
      url: `${s.base}/comments/${c.id}`,
      headers: s.participant.headers,
      payload: { version: 1, body: 'Lost update' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('comment_version_conflict');
    const read = await app.inject({ method: 'GET', url: `${s.base}/comments/${c.id}`, headers: { cookie: s.editor.cookie } });
    expect(read.json().history).toEqual([expect.objectContaining({ version: 1, type: 'editorial', body: 'Typo: atractive.' })]);
  });

  it('checks a quote edited on a general comment against the whole revision: any clause text is accepted, other words are refused and nothing changes', async () => {
    const s = await setup();
    const c = (await post(s, s.participant, { type: 'general', body: 'On the whole text.' })).json();
    const patch = (payload: Record<string, unknown>) =>
      app.inject({ method: 'PATCH', url: `${s.base}/comments/${c.id}`, headers: s.participant.headers, payload });
    const wrong = await patch({ version: 1, quotedText: 'words that are not there' });
    expect(wrong.statusCode, wrong.body).toBe(422);
    expect(wrong.json()).toMatchObject({ code: 'quote_not_in_clause', message: expect.stringContaining('revision 1') });
    const kept = await patch({ version: 1, quotedText: 'attractive targets' });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json()).toMatchObject({ version: 2, quotedText: 'attractive targets', body: 'On the whole text.' });
  });

  it("forbids editing or withdrawing someone else's comment (403)", async () => {
    const s = await setup();
    const c = (await post(s, s.participant, { type: 'general', body: 'Mine.' })).json();
    const edit = await app.inject({ method: 'PATCH', url: `${s.base}/comments/${c.id}`, headers: s.editor.headers, payload: { body: 'Yours now.' } });
    expect(edit.statusCode).toBe(403);
    expect(edit.json().code).toBe('not_comment_author');
    const convenerEdit = await app.inject({ method: 'PATCH', url: `${s.base}/comments/${c.id}`, headers: s.convener.headers, payload: { body: 'Nor mine.' } });
    expect(convenerEdit.statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: `${s.base}/comments/${c.id}/withdraw`, headers: s.editor.headers })).statusCode).toBe(403);
    expect((await app.prisma.comment.findUniqueOrThrow({ where: { id: c.id } })).body).toBe('Mine.');
  });

  it('withdraws a comment (kept, marked, audited, event) and refuses edits after the deadline', async () => {
    const s = await setup();
    const events: string[] = [];
    app.ctx.events.on('comments.withdrawn', (e) => {
      events.push(e.commentId);
    });
    const a = (await post(s, s.participant, { type: 'general', body: 'Withdraw me.' })).json();
    const b = (await post(s, s.participant, { type: 'general', body: 'Keep me.' })).json();
    const w = await app.inject({ method: 'POST', url: `${s.base}/comments/${a.id}/withdraw`, headers: s.participant.headers });
    expect(w.json()).toMatchObject({ status: 'withdrawn' });
    expect(w.json().withdrawnAt).toBeTruthy();
    await app.ctx.events.drain();
    expect(events).toContain(a.id);
    const period = await app.prisma.commentPeriod.findFirstOrThrow({ where: { documentId: s.documentId } });
    await app.inject({ method: 'POST', url: `${s.base}/periods/${period.id}/close`, headers: s.convener.headers, payload: { reason: 'Closed' } });
    const late = await app.inject({ method: 'PATCH', url: `${s.base}/comments/${b.id}`, headers: s.participant.headers, payload: { body: 'Changed late' } });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('comment_period_closed');
  });
});

describe('reading comments', () => {
  it('filters by clause, type, affiliation and status, pages with a cursor and counts per clause', async () => {
    const s = await setup();
    const sg20 = await app.prisma.user.update({ where: { id: s.cast.editor.id }, data: { affiliation: 'SG20 / China Unicom' } });
    for (let i = 0; i < 5; i++) await post(s, s.participant, { clauseId: s.clause('7.1'), type: 'technical', body: `T${i}` });
    for (let i = 0; i < 3; i++) await post(s, s.editor, { clauseId: s.clause('1'), type: 'editorial', body: `E${i}` });
    const w = (await post(s, s.participant, { type: 'general', body: 'G' })).json();
    await app.inject({ method: 'POST', url: `${s.base}/comments/${w.id}/withdraw`, headers: s.participant.headers });
    const get = (q: string) => app.inject({ method: 'GET', url: `${s.base}/comments?${q}`, headers: { cookie: s.observer.cookie } }).then((r) => r.json());

    const byClause = await get(`clauseId=${s.clause('7.1')}&limit=2`);
    expect(byClause.total).toBe(5);
    expect(byClause.comments.map((c: { body: string }) => c.body)).toEqual(['T0', 'T1']);
    const next = await get(`clauseId=${s.clause('7.1')}&limit=2&cursor=${byClause.nextCursor}`);
    expect(next.comments.map((c: { body: string }) => c.body)).toEqual(['T2', 'T3']);
    const last = await get(`clauseId=${s.clause('7.1')}&limit=2&cursor=${next.nextCursor}`);
    expect(last.comments.map((c: { body: string }) => c.body)).toEqual(['T4']);
    expect(last.nextCursor).toBeNull();
    expect(byClause.byClause).toEqual(
      expect.arrayContaining([
        { clauseId: s.clause('7.1'), count: 5 },
        { clauseId: s.clause('1'), count: 3 },
        { clauseId: null, count: 1 },
      ]),
    );

    expect((await get('type=editorial')).total).toBe(3);
    expect(
      (await get(`affiliation=${encodeURIComponent(sg20.affiliation.slice(0, 4).toLowerCase())}`)).comments.every(
        (c: { author: { id: string } }) => c.author.id === sg20.id,
      ),
    ).toBe(true);
    expect((await get('status=withdrawn')).comments.map((c: { id: string }) => c.id)).toEqual([w.id]);
    expect((await get('type=ge')).code).toBe('invalid_request');
    expect((await get('cursor=bogus')).code).toBe('invalid_cursor');

    // The revision filter (one revision here), an unknown revision, replies on request, and an
    // affiliation matched as typed (a % is a character, not a wildcard).
    expect((await get('revision=1')).total).toBe(9);
    expect(await get('revision=2')).toMatchObject({ code: 'revision_not_found' });
    const reply = await app.inject({ method: 'POST', url: `${s.base}/comments/${w.id}/replies`, headers: s.convener.headers, payload: { body: 'Noted.' } });
    expect(reply.statusCode, reply.body).toBe(201);
    expect((await get('includeReplies=true')).total).toBe(10);
    expect((await get('')).total).toBe(9);
    expect((await get(`status=withdrawn`)).comments[0]).toMatchObject({ replyCount: 1, clauseNumber: null, author: { id: s.cast.participant.id } });
    expect((await get(`affiliation=${encodeURIComponent('%')}`)).total).toBe(0);
    const unknown = await app.inject({
      method: 'GET',
      url: `/api/groups/${s.slug}/documents/00000000-0000-7000-8000-000000000000/comments`,
      headers: { cookie: s.observer.cookie },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('document_not_found');
  });

  it('returns the full set of a document in one request, replies included', async () => {
    const s = await setup();
    const c = (await post(s, s.participant, { clauseId: s.clause('1'), type: 'general', body: 'One' })).json();
    await app.inject({ method: 'POST', url: `${s.base}/comments/${c.id}/replies`, headers: s.convener.headers, payload: { body: 'Reply' } });
    const res = await app.inject({ method: 'GET', url: `${s.base}/comments/export`, headers: { cookie: s.observer.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json().comments.map((x: { body: string; parentId: string | null }) => [x.body, x.parentId])).toEqual([
      ['One', null],
      ['Reply', c.id],
    ]);
  });
});

describe('API description', () => {
  it('documents the document, revision, period and comment routes in the generated OpenAPI', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of [
      '/api/groups/{slug}/documents/{documentId}/revisions/{sequence}/comments',
      '/api/groups/{slug}/documents/{documentId}/periods/{periodId}/extensions',
      '/api/groups/{slug}/phase',
      '/api/groups/{slug}/documents/{documentId}/compare',
      '/api/groups/{slug}/documents/{documentId}/comments/export',
    ]) {
      expect(paths).toContain(p);
    }
  });
});
