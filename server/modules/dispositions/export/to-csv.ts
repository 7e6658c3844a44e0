// The disposition of comments as a spreadsheet: the comment-template columns a person reads, in
// the group's language, then machine-friendly columns (codes, named the same in every language)
// for filtering and for tools.
import type { Locale } from '../../../lib/i18n.ts';
import { COMMENT_TEMPLATE_COLUMNS, commentTemplateColumns } from './comment-template.ts';
import type { DispositionTable, DispositionTableRow } from './disposition-table.ts';

interface CsvColumn {
  header: string;
  cell: (row: DispositionTableRow) => string;
}

const MACHINE_COLUMNS: readonly CsvColumn[] = [
  { header: 'disposition_code', cell: (row) => row.disposition ?? '' },
  { header: 'status', cell: (row) => row.status },
  { header: 'response_kind', cell: (row) => row.response?.kind ?? '' },
  { header: 'organisation', cell: (row) => row.organisation },
  { header: 'implemented_in', cell: (row) => row.implementedIn },
  { header: 'origin', cell: (row) => [row.origin?.kind ?? 'member', row.origin?.stakeholderGroup, row.origin?.region].filter(Boolean).join(' / ') },
];

export const CSV_COLUMNS: readonly CsvColumn[] = [...COMMENT_TEMPLATE_COLUMNS, ...MACHINE_COLUMNS];
const csvColumns = (locale: Locale | undefined) =>
  locale === undefined || locale === 'en' ? CSV_COLUMNS : [...commentTemplateColumns(locale), ...MACHINE_COLUMNS];

/** Without a byte order mark, Excel reads UTF-8 as the local code page and mangles accents and non-Latin names. */
const BYTE_ORDER_MARK = '\uFEFF';
const RECORD_SEPARATOR = '\r\n'; // RFC 4180
const NEEDS_QUOTES = /[",\r\n]/;
/** A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection"). */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

export function dispositionTableToCsv(table: DispositionTable): string {
  const columns = csvColumns(table.language);
  const header = csvRecord(columns.map((column) => column.header));
  const records = table.rows.map((row) => csvRecord(columns.map((column) => column.cell(row))));
  return BYTE_ORDER_MARK + [header, ...records].map((record) => record + RECORD_SEPARATOR).join('');
}

export function csvRecord(cells: readonly string[]): string {
  return cells.map((cell) => quoted(neutraliseFormula(cell))).join(',');
}

/** A leading apostrophe makes the spreadsheet show the text as it is instead of evaluating it. */
function neutraliseFormula(cell: string): string {
  return FORMULA_TRIGGER.test(cell) ? `'${cell}` : cell;
}

function quoted(cell: string): string {
  return NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
