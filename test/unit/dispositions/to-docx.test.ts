import { beforeAll, describe, expect, it } from 'vitest';
import { dispositionTableToDocx } from '../../../server/modules/dispositions/export/to-docx.ts';
import type { DispositionTableRow } from '../../../server/modules/dispositions/export/disposition-table.ts';
import { CELL_MARGIN_TWIPS, textWidthTwips } from '../../../server/modules/dispositions/export/docx-layout.ts';
import { readDocx, type DocxContent } from './docx-reader.ts';
import { SAMPLE_DISPOSITION_CELLS, SAMPLE_RESPONSE_CELLS, sampleTable, syntheticTable } from './fixtures.ts';

const EXPECTED_HEADER = [
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
const TYPE_CODES = { general: 'ge', technical: 'te', editorial: 'ed' } as const;

/** Word has no line-break flavours: every CRLF or CR comes back as a paragraph break. */
function asParagraphs(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** The columns whose text is the row's own field, unchanged. */
function plainCells(row: DispositionTableRow) {
  return [String(row.number), row.commenter, row.clause, row.paragraph, TYPE_CODES[row.type], asParagraphs(row.comment), asParagraphs(row.proposedChange)];
}

describe('dispositionTableToDocx', () => {
  const table = sampleTable();
  let buffer: Buffer;
  let sample: DocxContent;
  beforeAll(async () => {
    buffer = await dispositionTableToDocx(table);
    sample = await readDocx(buffer);
  });

  it('is a zip archive (the .docx container)', () => {
    expect(buffer.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('lays the page out as landscape A4', () => {
    expect(sample.page).toEqual({ width: 16838, height: 11906, orientation: 'landscape' });
  });

  it('starts with a title block naming group, document, revision and the UTC date', () => {
    expect(sample.bodyParagraphs.slice(0, 5)).toEqual([
      'Disposition of comments',
      'Group: Correspondence Group on IoT security (CG-IoTsec)',
      'Document: Technical Report on security requirements for IoT devices',
      'Revision: rev 2',
      'Date: 2016-05-25 14:07 UTC',
    ]);
  });

  it('has the comment-template header, repeated on every page', () => {
    expect(sample.rows[0]).toEqual(EXPECTED_HEADER);
    expect(sample.headerRowFlags).toEqual([true, ...table.rows.map(() => false)]);
  });

  it('keeps each row on one page', () => {
    expect(sample.keepTogetherFlags).toEqual([true, ...table.rows.map(() => true)]);
  });

  it('lets a row taller than a page break across pages, since no page could hold it whole', async () => {
    const tall = { ...table.rows[0]!, number: 7, comment: Array.from({ length: 120 }, (_, i) => `Paragraph ${i + 1} of a very long comment.`).join('\n') };
    const content = await readDocx(await dispositionTableToDocx({ ...table, rows: [...table.rows, tall] }));
    expect(content.keepTogetherFlags).toEqual([true, ...table.rows.map(() => true), false]);
  });

  it('gives the columns a grid that fills the table exactly, every column holding its longest header word', () => {
    expect(sample.columnWidths).toHaveLength(EXPECTED_HEADER.length);
    expect(sample.columnWidths.reduce((sum, width) => sum + width, 0)).toBe(16838 - 2 * 720);
    EXPECTED_HEADER.forEach((header, index) => {
      const longest = Math.max(...header.split(' ').map((word) => textWidthTwips(word, true)));
      expect(sample.columnWidths[index], header).toBeGreaterThanOrEqual(longest + 2 * CELL_MARGIN_TWIPS);
    });
  });

  it('reads back cell by cell as the input rows', () => {
    const bodyRows = sample.rows.slice(1);
    expect(bodyRows).toHaveLength(table.rows.length);
    table.rows.forEach((row, index) => {
      const expected = [...plainCells(row), SAMPLE_DISPOSITION_CELLS[index], SAMPLE_RESPONSE_CELLS[index]];
      if (row.number === 6) {
        // The characters XML cannot carry are dropped, the rest of the comment is kept.
        expected[5] = 'Controlcharacters and a stray  must not break the file.';
      }
      expect(bodyRows[index], `row ${row.number}`).toEqual(expected);
    });
  });

  it('keeps line breaks as separate paragraphs, empty lines included', () => {
    const cell = sample.rows[4]?.[5];
    expect(cell).toBe('-2 is a bad default;\n\nsee clause 8.\n');
    expect(sample.documentXml).toContain('<w:p><w:r><w:t xml:space="preserve">see clause 8.</w:t></w:r></w:p>');
  });

  it('sets Arabic paragraphs right to left, and only those', () => {
    expect(sample.rightToLeftParagraphs).toEqual([table.rows[1]?.comment]);
  });

  it('escapes markup characters instead of writing them into the XML', () => {
    expect(sample.documentXml).toContain('=HYPERLINK(&quot;http://example.invalid&quot;,&quot;click&quot;)');
  });

  it('exports 2,000 rows, every one of them', async () => {
    const big = syntheticTable(2000);
    const content = await readDocx(await dispositionTableToDocx(big));
    expect(content.rows).toHaveLength(2001);
    big.rows.forEach((row, index) => {
      expect(content.rows[index + 1]?.slice(0, 7)).toEqual(plainCells(row));
    });
  });
});
