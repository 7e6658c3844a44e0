// Reads the tables of an uploaded comment template in its own thread, so the reader can kill a
// parse that takes too long: the file is untrusted XML (Word, Excel) or text (CSV). A thread reads
// one file and is then ended; it loads its parsers as soon as it starts, before any file arrives,
// because the reader keeps one started thread in reserve (loading exceljs is most of the time a
// small file takes). Merged cells
// are expanded (a member body merged down five rows names the body of each of the five); text is
// read as it is shown, never evaluated (formulas give their cached result, or nothing).
import { parentPort } from 'node:worker_threads';
import type ExcelJS from 'exceljs';
import { Parser } from 'htmlparser2';
import type { SourceRow, SourceTable, TemplateWorkerInput, TemplateWorkerReply } from './template-conversion.ts';

async function read(input: TemplateWorkerInput): Promise<TemplateWorkerReply> {
  const buffer = Buffer.from(input.file.buffer, input.file.byteOffset, input.file.byteLength);
  const tables = input.format === 'docx' ? await docxTables(buffer) : input.format === 'xlsx' ? await xlsxTables(buffer) : [await csvTable(buffer)];
  const tooManyRows = tables.some((t) => t.rows.length > input.maxRows);
  return { ok: true, tables: tooManyRows ? [] : tables, tooManyRows };
}

const parsers = Promise.all([import('mammoth'), import('exceljs'), import('csv-parse/sync')]);

async function docxTables(buffer: Buffer): Promise<SourceTable[]> {
  const [{ default: mammoth }] = await parsers;
  const { value } = await mammoth.convertToHtml(
    { buffer },
    {
      // An uploaded file must not choose how it is read, nor make us read anything else.
      includeEmbeddedStyleMap: false,
      externalFileAccess: false,
      convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
    },
  );
  return htmlTables(value);
}

interface Cell {
  text: string;
  colspan: number;
  rowspan: number;
}

/** The tables of mammoth's HTML (outermost only: a table nested in a cell is that cell's text). */
export function htmlTables(html: string): SourceTable[] {
  const tables: Cell[][][] = [];
  let depth = 0;
  let rows: Cell[][] = [];
  let cell: Cell | null = null;
  let paragraphs: string[] = [];
  let text = '';
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name === 'table') {
          depth++;
          if (depth === 1) rows = [];
        }
        if (depth !== 1) return;
        if (name === 'tr') rows.push([]);
        else if (name === 'td' || name === 'th') {
          cell = { text: '', colspan: span(attribs.colspan), rowspan: span(attribs.rowspan) };
          paragraphs = [];
          text = '';
        } else if ((name === 'p' || name === 'li') && cell && text.trim() !== '') {
          paragraphs.push(text);
          text = '';
        } else if (name === 'br' && cell) text += '\n';
      },
      ontext(data) {
        if (cell) text += data;
      },
      onclosetag(name) {
        if (name === 'table') {
          if (depth === 1) tables.push(rows);
          depth--;
          return;
        }
        if (depth !== 1) return;
        if ((name === 'p' || name === 'li') && cell) {
          paragraphs.push(text);
          text = '';
        } else if ((name === 'td' || name === 'th') && cell) {
          if (text !== '') paragraphs.push(text);
          cell.text = paragraphs
            .map((p) => p.trim())
            .filter((p) => p !== '')
            .join('\n');
          rows.at(-1)?.push(cell);
          cell = null;
        }
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return tables.map((table, index) => ({ name: `Table ${index + 1}`, rows: expandSpans(table) }));
}

const span = (value: string | undefined) => Math.max(1, Math.min(50, Number.parseInt(value ?? '1', 10) || 1));

/** A cell spanning rows or columns gives its text to each position it covers. */
function expandSpans(table: Cell[][]): SourceRow[] {
  const grid: string[][] = [];
  table.forEach((cells, r) => {
    grid[r] ??= [];
    let c = 0;
    for (const cell of cells) {
      while (grid[r]![c] !== undefined) c++;
      for (let dr = 0; dr < cell.rowspan; dr++) {
        grid[r + dr] ??= [];
        for (let dc = 0; dc < cell.colspan; dc++) grid[r + dr]![c + dc] = cell.text;
      }
      c += cell.colspan;
    }
  });
  return grid.slice(0, table.length).map((cells, index) => ({ row: index + 1, cells: Array.from(cells, (cell) => cell ?? '') }));
}

async function xlsxTables(buffer: Buffer): Promise<SourceTable[]> {
  const [, { default: Excel }] = await parsers;
  const workbook = new Excel.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook.worksheets.map((sheet) => {
    const rows: SourceRow[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: string[] = [];
      for (let c = 1; c <= row.cellCount; c++) {
        const cell = row.getCell(c);
        // A merged cell's text is its master's, at every position the merge covers.
        const source = cell.isMerged ? cell.master : cell;
        cells.push(cellText(source));
      }
      rows.push({ row: rowNumber, cells });
    });
    return { name: `Sheet ${sheet.name}`, rows };
  });
}

function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((part) => part.text).join('');
  if (typeof value === 'object' && 'formula' in value) return value.result === undefined || value.result === null ? '' : String(value.result);
  if (typeof value === 'object' && 'text' in value) return String(value.text);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

async function csvTable(buffer: Buffer): Promise<SourceTable> {
  const [, , { parse: parseCsv }] = await parsers;
  const text = buffer.toString('utf8');
  // Excel in most of Europe writes CSV with semicolons: take whichever separator the first lines use more.
  const head = text.slice(0, 4096);
  const delimiter = (head.match(/;/g)?.length ?? 0) > (head.match(/,/g)?.length ?? 0) ? ';' : head.includes('\t') && !head.includes(',') ? '\t' : ',';
  const records: string[][] = parseCsv(text, { bom: true, delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  return { name: 'CSV', rows: records.map((cells, index) => ({ row: index + 1, cells })) };
}

function reply(message: TemplateWorkerReply): void {
  parentPort?.postMessage(message);
}

parentPort?.once('message', (input: TemplateWorkerInput) => {
  read(input).then(reply, (error: unknown) => {
    reply({ ok: false, message: error instanceof Error ? error.message : String(error) });
  });
});
