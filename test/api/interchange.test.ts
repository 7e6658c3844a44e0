// Word and Excel in and out, read back with independent tools: python-docx and LibreOffice for the
// .docx exports, openpyxl for the .xlsx, and the database for what an import stored (or did not).
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { templateCsv, templateDocx, templateXlsx, type TemplateRow } from '../helpers/comment-template.ts';
import { adjudicationScene, sceneSessions, sessionFor, type Scene } from '../helpers/dispositions.ts';
import { multipart } from '../helpers/multipart.ts';
import { docxAsFlatOdt, renderDocxPages, runPython } from '../helpers/readers.ts';
import { closeAllSockets, connect, listen, record, subscribe, waitFor } from '../helpers/sockets.ts';

let app: TestApp;
beforeAll(async () => {
  // A small unpacked-size limit, so the zip bomb below is small too.
  app = await createTestApp({
    limits: { docxImport: { maxBytes: 10 * 1024 * 1024, maxEntries: 2000, maxUncompressedBytes: 2 * 1024 * 1024, timeoutMs: 10_000 } },
  });
});
afterAll(async () => {
  closeAllSockets();
  await app.close();
});

const PARAGRAPHS_PY = `
import sys, io, json, docx
d = docx.Document(io.BytesIO(sys.stdin.buffer.read()))
print(json.dumps({"paragraphs": [[p.style.name, p.text] for p in d.paragraphs], "tables": [[[c.text for c in r.cells] for r in t.rows] for t in d.tables]}))
`;
type DocxRead = { paragraphs: [string, string][]; tables: string[][][] };

async function addRevision2(s: Scene) {
  return app.prisma.revision.create({
    data: {
      documentId: s.document.id,
      sequence: 2,
      label: "Conveners' draft",
      format: 'MARKDOWN',
      notes: [],
      postedById: s.convener.id,
      clauses: {
        create: [
          {
            position: 0,
            number: '1',
            heading: 'Scope',
            html: '<p>This Recommendation describes the privacy framework.</p>',
            text: 'This Recommendation describes the privacy framework.',
          },
          {
            position: 1,
            number: '7.1',
            heading: 'Security threats for sensor/devices',
            html: '<p>Devices may be captured and <strong>keys</strong> extracted.</p><ul><li>tamper</li><li>clone</li></ul><table><tr><th>Threat</th><th>Layer</th></tr><tr><td>Capture</td><td>Device</td></tr></table><p>See <a href="https://www.itu.int/">ITU</a>.</p>',
            text: 'Devices may be captured and keys extracted. tamper clone Threat Layer Capture Device See ITU.',
          },
          { position: 2, number: '7.2.1', heading: 'Eavesdropping', html: '<p>On wireless links.</p>', text: 'On wireless links.' },
        ],
      },
    },
  });
}

const get = (url: string, cookie?: string) => app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

describe('a revision as a Word document', () => {
  it('has the clauses as Word headings at the levels of their numbers, with their text, lists, tables and a title block', async () => {
    const s = await adjudicationScene(app);
    await addRevision2(s);
    const participant = await sessionFor(app, s.participant);
    const res = await get(`${s.base}/revisions/2/revision.docx`, participant.cookie);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename=".*-revision-2\.docx"/);
    const read = await runPython<DocxRead>(PARAGRAPHS_PY, res.rawPayload);
    expect(read.paragraphs[0]).toEqual(['Title', 'Report on security and privacy aspects of IoT']);
    expect(read.paragraphs.map((p) => p[1])).toContain("Revision: 2 (Conveners' draft)");
    const headings = read.paragraphs.filter(([style]) => style.startsWith('Heading'));
    expect(headings).toEqual([
      ['Heading 1', '1 Scope'],
      ['Heading 2', '7.1 Security threats for sensor/devices'],
      ['Heading 3', '7.2.1 Eavesdropping'],
    ]);
    expect(read.paragraphs).toContainEqual(['List Paragraph', 'tamper']);
    expect(read.tables).toEqual([
      [
        ['Threat', 'Layer'],
        ['Capture', 'Device'],
      ],
    ]);
    const xml = await (await JSZip.loadAsync(res.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toMatch(/<w:b\/>[\s\S]*keys/);
    expect(xml).toContain('w:hyperlink');
    const pages = (await renderDocxPages(res.rawPayload)).join('\n');
    expect(pages).toContain('7.1 Security threats for sensor/devices');
    expect(pages).toContain('Devices may be captured and keys extracted.');
  });

  it('marks revision 2 against revision 1 as tracked changes by the poster, with a Word comment on a clause naming the comments it resolves', async () => {
    const s = await adjudicationScene(app);
    const rev2 = await addRevision2(s);
    const convener = await sessionFor(app, s.convener);
    const clause71 = await app.prisma.clause.findFirstOrThrow({ where: { revisionId: rev2.id, number: '7.1' } });
    const onRev2 = await app.prisma.comment.create({
      data: {
        documentId: s.document.id,
        revisionId: rev2.id,
        clauseId: clause71.id,
        authorId: s.participant.id,
        type: 'TECHNICAL',
        body: 'Name the keys.',
        bodyHtml: '<p>Name the keys.</p>',
      },
    });
    await app.prisma.disposition.create({
      data: {
        commentId: onRev2.id,
        documentId: s.document.id,
        code: 'ACCEPTED',
        status: 'FINAL',
        version: 2,
        implementedInRevisionId: rev2.id,
        updatedAt: new Date(),
      },
    });
    const res = await get(`${s.base}/revisions/2/revision.docx?against=1&anchors=true`, convener.cookie);
    expect(res.statusCode, res.body).toBe(200);
    const zip = await JSZip.loadAsync(res.rawPayload);
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toMatch(/<w:del [^>]*w:author="Convener"[^>]*><w:r><w:delText xml:space="preserve">security<\/w:delText>/);
    expect(xml).toMatch(/<w:ins [^>]*w:author="Convener"[^>]*><w:r><w:t xml:space="preserve">privacy<\/w:t>/);
    // 7.2 was removed and 7.2.1 added: each whole, heading included.
    expect(xml).toMatch(/<w:del [^>]*><w:r><w:delText xml:space="preserve">7.2 Security threats for network<\/w:delText>/);
    expect(xml).toMatch(/<w:ins [^>]*><w:r><w:t xml:space="preserve">7.2.1 Eavesdropping<\/w:t>/);
    const comments = await zip.file('word/comments.xml')?.async('string');
    expect(comments).toContain('Resolves the comment of Participant on clause 7.1 of revision 2 (Accepted): “Name the keys.”');
    // LibreOffice reads them as tracked changes, by the poster: insertions and deletions to accept or reject.
    const odt = await docxAsFlatOdt(res.rawPayload);
    const kinds = new Map(
      [...odt.matchAll(/<text:changed-region[^>]*text:id="([^"]+)">\s*<text:(insertion|deletion)>[\s\S]*?<dc:creator>([^<]*)<\/dc:creator>/g)].map((m) => [
        m[1]!,
        { kind: m[2]!, by: m[3]! },
      ]),
    );
    const changed = [...odt.matchAll(/<text:change-start text:change-id="([^"]+)"\/>([\s\S]*?)<text:change-end text:change-id="\1"\/>/g)].map((m) => ({
      ...kinds.get(m[1]!),
      text: m[2]!.replace(/<[^>]+>/g, ''),
    }));
    expect(changed).toContainEqual({ kind: 'deletion', by: 'Convener', text: 'security' });
    expect(changed).toContainEqual({ kind: 'insertion', by: 'Convener', text: 'privacy' });
    const missing = await get(`${s.base}/revisions/2/revision.docx?against=7`, convener.cookie);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('revision_not_found');
  });
});

async function finaliseAll(s: Scene) {
  for (const c of Object.values(s.comments)) {
    await app.prisma.disposition.create({
      data: { commentId: c.id, documentId: s.document.id, code: 'NOTED', rationale: 'Out of scope.', status: 'FINAL', version: 2, updatedAt: new Date() },
    });
  }
  const convener = await sessionFor(app, s.convener);
  const res = await app.inject({ method: 'POST', url: `${s.base}/final-report`, headers: convener.headers, payload: { revision: 1 } });
  expect(res.statusCode, res.body).toBe(201);
}

describe('the final report and the disposition table', () => {
  it('the final report .docx carries the disposition table as an annex, publicly when outputs are public', async () => {
    const s = await adjudicationScene(app, { visibility: 'PUBLIC_OUTPUTS' });
    await finaliseAll(s);
    const res = await get(`/api/public/groups/${s.slug}/documents/${s.document.id}/final.docx`);
    expect(res.statusCode, res.body).toBe(200);
    const read = await runPython<DocxRead>(PARAGRAPHS_PY, res.rawPayload);
    expect(read.paragraphs.map((p) => p[1])).toContain('Document: Report on security and privacy aspects of IoT — Final report');
    expect(read.paragraphs).toContainEqual(['Heading 1', 'Annex – Disposition of comments']);
    expect(read.paragraphs).toContainEqual(['Heading 2', '7.1 Security threats for sensor/devices']);
    expect(read.tables[0]![0]).toContain('Organisation / commenter');
    expect(read.tables[0]!.flat().join(' ')).toContain('Key extraction needs tamper resistance.');
    const priv = await adjudicationScene(app);
    await finaliseAll(priv);
    expect((await get(`/api/public/groups/${priv.slug}/documents/${priv.document.id}/final.docx`)).statusCode).toBe(404);
    const member = await sessionFor(app, priv.observer);
    expect((await get(`${priv.base}/final-report.docx`, member.cookie)).statusCode).toBe(200);
  });

  it('the disposition table as the comment template .xlsx, read by openpyxl, formulas kept as text', async () => {
    const s = await adjudicationScene(app);
    const observer = await sessionFor(app, s.observer);
    const res = await get(`${s.base}/disposition-table.xlsx`, observer.cookie);
    expect(res.statusCode, res.body).toBe(200);
    const read = await runPython<{ rows: (string | null)[][]; types: string[] }>(
      `
import sys, io, json, openpyxl
ws = openpyxl.load_workbook(io.BytesIO(sys.stdin.buffer.read())).active
rows = [[c.value for c in r] for r in ws.iter_rows()]
print(json.dumps({"rows": rows, "types": [c.data_type for r in ws.iter_rows(min_row=5) for c in r]}))
`,
      res.rawPayload,
    );
    expect(read.rows[3]).toEqual([
      'MB/NC',
      'Line number',
      'Clause/ Subclause',
      'Paragraph/ Figure/ Table/',
      'Type of comment',
      'Comments',
      'Proposed change',
      'Observations of the secretariat',
      'Commenter response',
    ]);
    expect(read.rows.slice(4).map((r) => [r[0], r[2], r[4], r[5]])).toContainEqual([
      'Participant — SG17 / Testland',
      '7.1',
      'te',
      'Key extraction needs tamper resistance.',
    ]);
    expect(read.rows.flat()).toContain('=SUM(A1:A2) "devices"');
    expect(read.types).not.toContain('f');
    // Convene reads its own template back.
    const convener = await sessionFor(app, s.convener);
    const preview = await upload(s, convener, 'preview', res.rawPayload, 'table.xlsx');
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().counts.ready).toBe(4);
  });
});

function upload(
  s: Scene,
  session: { headers: Record<string, string> },
  kind: 'preview' | 'import',
  file: Buffer,
  filename: string,
  fields: Record<string, string> = {},
  sequence = 1,
) {
  const body = multipart(fields, { name: 'file', filename, content: file, type: 'application/octet-stream' });
  const url = `${s.base}/revisions/${sequence}/comment-template${kind === 'preview' ? '/preview' : ''}`;
  return app.inject({ method: 'POST', url, headers: { ...session.headers, ...body.headers }, payload: body.payload });
}

const ROWS: TemplateRow[] = [
  {
    memberBody: 'SG17 / Korea (Republic of)',
    line: '12',
    clause: '7.1',
    paragraph: 'Table 1',
    type: 'te',
    comment: 'Key storage must be tamper resistant.',
    proposedChange: 'Add "tamper-resistant".',
    observations: 'Accepted in principle. Reworded in 7.1.',
  },
  { memberBody: 'SG17 / Korea (Republic of)', clause: 'Clause 7.2', type: 'ed', comment: 'Typo in "eavesdroping".\nSecond line.', observations: 'Accepted' },
  { memberBody: 'GB', clause: '7.1.9', type: 'ge', comment: 'Add a clause on updates.' },
  { memberBody: 'GB', clause: 'General', type: 'technical', comment: 'Cite Y.2060.', observations: 'Please discuss' },
];

async function stored(s: Scene) {
  return {
    comments: await app.prisma.comment.count({ where: { documentId: s.document.id } }),
    imports: await app.prisma.commentImport.count({ where: { documentId: s.document.id } }),
    dispositions: await app.prisma.disposition.count({ where: { documentId: s.document.id } }),
  };
}

describe('importing the comment template', () => {
  it('previews every row of an .xlsx with merged cells and empty rows, stores nothing, then imports in one transaction after the deadline as a convener, recorded', async () => {
    const s = await adjudicationScene(app);
    const convener = await sessionFor(app, s.convener);
    const file = await templateXlsx(ROWS, { mergeMemberBody: true, emptyRowsAfter: 20 });
    const before = await stored(s);
    const preview = await upload(s, convener, 'preview', file, 'comments.xlsx', { observations: 'true' });
    expect(preview.statusCode, preview.body).toBe(200);
    const plan = preview.json();
    expect(plan.format).toBe('xlsx');
    expect(plan.table.headerRow).toBe(4);
    expect(plan.periodState).toBe('closed');
    expect(plan.counts).toEqual({ ready: 3, unmatched: 1, skipped: 0, invalid: 0, dispositions: 2 });
    const [r1, r2, r3, r4] = plan.rows;
    expect(r1).toMatchObject({
      row: 5,
      outcome: 'ready',
      memberBody: 'SG17 / Korea (Republic of)',
      member: { name: 'Heung Youl Youm' },
      clause: { number: '7.1' },
      type: 'technical',
      line: '12',
      paragraph: 'Table 1',
      disposition: { code: 'accepted_with_modification', rationale: 'Reworded in 7.1.' },
    });
    // The merged member body names the second row too.
    expect(r2).toMatchObject({
      row: 6,
      memberBody: 'SG17 / Korea (Republic of)',
      clause: { number: '7.2' },
      type: 'editorial',
      comment: 'Typo in "eavesdroping".\nSecond line.',
      disposition: { code: 'accepted' },
    });
    expect(r3).toMatchObject({ row: 7, outcome: 'unmatched', memberBody: 'GB', member: null, suggestion: '7.1' });
    expect(r4).toMatchObject({ row: 8, outcome: 'ready', clause: null, disposition: null });
    expect(r4.notes.join(' ')).toContain('do not start with a disposition');
    expect(await stored(s)).toEqual(before);

    const refused = await upload(s, convener, 'import', file, 'comments.xlsx', { observations: 'true' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('template_rows_unresolved');
    expect(refused.json().rows).toEqual([expect.objectContaining({ row: 7, outcome: 'unmatched' })]);
    expect(await stored(s)).toEqual(before);

    const res = await upload(s, convener, 'import', file, 'comments.xlsx', { observations: 'true', mappings: JSON.stringify({ 7: '7.1' }) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ comments: 4, dispositions: 2, periodState: 'closed', afterDeadline: true });
    const batch = await app.prisma.commentImport.findUniqueOrThrow({
      where: { id: res.json().importId },
      include: { comments: { include: { comment: { include: { author: true, clause: true, disposition: true } } }, orderBy: { sourceRow: 'asc' } } },
    });
    expect(batch).toMatchObject({ importedById: s.convener.id, importedAs: 'convener', periodState: 'closed', format: 'xlsx', commentCount: 4 });
    const [c1, , c3, c4] = batch.comments;
    expect(c1!.comment.authorId).toBe(s.commenter2.id);
    expect(c1!.comment.disposition).toMatchObject({ code: 'ACCEPTED_WITH_MODIFICATION', status: 'PROPOSED', proposedById: s.convener.id });
    expect(c3!).toMatchObject({ memberBody: 'GB', memberMatched: false, clauseAsWritten: '7.1.9' });
    expect(c3!.comment).toMatchObject({ authorId: s.convener.id, clause: { number: '7.1' } });
    expect(c4!.comment.clauseId).toBeNull();
    const audit = await app.prisma.auditEntry.findFirstOrThrow({ where: { entityId: batch.id, action: 'comments.imported' } });
    expect(audit.actorId).toBe(s.convener.id);
    expect(audit.after).toMatchObject({ afterDeadline: true, comments: 4, periodState: 'closed' });
    // One event for the batch on the document's stream, for open views to refetch.
    const event = await app.prisma.realtimeEvent.findFirstOrThrow({ where: { name: 'comments.imported', groupId: s.group.id } });
    expect(event.data).toMatchObject({ importId: batch.id, revision: 1, comments: 4, dispositions: 2 });
    // The table lists the rows under the member bodies the file named.
    const table = await get(`${s.base}/disposition-table`, convener.cookie);
    const gbRows = table.json().rows.filter((r: { organisation: string }) => r.organisation === 'GB');
    expect(gbRows.map((r: { commenter: string }) => r.commenter)).toEqual(['GB', 'GB']);
  });

  it('reads the same template from Word (vertically merged cells, empty rows) and from CSV with semicolons', async () => {
    const s = await adjudicationScene(app, { periodOpen: true });
    const convener = await sessionFor(app, s.convener);
    const rows = ROWS.filter((r) => r.clause !== '7.1.9');
    const word = await upload(s, convener, 'preview', await templateDocx(rows, { emptyRows: 5 }), 'comments.docx');
    expect(word.statusCode, word.body).toBe(200);
    expect(word.json()).toMatchObject({ format: 'docx', periodState: 'open', counts: { ready: 3, unmatched: 0 } });
    expect(word.json().rows.map((r: { memberBody: string }) => r.memberBody)).toEqual(['SG17 / Korea (Republic of)', 'SG17 / Korea (Republic of)', 'GB']);
    expect(word.json().rows[1].comment).toBe('Typo in "eavesdroping".\nSecond line.');
    const csv = await upload(s, convener, 'import', templateCsv(rows), 'comments.csv');
    expect(csv.statusCode, csv.body).toBe(201);
    expect(csv.json()).toMatchObject({ format: 'csv', comments: 3, dispositions: 0, afterDeadline: false });
    // The milestone digest counts them under the member bodies the file named (two of Korea's four
    // are the scene's own; GB is the importer's row, not the convener's affiliation).
    const counts = await app.prisma.$transaction(async (tx) =>
      app.digestSources.read('commentCounts', {
        tx,
        group: s.group,
        milestone: { id: s.period.id, revisionId: s.revision.id } as never,
        firedAt: new Date(),
        late: false,
      }),
    );
    expect(counts?.byAffiliation).toEqual(
      expect.arrayContaining([
        { affiliation: 'SG17 / Korea (Republic of)', comments: 4 },
        { affiliation: 'GB', comments: 1 },
      ]),
    );
  });

  it('refuses bad files with the reason and stores nothing', async () => {
    const s = await adjudicationScene(app);
    const convener = await sessionFor(app, s.convener);
    const before = await stored(s);
    const wrong = await upload(s, convener, 'import', await templateXlsx(ROWS, { headers: ['Who', 'What', 'Where'] }), 'x.xlsx');
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().code).toBe('template_columns_unrecognised');
    expect(wrong.json().message).toContain('"Clause/Subclause" and "Comments"');
    const binary = await upload(s, convener, 'import', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 1, 2]), 'old.xls');
    expect(binary.statusCode).toBe(415);
    expect(binary.json().code).toBe('template_unsupported_format');
    const damaged = await upload(s, convener, 'import', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100, 7)]), 'x.xlsx');
    expect(damaged.statusCode).toBe(422);
    expect(damaged.json().code).toBe('template_unreadable');
    const bomb = new JSZip();
    bomb.file('word/document.xml', '<w:document/>');
    bomb.file('big.xml', Buffer.alloc(3 * 1024 * 1024, 32));
    const tooBig = await upload(s, convener, 'import', await bomb.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }), 'bomb.docx');
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().code).toBe('docx_too_large_uncompressed');
    const noComment = await upload(s, convener, 'import', templateCsv([{ memberBody: 'GB', clause: '7.1', type: 'te', comment: '' }]), 'x.csv');
    expect(noComment.statusCode).toBe(422);
    expect(noComment.json().code).toBe('template_empty');
    const badMapping = await upload(s, convener, 'import', templateCsv(ROWS), 'x.csv', { mappings: '{nope' });
    expect(badMapping.statusCode).toBe(400);
    const noFile = await app.inject({ method: 'POST', url: `${s.base}/revisions/1/comment-template`, headers: convener.headers, payload: {} });
    expect(noFile.statusCode).toBe(400);
    expect(await stored(s)).toEqual(before);
  });
});

describe('who imports', () => {
  it('after the deadline an editor is refused; the operator never imports', async () => {
    const s = await adjudicationScene(app);
    const sessions = await sceneSessions(app, s);
    const file = templateCsv(ROWS.slice(0, 1));
    for (const who of ['editor', 'participant', 'operator'] as const) {
      const res = await upload(s, sessions[who], 'preview', file, 'x.csv');
      expect(res.statusCode, who).toBe(403);
    }
  });
});

describe('an import on sockets', () => {
  it('reaches a member following the document as one comments.imported event (no event per row), and is replayed to one catching up', async () => {
    const s = await adjudicationScene(app);
    const url = await listen(app);
    const [convener, participant] = await Promise.all([sessionFor(app, s.convener), sessionFor(app, s.participant)]);
    const live = await connect(url, { cookie: participant.cookie });
    const heard = record(live);
    const before = await subscribe(live, { kind: 'document', id: s.document.id });
    const res = await upload(s, convener, 'import', templateCsv(ROWS.slice(0, 2)), 'comments.csv', { observations: 'true' });
    expect(res.statusCode, res.body).toBe(201);
    const event = await waitFor(() => heard.find((r) => r.event === 'comments.imported'), 'comments.imported');
    expect(event.payload).toMatchObject({
      stream: `document:${s.document.id}`,
      seq: before.seq + 1,
      data: { importId: res.json().importId, documentId: s.document.id, revision: 1, comments: 2, dispositions: 2 },
    });
    expect(heard.filter((r) => r.event.startsWith('comments.') || r.event.startsWith('dispositions.')).map((r) => r.event)).toEqual(['comments.imported']);
    // A view that loaded before the import and subscribes after it gets the event replayed.
    const late = await connect(url, { cookie: participant.cookie });
    const caught = record(late);
    const ack = await subscribe(late, { kind: 'document', id: s.document.id, since: before.seq });
    expect(ack).toMatchObject({ ok: true, replayed: 1, refetch: false });
    expect(caught.filter((r) => r.event === 'comments.imported').map((r) => r.payload.data.importId)).toEqual([res.json().importId]);
  });
});
