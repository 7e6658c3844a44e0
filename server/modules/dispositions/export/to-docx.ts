// The disposition of comments as a Word document: a title block and one table laid out like the
// ISO/IEC/ITU comment template, on landscape A4 because nine columns do not fit a portrait page.
// Its header row repeats on every page, and a comment's row is kept on one page, as the printed
// templates are read: a row cut in two separates a comment from its disposition.
import { Document, Packer, PageOrientation, Paragraph, ShadingType, Table, TableCell, TableLayoutType, TableRow, TextRun, WidthType } from 'docx';
import { exportText, labelText, type ExportText } from '../../../lib/export-language.ts';
import { directionOf, type Locale } from '../../../lib/i18n.ts';
import { commentTemplateColumns } from './comment-template.ts';
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
  const t = exportText(table.language);
  const document = new Document({
    creator: 'Convene',
    title: xmlSafe(t('table.documentTitle', { title: table.documentTitle })),
    styles: { default: { document: { run: { font: FONT, size: FONT_SIZE_PT * 2 } } } },
    sections: [
      {
        properties: {
          page: {
            size: { ...A4_TWIPS, orientation: PageOrientation.LANDSCAPE },
            margin: { top: MARGIN_TWIPS, right: MARGIN_TWIPS, bottom: MARGIN_TWIPS, left: MARGIN_TWIPS },
          },
        },
        children: [...titleBlock(table, t), commentTable(table.rows, table.language)],
      },
    ],
  });
  return Packer.toBuffer(document);
}

function titleBlock(table: DispositionTable, t: ExportText): Paragraph[] {
  const rtl = rightToLeft(table.language);
  return [
    new Paragraph({ ...rtl, children: [new TextRun({ text: t('table.title'), bold: true, size: 32, ...runRtl(table.language) })] }),
    labelledLine(t, 'label.group', `${table.groupName} (${table.groupAcronym})`, table.language),
    labelledLine(t, 'label.document', table.documentTitle, table.language),
    labelledLine(t, 'label.revision', table.revisionLabel, table.language),
    labelledLine(t, 'label.date', formatUtc(table.generatedAt), table.language),
    labelledLine(t, 'label.comments', t('table.count', { count: table.rows.length }), table.language),
    new Paragraph({}),
  ];
}

/** An Arabic export reads right to left: its fixed paragraphs are bidirectional, its words marked right to left. */
const rightToLeft = (locale: Locale | undefined) => (locale && directionOf(locale) === 'rtl' ? { bidirectional: true } : {});
const runRtl = (locale: Locale | undefined) => (locale && directionOf(locale) === 'rtl' ? { rightToLeft: true } : {});

function labelledLine(t: ExportText, key: string, value: string, locale: Locale | undefined): Paragraph {
  return new Paragraph({
    ...rightToLeft(locale),
    children: [new TextRun({ text: `${labelText(t, key)} `, bold: true, ...runRtl(locale) }), new TextRun(xmlSafe(value))],
  });
}

/** "2016-05-25 14:00 UTC": ITU deadlines and meeting times are stated in UTC. */
function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function commentTable(rows: readonly DispositionTableRow[], locale: Locale = 'en'): Table {
  const columns = commentTemplateColumns(locale);
  const widths = planColumnWidths(rows, TABLE_WIDTH_TWIPS, columns);
  const headers = columns.map((column) => column.header);
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
    // A right-to-left table for an Arabic export: its first column on the right, as Arabic readers expect.
    ...(directionOf(locale) === 'rtl' ? { visuallyRightToLeft: true } : {}),
    rows: [headerRow(headers, widths, locale), ...rows.map((row) => bodyRow(row, widths, keepWholeUpTo, columns))],
  });
}

function headerRow(headers: readonly string[], widths: readonly number[], locale: Locale): TableRow {
  return new TableRow({
    tableHeader: true, // Word repeats it at the top of every page
    cantSplit: true,
    children: headers.map(
      (header, index) =>
        new TableCell({
          width: cellWidth(widths, index),
          shading: { type: ShadingType.CLEAR, color: 'auto', fill: HEADER_SHADING },
          children: [new Paragraph({ ...rightToLeft(locale), children: [new TextRun({ text: header, bold: true, ...runRtl(locale) })] })],
        }),
    ),
  });
}

function bodyRow(row: DispositionTableRow, widths: readonly number[], keepWholeUpTo: number, columns: ReturnType<typeof commentTemplateColumns>): TableRow {
  const texts = columns.map((column) => xmlSafe(column.cell(row)));
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
