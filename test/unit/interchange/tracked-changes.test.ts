// Revision marks: whatever the edits between two revisions, accepting every tracked change of the
// exported .docx gives revision N's text and rejecting every change gives revision M's. Accepting
// and rejecting are computed from word/document.xml as Word does it: accept keeps w:ins and drops
// w:del (and the paragraphs whose mark is deleted); reject does the reverse.
import fc from 'fast-check';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { revisionToDocx, trackedRevisionToDocx } from '../../../server/modules/interchange/export/revision-docx.ts';
import { compareRevisions } from '../../../server/modules/revisions/lib/compare.ts';
import { htmlToPlainText } from '../../../server/modules/revisions/lib/markdown.ts';

const REVISION = {
  groupName: 'Correspondence group on IoT security',
  groupAcronym: 'CG-IoTsec',
  documentTitle: 'Report',
  sequence: 2,
  label: 'Draft',
  date: new Date('2016-05-11T00:00:00Z'),
};

async function documentXml(docx: Buffer): Promise<string> {
  return (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
}

/** The text of each paragraph after the title block, once every change is accepted (or rejected). */
function resolvedParagraphs(xml: string, choice: 'accept' | 'reject'): string[] {
  const body = xml.slice(xml.indexOf('<w:pStyle w:val="Heading'));
  const [drop, keep] = choice === 'accept' ? ['del', 'ins'] : ['ins', 'del'];
  const paragraphs: string[] = [];
  for (const match of `<w:p>${body}`.matchAll(/<w:p(?=[\s>])[^>]*>([\s\S]*?)<\/w:p>/g)) {
    const paragraph = match[1]!;
    const properties = paragraph.match(/<w:pPr>[\s\S]*?<\/w:pPr>/)?.[0] ?? '';
    // A paragraph whose mark is removed by this choice joins the next one; with all its text gone it simply disappears.
    const markRemoved = new RegExp(`<w:rPr>[\\s\\S]*?<w:${drop} `).test(properties);
    const text = paragraph
      .replace(/<w:pPr>[\s\S]*?<\/w:pPr>/, '')
      .replace(new RegExp(`<w:${drop} [^>]*>[\\s\\S]*?</w:${drop}>`, 'g'), '')
      .replace(new RegExp(`</?w:${keep}\\b[^>]*>`, 'g'), '')
      .replace(/<w:br\/>/g, '\n')
      .replace(/<w:(t|delText)(?: [^>]*)?>([^<]*)<\/w:\1>/g, '$2')
      .replace(/<[^>]+>/g, '')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&');
    if (markRemoved && text === '') continue;
    paragraphs.push(text);
  }
  return paragraphs.filter((p) => p !== '');
}

const WORDS = ['device', 'key', 'network', 'the', 'a', 'shall', 'secure', 'data', 'IoT', 'privacy', 'may', 'be', 'captured', 'link', 'threat'];
const word = fc.constantFrom(...WORDS);
const styledWord = fc.record({ word, bold: fc.boolean() });
const paragraph = fc.array(styledWord, { minLength: 1, maxLength: 12 });
const clauseBody = fc.array(paragraph, { minLength: 1, maxLength: 3 });
const html = (paragraphs: { word: string; bold: boolean }[][]) =>
  paragraphs.map((p) => `<p>${p.map((w) => (w.bold ? `<strong>${w.word}</strong>` : w.word)).join(' ')}</p>`).join('');

/** An edit of one word: kept, deleted, replaced, preceded by an insertion, or its emphasis toggled. */
const wordEdit = fc.constantFrom('keep', 'keep', 'keep', 'delete', 'replace', 'insert', 'toggle');

function edit(paragraphs: { word: string; bold: boolean }[][], edits: string[], fresh: string[]) {
  let e = 0;
  let f = 0;
  return paragraphs
    .map((p) =>
      p.flatMap((w) => {
        const op = edits[e++ % edits.length];
        const other = fresh[f++ % fresh.length]!;
        if (op === 'delete') return [];
        if (op === 'replace') return [{ word: other, bold: w.bold }];
        if (op === 'insert') return [{ word: other, bold: false }, w];
        if (op === 'toggle') return [{ word: w.word, bold: !w.bold }];
        return [w];
      }),
    )
    .filter((p) => p.length > 0);
}

const clause = (number: string, heading: string, body: { word: string; bold: boolean }[][]) => {
  const h = html(body);
  return { number, heading, html: h, text: htmlToPlainText(h) };
};

describe('revision marks', () => {
  it('accepting every change gives revision N, rejecting every change gives revision M, over random edits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(clauseBody, { minLength: 1, maxLength: 4 }),
        fc.array(wordEdit, { minLength: 1, maxLength: 30 }),
        fc.array(word, { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        fc.boolean(),
        async (bodies, edits, fresh, addClause, removeFirst) => {
          const before = bodies.map((b, i) => clause(`${i + 1}`, `Clause ${WORDS[i]}`, b));
          let after = bodies.map((b, i) => clause(`${i + 1}`, `Clause ${WORDS[i]}`, edit(b, edits, fresh)));
          if (removeFirst && after.length > 1) after = after.slice(1);
          if (addClause)
            after = [
              ...after,
              clause('9', 'Added clause', [
                [
                  { word: 'new', bold: false },
                  { word: 'text', bold: true },
                ],
              ]),
            ];
          const tracked = await documentXml(
            await trackedRevisionToDocx({
              revision: REVISION,
              against: { sequence: 1, label: 'Base' },
              entries: compareRevisions(before, after),
              author: { name: 'Arnaud Taddei', date: REVISION.date },
            }),
          );
          const cleanN = await documentXml(await revisionToDocx({ revision: REVISION, clauses: after }));
          const cleanM = await documentXml(await revisionToDocx({ revision: REVISION, clauses: before }));
          expect(resolvedParagraphs(tracked, 'accept')).toEqual(resolvedParagraphs(cleanN, 'accept'));
          expect(resolvedParagraphs(tracked, 'reject')).toEqual(resolvedParagraphs(cleanM, 'accept'));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('marks each change with the author and date, at word level, and an added clause whole, paragraph mark included', async () => {
    const before = [
      clause('1', 'Scope', [
        [
          { word: 'Devices', bold: false },
          { word: 'may', bold: false },
          { word: 'be', bold: false },
          { word: 'captured', bold: false },
        ],
      ]),
    ];
    const after = [
      clause('1', 'Scope', [
        [
          { word: 'Devices', bold: false },
          { word: 'can', bold: false },
          { word: 'be', bold: false },
          { word: 'captured', bold: false },
        ],
      ]),
      clause('2', 'References', [[{ word: 'Y.2060', bold: false }]]),
    ];
    const xml = await documentXml(
      await trackedRevisionToDocx({
        revision: REVISION,
        against: { sequence: 1, label: 'Base' },
        entries: compareRevisions(before, after),
        author: { name: 'Arnaud Taddei', date: REVISION.date },
      }),
    );
    expect(xml).toMatch(
      /<w:del w:id="\d+" w:author="Arnaud Taddei" w:date="2016-05-11T00:00:00(\.000)?Z"><w:r><w:delText xml:space="preserve">may<\/w:delText>/,
    );
    expect(xml).toMatch(/<w:ins w:id="\d+" w:author="Arnaud Taddei" w:date="2016-05-11T00:00:00(\.000)?Z"><w:r><w:t xml:space="preserve">can<\/w:t>/);
    // The added clause: its heading and its paragraph, words and paragraph marks inserted.
    expect(xml).toMatch(/<w:pStyle w:val="Heading1"\/><w:rPr><w:ins [^>]*\/><\/w:rPr><\/w:pPr><w:ins [^>]*><w:r><w:t xml:space="preserve">2 References/);
    expect(xml).toMatch(/<w:pPr><w:rPr><w:ins [^>]*\/><\/w:rPr><\/w:pPr><w:ins [^>]*><w:r><w:t xml:space="preserve">Y.2060/);
    const ids = [...xml.matchAll(/<w:(?:ins|del) w:id="(\d+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
