// Every write to a disposition goes through applyChange: load the comment (scoped to the group
// and document: anything else is a 404), authorize, lock the disposition row, compare versions
// (optimistic concurrency: a stale expectedVersion is a 409 carrying the current disposition,
// so nothing is silently overwritten), run the state machine, write, audit, emit. Single
// changes and bulk changes share it; bulk runs many in one transaction.
import type { Ctx, Tx } from '../../lib/use-case.ts';
import type { EmitFn } from '../../lib/domain-events.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { transact } from '../../lib/use-case.ts';
import { uuidv7 } from '../../lib/uuid.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { authorizeAdjudication, canAdjudicate, decisionModeOf } from './dispositions.policy.ts';
import { checkRationale, nextStatus, type Code, type Transition } from './disposition-state.ts';
import { dispositionInclude, presentDisposition, type DispositionWithPeople } from './dispositions.presenter.ts';

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    /** The commenter is asked to agree or object (digests e-mail them; realtime shows it). */
    'dispositions.proposed': { groupId: string; documentId: string; commentId: string; dispositionId: string; commenterId: string; version: number; respondBy: string | null };
    'dispositions.drafted': { groupId: string; documentId: string; commentId: string; dispositionId: string; version: number };
    'dispositions.responded': { groupId: string; documentId: string; commentId: string; dispositionId: string; commenterId: string; response: 'agree' | 'object'; version: number };
    'dispositions.finalised': { groupId: string; documentId: string; commentId: string; dispositionId: string; commenterId: string; objected: boolean; version: number };
    'dispositions.assigned': { groupId: string; documentId: string; commentId: string; dispositionId: string; assigneeId: string | null; version: number };
    'dispositions.deadline_set': { groupId: string; documentId: string; commentId: string; dispositionId: string; commenterId: string; respondBy: string; version: number };
    'dispositions.implemented': { groupId: string; documentId: string; commentId: string; dispositionId: string; revisionId: string | null; version: number };
  }
}

export type Change =
  | { kind: 'decide'; code: Code; rationale: string; adoptedText: string; respondBy?: string | undefined }
  | { kind: 'confirm'; respondBy?: string | undefined }
  | { kind: 'respond'; response: 'agree' | 'object'; text: string }
  | { kind: 'finalise' }
  | { kind: 'assign'; assigneeId: string | null }
  | { kind: 'set_deadline'; respondBy: string }
  | { kind: 'implement'; revision: number | null };

export interface ChangeInput {
  access: GroupAccess;
  documentId: string;
  commentId: string;
  expectedVersion: number;
  change: Change;
}

type Loaded = Awaited<ReturnType<typeof loadComment>>;

async function loadComment(tx: Tx, access: GroupAccess, documentId: string, commentId: string) {
  const comment = await tx.comment.findFirst({
    where: { id: commentId, documentId, document: { groupId: access.group.id } },
    select: { id: true, documentId: true, revisionId: true, authorId: true, parentId: true, status: true },
  });
  if (!comment) throw AppError.notFound('That comment', 'comment_not_found');
  if (comment.parentId !== null) throw AppError.conflict('reply_has_no_disposition', 'Replies in a thread are not adjudicated; decide on the comment that started it.');
  if (comment.status !== 'OPEN') throw AppError.conflict('comment_withdrawn', 'The commenter withdrew this comment; there is nothing to decide.');
  return comment;
}

/**
 * Creates the row if the comment has none (version 0), then locks it. A concurrent writer waits
 * here and then reads the committed version, so the version check below is exact.
 */
async function lockDisposition(tx: Tx, comment: Loaded) {
  await tx.$executeRaw`
    INSERT INTO "Disposition" (id, "commentId", "documentId", "updatedAt") VALUES (${uuidv7()}::uuid, ${comment.id}::uuid, ${comment.documentId}::uuid, now())
    ON CONFLICT ("commentId") DO NOTHING`;
  await tx.$queryRaw`SELECT id FROM "Disposition" WHERE "commentId" = ${comment.id}::uuid FOR UPDATE`;
  return tx.disposition.findUniqueOrThrow({ where: { commentId: comment.id }, include: dispositionInclude });
}

/**
 * The database clock, whether a comment period on the comment's revision is open now, and the
 * group's setting — read here, in the transaction, rather than from the access object (whose
 * group row is loaded with a fixed column list by the groups module).
 */
async function readClock(tx: Tx, revisionId: string, groupId: string) {
  const [row] = await tx.$queryRaw<[{ now: Date; open: boolean; allowEarly: boolean }]>`
    SELECT now() AS now, EXISTS (
      SELECT 1 FROM "CommentPeriod" p WHERE p."revisionId" = ${revisionId}::uuid AND p."opensAt" <= now() AND now() < p."closesAt"
    ) AS open, (SELECT g."allowEarlyAdjudication" FROM "Group" g WHERE g.id = ${groupId}::uuid) AS "allowEarly"`;
  return row;
}

const TRANSITION: Record<Change['kind'], Transition | null> = {
  decide: null, confirm: 'confirm', respond: 'respond', finalise: 'finalise', assign: 'assign', set_deadline: 'set_deadline', implement: 'implement',
};

/** Changes that decide something are refused while commenting is still going on. */
const DECIDES = new Set<Change['kind']>(['decide', 'confirm', 'finalise']);

function authorizeChange(access: GroupAccess, comment: Loaded, change: Change): Transition {
  switch (change.kind) {
    case 'decide': return decisionModeOf(access);
    case 'respond':
      // Only the commenter answers; not even a convener answers on their behalf.
      if (comment.authorId !== access.user.id) throw AppError.forbidden('Only the commenter responds to the disposition of their comment.', 'not_your_comment');
      return 'respond';
    case 'confirm': case 'set_deadline': authorizeAdjudication(access, 'dispositions.propose'); break;
    case 'finalise': authorizeAdjudication(access, 'dispositions.finalise'); break;
    case 'assign': authorizeAdjudication(access, 'dispositions.assign'); break;
    case 'implement': authorizeAdjudication(access, 'dispositions.implement'); break;
  }
  return TRANSITION[change.kind]!;
}

function futureDeadline(respondBy: string | undefined, now: Date): Date | undefined {
  if (respondBy === undefined) return undefined;
  const at = new Date(respondBy);
  if (at.getTime() <= now.getTime()) throw AppError.badRequest('deadline_in_past', 'The response deadline must be in the future.', { field: 'body.respondBy' });
  return at;
}

export const audienceOf = (access: GroupAccess) => (canAdjudicate(access, 'dispositions.readPile') ? 'adjudicators' : 'members') as 'adjudicators' | 'members';

/** Applies one change inside the caller's transaction; returns the updated disposition. */
export async function applyChange(tx: Tx, emit: EmitFn, input: ChangeInput): Promise<DispositionWithPeople> {
  const { access, change } = input;
  const { group, user } = access;
  const comment = await loadComment(tx, access, input.documentId, input.commentId);
  const transition = authorizeChange(access, comment, change);
  const before = await lockDisposition(tx, comment);
  const ids = { commentId: comment.id, documentId: comment.documentId };
  if (before.version !== input.expectedVersion) {
    throw AppError.conflict(
      'disposition_version_conflict',
      `Someone changed this disposition meanwhile (now version ${before.version}, you had ${input.expectedVersion}); nothing was stored. Review the current disposition and try again.`,
      { current: presentDisposition(before, ids, audienceOf(access)) },
    );
  }
  const clock = await readClock(tx, comment.revisionId, group.id);
  if (DECIDES.has(change.kind) && clock.open && !clock.allowEarly) {
    throw AppError.conflict('comment_period_open', 'The comment period on this revision is still open; decide after it closes (or let the conveners allow early adjudication).');
  }
  const state = {
    status: before.status.toLowerCase() as 'undecided' | 'draft' | 'proposed' | 'final',
    code: before.code ? (before.code.toLowerCase() as Code) : null,
    responded: before.responseKind !== null,
    hasDeadline: before.respondBy !== null,
    deadlinePassed: before.respondBy !== null && before.respondBy.getTime() <= clock.now.getTime(),
  };
  const status = nextStatus(state, transition);
  const data: Prisma.DispositionUncheckedUpdateInput = { version: before.version + 1, updatedAt: clock.now };

  switch (change.kind) {
    case 'decide': {
      checkRationale(change.code, change.rationale);
      const respondBy = futureDeadline(change.respondBy, clock.now);
      if (transition === 'draft' && respondBy) throw AppError.badRequest('deadline_by_conveners', 'The conveners set the response deadline when they confirm the draft.', { field: 'body.respondBy' });
      Object.assign(data, { code: change.code.toUpperCase(), rationale: change.rationale, adoptedText: change.adoptedText, status: status.toUpperCase() });
      if (transition === 'draft') Object.assign(data, { draftedById: user.id });
      else Object.assign(data, proposal(user.id, clock.now, respondBy ?? before.respondBy));
      break;
    }
    case 'confirm':
      Object.assign(data, { status: 'PROPOSED' }, proposal(user.id, clock.now, futureDeadline(change.respondBy, clock.now) ?? before.respondBy));
      break;
    case 'respond':
      Object.assign(data, { responseKind: change.response.toUpperCase(), responseText: change.text, respondedAt: clock.now });
      break;
    case 'finalise':
      Object.assign(data, { status: 'FINAL', finalisedById: user.id, finalisedAt: clock.now });
      break;
    case 'assign':
      if (change.assigneeId !== null) await checkAssignee(tx, group.id, change.assigneeId);
      Object.assign(data, { assigneeId: change.assigneeId });
      break;
    case 'set_deadline':
      Object.assign(data, { respondBy: futureDeadline(change.respondBy, clock.now) });
      break;
    case 'implement':
      Object.assign(data, { implementedInRevisionId: change.revision === null ? null : await findRevisionId(tx, comment.documentId, change.revision) });
      break;
  }

  const after = await tx.disposition.update({ where: { id: before.id }, data, include: dispositionInclude });
  await recordAudit(tx, {
    actorId: user.id, groupId: group.id, action: `dispositions.${transition === 'draft' ? 'drafted' : AUDIT_VERB[change.kind]}`,
    entityType: 'disposition', entityId: after.id,
    before: presentDisposition(before, ids, 'adjudicators'), after: presentDisposition(after, ids, 'adjudicators'),
  });
  emitFor(emit, { groupId: group.id, comment, after, transition, change });
  return after;
}

const AUDIT_VERB: Record<Change['kind'], string> = {
  decide: 'proposed', confirm: 'proposed', respond: 'responded', finalise: 'finalised', assign: 'assigned', set_deadline: 'deadline_set', implement: 'implemented',
};

/** A (re)proposal: the commenter answers this proposal, so an answer to an earlier one is cleared (it stays in the audit log). */
const proposal = (userId: string, now: Date, respondBy: Date | null) => ({
  proposedById: userId, proposedAt: now, respondBy, responseKind: null, responseText: null, respondedAt: null,
});

async function checkAssignee(tx: Tx, groupId: string, userId: string) {
  const member = await tx.membership.findUnique({ where: { groupId_userId: { groupId, userId } }, select: { role: true } });
  if (!member || (member.role !== 'CONVENER' && member.role !== 'EDITOR')) {
    throw AppError.unprocessable('assignee_not_adjudicator', 'Comments are assigned to a convener or an editor of this group.', { field: 'body.assigneeId' });
  }
}

async function findRevisionId(tx: Tx, documentId: string, sequence: number) {
  const revision = await tx.revision.findUnique({ where: { documentId_sequence: { documentId, sequence } }, select: { id: true } });
  if (!revision) throw AppError.notFound(`Revision ${sequence} of that document`, 'revision_not_found');
  return revision.id;
}

function emitFor(emit: EmitFn, e: { groupId: string; comment: Loaded; after: DispositionWithPeople; transition: Transition; change: Change }) {
  const base = { groupId: e.groupId, documentId: e.comment.documentId, commentId: e.comment.id, dispositionId: e.after.id, version: e.after.version };
  const commenterId = e.comment.authorId;
  switch (e.change.kind) {
    case 'decide': case 'confirm':
      if (e.transition === 'draft') emit('dispositions.drafted', base);
      else emit('dispositions.proposed', { ...base, commenterId, respondBy: e.after.respondBy?.toISOString() ?? null });
      return;
    case 'respond': emit('dispositions.responded', { ...base, commenterId, response: e.change.response }); return;
    case 'finalise': emit('dispositions.finalised', { ...base, commenterId, objected: e.after.responseKind === 'OBJECT' }); return;
    case 'assign': emit('dispositions.assigned', { ...base, assigneeId: e.after.assigneeId }); return;
    case 'set_deadline': emit('dispositions.deadline_set', { ...base, commenterId, respondBy: e.after.respondBy!.toISOString() }); return;
    case 'implement': emit('dispositions.implemented', { ...base, revisionId: e.after.implementedInRevisionId }); return;
  }
}

/** One change in its own transaction (the single-comment routes). */
export async function changeDisposition(ctx: Ctx, input: ChangeInput) {
  return transact(ctx, (tx, emit) => applyChange(tx, emit, input));
}
