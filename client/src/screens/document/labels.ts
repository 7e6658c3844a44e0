// Server enum values of the document screens to translated labels (unknown values shown as they are).
import type { I18n } from '../../i18n/index.tsx';

export const COMMENT_TYPES = ['general', 'technical', 'editorial'] as const;
export type CommentType = (typeof COMMENT_TYPES)[number];
const has = <T extends string>(list: readonly T[], v: string | null): v is T => v !== null && (list as readonly string[]).includes(v);

export const commentTypeLabel = (t: I18n['t'], type: string | null) => (has(COMMENT_TYPES, type) ? t(`comment.type.${type}`) : (type ?? ''));

const STATUSES = ['unchanged', 'changed', 'renumbered', 'added', 'removed'] as const;
export const compareStatusLabel = (t: I18n['t'], status: string) => (has(STATUSES, status) ? t(`compare.status.${status}`) : status);
