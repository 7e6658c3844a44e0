// The disposition of comments as JSON, for the API and the table view: the rows as they are,
// the date as ISO 8601, and the counts the digest and the table view show.
import type { CommentType, DispositionCode, DispositionStatus, DispositionTable, DispositionTableRow } from './disposition-table.ts';

export type DispositionOrUndecided = DispositionCode | 'undecided';

export interface DispositionStatistics {
  total: number;
  byDisposition: Record<DispositionOrUndecided, number>;
  byStatus: Record<DispositionStatus, number>;
  byType: Record<CommentType, number>;
  /** In document order, "General" first. Arrays, not objects: "7" would jump ahead of "6.1" as an object key. */
  byClause: Array<{ clause: string; count: number }>;
  /** Most comments first. */
  byOrganisation: Array<{ organisation: string; count: number }>;
  /** Comments whose commenter objected to the (proposed) disposition. */
  objections: number;
}

export interface DispositionTableJson {
  groupName: string;
  groupAcronym: string;
  documentTitle: string;
  revisionLabel: string;
  generatedAt: string;
  statistics: DispositionStatistics;
  rows: DispositionTableRow[];
}

export function dispositionTableToJson(table: DispositionTable): DispositionTableJson {
  return {
    groupName: table.groupName,
    groupAcronym: table.groupAcronym,
    documentTitle: table.documentTitle,
    revisionLabel: table.revisionLabel,
    generatedAt: table.generatedAt.toISOString(),
    statistics: dispositionStatistics(table.rows),
    rows: table.rows,
  };
}

export function dispositionStatistics(rows: readonly DispositionTableRow[]): DispositionStatistics {
  const byDisposition: Record<DispositionOrUndecided, number> = {
    accepted: 0,
    accepted_with_modification: 0,
    rejected: 0,
    noted: 0,
    deferred: 0,
    undecided: 0,
  };
  const byStatus: Record<DispositionStatus, number> = { undecided: 0, proposed: 0, final: 0 };
  const byType: Record<CommentType, number> = { general: 0, technical: 0, editorial: 0 };
  const byClause = new Map<string, number>();
  const byOrganisation = new Map<string, number>();
  let objections = 0;
  for (const row of rows) {
    byDisposition[row.disposition ?? 'undecided'] += 1;
    byStatus[row.status] += 1;
    byType[row.type] += 1;
    increment(byClause, row.clause);
    increment(byOrganisation, row.organisation);
    if (row.response?.kind === 'object') objections += 1;
  }
  return {
    total: rows.length,
    byDisposition,
    byStatus,
    byType,
    byClause: [...byClause].sort(([a], [b]) => compareClauses(a, b)).map(([clause, count]) => ({ clause, count })),
    byOrganisation: [...byOrganisation]
      .sort(([a, countA], [b, countB]) => countB - countA || collator.compare(a, b))
      .map(([organisation, count]) => ({ organisation, count })),
    objections,
  };
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Numeric collation puts "7.2" before "7.10"; numbered clauses come before "Annex A". */
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const WHOLE_DOCUMENT = 'General';

function compareClauses(a: string, b: string): number {
  if (a === WHOLE_DOCUMENT || b === WHOLE_DOCUMENT) return Number(b === WHOLE_DOCUMENT) - Number(a === WHOLE_DOCUMENT);
  return collator.compare(a, b);
}
