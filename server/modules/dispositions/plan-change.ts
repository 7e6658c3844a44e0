// Deciding what one change does to one disposition, once its row is locked: authorization by
// role, the version check (optimistic concurrency), the comment-period rule, the state machine,
// the rationale rule, and the row's new values. No database access: everything it needs is read
// beforehand (the clock, the references), so a selection of 500 is planned in memory.
import { AppError } from '../../lib/app-error.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { authorizeAdjudication, decisionModeOf } from './dispositions.policy.ts';
import { checkRationale, nextStatus, type Code, type Transition } from './disposition-state.ts';
import { presentDisposition, type DispositionWithPeople } from './dispositions.presenter.ts';
import type { LoadedComment, References } from './lock-dispositions.ts';

export type Change =
  | { kind: 'decide'; code: Code; rationale: string; adoptedText: string; respondBy?: string | undefined }
  | { kind: 'confirm'; respondBy?: string | undefined }
  | { kind: 'respond'; response: 'agree' | 'object'; text: string }
  | { kind: 'finalise' }
  | { kind: 'assign'; assigneeId: string | null }
  | { kind: 'set_deadline'; respondBy: string }
  | { kind: 'implement'; revision: number | null };

const TRANSITION: Record<Change['kind'], Transition | null> = {
  decide: null,
  confirm: 'confirm',
  respond: 'respond',
  finalise: 'finalise',
  assign: 'assign',
  set_deadline: 'set_deadline',
  implement: 'implement',
};

/** Changes that decide something are refused while commenting is still going on. */
const DECIDES = new Set<Change['kind']>(['decide', 'confirm', 'finalise']);

export function authorizeChange(access: GroupAccess, comment: LoadedComment, change: Change): Transition {
  switch (change.kind) {
    case 'decide':
      return decisionModeOf(access);
    case 'respond':
      // Only the commenter answers; not even a convener answers on their behalf.
      if (comment.authorId !== access.user.id) throw AppError.forbidden('Only the commenter responds to the disposition of their comment.', 'not_your_comment');
      return 'respond';
    case 'confirm':
    case 'set_deadline':
      authorizeAdjudication(access, 'dispositions.propose');
      break;
    case 'finalise':
      authorizeAdjudication(access, 'dispositions.finalise');
      break;
    case 'assign':
      authorizeAdjudication(access, 'dispositions.assign');
      break;
    case 'implement':
      authorizeAdjudication(access, 'dispositions.implement');
      break;
  }
  return TRANSITION[change.kind]!;
}

export function futureDeadline(respondBy: string | undefined, now: Date): Date | undefined {
  if (respondBy === undefined) return undefined;
  const at = new Date(respondBy);
  if (at.getTime() <= now.getTime()) throw AppError.badRequest('deadline_in_past', 'The response deadline must be in the future.', { field: 'body.respondBy' });
  return at;
}

export interface PlanInput {
  access: GroupAccess;
  comment: LoadedComment;
  before: DispositionWithPeople;
  transition: Transition;
  change: Change;
  clock: { now: Date; open: ReadonlySet<string>; allowEarly: boolean };
  refs: References;
  expectedVersion: number;
  audience: 'adjudicators' | 'members';
}

/** The checks after locking and the row's new values; throws the AppError that refuses the change. */
export function planChange(p: PlanInput): Record<string, unknown> {
  const { before, change, clock, transition } = p;
  const userId = p.access.user.id;
  if (before.version !== p.expectedVersion) {
    throw AppError.conflict(
      'disposition_version_conflict',
      `Someone changed this disposition meanwhile (now version ${before.version}, you had ${p.expectedVersion}); nothing was stored. Review the current disposition and try again.`,
      { current: presentDisposition(before, { commentId: p.comment.id, documentId: p.comment.documentId }, p.audience) },
    );
  }
  if (DECIDES.has(change.kind) && clock.open.has(p.comment.revisionId) && !clock.allowEarly) {
    throw AppError.conflict(
      'comment_period_open',
      'The comment period on this revision is still open; decide after it closes (or let the conveners allow early adjudication).',
    );
  }
  const status = nextStatus(
    {
      status: before.status.toLowerCase() as 'undecided' | 'draft' | 'proposed' | 'final',
      code: before.code ? (before.code.toLowerCase() as Code) : null,
      responded: before.responseKind !== null,
      hasDeadline: before.respondBy !== null,
      deadlinePassed: before.respondBy !== null && before.respondBy.getTime() <= clock.now.getTime(),
    },
    transition,
  );
  if ('error' in p.refs && p.refs.error) throw p.refs.error;
  const data: Prisma.DispositionUncheckedUpdateManyInput & Record<string, unknown> = { updatedAt: clock.now };
  switch (change.kind) {
    case 'decide': {
      checkRationale(change.code, change.rationale);
      const respondBy = futureDeadline(change.respondBy, clock.now);
      if (transition === 'draft' && respondBy)
        throw AppError.badRequest('deadline_by_conveners', 'The conveners set the response deadline when they confirm the draft.', { field: 'body.respondBy' });
      Object.assign(data, { code: change.code.toUpperCase(), rationale: change.rationale, adoptedText: change.adoptedText, status: status.toUpperCase() });
      if (transition === 'draft') Object.assign(data, { draftedById: userId });
      else Object.assign(data, proposal(userId, clock.now, respondBy ?? before.respondBy));
      break;
    }
    case 'confirm':
      Object.assign(data, { status: 'PROPOSED' }, proposal(userId, clock.now, futureDeadline(change.respondBy, clock.now) ?? before.respondBy));
      break;
    case 'respond':
      Object.assign(data, { responseKind: change.response.toUpperCase(), responseText: change.text, respondedAt: clock.now });
      break;
    case 'finalise':
      // Kept with the decision: the table and the audit say when the consultation was cut short.
      Object.assign(data, { status: 'FINAL', finalisedById: userId, finalisedAt: clock.now, finalisedOver: finalisedOver(before, clock.now) });
      break;
    case 'assign':
      Object.assign(data, { assigneeId: change.assigneeId });
      break;
    case 'set_deadline':
      Object.assign(data, { respondBy: futureDeadline(change.respondBy, clock.now) });
      break;
    case 'implement':
      Object.assign(data, { implementedInRevisionId: p.refs.revisionId });
      break;
  }
  return data;
}

/** A (re)proposal: the commenter answers this proposal, so an answer to an earlier one is cleared (it stays in the audit log). */
const proposal = (userId: string, now: Date, respondBy: Date | null) => ({
  proposedById: userId,
  proposedAt: now,
  respondBy,
  responseKind: null,
  responseText: null,
  respondedAt: null,
});

/** OBJECTION over the commenter's objection; PENDING_ANSWER when no answer came and no deadline for one had passed. */
function finalisedOver(before: { responseKind: string | null; respondBy: Date | null }, now: Date): 'OBJECTION' | 'PENDING_ANSWER' | null {
  if (before.responseKind === 'OBJECT') return 'OBJECTION';
  if (before.responseKind === null && (before.respondBy === null || before.respondBy.getTime() > now.getTime())) return 'PENDING_ANSWER';
  return null;
}

/**
 * The row as the change writes it: planChange's values over the row as it was, at version + 1,
 * with the people and revision those values name (the acting user, the assignee and revision
 * that resolveReferences found). The answer, the audit entry and the live event are presented
 * from it, in the statement that writes it, instead of reading the row back.
 */
export function rowAfter(
  before: DispositionWithPeople,
  data: Record<string, unknown>,
  user: { id: string; name: string; affiliation: string },
  refs: References,
) {
  const after = { ...before, ...data, version: before.version + 1 } as DispositionWithPeople;
  const me = { id: user.id, name: user.name, affiliation: user.affiliation };
  if ('draftedById' in data) after.draftedBy = me;
  if ('proposedById' in data) after.proposedBy = me;
  if ('finalisedById' in data) after.finalisedBy = me;
  if ('assigneeId' in data) after.assignee = data.assigneeId === null ? null : refs.assignee!;
  if ('implementedInRevisionId' in data) after.implementedIn = data.implementedInRevisionId === null ? null : refs.revision!;
  return after;
}
