// The disposition of comments as the ISO/IEC/ITU comment template in Excel: the template's title
// lines, then its header row in its own words (MB/NC, Line number, Clause/Subclause, …), in the
// group's language, so a secretariat's macros and Convene's own template import (which knows the
// headings in every language, import/template-columns.ts) both read it back.
import ExcelJS from 'exceljs';
import { exportText, labelText } from '../../../lib/export-language.ts';
import { directionOf, type Locale } from '../../../lib/i18n.ts';
import { clauseCellText, dispositionCellText, responseCellText } from '../../dispositions/export/comment-template.ts';
import type { DispositionTable, DispositionTableRow } from '../../dispositions/export/disposition-table.ts';
import { COMMENT_TYPE_CODES } from '../../dispositions/export/labels.ts';
import { longDate } from './revision-docx.ts';

interface XlsxColumn {
  header: string;
  width: number;
  cell: (row: DispositionTableRow) => string;
}

/** The template's columns in its order; each heading is `template.column.<key>` of the exports catalogue. */
export const TEMPLATE_XLSX_KEYS = ['memberBody', 'line', 'clause', 'paragraph', 'type', 'comment', 'proposedChange', 'observations', 'response'] as const;

const byLocale = new Map<Locale, readonly XlsxColumn[]>();
export function templateXlsxColumns(locale: Locale = 'en'): readonly XlsxColumn[] {
  let columns = byLocale.get(locale);
  if (!columns) {
    const t = exportText(locale);
    const header = (key: (typeof TEMPLATE_XLSX_KEYS)[number]) => t(`template.column.${key}`);
    columns = [
      { header: header('memberBody'), width: 22, cell: (row) => row.commenter },
      { header: header('line'), width: 8, cell: () => '' },
      { header: header('clause'), width: 10, cell: (row) => clauseCellText(row, locale) },
      { header: header('paragraph'), width: 12, cell: (row) => row.paragraph },
      { header: header('type'), width: 8, cell: (row) => COMMENT_TYPE_CODES[row.type] },
      { header: header('comment'), width: 45, cell: (row) => row.comment },
      { header: header('proposedChange'), width: 40, cell: (row) => row.proposedChange },
      { header: header('observations'), width: 40, cell: (row) => dispositionCellText(row, locale) },
      { header: header('response'), width: 25, cell: (row) => responseCellText(row, locale) },
    ];
    byLocale.set(locale, columns);
  }
  return columns;
}

export const TEMPLATE_XLSX_COLUMNS: readonly XlsxColumn[] = templateXlsxColumns('en');

export async function dispositionTableToXlsx(table: DispositionTable): Promise<Buffer> {
  const locale = table.language ?? 'en';
  const t = exportText(locale);
  const columns = templateXlsxColumns(locale);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Convene';
  workbook.created = table.generatedAt;
  const sheet = workbook.addWorksheet(t('template.sheet'), {
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    // An Arabic sheet runs right to left, column A on the right.
    ...(directionOf(locale) === 'rtl' ? { views: [{ rightToLeft: true }] } : {}),
  });
  sheet.columns = columns.map((column) => ({ width: column.width }));
  sheet.addRow([t('template.title')]).font = { bold: true, size: 14 };
  sheet.addRow([
    labelText(t, 'label.date'),
    longDate(table.generatedAt, locale),
    '',
    labelText(t, 'label.document'),
    `${table.documentTitle}${table.revisionLabel ? `, ${table.revisionLabel}` : ''}`,
  ]);
  sheet.addRow([labelText(t, 'label.group'), table.groupAcronym ? `${table.groupName} (${table.groupAcronym})` : table.groupName]);
  const header = sheet.addRow(columns.map((column) => column.header));
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
  });
  // The header stays in view while scrolling, and is repeated on every printed page.
  sheet.views = [{ state: 'frozen', ySplit: header.number, ...(directionOf(locale) === 'rtl' ? { rightToLeft: true } : {}) }];
  sheet.pageSetup.printTitlesRow = `${header.number}:${header.number}`;
  for (const row of table.rows) {
    // Strings are written as shared strings, never as formulas, so "=SUM(…)" in a comment stays text.
    const added = sheet.addRow(columns.map((column) => xmlSafe(column.cell(row))));
    added.alignment = { vertical: 'top', wrapText: true };
  }
  sheet.autoFilter = { from: { row: header.number, column: 1 }, to: { row: header.number, column: columns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Control characters and lone surrogates are not allowed in the sheet's XML. */
function xmlSafe(text: string): string {
  return text.toWellFormed().replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}
