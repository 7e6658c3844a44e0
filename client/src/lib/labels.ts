// Server enum values (lowercase strings) to translated labels, with a fallback for values a
// newer server may add before the client knows them.
import type { I18n } from '../i18n/index.tsx';

const ROLES = ['convener', 'editor', 'participant', 'observer'] as const;
const KINDS = ['draft_posted', 'comments_close', 'conveners_draft_posted', 'final_comments_close', 'final_report_published', 'meeting', 'other'] as const;
// The server's phase vocabulary (server/modules/timeframe/phase.ts): every screen labels the phase it was sent.
const PHASES = ['preparation', 'comments_open', 'adjudication', 'published'] as const;

const has = <T extends string>(list: readonly T[], v: string): v is T => (list as readonly string[]).includes(v);

export const roleLabel = (t: I18n['t'], role: string) => (has(ROLES, role) ? t(`role.${role}`) : role);
export const milestoneKindLabel = (t: I18n['t'], kind: string) => t(`milestone.${has(KINDS, kind) ? kind : 'other'}`);
export const phaseLabel = (t: I18n['t'], kind: string) => (has(PHASES, kind) ? t(`phase.${kind}`) : kind);
