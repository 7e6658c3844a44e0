// Comment-template fixtures in the ISO/IEC layout, built with the libraries a member body's tools
// would use: the title lines above the table, the header with its footnote marks ("MB/NC¹"), a
// member body merged down several rows, and the block of empty rows the template ships with.
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, VerticalMergeType } from 'docx';
import ExcelJS from 'exceljs';

export const ISO_HEADERS = [
  'MB/NC¹',
  'Line number',
  'Clause/ Subclause',
  'Paragraph/ Figure/ Table/',
  'Type of comment²',
  'Comments',
  'Proposed change',
  'Observations of the secretariat',
];

export interface TemplateRow {
  memberBody: string;
  line?: string;
  clause: string;
  paragraph?: string;
  type: string;
  comment: string;
  proposedChange?: string;
  observations?: string;
}

const cells = (r: TemplateRow) => [r.memberBody, r.line ?? '', r.clause, r.paragraph ?? '', r.type, r.comment, r.proposedChange ?? '', r.observations ?? ''];

/** .xlsx: title lines, the header on row 4, rows from row 5; `mergeMemberBody` merges the first column over runs of the same body. */
export async function templateXlsx(
  rows: readonly TemplateRow[],
  options: { mergeMemberBody?: boolean; emptyRowsAfter?: number; headers?: string[] } = {},
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Comments');
  sheet.addRow(['Template for comments and secretariat observations']);
  sheet.addRow(['Date: 2016-04-25', '', '', 'Document: X.iotsec-2']);
  sheet.addRow([]);
  sheet.addRow(options.headers ?? ISO_HEADERS);
  const first = 5;
  for (const [i, r] of rows.entries()) sheet.getRow(first + i).values = cells(r);
  if (options.mergeMemberBody) {
    let start = 0;
    for (let i = 1; i <= rows.length; i++) {
      if (i === rows.length || rows[i]!.memberBody !== rows[start]!.memberBody) {
        if (i - 1 > start) {
          // As Excel keeps a merge: the value in the top cell only.
          for (let k = start + 1; k < i; k++) sheet.getCell(first + k, 1).value = null;
          sheet.mergeCells(first + start, 1, first + i - 1, 1);
        }
        start = i;
      }
    }
  }
  // The template's empty rows, bordered and blank.
  for (let k = 0; k < (options.emptyRowsAfter ?? 0); k++) sheet.getCell(first + rows.length + k, 6).border = { top: { style: 'thin' } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** .docx: a title paragraph and the template as a Word table, the member body merged vertically over runs of the same body. */
export async function templateDocx(rows: readonly TemplateRow[], options: { emptyRows?: number } = {}): Promise<Buffer> {
  const text = (t: string) => [new Paragraph({ children: [new TextRun(t)] })];
  const header = new TableRow({ tableHeader: true, children: ISO_HEADERS.map((h) => new TableCell({ children: text(h) })) });
  const body = rows.map((r, i) => {
    const sameAsAbove = i > 0 && rows[i - 1]!.memberBody === r.memberBody;
    const sameBelow = i + 1 < rows.length && rows[i + 1]!.memberBody === r.memberBody;
    return new TableRow({
      children: cells(r).map((value, c) =>
        c === 0 && (sameAsAbove || sameBelow)
          ? new TableCell({ verticalMerge: sameAsAbove ? VerticalMergeType.CONTINUE : VerticalMergeType.RESTART, children: text(sameAsAbove ? '' : value) })
          : new TableCell({ children: value.split('\n').map((line) => new Paragraph({ children: [new TextRun(line)] })) }),
      ),
    });
  });
  const empty = Array.from(
    { length: options.emptyRows ?? 0 },
    () => new TableRow({ children: ISO_HEADERS.map(() => new TableCell({ children: [new Paragraph({})] })) }),
  );
  const document = new Document({
    sections: [
      {
        children: [
          new Paragraph({ children: [new TextRun({ text: 'Template for comments and secretariat observations', bold: true })] }),
          new Table({ rows: [header, ...body, ...empty] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}

/** CSV as European Excel saves it: semicolons, a byte order mark, quoted multi-line cells. */
export function templateCsv(rows: readonly TemplateRow[]): Buffer {
  const quote = (v: string) => (/[;"\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const lines = [ISO_HEADERS, ...rows.map(cells)].map((r) => r.map(quote).join(';'));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}
