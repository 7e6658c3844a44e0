// From stored comments and dispositions to the rows of the disposition of comments
// (export/disposition-table.ts). Pure, so the mapping is tested without a database. Only names
// and affiliations cross this boundary: the input type has no e-mail field at all.
import type { CommentType, DispositionCode, DispositionTableRow } from './export/disposition-table.ts';
import { htmlToPlainText } from '../revisions/lib/markdown.ts';

export interface CommentForTable {
  author: { name: string; affiliation: string };
  clause: { number: string } | null;
  type: 'GENERAL' | 'TECHNICAL' | 'EDITORIAL' | null;
  bodyHtml: string;
  proposedChange: string;
  disposition: {
    code: 'ACCEPTED' | 'ACCEPTED_WITH_MODIFICATION' | 'REJECTED' | 'NOTED' | 'DEFERRED' | null;
    status: 'UNDECIDED' | 'DRAFT' | 'PROPOSED' | 'FINAL';
    rationale: string;
    adoptedText: string;
    responseKind: 'AGREE' | 'OBJECT' | null;
    responseText: string | null;
    implementedIn: { sequence: number; label: string } | null;
  } | null;
  /** Set when the comment came from the comment template: the member body the file named, for the row. */
  imported?: { memberBody: string; memberMatched: boolean; paragraph: string } | null;
  /** Set for a comment from outside the group (a public consultation or a liaison body). */
  outside?: { participant: { liaisonContactId: string | null; stakeholderGroup: string; region: string | null } } | null;
}

/** The whole-document entry in the clause column, as the export library sorts it first. */
export const WHOLE_DOCUMENT_CLAUSE = 'General';

/**
 * "Heung Youl Youm — SG17 / Korea (Republic of)". Not parentheses: affiliations often end in a
 * parenthesis of their own, and "Name (Org (ABBR))" reads badly. Not a comma either: names
 * imported from mailing lists come as "Youm, Heung Youl". The dash is the template's separator
 * between a label and its detail, as in "Rejected — rationale".
 */
export function commenterLabel(author: { name: string; affiliation: string }): string {
  return author.affiliation.trim() === '' ? author.name : `${author.name} — ${author.affiliation}`;
}

export function toTableRow(comment: CommentForTable, number: number): DispositionTableRow {
  const d = comment.disposition;
  // An editor's draft is a working note for the conveners, not a decision: the circulated
  // table shows the comment as not yet decided until a convener proposes it.
  const decided = d !== null && d.code !== null && (d.status === 'PROPOSED' || d.status === 'FINAL');
  // An imported comment speaks for the member body its row named; its author is the member the row
  // named, or else the convener who imported it, whose name does not belong in the commenter column.
  const imported = comment.imported ?? null;
  return {
    number,
    commenter: imported
      ? imported.memberMatched
        ? commenterLabel({ name: comment.author.name, affiliation: imported.memberBody })
        : imported.memberBody
      : commenterLabel(comment.author),
    organisation: imported ? imported.memberBody : comment.author.affiliation,
    clause: comment.clause?.number || WHOLE_DOCUMENT_CLAUSE,
    paragraph: imported?.paragraph ?? '',
    type: (comment.type?.toLowerCase() ?? 'general') as CommentType,
    comment: htmlToPlainText(comment.bodyHtml),
    proposedChange: comment.proposedChange,
    disposition: decided ? (d.code!.toLowerCase() as DispositionCode) : null,
    status: decided ? (d.status === 'FINAL' ? 'final' : 'proposed') : 'undecided',
    rationale: decided ? d.rationale : '',
    adoptedText: decided ? d.adoptedText : '',
    response: decided && d.responseKind ? { kind: d.responseKind === 'AGREE' ? 'agree' : 'object', text: d.responseText ?? '' } : null,
    implementedIn: decided && d.implementedIn ? `Revision ${d.implementedIn.sequence} (${d.implementedIn.label})` : '',
    origin: originOf(comment),
  };
}

function originOf(comment: CommentForTable): DispositionTableRow['origin'] {
  const p = comment.outside?.participant;
  if (!p) return { kind: 'member', stakeholderGroup: null, region: null };
  return { kind: p.liaisonContactId ? 'liaison' : 'public', stakeholderGroup: p.stakeholderGroup.toLowerCase(), region: p.region?.toLowerCase() ?? null };
}

export const toTableRows = (comments: readonly CommentForTable[]): DispositionTableRow[] => comments.map((c, i) => toTableRow(c, i + 1));

/** "x-iotsec-2-disposition-of-comments.csv": a safe ASCII file name from a document title. */
export function exportFileName(groupAcronym: string, documentTitle: string, extension: 'docx' | 'csv' | 'json'): string {
  const slug = `${groupAcronym} ${documentTitle}`
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')
    .slice(0, 80)
    .replace(/-+$/, '');
  return `${slug || 'document'}-disposition-of-comments.${extension}`;
}

/** Content-Disposition for a download, with an RFC 5987 fallback-free ASCII name. */
export const attachment = (fileName: string) => `attachment; filename="${fileName}"`;
