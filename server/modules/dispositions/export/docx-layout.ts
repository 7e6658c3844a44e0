// How the Word export lays out its table: column widths that hold each column's longest word
// whole (a "Claus|e" header or a "10.2.3.|4" clause label misleads the reader), and which rows
// may be kept on one page. Pure arithmetic over Arial's metrics, so it is tested without Word.
import { ARIAL_BOLD, ARIAL_REGULAR } from './arial-metrics.ts';
import { COMMENT_TEMPLATE_COLUMNS, type TemplateColumn, type TemplateColumnKey } from './comment-template.ts';
import type { DispositionTableRow } from './disposition-table.ts';

export const FONT_SIZE_PT = 9; // the templates are dense tables
/** Left and right padding inside each cell, in twips (twentieths of a point). */
export const CELL_MARGIN_TWIPS = 85;
/** Top and bottom padding inside each cell. */
export const CELL_MARGIN_VERTICAL_TWIPS = 30;
/** Room for the cell borders and for renderers that round glyph positions differently. */
const FIT_SLACK_TWIPS = 60;
/** Arial's line height (ascent + descent + line gap) is 1.15 em. */
const LINE_TWIPS = Math.ceil(FONT_SIZE_PT * 20 * 1.15);

/**
 * Short-code columns take the width of their longest word and no more, up to a cap (a clause
 * label longer than that wraps rather than starving the text); text columns share the rest by
 * weight, each still at least as wide as its own longest header word.
 */
const COLUMN_RULES: Readonly<Record<TemplateColumnKey, { fitCells: boolean; maxPercent: number; weight: number }>> = {
  number: { fitCells: true, maxPercent: 6, weight: 0 },
  commenter: { fitCells: true, maxPercent: 18, weight: 12 },
  clause: { fitCells: true, maxPercent: 12, weight: 0 },
  paragraph: { fitCells: true, maxPercent: 12, weight: 0 },
  type: { fitCells: true, maxPercent: 8, weight: 0 },
  comment: { fitCells: false, maxPercent: 100, weight: 20 },
  proposedChange: { fitCells: false, maxPercent: 100, weight: 17 },
  disposition: { fitCells: false, maxPercent: 100, weight: 19 },
  response: { fitCells: false, maxPercent: 100, weight: 11 },
};

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Width of a word in twips at the table's font size. */
export function textWidthTwips(text: string, bold = false): number {
  const widths = bold ? ARIAL_BOLD : ARIAL_REGULAR;
  // "é" is as wide as "e": measure letters without their combining accents.
  const letters = PRINTABLE_ASCII.test(text) ? text : text.normalize('NFD').replace(/\p{M}/gu, '');
  let thousandths = 0;
  for (let i = 0; i < letters.length; i++) {
    const code = letters.charCodeAt(i);
    // The second half of a surrogate pair was counted with the first.
    if (code >= 0xdc00 && code <= 0xdfff) continue;
    // Outside ASCII Arial has no fixed answer (CJK is one em wide): assume the widest.
    thousandths += code >= 0x20 && code <= 0x7e ? widths[code - 0x20]! : 1000;
  }
  return Math.ceil((thousandths * FONT_SIZE_PT * 20) / 1000);
}

const wordsOf = (text: string) => text.split(/\s+/).filter((word) => word !== '');
const longestWord = (texts: readonly string[], bold: boolean) => Math.max(0, ...texts.flatMap(wordsOf).map((word) => textWidthTwips(word, bold)));
const fitting = (wordTwips: number) => wordTwips + 2 * CELL_MARGIN_TWIPS + FIT_SLACK_TWIPS;

/** Column widths in twips, in template order, summing to exactly `tableTwips`. */
export function planColumnWidths(
  rows: readonly DispositionTableRow[],
  tableTwips: number,
  columns: readonly TemplateColumn[] = COMMENT_TEMPLATE_COLUMNS,
): number[] {
  const minimums = columns.map((column) => {
    const rule = COLUMN_RULES[column.key];
    const header = longestWord([column.header], true);
    const cells = rule.fitCells ? longestWord(rows.map(column.cell), false) : 0;
    return Math.min(fitting(Math.max(header, cells)), Math.floor((tableTwips * rule.maxPercent) / 100));
  });
  const widths = columns.map((column, index) => (COLUMN_RULES[column.key].weight === 0 ? minimums[index]! : 0));
  // Share what the short columns leave by weight; a column whose share is below its minimum
  // gets its minimum and leaves the sharing, until every share holds.
  let sharing = columns.map((_column, index) => index).filter((index) => COLUMN_RULES[columns[index]!.key].weight > 0);
  for (;;) {
    const left = tableTwips - widths.reduce((sum, width, index) => sum + (sharing.includes(index) ? 0 : width), 0);
    const totalWeight = sharing.reduce((sum, index) => sum + COLUMN_RULES[columns[index]!.key].weight, 0);
    const share = (index: number) => Math.floor((left * COLUMN_RULES[columns[index]!.key].weight) / totalWeight);
    const short = sharing.filter((index) => share(index) < minimums[index]!);
    if (short.length === 0) {
      for (const index of sharing) widths[index] = share(index);
      // Rounding leftovers go to the widest column, so the grid fills the table exactly.
      const widest = widths.indexOf(Math.max(...widths));
      widths[widest]! += tableTwips - widths.reduce((sum, width) => sum + width, 0);
      return widths;
    }
    for (const index of short) widths[index] = minimums[index]!;
    sharing = sharing.filter((index) => !short.includes(index));
  }
}

/** Lines a cell's text takes at a column width, wrapping at spaces as a word processor does. */
function lineCount(text: string, columnTwips: number, bold: boolean): number {
  const room = Math.max(1, columnTwips - 2 * CELL_MARGIN_TWIPS - FIT_SLACK_TWIPS);
  const space = textWidthTwips(' ', bold);
  return text.split(/\r\n|\r|\n/).reduce((lines, paragraph) => {
    let count = 1;
    let used = 0;
    for (const word of wordsOf(paragraph)) {
      const width = textWidthTwips(word, bold);
      if (used > 0 && used + space + width <= room) {
        used += space + width;
        continue;
      }
      if (used > 0) count += 1;
      // A word wider than the column is broken over as many lines as it needs.
      const spanned = Math.max(1, Math.ceil(width / room));
      count += spanned - 1;
      used = width - (spanned - 1) * room;
    }
    return lines + count;
  }, 0);
}

/** An estimate of a row's height in twips, from its tallest cell. */
export function rowHeightTwips(texts: readonly string[], columnWidths: readonly number[], bold = false): number {
  const lines = Math.max(1, ...texts.map((text, index) => lineCount(text, columnWidths[index] ?? 0, bold)));
  return lines * LINE_TWIPS + 2 * CELL_MARGIN_VERTICAL_TWIPS;
}
