// The one place that turns codes into the wording of the ISO/IEC/ITU comment template, so the
// Word and spreadsheet exports (and the table view) can never disagree. The English constants are
// for the English-only readers (digests, notifications); exports take the group's language.
import { exportText } from '../../../lib/export-language.ts';
import type { Locale } from '../../../lib/i18n.ts';
import type { CommentType, DispositionCode, ResponseKind } from './disposition-table.ts';

export const DISPOSITION_LABELS: Readonly<Record<DispositionCode, string>> = {
  accepted: 'Accepted',
  accepted_with_modification: 'Accepted with modification',
  rejected: 'Rejected',
  noted: 'Noted',
  deferred: 'Deferred',
};

/** Shown in place of a disposition while the conveners have not adjudicated the comment. */
export const UNDECIDED_LABEL = 'Not yet decided';

/** The template's two-letter type codes. */
export const COMMENT_TYPE_CODES: Readonly<Record<CommentType, 'ge' | 'te' | 'ed'>> = {
  general: 'ge',
  technical: 'te',
  editorial: 'ed',
};

export const RESPONSE_LABELS: Readonly<Record<ResponseKind, string>> = {
  agree: 'Agree',
  object: 'Object',
};

export function dispositionLabel(disposition: DispositionCode | null, locale: Locale = 'en'): string {
  return exportText(locale)(`disposition.${disposition ?? 'undecided'}`);
}

export const responseLabel = (kind: ResponseKind, locale: Locale = 'en'): string => exportText(locale)(`response.${kind}`);
