// Who may do what in adjudication. Same three steps as everywhere (authenticate → scope by
// membership → role policy), with one difference from the group policy: the operator may READ
// the pile and the table (to support a group) but never decides. A disposition is the
// conveners' word "in consultation with the commenters" (seed 000); a decision signed by the
// server's operator would misrepresent who decided.
import { AppError } from '../../lib/app-error.ts';
import type { Role } from '../../generated/prisma/client.ts';
import type { RoleAccess } from '../../lib/policy.ts';

export type DispositionAction =
  /** The working pile: every disposition including editors' unconfirmed drafts, assignees. */
  | 'dispositions.readPile'
  /** The disposition of comments (table, exports, a comment's path): drafts are not shown. */
  | 'dispositions.readTable'
  /** Write a proposal the commenter does not see until a convener confirms it. */
  | 'dispositions.draft'
  /** Propose (the commenter is asked to respond), confirm a draft, set response deadlines. */
  | 'dispositions.propose'
  | 'dispositions.finalise'
  | 'dispositions.assign'
  /** Name the revision that implements an accepted comment. Editors prepare revisions (DOMAIN.md). */
  | 'dispositions.implement'
  /** Group settings of adjudication (early adjudication). */
  | 'dispositions.settings'
  /** Publish a revision as the final report with its disposition table. */
  | 'dispositions.publish';

const ALLOWED: Record<DispositionAction, readonly Role[]> = {
  'dispositions.readPile': ['CONVENER', 'EDITOR'],
  'dispositions.readTable': ['CONVENER', 'EDITOR', 'PARTICIPANT', 'OBSERVER'],
  'dispositions.draft': ['EDITOR'],
  'dispositions.propose': ['CONVENER'],
  'dispositions.finalise': ['CONVENER'],
  'dispositions.assign': ['CONVENER'],
  'dispositions.implement': ['CONVENER', 'EDITOR'],
  'dispositions.settings': ['CONVENER'],
  'dispositions.publish': ['CONVENER'],
};

/** What the operator may do without being a member: read, never decide. */
const OPERATOR_MAY: ReadonlySet<DispositionAction> = new Set(['dispositions.readPile', 'dispositions.readTable']);

export function canAdjudicate(access: RoleAccess, action: DispositionAction): boolean {
  if (access.role !== null && ALLOWED[action].includes(access.role)) return true;
  return access.user.isOperator && OPERATOR_MAY.has(action);
}

export function authorizeAdjudication(access: RoleAccess, action: DispositionAction): void {
  if (canAdjudicate(access, action)) return;
  throw AppError.forbidden(FORBIDDEN_MESSAGE[action]);
}

/** Writing a decision: conveners propose, editors draft; anyone else is refused. */
export function decisionModeOf(access: RoleAccess): 'propose' | 'draft' {
  if (canAdjudicate(access, 'dispositions.propose')) return 'propose';
  if (canAdjudicate(access, 'dispositions.draft')) return 'draft';
  throw AppError.forbidden('Only the conveners decide on comments; editors may draft a proposal for them.');
}

export const adjudicationAbilities = (access: RoleAccess) =>
  Object.fromEntries((Object.keys(ALLOWED) as DispositionAction[]).map((a) => [a, canAdjudicate(access, a)])) as Record<DispositionAction, boolean>;

const FORBIDDEN_MESSAGE: Record<DispositionAction, string> = {
  'dispositions.readPile': 'Only the conveners and editors work through the comments.',
  'dispositions.readTable': 'Only members of this group read its disposition of comments.',
  'dispositions.draft': 'Only editors draft proposals; conveners propose directly.',
  'dispositions.propose': 'Only the conveners propose dispositions.',
  'dispositions.finalise': 'Only the conveners finalise dispositions.',
  'dispositions.assign': 'Only the conveners assign comments.',
  'dispositions.implement': 'Only the conveners and editors record which revision implements a disposition.',
  'dispositions.settings': 'Only the conveners change how this group adjudicates.',
  'dispositions.publish': 'Only the conveners publish the final report.',
};
