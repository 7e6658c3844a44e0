// The disposition of comments as the ISO/IEC/ITU comment template in Excel: the template's title
// lines, then its header row in its own words (MB/NC, Line number, Clause/Subclause, …), so a
// secretariat's macros and Convene's own template import both read it back.
import ExcelJS from 'exceljs';
import { dispositionCellText, responseCellText } from '../../dispositions/export/comment-template.ts';
import type { DispositionTable, DispositionTableRow } from '../../dispositions/export/disposition-table.ts';
import { COMMENT_TYPE_CODES } from '../../dispositions/export/labels.ts';
import { longDate } from './revision-docx.ts';

interface XlsxColumn {
  header: string;
  width: number;
  cell: (row: DispositionTableRow) => string;
}

export const TEMPLATE_XLSX_COLUMNS: readonly XlsxColumn[] = [
  { header: 'MB/NC', width: 22, cell: (row) => row.commenter },
  { header: 'Line number', width: 8, cell: () => '' },
  { header: 'Clause/ Subclause', width: 10, cell: (row) => row.clause },
  { header: 'Paragraph/ Figure/ Table/', width: 12, cell: (row) => row.paragraph },
  { header: 'Type of comment', width: 8, cell: (row) => COMMENT_TYPE_CODES[row.type] },
  { header: 'Comments', width: 45, cell: (row) => row.comment },
  { header: 'Proposed change', width: 40, cell: (row) => row.proposedChange },
  { header: 'Observations of the secretariat', width: 40, cell: dispositionCellText },
  { header: 'Commenter response', width: 25, cell: responseCellText },
];

export async function dispositionTableToXlsx(table: DispositionTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Convene';
  workbook.created = table.generatedAt;
  const sheet = workbook.addWorksheet('Comments', { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = TEMPLATE_XLSX_COLUMNS.map((column) => ({ width: column.width }));
  sheet.addRow(['Template for comments and secretariat observations']).font = { bold: true, size: 14 };
  sheet.addRow(['Date:', longDate(table.generatedAt), '', 'Document:', `${table.documentTitle}${table.revisionLabel ? `, ${table.revisionLabel}` : ''}`]);
  sheet.addRow(['Group:', table.groupAcronym ? `${table.groupName} (${table.groupAcronym})` : table.groupName]);
  const header = sheet.addRow(TEMPLATE_XLSX_COLUMNS.map((column) => column.header));
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
  });
  // The header stays in view while scrolling, and is repeated on every printed page.
  sheet.views = [{ state: 'frozen', ySplit: header.number }];
  sheet.pageSetup.printTitlesRow = `${header.number}:${header.number}`;
  for (const row of table.rows) {
    // Strings are written as shared strings, never as formulas, so "=SUM(…)" in a comment stays text.
    const added = sheet.addRow(TEMPLATE_XLSX_COLUMNS.map((column) => xmlSafe(column.cell(row))));
    added.alignment = { vertical: 'top', wrapText: true };
  }
  sheet.autoFilter = { from: { row: header.number, column: 1 }, to: { row: header.number, column: TEMPLATE_XLSX_COLUMNS.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Control characters and lone surrogates are not allowed in the sheet's XML. */
function xmlSafe(text: string): string {
  return text.toWellFormed().replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}
