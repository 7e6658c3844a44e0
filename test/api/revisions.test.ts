import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, sessionFor, type Session } from '../helpers/factories.ts';
import { DRAFT_MD, inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';
import { multipart } from '../helpers/multipart.ts';
import { buildSampleDocx } from '../unit/revisions/docx-fixture.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

async function setup() {
  const cast = await createCastedGroup(app);
  const [convener, editor, participant, observer] = await Promise.all([
    sessionFor(app, cast.convener.email),
    sessionFor(app, cast.editor.email),
    sessionFor(app, cast.participant.email),
    sessionFor(app, cast.observer.email),
  ]);
  const doc = await postDocument(app, cast.group.slug, convener);
  return {
    cast,
    convener,
    editor,
    participant,
    observer,
    slug: cast.group.slug,
    documentId: doc.id,
    base: `/api/groups/${cast.group.slug}/documents/${doc.id}`,
  };
}

const upload = (base: string, who: Session, content: Buffer, label = 'Initial baseline', path = 'revisions') => {
  const { payload, headers } = multipart({ label }, { name: 'file', filename: 'draft.docx', content });
  return app.inject({ method: 'POST', url: `${base}/${path}`, headers: { ...who.headers, ...headers }, payload });
};

describe('documents and revisions', () => {
  it('lets an editor post a Markdown revision that everyone in the group reads; raises revisions.posted', async () => {
    const s = await setup();
    const events: unknown[] = [];
    app.ctx.events.on('revisions.posted', (e) => {
      events.push(e);
    });
    const rev = await postMarkdownRevision(app, s.slug, s.documentId, s.editor);
    expect(rev.sequence).toBe(1);
    expect(rev.clauses.map((c) => c.number)).toEqual(['1', '2', '7', '7.1', '7.2', '7.3']);
    const read = await app.inject({ method: 'GET', url: `${s.base}/revisions/1`, headers: { cookie: s.observer.cookie } });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ label: 'Initial baseline', format: 'markdown', postedBy: { id: s.cast.editor.id, name: s.cast.editor.name } });
    expect(read.json().postedBy.email).toBeUndefined();
    expect(read.json().clauses[3]).toMatchObject({
      number: '7.1',
      heading: 'Security threats for sensor/devices',
      html: '<p>Devices may be captured physically and their keys extracted by an attacker.</p>',
    });
    await app.ctx.events.drain();
    expect(events).toContainEqual(expect.objectContaining({ documentId: s.documentId, sequence: 1, groupId: s.cast.group.id }));
    const audit = await app.prisma.auditEntry.findFirst({ where: { groupId: s.cast.group.id, action: 'revisions.posted' } });
    expect(audit?.actorId).toBe(s.cast.editor.id);
  });

  it('forbids participants and observers to post revisions or create documents (403)', async () => {
    const s = await setup();
    for (const who of [s.participant, s.observer]) {
      const res = await app.inject({ method: 'POST', url: `${s.base}/revisions`, headers: who.headers, payload: { label: 'x', source: '# 1 A' } });
      expect(res.statusCode).toBe(403);
      expect((await app.inject({ method: 'POST', url: `/api/groups/${s.slug}/documents`, headers: who.headers, payload: { title: 'x' } })).statusCode).toBe(
        403,
      );
    }
    expect(await app.prisma.revision.count({ where: { documentId: s.documentId } })).toBe(0);
  });

  it('imports a real .docx uploaded through the route: headings, numbering, lists, table; images dropped with a note', async () => {
    const s = await setup();
    const res = await upload(s.base, s.convener, await buildSampleDocx());
    expect(res.statusCode, res.body).toBe(201);
    const rev = res.json();
    expect(rev.format).toBe('docx');
    expect(rev.clauses.map((c: { number: string; heading: string }) => [c.number, c.heading])).toEqual([
      ['', 'Security framework for Internet of Things'],
      ['1', 'Scope'],
      ['2', 'Threats'],
      ['2.1', 'Sensor threats'],
      ['6.3', 'Capabilities'],
      ['6.3.1', 'Figures and links'],
    ]);
    const html = (n: string) => rev.clauses.find((c: { number: string }) => c.number === n).html as string;
    expect(html('2')).toContain('<ol><li>Device tampering</li><li>Eavesdropping</li></ol>');
    expect(html('6.3')).toMatch(/^<table>.*Link encryption.*<\/table>$/);
    expect(html('1')).toContain('<strong>security framework</strong>');
    expect(html('6.3.1')).not.toMatch(/javascript:|<img/);
    expect(rev.notes).toContain('Clause 6.3.1: 1 image was dropped; attach figures separately.');
  });

  it('previews an import without storing anything', async () => {
    const s = await setup();
    const res = await upload(s.base, s.convener, await buildSampleDocx(), 'Preview', 'revisions/preview');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().clauses).toHaveLength(6);
    expect(res.json().notes.length).toBeGreaterThan(0);
    const md = await app.inject({
      method: 'POST',
      url: `${s.base}/revisions/preview`,
      headers: s.editor.headers,
      payload: { label: 'x', source: '# 1 Scope\n\nText.' },
    });
    expect(md.json().clauses).toEqual([{ position: 0, number: '1', heading: 'Scope', html: '<p>Text.</p>' }]);
    expect(await app.prisma.revision.count({ where: { documentId: s.documentId } })).toBe(0);
  });

  it('refuses a file that is not a docx (415) and a damaged zip (422), storing nothing', async () => {
    const s = await setup();
    const pdf = await upload(s.base, s.convener, Buffer.from('%PDF-1.7 not a word document'));
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json().code).toBe('not_a_docx');
    const broken = await upload(s.base, s.convener, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]));
    expect(broken.statusCode).toBe(422);
    expect(await app.prisma.revision.count({ where: { documentId: s.documentId } })).toBe(0);
  });

  it('answers 400 for a revision without label or source, and 422 for Markdown with duplicate clause numbers', async () => {
    const s = await setup();
    const noLabel = await app.inject({ method: 'POST', url: `${s.base}/revisions`, headers: s.convener.headers, payload: { source: '# 1 A' } });
    expect(noLabel.statusCode).toBe(400);
    expect(noLabel.json().field).toBe('body.label');
    const dup = await app.inject({
      method: 'POST',
      url: `${s.base}/revisions`,
      headers: s.convener.headers,
      payload: { label: 'x', source: '# 1 A\n\n# 1 B' },
    });
    expect(dup.statusCode).toBe(422);
    expect(dup.json().code).toBe('duplicate_clause_number');
  });

  it("answers 404 for another group's document", async () => {
    const s = await setup();
    const other = await setup();
    const res = await app.inject({
      method: 'GET',
      url: `/api/groups/${s.slug}/documents/${other.documentId}/revisions`,
      headers: { cookie: s.convener.cookie },
    });
    expect(res.statusCode).toBe(404);
  });
});

const REV2_MD = [
  '# 1 Scope',
  'This Recommendation describes the security framework for Internet of Things.',
  '# 2 References',
  'Recommendation ITU-T Y.2060, Overview of the Internet of things.',
  '# 3 Terms and definitions',
  'This Recommendation uses terms defined elsewhere.',
  '# 8 Security threats for Internet of Things',
  'Threats are analysed per layer.',
  '## 8.1 Security threats for sensor/devices',
  'Devices may be captured physically and their keys extracted by an attacker.',
  '## 8.2 Threats to networks',
  'Eavesdropping on wireless links exposes data in transit.',
].join('\n\n');

describe('carry-forward across a revision that renumbers and removes clauses', () => {
  it('links each earlier comment to its clause in the new revision or marks it orphaned', async () => {
    const s = await setup();
    const rev1 = await postMarkdownRevision(app, s.slug, s.documentId, s.convener, DRAFT_MD);
    await openPeriodApi(app, s.slug, s.documentId, s.convener, 1, inHours(-1), inHours(24));
    const clause1 = (n: string) => rev1.clauses.find((c) => c.number === n)!.id;
    const comment = async (clauseId: string | null, body: string) =>
      (
        await app.inject({
          method: 'POST',
          url: `${s.base}/revisions/1/comments`,
          headers: s.participant.headers,
          payload: { clauseId, type: 'technical', body },
        })
      ).json().id as string;
    const onScope = await comment(clause1('1'), 'scope');
    const onDevices = await comment(clause1('7.1'), 'devices');
    const onNetwork = await comment(clause1('7.2'), 'network');
    const onPlatform = await comment(clause1('7.3'), 'platform');
    const onDocument = await comment(null, 'whole');

    const rev2 = await postMarkdownRevision(app, s.slug, s.documentId, s.convener, REV2_MD, "Conveners' draft");
    expect(rev2.sequence).toBe(2);
    expect(rev2.carriedComments).toBe(4);
    const clause2 = (n: string) => rev2.clauses.find((c) => c.number === n)!;
    expect(clause2('1').earlierComments).toEqual([
      expect.objectContaining({ commentId: onScope, fromRevision: 1, fromClauseNumber: '1', reason: 'same_number_and_heading', similarity: 1 }),
    ]);
    expect(clause2('8.1').earlierComments).toEqual([expect.objectContaining({ commentId: onDevices, fromClauseNumber: '7.1', reason: 'same_heading' })]);
    expect(clause2('8.2').earlierComments).toEqual([expect.objectContaining({ commentId: onNetwork, reason: 'text_similarity' })]);
    expect(clause2('3').earlierComments).toEqual([]);
    expect(rev2.orphanedComments.map((c) => c.commentId)).toEqual([onPlatform]);
    const link = await app.prisma.commentCarryForward.findUniqueOrThrow({ where: { commentId_revisionId: { commentId: onDocument, revisionId: rev2.id } } });
    expect(link).toMatchObject({ reason: 'DOCUMENT_LEVEL', clauseId: null });

    // Carried again into revision 3 from where each comment stands in revision 2.
    const rev3 = await postMarkdownRevision(
      app,
      s.slug,
      s.documentId,
      s.convener,
      REV2_MD.replace('# 3 Terms', '# 4 Terms').replace('# 8 ', '# 9 ').replace('## 8.1 ', '## 9.1 ').replace('## 8.2 ', '## 9.2 '),
      'Final report',
    );
    expect(rev3.clauses.find((c) => c.number === '9.1')!.earlierComments.map((c) => c.commentId)).toEqual([onDevices]);
    expect(rev3.orphanedComments.map((c) => c.commentId)).toEqual([onPlatform]);

    // A clause lists the earlier comments that concern it.
    const list = await app.inject({
      method: 'GET',
      url: `${s.base}/comments?clauseId=${clause2('8.1').id}&carried=true`,
      headers: { cookie: s.observer.cookie },
    });
    expect(list.json().comments.map((c: { id: string }) => c.id)).toEqual([onDevices]);
    const exported = await app.inject({ method: 'GET', url: `${s.base}/comments/export`, headers: { cookie: s.observer.cookie } });
    const devices = exported.json().comments.find((c: { id: string }) => c.id === onDevices);
    expect(devices.carriedTo.map((l: { revision: number; clauseNumber: string }) => [l.revision, l.clauseNumber]).sort()).toEqual([
      [2, '8.1'],
      [3, '9.1'],
    ]);
  });

  it('compares two revisions clause by clause', async () => {
    const s = await setup();
    await postMarkdownRevision(app, s.slug, s.documentId, s.convener, DRAFT_MD);
    await postMarkdownRevision(app, s.slug, s.documentId, s.convener, REV2_MD);
    const res = await app.inject({ method: 'GET', url: `${s.base}/compare?from=1&to=2`, headers: { cookie: s.participant.cookie } });
    expect(res.statusCode, res.body).toBe(200);
    const entries = res
      .json()
      .clauses.map((e: { status: string; from: { number: string } | null; to: { number: string } | null }) => [
        e.status,
        e.from?.number ?? null,
        e.to?.number ?? null,
      ]);
    expect(entries).toEqual([
      ['unchanged', '1', '1'],
      ['unchanged', '2', '2'],
      ['added', null, '3'],
      ['renumbered', '7', '8'],
      ['renumbered', '7.1', '8.1'],
      ['renumbered', '7.2', '8.2'],
      ['removed', '7.3', null],
    ]);
    const network = res.json().clauses[5];
    expect(network.diff.heading).toEqual(expect.arrayContaining([{ op: 'insert', text: expect.stringContaining('Threats to networks') }]));
  });
});
