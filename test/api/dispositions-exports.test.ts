import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import type { Session } from '../helpers/factories.ts';
import { adjudicationScene, inHours, sessionFor, type Scene } from '../helpers/dispositions.ts';
import { readDocx } from '../unit/dispositions/docx-reader.ts';
import { buildMilestoneDigest } from '../../server/modules/digests/build-milestone-digest.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

const send = (method: 'GET' | 'PUT' | 'POST', url: string, s: Session | null, payload?: unknown) =>
  app.inject({
    method,
    url,
    headers: s ? (method === 'GET' ? { cookie: s.cookie } : s.headers) : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

/**
 * Adjudicates the scene's four comments: c1 accepted with modification (agreed), c2 rejected
 * (objected), c3 deferred (no answer, deadline passed), c4 noted; all final unless `leaveOpen`.
 */
async function adjudicate(scene: Scene, options: { leaveOpen?: boolean } = {}) {
  const [convener, participant, commenter2] = await Promise.all([
    sessionFor(app, scene.convener),
    sessionFor(app, scene.participant),
    sessionFor(app, scene.commenter2),
  ]);
  const { c1, c2, c3, c4 } = scene.comments;
  const decide = (id: string, body: object) =>
    send('PUT', `${scene.commentUrl(id)}/disposition`, convener, { expectedVersion: 0, respondBy: inHours(24), ...body });
  const respond = (id: string, who: Session, body: object) =>
    send('POST', `${scene.commentUrl(id)}/disposition/response`, who, { expectedVersion: 1, ...body });
  for (const res of [
    await decide(c1.id, {
      disposition: 'accepted_with_modification',
      rationale: 'Agreed; merged into 7.1.',
      adoptedText: 'Devices shall use tamper-resistant storage.',
    }),
    await decide(c2.id, { disposition: 'rejected', rationale: 'Spelling is correct in the source.' }),
    await decide(c3.id, { disposition: 'deferred', rationale: 'Future work.' }),
    await decide(c4.id, { disposition: 'noted', rationale: 'Already consistent.' }),
    await respond(c1.id, participant, { response: 'agree', text: 'Fine.' }),
    await respond(c2.id, commenter2, { response: 'object', text: 'It is misspelt in the PDF.' }),
    await respond(c4.id, commenter2, { response: 'agree' }),
  ])
    expect(res.statusCode, res.body).toBe(200);
  if (options.leaveOpen) return convener;
  await app.prisma.disposition.update({ where: { commentId: c3.id }, data: { respondBy: new Date(Date.now() - 1) } });
  for (const [id, version] of [
    [c1.id, 2],
    [c2.id, 2],
    [c3.id, 1],
    [c4.id, 2],
  ] as const) {
    const res = await send('POST', `${scene.commentUrl(id)}/disposition/finalise`, convener, { expectedVersion: version });
    expect(res.statusCode, res.body).toBe(200);
  }
  return convener;
}

const HEADER = [
  'No.',
  'Organisation / commenter',
  'Clause',
  'Paragraph / Figure / Table',
  'Type (ge/te/ed)',
  'Comment',
  'Proposed change',
  'Observations / disposition and rationale',
  'Commenter response',
];

/** The table, in document order (revision, clause position, time; whole-document comments last), as the template's cells. */
function expectedCells(scene: Scene) {
  const p = `${scene.participant.name} — ${scene.participant.affiliation}`;
  const k = 'Heung Youl Youm — SG17 / Korea (Republic of)';
  return [
    [
      '1',
      p,
      '7.1',
      '',
      'te',
      'Key extraction needs tamper resistance.',
      'Add "tamper-resistant storage".',
      'Accepted with modification — Agreed; merged into 7.1.\nAdopted text: Devices shall use tamper-resistant storage.',
      'Agree — Fine.',
    ],
    ['2', k, '7.1', '', 'ed', 'Use "devices", plural, consistently.', '=SUM(A1:A2) "devices"', 'Noted — Already consistent.', 'Agree'],
    [
      '3',
      k,
      '7.2',
      '',
      'ed',
      'Typo: "eavesdroping".',
      'Spell "eavesdropping".',
      'Rejected — Spelling is correct in the source.',
      'Object — It is misspelt in the PDF.',
    ],
    ['4', p, 'General', '', 'ge', 'The report should cite Y.2060.', 'Cite Y.2060 in clause 2.', 'Deferred — Future work.', ''],
  ];
}

describe('the disposition of comments', () => {
  it('shows the table view with rows and statistics by disposition, type, clause and affiliation', async () => {
    const scene = await adjudicationScene(app);
    await adjudicate(scene);
    const observer = await sessionFor(app, scene.observer);
    const res = await send('GET', `${scene.base}/disposition-table`, observer);
    expect(res.statusCode, res.body).toBe(200);
    const table = res.json();
    expect(table).toMatchObject({ groupName: scene.group.name, documentTitle: scene.document.title, revisionLabel: 'Revision 1 (Initial baseline)' });
    expect(table.rows.map((r: { clause: string; disposition: string; status: string }) => [r.clause, r.disposition, r.status])).toEqual([
      ['7.1', 'accepted_with_modification', 'final'],
      ['7.1', 'noted', 'final'],
      ['7.2', 'rejected', 'final'],
      ['General', 'deferred', 'final'],
    ]);
    expect(table.statistics).toEqual({
      total: 4,
      byDisposition: { accepted: 0, accepted_with_modification: 1, rejected: 1, noted: 1, deferred: 1, undecided: 0 },
      byStatus: { undecided: 0, proposed: 0, final: 4 },
      byType: { general: 1, technical: 1, editorial: 2 },
      byClause: [
        { clause: 'General', count: 1 },
        { clause: '7.1', count: 2 },
        { clause: '7.2', count: 1 },
      ],
      byOrganisation: [
        { organisation: 'SG17 / Korea (Republic of)', count: 2 },
        { organisation: scene.participant.affiliation, count: 2 },
      ].sort((a, b) => b.count - a.count || a.organisation.localeCompare(b.organisation, 'en', { numeric: true, sensitivity: 'base' })),
      objections: 1,
    });
    expect(res.body).not.toContain('@example.test');
  });

  it('exports a .docx in the comment-template columns, read back cell by cell', async () => {
    const scene = await adjudicationScene(app);
    await adjudicate(scene);
    const participant = await sessionFor(app, scene.participant);
    const res = await send('GET', `${scene.base}/disposition-table.docx`, participant);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="${scene.group.acronym.toLowerCase()}-report-on-security-and-privacy-aspects-of-iot-disposition-of-comments.docx"`,
    );
    const docx = await readDocx(res.rawPayload);
    expect(docx.rows[0]).toEqual(HEADER);
    expect(docx.rows.slice(1)).toEqual(expectedCells(scene));
    expect(docx.bodyParagraphs.slice(0, 4)).toEqual([
      'Disposition of comments',
      `Group: ${scene.group.name} (${scene.group.acronym})`,
      `Document: ${scene.document.title}`,
      'Revision: Revision 1 (Initial baseline)',
    ]);
    expect(docx.documentXml).not.toContain('@example.test');
  });

  it('exports CSV with a UTF-8 byte order mark that parses back to the same cells, formulas neutralised', async () => {
    const scene = await adjudicationScene(app);
    await adjudicate(scene);
    const editor = await sessionFor(app, scene.editor);
    const res = await send('GET', `${scene.base}/disposition-table.csv`, editor);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=".+-disposition-of-comments\.csv"$/);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records: string[][] = parse(res.rawPayload, { bom: true, relax_column_count: false });
    expect(records[0]!.slice(0, HEADER.length)).toEqual(HEADER);
    expect(records[0]!.slice(HEADER.length)).toEqual(['disposition_code', 'status', 'response_kind', 'organisation', 'implemented_in', 'origin']);
    const cells = expectedCells(scene).map((row) => row.map((cell) => (cell.startsWith('=') ? `'${cell}` : cell)));
    expect(records.slice(1).map((r) => r.slice(0, HEADER.length))).toEqual(cells);
    expect(records.slice(1).map((r) => r.slice(HEADER.length, HEADER.length + 3))).toEqual([
      ['accepted_with_modification', 'final', 'agree'],
      ['noted', 'final', 'agree'],
      ['rejected', 'final', 'object'],
      ['deferred', 'final', ''],
    ]);
    expect(res.body).not.toContain('@example.test');
  });

  it('exports JSON as a download and filters the table by revision (404 for a revision that does not exist)', async () => {
    const scene = await adjudicationScene(app);
    const participant = await sessionFor(app, scene.participant);
    const res = await send('GET', `${scene.base}/disposition-table.json?revision=1`, participant);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/disposition-of-comments\.json"$/);
    expect(res.json().rows).toHaveLength(4);
    expect(res.json().statistics.byStatus).toEqual({ undecided: 4, proposed: 0, final: 0 });
    expect((await send('GET', `${scene.base}/disposition-table.json?revision=7`, participant)).statusCode).toBe(404);
    expect((await send('GET', `${scene.base}/disposition-table.csv?revision=x`, participant)).statusCode).toBe(400);
  });

  it("shows an editor's draft as not yet decided in the table, and a proposal as proposed", async () => {
    const scene = await adjudicationScene(app);
    const [editor, convener] = await Promise.all([sessionFor(app, scene.editor), sessionFor(app, scene.convener)]);
    await send('PUT', `${scene.commentUrl(scene.comments.c1.id)}/disposition`, editor, {
      disposition: 'rejected',
      rationale: 'Draft only.',
      expectedVersion: 0,
    });
    await send('PUT', `${scene.commentUrl(scene.comments.c2.id)}/disposition`, convener, { disposition: 'accepted', expectedVersion: 0 });
    const table = (await send('GET', `${scene.base}/disposition-table`, convener)).json();
    const byNumber = (n: number) => table.rows.find((r: { number: number }) => r.number === n);
    expect(byNumber(1)).toMatchObject({ disposition: null, status: 'undecided', rationale: '' });
    expect(byNumber(3)).toMatchObject({ disposition: 'accepted', status: 'proposed' });
  });
});

describe('the final report', () => {
  it('refuses to publish while a disposition is not final (409), and refuses participants and editors (403)', async () => {
    const scene = await adjudicationScene(app);
    const convener = await adjudicate(scene, { leaveOpen: true });
    const [participant, editor] = await Promise.all([sessionFor(app, scene.participant), sessionFor(app, scene.editor)]);
    for (const who of [participant, editor]) expect((await send('POST', `${scene.base}/final-report`, who, { revision: 1 })).statusCode).toBe(403);
    const early = await send('POST', `${scene.base}/final-report`, convener, { revision: 1 });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'dispositions_not_final', notFinal: 4 });
    expect((await app.prisma.document.findUniqueOrThrow({ where: { id: scene.document.id } })).state).toBe('DRAFT');
    expect((await send('POST', `${scene.base}/final-report`, convener, { revision: 'one' })).statusCode).toBe(400);
  });

  it('publishes a revision with its frozen disposition table; the document becomes published; documents.published is raised', async () => {
    const scene = await adjudicationScene(app, { visibility: 'PUBLIC_OUTPUTS' });
    const convener = await adjudicate(scene);
    const events: Array<Record<string, unknown>> = [];
    app.ctx.events.on('documents.published', (e) => {
      events.push(e);
    });
    const missing = await send('POST', `${scene.base}/final-report`, convener, { revision: 4 });
    expect(missing.statusCode).toBe(404);
    const res = await send('POST', `${scene.base}/final-report`, convener, { revision: 1 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      document: { id: scene.document.id, state: 'published' },
      revision: { sequence: 1, label: 'Initial baseline' },
      publishedBy: { name: scene.convener.name },
      statistics: { total: 4, objections: 1 },
    });
    expect(res.json().clauses.map((c: { number: string }) => c.number)).toEqual(['1', '7.1', '7.2']);
    expect((await app.prisma.document.findUniqueOrThrow({ where: { id: scene.document.id } })).state).toBe('PUBLISHED');
    await app.ctx.events.drain();
    expect(events.filter((e) => e.documentId === scene.document.id)).toEqual([
      expect.objectContaining({ groupId: scene.group.id, revisionId: scene.revision.id, milestoneId: expect.any(String) }),
    ]);
    const again = await send('POST', `${scene.base}/final-report`, convener, { revision: 1 });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('final_report_published');
    const audit = await app.prisma.auditEntry.findFirstOrThrow({ where: { action: 'documents.published', entityId: scene.document.id } });
    expect(audit).toMatchObject({ before: { state: 'draft' }, after: { state: 'published', revision: 1 } });
  });

  it("reaches the timeframe's planned publication milestone instead of adding a second one", async () => {
    const scene = await adjudicationScene(app, { visibility: 'PUBLIC_OUTPUTS' });
    const convener = await adjudicate(scene);
    const planned = await app.prisma.milestone.create({
      data: { groupId: scene.group.id, at: new Date(Date.now() + 86_400_000), kind: 'FINAL_REPORT_PUBLISHED', label: 'Conveners publish the final report' },
    });
    expect((await send('POST', `${scene.base}/final-report`, convener, { revision: 1 })).statusCode).toBe(201);
    const milestones = await app.prisma.milestone.findMany({ where: { groupId: scene.group.id, kind: 'FINAL_REPORT_PUBLISHED' } });
    expect(milestones).toHaveLength(1);
    expect(milestones[0]).toMatchObject({
      id: planned.id,
      revisionId: scene.revision.id,
      effect: 'PUBLISH_REVISION',
      label: 'Conveners publish the final report',
      sequence: 1,
    });
    expect(milestones[0]!.at.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("lets anyone read a public group's published final report and its table without signing in — and nothing else", async () => {
    const scene = await adjudicationScene(app, { visibility: 'PUBLIC_OUTPUTS' });
    const convener = await adjudicate(scene);
    expect((await send('POST', `${scene.base}/final-report`, convener, { revision: 1 })).statusCode).toBe(201);
    const pub = `/api/public/groups/${scene.slug}/documents/${scene.document.id}`;

    const report = await send('GET', `${pub}/final`, null);
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json()).toMatchObject({ group: { slug: scene.slug }, document: { state: 'published' }, revision: { sequence: 1 } });
    const table = await send('GET', `${pub}/dispositions`, null);
    expect(table.statusCode).toBe(200);
    expect(table.json().rows).toHaveLength(4);
    const csv = await send('GET', `${pub}/dispositions.csv`, null);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect((parse(csv.rawPayload, { bom: true }) as string[][]).slice(1).map((r) => r.slice(0, HEADER.length))).toEqual(
      expectedCells(scene).map((row) => row.map((c) => (c.startsWith('=') ? `'${c}` : c))),
    );
    const docx = await send('GET', `${pub}/dispositions.docx`, null);
    expect(docx.statusCode).toBe(200);
    expect((await readDocx(docx.rawPayload)).rows.slice(1)).toEqual(expectedCells(scene));
    for (const body of [report.body, table.body, csv.body]) expect(body).not.toContain('@example.test');

    // The table is frozen at publication.
    await app.prisma.disposition.update({ where: { commentId: scene.comments.c2.id }, data: { rationale: 'Changed afterwards.' } });
    expect((await send('GET', `${pub}/dispositions`, null)).body).not.toContain('Changed afterwards.');

    // Nothing else of the group, to anonymous users.
    const base = `/api/groups/${scene.slug}`;
    for (const url of [
      base,
      `${base}/members`,
      `${base}/documents`,
      `${scene.base}`,
      `${scene.base}/comments`,
      `${scene.base}/dispositions`,
      `${scene.base}/disposition-table`,
      `${scene.base}/disposition-table.csv`,
      `${scene.base}/final-report`,
      `${scene.base}/objections`,
      `${scene.commentUrl(scene.comments.c1.id)}/disposition`,
      `${scene.commentUrl(scene.comments.c1.id)}/path`,
      `${base}/adjudication-settings`,
    ]) {
      const res = await send('GET', url, null);
      expect(res.statusCode, url).toBe(401);
    }
    expect((await send('GET', `/api/public/groups/${scene.slug}/documents/${scene.document.id}/comments`, null)).statusCode).toBe(404);
    expect((await send('GET', `/api/public/groups/${scene.slug}`, null)).statusCode).toBe(404);
  });

  it("answers 404 to anonymous readers of a private group's final report and of an unpublished public document", async () => {
    const hidden = await adjudicationScene(app, { visibility: 'PRIVATE' });
    const convener = await adjudicate(hidden);
    expect((await send('POST', `${hidden.base}/final-report`, convener, { revision: 1 })).statusCode).toBe(201);
    const unpublished = await adjudicationScene(app, { visibility: 'PUBLIC_OUTPUTS' });
    for (const scene of [hidden, unpublished]) {
      const pub = `/api/public/groups/${scene.slug}/documents/${scene.document.id}`;
      for (const url of [`${pub}/final`, `${pub}/dispositions`, `${pub}/dispositions.csv`, `${pub}/dispositions.docx`]) {
        const res = await send('GET', url, null);
        expect(res.statusCode, url).toBe(404);
        expect(res.json().code).toBe('final_report_not_found');
      }
    }
    // Members of the private group read it where they sign in.
    const observer = await sessionFor(app, hidden.observer);
    expect((await send('GET', `${hidden.base}/final-report`, observer)).statusCode).toBe(200);
  });
});

describe('the milestone digests', () => {
  const digestOf = async (scene: Scene, milestoneId: string) => {
    const [milestone, group] = await Promise.all([
      app.prisma.milestone.findUniqueOrThrow({ where: { id: milestoneId } }),
      app.prisma.group.findUniqueOrThrow({ where: { id: scene.group.id } }),
    ]);
    return JSON.stringify(await buildMilestoneDigest(app.config, app.digestSources, { tx: app.prisma, milestone, group, firedAt: new Date(), late: false }));
  };

  it("tells the group, with the conveners' draft, what changed, how comments were decided and which objections are carried forward", async () => {
    const scene = await adjudicationScene(app);
    await adjudicate(scene);
    const rev2 = await app.prisma.revision.create({
      data: {
        documentId: scene.document.id,
        sequence: 2,
        label: "Conveners' draft",
        format: 'MARKDOWN',
        notes: [],
        postedById: scene.convener.id,
        clauses: {
          create: [
            {
              position: 0,
              number: '1',
              heading: 'Scope',
              html: '<p>This Recommendation describes the security framework.</p>',
              text: 'This Recommendation describes the security framework.',
            },
            {
              position: 1,
              number: '7.1',
              heading: 'Security threats for sensor/devices',
              html: '<p>Devices may be captured; use tamper-resistant storage.</p>',
              text: 'Devices may be captured; use tamper-resistant storage.',
            },
            { position: 2, number: '8', heading: 'Security capabilities', html: '<p>New.</p>', text: 'New.' },
          ],
        },
      },
    });
    const milestone = await app.prisma.milestone.create({
      data: { groupId: scene.group.id, at: new Date(), kind: 'CONVENERS_DRAFT_POSTED', label: "Conveners' draft posted", revisionId: rev2.id },
    });
    const digest = await digestOf(scene, milestone.id);
    for (const text of [
      'Accepted with modification',
      'Rejected',
      'Deferred',
      'Noted',
      'Objections carried forward',
      'Heung Youl Youm — SG17 / Korea (Republic of): It is misspelt in the PDF.',
      'Clauses removed',
    ]) {
      expect(digest).toContain(text);
    }
    expect(digest).not.toContain('@example.test');
  });

  it("links the final report and its table publicly when the group's outputs are public", async () => {
    const scene = await adjudicationScene(app, { visibility: 'PUBLIC_OUTPUTS' });
    const convener = await adjudicate(scene);
    expect((await send('POST', `${scene.base}/final-report`, convener, { revision: 1 })).statusCode).toBe(201);
    const milestone = await app.prisma.milestone.findFirstOrThrow({ where: { groupId: scene.group.id, kind: 'FINAL_REPORT_PUBLISHED' } });
    const digest = await digestOf(scene, milestone.id);
    const pub = `${app.config.publicUrl}/api/public/groups/${scene.slug}/documents/${scene.document.id}`;
    expect(digest).toContain(`${pub}/final`);
    expect(digest).toContain(`${pub}/dispositions.docx`);
  });
});
