// The disposition of comments as Word users get it: the .docx downloaded from the route, read by
// python-docx and printed to PDF by LibreOffice, whose text is then read back page by page. One
// render for the whole file (LibreOffice takes a few seconds to start).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { adjudicationScene, sessionFor, type Scene } from '../helpers/dispositions.ts';
import { renderDocxPages, runPython } from '../helpers/readers.ts';

let app: TestApp;
let scene: Scene;
let docx: Buffer;
let pages: string[];

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

/** Clause labels of the kinds ITU and ISO texts use, longer than "7.1". */
const LONG_CLAUSES = ['10.2.3.4', 'Appendix III', 'A.1.2.3', 'Bibliography'];
const EXTRA_COMMENTS = 28;

/** Words of a sentence, none of them a header word, so a header word found on a page is the header's. */
const SENTENCE = 'the devices in this deployment keep their keys in ordinary flash memory, which an attacker with the board in hand can read out';

beforeAll(async () => {
  app = await createTestApp();
  scene = await adjudicationScene(app);
  const clauses = await Promise.all(
    LONG_CLAUSES.map((number, i) =>
      app.prisma.clause.create({
        data: { revisionId: scene.revision.id, position: 3 + i, number, heading: `Heading ${number}`, html: '<p>Text.</p>', text: 'Text.' },
      }),
    ),
  );
  // Rows of different heights (two to seven paragraphs), so that some row meets a page's end.
  // Each comment opens with BeginN and closes with EndN: a row kept whole has both on one page.
  const start = Date.now() - 30 * 3_600_000;
  await app.prisma.comment.createMany({
    data: Array.from({ length: EXTRA_COMMENTS }, (_, i) => {
      const paragraphs = Array.from({ length: 2 + (i % 6) }, (_, p) => `${p === 0 ? `Begin${i} ` : ''}${SENTENCE}${p === 1 + (i % 6) ? ` End${i}` : ''}.`);
      return {
        documentId: scene.document.id,
        revisionId: scene.revision.id,
        clauseId: clauses[i % clauses.length]!.id,
        authorId: i % 2 === 0 ? scene.commenter2.id : scene.participant.id,
        type: 'TECHNICAL' as const,
        body: paragraphs.join('\n\n'),
        bodyHtml: paragraphs.map((p) => `<p>${p}</p>`).join(''),
        proposedChange: 'Require a secure element for key storage.',
        createdAt: new Date(start + i * 1000),
      };
    }),
  });
  const participant = await sessionFor(app, scene.participant);
  const res = await app.inject({ method: 'GET', url: `${scene.base}/disposition-table.docx`, headers: { cookie: participant.cookie } });
  expect(res.statusCode).toBe(200);
  docx = res.rawPayload;
  pages = await renderDocxPages(docx);
}, 180_000);
afterAll(async () => {
  await app?.close();
});

const tokensOf = (text: string) => text.split(/\s+/).filter((token) => token !== '');
const pageOf = (word: string) => pages.findIndex((page) => tokensOf(page).includes(word));

interface PythonTable {
  landscape: boolean;
  fixedLayout: boolean;
  rows: Array<{ cells: string[]; cantSplit: boolean; header: boolean }>;
}

/** The table as python-docx reads it, with the row properties it has no API for read from the XML. */
const readTable = () =>
  runPython<PythonTable>(
    `
import docx, io, json, sys
from docx.enum.section import WD_ORIENT
document = docx.Document(io.BytesIO(sys.stdin.buffer.read()))
table = document.tables[0]
def on(element, name):
    found = element.xpath('./w:trPr/w:' + name)
    return bool(found) and found[0].get(docx.oxml.ns.qn('w:val')) not in ('false', '0', 'off')
layout = table._tbl.xpath('./w:tblPr/w:tblLayout/@w:type')
print(json.dumps({
    'landscape': document.sections[0].orientation == WD_ORIENT.LANDSCAPE,
    'fixedLayout': layout == ['fixed'],
    'rows': [{'cells': [cell.text for cell in row.cells], 'cantSplit': on(row._tr, 'cantSplit'), 'header': on(row._tr, 'tblHeader')} for row in table.rows],
}))
`,
    docx,
  );

describe('the disposition .docx, read by python-docx', () => {
  it('keeps every row on one page (cantSplit) and repeats the header row, on a landscape page with a fixed layout', async () => {
    const table = await readTable();
    expect(table.landscape).toBe(true);
    expect(table.fixedLayout).toBe(true);
    expect(table.rows).toHaveLength(1 + 4 + EXTRA_COMMENTS);
    expect(table.rows[0]!.cells).toEqual(HEADER);
    expect(table.rows.map((row) => row.header)).toEqual([true, ...table.rows.slice(1).map(() => false)]);
    expect(table.rows.filter((row) => !row.cantSplit).map((row) => row.cells[0])).toEqual([]);
  });

  it('names the commenter as "Name — Organisation", without nesting parentheses', async () => {
    const commenters = new Set((await readTable()).rows.slice(1).map((row) => row.cells[1]));
    expect([...commenters].sort()).toEqual(
      [`${scene.participant.name} — ${scene.participant.affiliation}`, 'Heung Youl Youm — SG17 / Korea (Republic of)'].sort(),
    );
  });
});

describe('the disposition .docx, printed by LibreOffice', () => {
  it('spreads over several pages, each starting with the whole header row', () => {
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const headerWords = [...new Set(HEADER.flatMap(tokensOf))];
    pages.forEach((page, index) => {
      const missing = headerWords.filter((word) => !tokensOf(page).includes(word));
      expect(missing, `page ${index + 1}:\n${page}`).toEqual([]);
    });
  });

  it('breaks no clause label inside a word', () => {
    const tokens = pages.flatMap(tokensOf);
    const count = (word: string) => tokens.filter((token) => token === word).length;
    const perClause = Math.ceil(EXTRA_COMMENTS / LONG_CLAUSES.length);
    expect(LONG_CLAUSES.map((label) => [label, count(label.split(' ')[0]!)])).toEqual(LONG_CLAUSES.map((label) => [label, perClause]));
    expect(count('III')).toBe(perClause);
    expect(count('7.1')).toBeGreaterThanOrEqual(2);
  });

  it('splits no row across a page break', () => {
    const split = Array.from({ length: EXTRA_COMMENTS }, (_, i) => [i, pageOf(`Begin${i}`), pageOf(`End${i}.`)]).filter(
      ([, begins, ends]) => begins === -1 || begins !== ends,
    );
    expect(split).toEqual([]);
  });
});
