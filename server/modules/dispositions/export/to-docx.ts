// The disposition of comments as a Word document: a title block and one table laid out like the
// ISO/IEC/ITU comment template, on landscape A4 because nine columns do not fit a portrait page.
import {
  Document, Packer, PageOrientation, Paragraph, ShadingType, Table, TableCell, TableLayoutType,
  TableRow, TextRun, WidthType,
} from 'docx';
import { COMMENT_TEMPLATE_COLUMNS, type TemplateColumnKey } from './comment-template.ts';
import type { DispositionTable, DispositionTableRow } from './disposition-table.ts';

/** A4 in twentieths of a point, given portrait: docx swaps the sides for a landscape section. */
const A4_TWIPS = { width: 11906, height: 16838 } as const;
const MARGIN_TWIPS = 720; // 1.27 cm: narrow margins leave the text columns room
const TABLE_WIDTH_TWIPS = A4_TWIPS.height - 2 * MARGIN_TWIPS;
const FONT = 'Arial';
const BODY_HALF_POINTS = 18; // 9 pt: the templates are dense tables
const HEADER_SHADING = 'D9D9D9';

/** Percent of the table width; free-text columns get the room. */
const COLUMN_PERCENT: Readonly<Record<TemplateColumnKey, number>> = {
  number: 4, commenter: 12, clause: 5, paragraph: 7, type: 5,
  comment: 20, proposedChange: 17, disposition: 19, response: 11,
};

const COLUMN_WIDTHS = COMMENT_TEMPLATE_COLUMNS.map(
  (column) => Math.floor((TABLE_WIDTH_TWIPS * COLUMN_PERCENT[column.key]) / 100),
);

export async function dispositionTableToDocx(table: DispositionTable): Promise<Buffer> {
  const document = new Document({
    creator: 'Convene',
    title: xmlSafe(`Disposition of comments — ${table.documentTitle}`),
    styles: { default: { document: { run: { font: FONT, size: BODY_HALF_POINTS } } } },
    sections: [{
      properties: {
        page: {
          size: { ...A4_TWIPS, orientation: PageOrientation.LANDSCAPE },
          margin: { top: MARGIN_TWIPS, right: MARGIN_TWIPS, bottom: MARGIN_TWIPS, left: MARGIN_TWIPS },
        },
      },
      children: [...titleBlock(table), commentTable(table.rows)],
    }],
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

function commentTable(rows: readonly DispositionTableRow[]): Table {
  return new Table({
    width: { size: TABLE_WIDTH_TWIPS, type: WidthType.DXA },
    columnWidths: COLUMN_WIDTHS,
    // A fixed layout spares Word from measuring thousands of cells before it can show the page.
    layout: TableLayoutType.FIXED,
    rows: [headerRow(), ...rows.map(bodyRow)],
  });
}

function headerRow(): TableRow {
  return new TableRow({
    tableHeader: true, // Word repeats it at the top of every page
    cantSplit: true,
    children: COMMENT_TEMPLATE_COLUMNS.map((column, index) => new TableCell({
      width: cellWidth(index),
      shading: { type: ShadingType.CLEAR, color: 'auto', fill: HEADER_SHADING },
      children: [new Paragraph({ children: [new TextRun({ text: column.header, bold: true })] })],
    })),
  });
}

function bodyRow(row: DispositionTableRow): TableRow {
  return new TableRow({
    children: COMMENT_TEMPLATE_COLUMNS.map((column, index) => new TableCell({
      width: cellWidth(index),
      children: textParagraphs(column.cell(row)),
    })),
  });
}

function cellWidth(index: number) {
  return { size: COLUMN_WIDTHS[index] ?? 0, type: WidthType.DXA };
}

/** One paragraph per line, so the commenter's line breaks survive; a cell always has one. */
function textParagraphs(text: string): Paragraph[] {
  return xmlSafe(text).split(/\r\n|\r|\n/).map((line) => new Paragraph({
    // Set only when true: docx writes an explicit "false" otherwise, on every paragraph.
    ...(startsRightToLeft(line) ? { bidirectional: true } : {}),
    children: line === '' ? [] : [new TextRun(line)],
  }));
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
