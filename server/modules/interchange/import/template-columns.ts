// Which column of the file is which column of the ISO/IEC/ITU comment template. The template
// exists in many local variants ("MB/NC¹", "Member body", "Organisation"; "Clause/ Subclause",
// "Clause No."; "Comments", "Comment"; "Observations of the secretariat", "Disposition"), so a
// header cell is recognised by its words, and the header row is the first row, near the top of a
// table, in which the two columns an import cannot do without (clause and comment) are found.
import { AppError } from '../../../lib/app-error.ts';
import { LOCALES, translate } from '../../../lib/i18n.ts';
import type { SourceRow, SourceTable } from './template-conversion.ts';

export type TemplateKey = 'memberBody' | 'line' | 'clause' | 'paragraph' | 'type' | 'comment' | 'proposedChange' | 'observations';

/** In the order they are tried: "Type of comment" is a type, "Commenter" a member body, before "comment" is tried. */
const PATTERNS: ReadonlyArray<[TemplateKey, RegExp]> = [
  ['type', /\btype\b/],
  ['observations', /observation|secretariat|disposition|resolution|decision/],
  ['proposedChange', /proposed|suggested|change/],
  ['memberBody', /^(mb|nc|mb nc|nb|member|member body|national body|body|organi[sz]ation|commenter|country|submitter|source|company)\b/],
  ['line', /^line\b|\bline (number|no)\b/],
  ['clause', /\bclause|subclause|section\b/],
  ['paragraph', /paragraph|figure|\btable\b/],
  ['comment', /\bcomments?\b/],
];

/** The template's own header words, for the 422 that says what was expected. */
export const EXPECTED_HEADERS: Readonly<Record<TemplateKey, string>> = {
  memberBody: 'MB/NC (member body or organisation)',
  line: 'Line number',
  clause: 'Clause/Subclause',
  paragraph: 'Paragraph/Figure/Table',
  type: 'Type of comment (ge/te/ed)',
  comment: 'Comments',
  proposedChange: 'Proposed change',
  observations: 'Observations of the secretariat',
};

/**
 * The headings Convene's own template export writes in each of the six languages (exports.json):
 * a file exported in Arabic or Chinese is read back by its exact headings, which the Latin-letter
 * patterns above cannot see.
 */
const EXPORTED_HEADINGS: ReadonlyMap<string, TemplateKey> = new Map(
  LOCALES.flatMap((locale) =>
    (Object.keys(EXPECTED_HEADERS) as TemplateKey[]).map((key) => [exactHeading(translate(locale, 'exports', `template.column.${key}`)), key] as const),
  ),
);

function exactHeading(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

const REQUIRED: readonly TemplateKey[] = ['clause', 'comment'];
/** How far down a table the header row may be (the template has title lines above it). */
const HEADER_SEARCH_ROWS = 30;

export interface RecognisedTable {
  table: SourceTable;
  /** The header row's number in the file. */
  headerRow: number;
  /** Column index of each recognised key. */
  columns: Partial<Record<TemplateKey, number>>;
  /** Each recognised key's header as the file wrote it. */
  headers: Partial<Record<TemplateKey, string>>;
  /** The rows after the header. */
  rows: SourceRow[];
}

/** "MB/NC¹" → "mb nc"; "Clause/ Subclause" → "clause subclause". */
export function normaliseHeader(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[\u00b9\u00b2\u00b3\u2070-\u209f]/g, '')
    .replace(/[^a-z]+/g, ' ')
    .trim();
}

export function recogniseHeader(cells: readonly string[]): { columns: Partial<Record<TemplateKey, number>>; headers: Partial<Record<TemplateKey, string>> } {
  const columns: Partial<Record<TemplateKey, number>> = {};
  const headers: Partial<Record<TemplateKey, string>> = {};
  cells.forEach((cell, index) => {
    const text = normaliseHeader(cell);
    // A heading in Latin letters is short; one in Arabic or Chinese has no Latin letters at all.
    if (cell.trim() === '' || text.length > 80 || cell.length > 200) return;
    const exported = EXPORTED_HEADINGS.get(exactHeading(cell));
    const key =
      exported !== undefined && columns[exported] === undefined
        ? exported
        : PATTERNS.find(([k, pattern]) => columns[k] === undefined && pattern.test(text))?.[0];
    if (key) {
      columns[key] = index;
      headers[key] = cell.trim();
    }
  });
  return { columns, headers };
}

/** The first table with a recognisable header row; a 422 naming the expected columns when there is none. */
export function recogniseTemplate(tables: readonly SourceTable[]): RecognisedTable {
  for (const table of tables) {
    const searched = table.rows.slice(0, HEADER_SEARCH_ROWS);
    for (let index = 0; index < searched.length; index++) {
      const { columns, headers } = recogniseHeader(searched[index]!.cells);
      if (REQUIRED.every((key) => columns[key] !== undefined)) {
        return { table, headerRow: searched[index]!.row, columns, headers, rows: table.rows.slice(index + 1) };
      }
    }
  }
  const firstRow = tables.flatMap((t) => t.rows).find((row) => row.cells.some((cell) => cell.trim() !== ''));
  throw AppError.unprocessable(
    'template_columns_unrecognised',
    `No table in the file has the columns of the comment template. Expected a header row with at least ${REQUIRED.map((k) => `"${EXPECTED_HEADERS[k]}"`).join(' and ')}, ` +
      `and usually ${(Object.keys(EXPECTED_HEADERS) as TemplateKey[])
        .filter((k) => !REQUIRED.includes(k))
        .map((k) => `"${EXPECTED_HEADERS[k]}"`)
        .join(', ')}.`,
    {
      expected: (Object.keys(EXPECTED_HEADERS) as TemplateKey[]).map((key) => ({ key, header: EXPECTED_HEADERS[key], required: REQUIRED.includes(key) })),
      found: (firstRow?.cells ?? []).slice(0, 20).map((cell) => cell.slice(0, 100)),
    },
  );
}
