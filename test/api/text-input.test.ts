// Text PostgreSQL cannot store (NUL, unpaired surrogates) is refused with a 400 that names the
// field, before anything is read or written: never a 500 from the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, sessionFor } from '../helpers/factories.ts';
import { inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';
import { multipart } from '../helpers/multipart.ts';
import { buildSampleDocx } from '../unit/revisions/docx-fixture.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('unstorable text', () => {
  it('refuses a comment with a NUL character or an unpaired surrogate, naming the field, and stores nothing', async () => {
    const cast = await createCastedGroup(app);
    const convener = await sessionFor(app, cast.convener.email);
    const participant = await sessionFor(app, cast.participant.email);
    const document = await postDocument(app, cast.group.slug, convener);
    const revision = await postMarkdownRevision(app, cast.group.slug, document.id, convener);
    await openPeriodApi(app, cast.group.slug, document.id, convener, 1, inHours(-1), inHours(24));
    const post = (payload: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: `/api/groups/${cast.group.slug}/documents/${document.id}/revisions/1/comments`,
        headers: participant.headers,
        payload: { clauseId: revision.clauses[0]!.id, type: 'general', body: 'Fine text.', ...payload },
      });
    for (const [field, payload] of [
      ['body', { body: 'Pasted\u0000text' }],
      ['proposedChange', { proposedChange: 'Lone \ud800 surrogate' }],
      ['quotedText', { quotedText: '\udc00' }],
    ] as const) {
      const res = await post(payload);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'invalid_request',
        field,
        issue: { code: 'invalid_characters' },
        message: `${field}: text may not contain NUL characters or unpaired surrogates.`,
      });
    }
    expect(await app.prisma.comment.count({ where: { documentId: document.id } })).toBe(0);
    // Well-formed text of any script, emoji and quotes included, is stored as sent.
    const fine = await post({ body: 'Quote " back\\slash \u2028 é 🎉 中文 العربية' });
    expect(fine.statusCode, fine.body).toBe(201);
    expect(fine.json().body).toBe('Quote " back\\slash \u2028 é 🎉 中文 العربية');
  });

  it("checks every route's body, query and path: a profile name, a search filter, a path parameter", async () => {
    const cast = await createCastedGroup(app);
    const me = await sessionFor(app, cast.participant.email);
    const name = await app.inject({ method: 'PATCH', url: '/api/me', headers: me.headers, payload: { name: 'Ana\u0000' } });
    expect([name.statusCode, name.json().field]).toEqual([400, 'name']);
    expect((await app.prisma.user.findUniqueOrThrow({ where: { id: cast.participant.id } })).name).toBe(cast.participant.name);
    const query = await app.inject({ method: 'GET', url: `/api/groups/${cast.group.slug}/documents?x=%00`, headers: me.headers });
    expect([query.statusCode, query.json().field]).toEqual([400, 'x']);
    const param = await app.inject({ method: 'GET', url: '/api/groups/a%00b', headers: me.headers });
    expect([param.statusCode, param.json().field]).toEqual([400, 'slug']);
  });

  it("checks a field read from a multipart upload too (a .docx revision's label), and stores nothing", async () => {
    const cast = await createCastedGroup(app);
    const convener = await sessionFor(app, cast.convener.email);
    const document = await postDocument(app, cast.group.slug, convener);
    const { payload, headers } = multipart({ label: 'Initial\u0000baseline' }, { name: 'file', filename: 'draft.docx', content: await buildSampleDocx() });
    const res = await app.inject({
      method: 'POST',
      url: `/api/groups/${cast.group.slug}/documents/${document.id}/revisions`,
      headers: { ...convener.headers, ...headers },
      payload,
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'invalid_request', field: 'body.label', issue: { code: 'invalid_characters' } });
    expect(await app.prisma.revision.count({ where: { documentId: document.id } })).toBe(0);
  });
});
