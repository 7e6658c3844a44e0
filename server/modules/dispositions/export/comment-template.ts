// The columns of the ISO/IEC/ITU comment template and the text of each cell, shared by the Word
// and spreadsheet exports, in the language of the export. A cell is plain text; a line break
// inside it is a paragraph break.
import { exportText } from '../../../lib/export-language.ts';
import type { Locale } from '../../../lib/i18n.ts';
import type { DispositionTableRow } from './disposition-table.ts';
import { COMMENT_TYPE_CODES, dispositionLabel, responseLabel } from './labels.ts';

export interface TemplateColumn {
  key: TemplateColumnKey;
  header: string;
  cell: (row: DispositionTableRow) => string;
}

export type TemplateColumnKey = 'number' | 'commenter' | 'clause' | 'paragraph' | 'type' | 'comment' | 'proposedChange' | 'disposition' | 'response';

const SEPARATOR = ' — ';
/** The whole-document entry of the clause column as the rows store it (table-rows.ts). */
const WHOLE_DOCUMENT = 'General';

const KEYS: readonly TemplateColumnKey[] = ['number', 'commenter', 'clause', 'paragraph', 'type', 'comment', 'proposedChange', 'disposition', 'response'];

const byLocale = new Map<Locale, readonly TemplateColumn[]>();

/** The template's columns with their headings and cells in `locale`. */
export function commentTemplateColumns(locale: Locale = 'en'): readonly TemplateColumn[] {
  let columns = byLocale.get(locale);
  if (!columns) {
    const t = exportText(locale);
    const cells: Record<TemplateColumnKey, (row: DispositionTableRow) => string> = {
      number: (row) => String(row.number),
      commenter: (row) => row.commenter,
      clause: (row) => clauseCellText(row, locale),
      paragraph: (row) => row.paragraph,
      type: (row) => COMMENT_TYPE_CODES[row.type],
      comment: (row) => row.comment,
      proposedChange: (row) => row.proposedChange,
      disposition: (row) => dispositionCellText(row, locale),
      response: (row) => responseCellText(row, locale),
    };
    columns = KEYS.map((key) => ({ key, header: t(`column.${key}`), cell: cells[key] }));
    byLocale.set(locale, columns);
  }
  return columns;
}

export const COMMENT_TEMPLATE_COLUMNS: readonly TemplateColumn[] = commentTemplateColumns('en');

/** "7.1", or the language's word for the whole document. */
export function clauseCellText(row: DispositionTableRow, locale: Locale = 'en'): string {
  return row.clause === WHOLE_DOCUMENT ? exportText(locale)('clause.general') : row.clause;
}

/**
 * "Accepted with modification — <rationale>", then "Adopted text: …" and "Implemented in: …"
 * on lines of their own. "(proposed)" marks a disposition the commenter may still answer, so
 * nobody mistakes it for the conveners' final word.
 */
export function dispositionCellText(row: DispositionTableRow, locale: Locale = 'en'): string {
  const t = exportText(locale);
  const label = dispositionLabel(row.disposition, locale);
  const decision = withText(row.disposition !== null && row.status !== 'final' ? t('disposition.proposed', { disposition: label }) : label, row.rationale);
  const lines = [decision];
  if (row.adoptedText !== '') lines.push(t('disposition.adoptedText', { text: row.adoptedText }));
  if (row.implementedIn !== '') lines.push(t('disposition.implementedIn', { revision: row.implementedIn }));
  return lines.join('\n');
}

/** "Agree — text" / "Object — text", or "" while the commenter has not answered. */
export function responseCellText(row: DispositionTableRow, locale: Locale = 'en'): string {
  return row.response === null ? '' : withText(responseLabel(row.response.kind, locale), row.response.text);
}

function withText(label: string, text: string): string {
  return text === '' ? label : label + SEPARATOR + text;
}
