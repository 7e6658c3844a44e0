// The columns of the ISO/IEC/ITU comment template and the text of each cell, shared by the Word
// and spreadsheet exports. A cell is plain text; a line break inside it is a paragraph break.
import type { DispositionTableRow } from './disposition-table.ts';
import { COMMENT_TYPE_CODES, RESPONSE_LABELS, dispositionLabel } from './labels.ts';

export interface TemplateColumn {
  key: TemplateColumnKey;
  header: string;
  cell: (row: DispositionTableRow) => string;
}

export type TemplateColumnKey = 'number' | 'commenter' | 'clause' | 'paragraph' | 'type' | 'comment' | 'proposedChange' | 'disposition' | 'response';

const SEPARATOR = ' — ';

export const COMMENT_TEMPLATE_COLUMNS: readonly TemplateColumn[] = [
  { key: 'number', header: 'No.', cell: (row) => String(row.number) },
  { key: 'commenter', header: 'Organisation / commenter', cell: (row) => row.commenter },
  { key: 'clause', header: 'Clause', cell: (row) => row.clause },
  { key: 'paragraph', header: 'Paragraph / Figure / Table', cell: (row) => row.paragraph },
  { key: 'type', header: 'Type (ge/te/ed)', cell: (row) => COMMENT_TYPE_CODES[row.type] },
  { key: 'comment', header: 'Comment', cell: (row) => row.comment },
  { key: 'proposedChange', header: 'Proposed change', cell: (row) => row.proposedChange },
  { key: 'disposition', header: 'Observations / disposition and rationale', cell: dispositionCellText },
  { key: 'response', header: 'Commenter response', cell: responseCellText },
];

/**
 * "Accepted with modification — <rationale>", then "Adopted text: …" and "Implemented in: …"
 * on lines of their own. "(proposed)" marks a disposition the commenter may still answer, so
 * nobody mistakes it for the conveners' final word.
 */
export function dispositionCellText(row: DispositionTableRow): string {
  const pending = row.disposition !== null && row.status !== 'final' ? ' (proposed)' : '';
  const decision = withText(dispositionLabel(row.disposition) + pending, row.rationale);
  const lines = [decision];
  if (row.adoptedText !== '') lines.push(`Adopted text: ${row.adoptedText}`);
  if (row.implementedIn !== '') lines.push(`Implemented in: ${row.implementedIn}`);
  return lines.join('\n');
}

/** "Agree — text" / "Object — text", or "" while the commenter has not answered. */
export function responseCellText(row: DispositionTableRow): string {
  return row.response === null ? '' : withText(RESPONSE_LABELS[row.response.kind], row.response.text);
}

function withText(label: string, text: string): string {
  return text === '' ? label : label + SEPARATOR + text;
}
