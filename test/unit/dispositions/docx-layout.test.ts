import { describe, expect, it } from 'vitest';
import { CELL_MARGIN_TWIPS, planColumnWidths, rowHeightTwips, textWidthTwips } from '../../../server/modules/dispositions/export/docx-layout.ts';
import { COMMENT_TEMPLATE_COLUMNS } from '../../../server/modules/dispositions/export/comment-template.ts';
import { sampleTable, syntheticTable } from './fixtures.ts';

const TABLE = 16838 - 2 * 720;
const column = (key: string) => COMMENT_TEMPLATE_COLUMNS.findIndex((c) => c.key === key);
const room = (widths: number[], key: string) => widths[column(key)]! - 2 * CELL_MARGIN_TWIPS;

describe('textWidthTwips', () => {
  it('measures with Arial\'s widths at 9 pt: "Clause" in bold is 29.5 pt, an accent adds nothing, CJK counts a full em', () => {
    expect(textWidthTwips('Clause', true)).toBe(591);
    expect(textWidthTwips('Société')).toBe(textWidthTwips('Societe'));
    expect(textWidthTwips('王晓明')).toBe(3 * 180);
  });
});

describe('planColumnWidths', () => {
  it('fills the table exactly and gives every header word and every clause label room to stay whole', () => {
    const rows = [...sampleTable().rows, { ...sampleTable().rows[0]!, clause: 'Appendix III', paragraph: 'Bibliography' }];
    const widths = planColumnWidths(rows, TABLE);
    expect(widths.reduce((a, b) => a + b, 0)).toBe(TABLE);
    for (const [index, c] of COMMENT_TEMPLATE_COLUMNS.entries()) {
      const longest = Math.max(...c.header.split(' ').map((word) => textWidthTwips(word, true)));
      expect(widths[index]! - 2 * CELL_MARGIN_TWIPS, c.header).toBeGreaterThanOrEqual(longest);
    }
    expect(room(widths, 'clause')).toBeGreaterThanOrEqual(textWidthTwips('Appendix'));
    expect(room(widths, 'paragraph')).toBeGreaterThanOrEqual(textWidthTwips('Bibliography'));
    // The free text keeps most of the page.
    const text = ['comment', 'proposedChange', 'disposition', 'response'].reduce((sum, key) => sum + widths[column(key)]!, 0);
    expect(text / TABLE).toBeGreaterThan(0.6);
  });

  it('caps a short-code column: a clause label of 60 characters wraps instead of squeezing the comments', () => {
    const rows = [{ ...sampleTable().rows[0]!, clause: 'X'.repeat(60) }];
    const widths = planColumnWidths(rows, TABLE);
    expect(widths[column('clause')]).toBeLessThanOrEqual(Math.floor(TABLE * 0.12));
    expect(widths.reduce((a, b) => a + b, 0)).toBe(TABLE);
  });

  it('keeps the same widths for 2,000 rows of realistic text', () => {
    const widths = planColumnWidths(syntheticTable(2000).rows, TABLE);
    expect(widths.reduce((a, b) => a + b, 0)).toBe(TABLE);
    expect(widths.every((w) => w > 2 * CELL_MARGIN_TWIPS)).toBe(true);
  });
});

describe('rowHeightTwips', () => {
  it('grows with the lines of the tallest cell', () => {
    const widths = planColumnWidths(sampleTable().rows, TABLE);
    const one = rowHeightTwips(['1', 'A', '7.1', '', 'te', 'Short.', '', '', ''], widths);
    const ten = rowHeightTwips(['1', 'A', '7.1', '', 'te', Array.from({ length: 10 }, () => 'Short.').join('\n'), '', '', ''], widths);
    expect(ten - 60).toBe((one - 60) * 10);
    const long = rowHeightTwips(['1', 'A', '7.1', '', 'te', 'word '.repeat(400), '', '', ''], widths);
    expect(long).toBeGreaterThan(ten);
  });
});
