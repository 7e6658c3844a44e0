// The input of every disposition-of-comments export. The service layer builds it from the
// database (names and affiliations only: an e-mail address is PII and never reaches an export),
// so the exporters stay pure functions that are easy to test and to benchmark.
import type { Locale } from '../../../lib/i18n.ts';

export type CommentType = 'general' | 'technical' | 'editorial';
export type DispositionCode = 'accepted' | 'accepted_with_modification' | 'rejected' | 'noted' | 'deferred';
export type DispositionStatus = 'undecided' | 'proposed' | 'final';
export type ResponseKind = 'agree' | 'object';

export interface DispositionTableRow {
  /** Running comment number in the table. */
  number: number;
  /** "Name — Affiliation", e.g. "Heung Youl Youm — SG17 / Korea (Republic of)" — never an e-mail address. */
  commenter: string;
  /** The affiliation alone. */
  organisation: string;
  /** "7.1", or "General" for the whole document. */
  clause: string;
  /** Paragraph / figure / table reference; may be "". */
  paragraph: string;
  type: CommentType;
  /** Plain text, already converted from markdown. */
  comment: string;
  proposedChange: string;
  /** null: not yet decided. */
  disposition: DispositionCode | null;
  status: DispositionStatus;
  rationale: string;
  adoptedText: string;
  /** The commenter's answer to the (proposed) disposition. */
  response: { kind: ResponseKind; text: string } | null;
  /** Revision label the change went into; may be "". */
  implementedIn: string;
  /** Where the comment came from: a member, a liaison body or the public (with the respondent's stakeholder group and region). Absent: a member. */
  origin?: CommentOrigin;
}

export interface CommentOrigin {
  kind: 'member' | 'liaison' | 'public';
  stakeholderGroup: string | null;
  region: string | null;
}

export interface DispositionTable {
  /** The language of the export's fixed words: the group's main language (English when absent). */
  language?: Locale;
  groupName: string;
  groupAcronym: string;
  documentTitle: string;
  revisionLabel: string;
  generatedAt: Date;
  rows: DispositionTableRow[];
}
