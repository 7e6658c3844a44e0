// The disposition of comments as a Word document: a title block and one table laid out like the
// ISO/IEC/ITU comment template, on landscape A4 because nine columns do not fit a portrait page.
// Its header row repeats on every page, and a comment's row is kept on one page, as the printed
// templates are read: a row cut in two separates a comment from its disposition.
import { Document, Packer, PageOrientation, Paragraph, ShadingType, Table, TableCell, TableLayoutType, TableRow, TextRun, WidthType } from 'docx';
import { COMMENT_TEMPLATE_COLUMNS } from './comment-template.ts';
import type { DispositionTable, DispositionTableRow } from './disposition-table.ts';
import { CELL_MARGIN_TWIPS, CELL_MARGIN_VERTICAL_TWIPS, FONT_SIZE_PT, planColumnWidths, rowHeightTwips } from './docx-layout.ts';

/** A4 in twentieths of a point, given portrait: docx swaps the sides for a landscape section. */
const A4_TWIPS = { width: 11906, height: 16838 } as const;
const MARGIN_TWIPS = 720; // 1.27 cm: narrow margins leave the text columns room
const TABLE_WIDTH_TWIPS = A4_TWIPS.height - 2 * MARGIN_TWIPS;
const PAGE_BODY_TWIPS = A4_TWIPS.width - 2 * MARGIN_TWIPS;
// Arial, or its metric twin Liberation Sans where Arial is missing: the column widths are
// measured with its metrics (arial-metrics.ts).
const FONT = 'Arial';
const HEADER_SHADING = 'D9D9D9';
/**
 * A row kept on one page must fit on one below the repeated header: a taller one cannot be kept
 * whole, and Word cuts off what does not fit rather than breaking it. Rows estimated taller
 * than this share of the page may break; the estimate is rough, hence the margin.
 */
const KEEP_WHOLE_SHARE = 0.75;

export async function dispositionTableToDocx(table: DispositionTable): Promise<Buffer> {
  const document = new Document({
    creator: 'Convene',
    title: xmlSafe(`Disposition of comments — ${table.documentTitle}`),
    styles: { default: { document: { run: { font: FONT, size: FONT_SIZE_PT * 2 } } } },
    sections: [
      {
        properties: {
          page: {
            size: { ...A4_TWIPS, orientation: PageOrientation.LANDSCAPE },
            margin: { top: MARGIN_TWIPS, right: MARGIN_TWIPS, bottom: MARGIN_TWIPS, left: MARGIN_TWIPS },
          },
        },
        children: [...titleBlock(table), commentTable(table.rows)],
      },
    ],
  });
  return Packer.toBuffer(document);
}

function titleBlock(table: DispositionTable): Paragraph[] {
  return [
    new Paragraph({ children: [new TextRun({ text: 'Disposition of comments', bold: true, size: 32 })] }),
    labelledLine('Group', `${table.groupName} (${table.groupAcronym})`),
    labelledLine('Document', table.documentTitle),
    labelledLine('Revision', table.revisionLabel),
    labelledLine('Date', formatUtc(table.generatedAt)),
    new Paragraph({}),
  ];
}

function labelledLine(label: string, value: string): Paragraph {
  return new Paragraph({
    children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(xmlSafe(value))],
  });
}

/** "2016-05-25 14:00 UTC": ITU deadlines and meeting times are stated in UTC. */
function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function commentTable(rows: readonly DispositionTableRow[]): Table {
  const widths = planColumnWidths(rows, TABLE_WIDTH_TWIPS);
  const headers = COMMENT_TEMPLATE_COLUMNS.map((column) => column.header);
  const keepWholeUpTo = (PAGE_BODY_TWIPS - rowHeightTwips(headers, widths, true)) * KEEP_WHOLE_SHARE;
  return new Table({
    width: { size: TABLE_WIDTH_TWIPS, type: WidthType.DXA },
    columnWidths: widths,
    // A fixed layout spares Word from measuring thousands of cells before it can show the page,
    // and keeps the widths planned for the words.
    layout: TableLayoutType.FIXED,
    // Stated, not left to each word processor's default, since the widths count on them.
    margins: {
      left: CELL_MARGIN_TWIPS,
      right: CELL_MARGIN_TWIPS,
      top: CELL_MARGIN_VERTICAL_TWIPS,
      bottom: CELL_MARGIN_VERTICAL_TWIPS,
      marginUnitType: WidthType.DXA,
    },
    rows: [headerRow(headers, widths), ...rows.map((row) => bodyRow(row, widths, keepWholeUpTo))],
  });
}

function headerRow(headers: readonly string[], widths: readonly number[]): TableRow {
  return new TableRow({
    tableHeader: true, // Word repeats it at the top of every page
    cantSplit: true,
    children: headers.map(
      (header, index) =>
        new TableCell({
          width: cellWidth(widths, index),
          shading: { type: ShadingType.CLEAR, color: 'auto', fill: HEADER_SHADING },
          children: [new Paragraph({ children: [new TextRun({ text: header, bold: true })] })],
        }),
    ),
  });
}

function bodyRow(row: DispositionTableRow, widths: readonly number[], keepWholeUpTo: number): TableRow {
  const texts = COMMENT_TEMPLATE_COLUMNS.map((column) => xmlSafe(column.cell(row)));
  return new TableRow({
    // Set only when true: docx writes an explicit "false" otherwise, on every row.
    ...(rowHeightTwips(texts, widths) <= keepWholeUpTo ? { cantSplit: true } : {}),
    children: texts.map(
      (text, index) =>
        new TableCell({
          width: cellWidth(widths, index),
          children: textParagraphs(text),
        }),
    ),
  });
}

function cellWidth(widths: readonly number[], index: number) {
  return { size: widths[index] ?? 0, type: WidthType.DXA };
}

/** One paragraph per line, so the commenter's line breaks survive; a cell always has one. */
function textParagraphs(text: string): Paragraph[] {
  return xmlSafe(text)
    .split(/\r\n|\r|\n/)
    .map(
      (line) =>
        new Paragraph({
          // Set only when true: docx writes an explicit "false" otherwise, on every paragraph.
          ...(startsRightToLeft(line) ? { bidirectional: true } : {}),
          children: line === '' ? [] : [new TextRun(line)],
        }),
    );
}

/**
 * docx drops the C0 control characters itself; lone surrogates and U+FFFE/U+FFFF are not
 * allowed in XML either, and Word refuses to open a file that contains one.
 */
function xmlSafe(text: string): string {
  return text.toWellFormed().replace(/[\uFFFE\uFFFF]/g, '');
}

const FIRST_STRONG_CHARACTER = /[\p{L}]/u;
const RIGHT_TO_LEFT_SCRIPT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}]/u;

/** An Arabic comment reads right to left: its paragraph direction follows its first letter. */
function startsRightToLeft(line: string): boolean {
  const first = FIRST_STRONG_CHARACTER.exec(line)?.[0];
  return first !== undefined && RIGHT_TO_LEFT_SCRIPT.test(first);
}
