// Every write to a disposition goes through applyChange: load the comment (scoped to the group
// and document: anything else is a 404), authorize, lock the disposition row, compare versions
// (optimistic concurrency: a stale expectedVersion is a 409 carrying the current disposition,
// so nothing is silently overwritten), run the state machine, write, audit, emit. Single
// changes and bulk changes share it; bulk runs many in one transaction.
import type { Ctx, Tx } from '../../lib/use-case.ts';
import type { EmitFn } from '../../lib/domain-events.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudits, type AuditInput } from '../../lib/audit.ts';
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

export interface ChangeItem { commentId: string; expectedVersion: number }

export interface ChangesInput {
  access: GroupAccess;
  documentId: string;
  /** One change applied to each of these comments (one for the single routes, a selection for bulk). */
  items: ChangeItem[];
  change: Change;
}

export type ItemOutcome = { commentId: string; after: DispositionWithPeople; error?: undefined } | { commentId: string; error: AppError; after?: undefined };

type LoadedComment = { id: string; documentId: string; revisionId: string; authorId: string; parentId: string | null; status: string };

/** Why a comment cannot carry a disposition at all (checked before anything is locked). */
function checkAdjudicable(comment: LoadedComment | undefined): asserts comment is LoadedComment {
  if (!comment) throw AppError.notFound('That comment', 'comment_not_found');
  if (comment.parentId !== null) throw AppError.conflict('reply_has_no_disposition', 'Replies in a thread are not adjudicated; decide on the comment that started it.');
  if (comment.status !== 'OPEN') throw AppError.conflict('comment_withdrawn', 'The commenter withdrew this comment; there is nothing to decide.');
}

/**
 * Creates the missing rows (version 0) and locks every row of the selection, in commentId order
 * so that two overlapping selections can never deadlock. A concurrent writer waits here and then
 * reads the committed version, so the version checks below are exact.
 */
async function lockDispositions(tx: Tx, comments: LoadedComment[]) {
  const commentIds = comments.map((c) => c.id).sort();
  if (!commentIds.length) return new Map<string, DispositionWithPeople>();
  const documentIds = commentIds.map((id) => comments.find((c) => c.id === id)!.documentId);
  const rowIds = commentIds.map(() => uuidv7());
  await tx.$executeRaw`
    INSERT INTO "Disposition" (id, "commentId", "documentId", "updatedAt")
    SELECT * FROM unnest(${rowIds}::uuid[], ${commentIds}::uuid[], ${documentIds}::uuid[]), now()
    ON CONFLICT ("commentId") DO NOTHING`;
  await tx.$queryRaw`SELECT id FROM "Disposition" WHERE "commentId" = ANY(${commentIds}::uuid[]) ORDER BY "commentId" FOR UPDATE`;
  const rows = await tx.disposition.findMany({ where: { commentId: { in: commentIds } }, include: dispositionInclude });
  return new Map(rows.map((r) => [r.commentId, r]));
}

/**
 * The database clock, the revisions (of those given) with a comment period open now, and the
 * group's setting — read here, in the transaction, rather than from the access object (whose
 * group row is loaded with a fixed column list by the groups module).
 */
async function readClock(tx: Tx, revisionIds: string[], groupId: string) {
  const [row] = await tx.$queryRaw<[{ now: Date; openRevisions: string[]; allowEarly: boolean }]>`
    SELECT now() AS now,
      ARRAY(SELECT DISTINCT p."revisionId"::text FROM "CommentPeriod" p
            WHERE p."revisionId" = ANY(${revisionIds}::uuid[]) AND p."opensAt" <= now() AND now() < p."closesAt") AS "openRevisions",
      (SELECT g."allowEarlyAdjudication" FROM "Group" g WHERE g.id = ${groupId}::uuid) AS "allowEarly"`;
  return { now: row.now, open: new Set(row.openRevisions), allowEarly: row.allowEarly };
}

const TRANSITION: Record<Change['kind'], Transition | null> = {
  decide: null, confirm: 'confirm', respond: 'respond', finalise: 'finalise', assign: 'assign', set_deadline: 'set_deadline', implement: 'implement',
};

/** Changes that decide something are refused while commenting is still going on. */
const DECIDES = new Set<Change['kind']>(['decide', 'confirm', 'finalise']);

function authorizeChange(access: GroupAccess, comment: LoadedComment, change: Change): Transition {
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

/** What the change refers to (the assignee, the implementing revision): the same for every item, so looked up once. */
async function resolveReferences(tx: Tx, groupId: string, documentId: string, change: Change) {
  try {
    if (change.kind === 'assign' && change.assigneeId !== null) await checkAssignee(tx, groupId, change.assigneeId);
    if (change.kind === 'implement' && change.revision !== null) return { revisionId: await findRevisionId(tx, documentId, change.revision) };
    return { revisionId: null };
  } catch (err) {
    if (err instanceof AppError) return { error: err, revisionId: null };
    throw err;
  }
}

/**
 * Applies one change to each item inside the caller's transaction. Each item's fate is reported
 * (its disposition after the change, or the AppError that refused it, in the order a single
 * request would meet it: 404, 403, version 409, period 409, state 409, 400/422); the caller
 * decides whether one failure undoes the rest (it always does for bulk).
 */
export async function applyChanges(tx: Tx, emit: EmitFn, input: ChangesInput): Promise<ItemOutcome[]> {
  const { access, change } = input;
  const { group, user } = access;
  const ids = input.items.map((i) => i.commentId);
  const found = await tx.comment.findMany({
    where: { id: { in: ids }, documentId: input.documentId, document: { groupId: group.id } },
    select: { id: true, documentId: true, revisionId: true, authorId: true, parentId: true, status: true },
  });
  const commentsById = new Map(found.map((c) => [c.id, c]));
  const outcomes = new Map<string, ItemOutcome>();
  const eligible: Array<{ item: ChangeItem; comment: LoadedComment; transition: Transition }> = [];
  for (const item of input.items) {
    try {
      const comment = commentsById.get(item.commentId);
      checkAdjudicable(comment);
      eligible.push({ item, comment, transition: authorizeChange(access, comment, change) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      outcomes.set(item.commentId, { commentId: item.commentId, error: err });
    }
  }
  const locked = await lockDispositions(tx, eligible.map((e) => e.comment));
  const clock = await readClock(tx, [...new Set(eligible.map((e) => e.comment.revisionId))], group.id);
  const refs = eligible.length ? await resolveReferences(tx, group.id, input.documentId, change) : { revisionId: null };
  const audience = audienceOf(access);

  const planned: Array<{ comment: LoadedComment; before: DispositionWithPeople; transition: Transition; data: Prisma.DispositionUncheckedUpdateManyInput }> = [];
  for (const { item, comment, transition } of eligible) {
    const before = locked.get(comment.id)!;
    try {
      planned.push({ comment, before, transition, data: planChange({ access, comment, before, transition, change, clock, refs, expectedVersion: item.expectedVersion, audience }) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      outcomes.set(comment.id, { commentId: comment.id, error: err });
    }
  }
  // A selection mostly gets identical values: one UPDATE per distinct set of values (the rows are
  // locked and their versions checked, so incrementing gives each exactly version + 1).
  const groups = new Map<string, { data: Prisma.DispositionUncheckedUpdateManyInput; ids: string[] }>();
  for (const p of planned) {
    const key = JSON.stringify(p.data);
    const entry = groups.get(key) ?? { data: p.data, ids: [] };
    entry.ids.push(p.before.id);
    groups.set(key, entry);
  }
  for (const { data, ids: rowIds } of groups.values()) {
    await tx.disposition.updateMany({ where: { id: { in: rowIds } }, data: { ...data, version: { increment: 1 } } });
  }
  const afters = planned.length
    ? new Map((await tx.disposition.findMany({ where: { id: { in: planned.map((p) => p.before.id) } }, include: dispositionInclude })).map((d) => [d.id, d]))
    : new Map<string, DispositionWithPeople>();
  const audits: AuditInput[] = [];
  for (const { comment, before, transition } of planned) {
    const after = afters.get(before.id)!;
    const idsOf = { commentId: comment.id, documentId: comment.documentId };
    audits.push({
      actorId: user.id, groupId: group.id, action: `dispositions.${transition === 'draft' ? 'drafted' : AUDIT_VERB[change.kind]}`,
      entityType: 'disposition', entityId: after.id,
      before: presentDisposition(before, idsOf, 'adjudicators'), after: presentDisposition(after, idsOf, 'adjudicators'),
    });
    emitFor(emit, { groupId: group.id, comment, after, transition, change });
    outcomes.set(comment.id, { commentId: comment.id, after });
  }
  await recordAudits(tx, audits);
  return input.items.map((i) => outcomes.get(i.commentId)!);
}

interface PlanInput {
  access: GroupAccess;
  comment: LoadedComment;
  before: DispositionWithPeople;
  transition: Transition;
  change: Change;
  clock: Awaited<ReturnType<typeof readClock>>;
  refs: Awaited<ReturnType<typeof resolveReferences>>;
  expectedVersion: number;
  audience: 'adjudicators' | 'members';
}

/** The checks after locking and the row's new values; throws the AppError that refuses the change. */
function planChange(p: PlanInput): Prisma.DispositionUncheckedUpdateManyInput {
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
    throw AppError.conflict('comment_period_open', 'The comment period on this revision is still open; decide after it closes (or let the conveners allow early adjudication).');
  }
  const status = nextStatus({
    status: before.status.toLowerCase() as 'undecided' | 'draft' | 'proposed' | 'final',
    code: before.code ? (before.code.toLowerCase() as Code) : null,
    responded: before.responseKind !== null,
    hasDeadline: before.respondBy !== null,
    deadlinePassed: before.respondBy !== null && before.respondBy.getTime() <= clock.now.getTime(),
  }, transition);
  if ('error' in p.refs && p.refs.error) throw p.refs.error;
  const data: Prisma.DispositionUncheckedUpdateManyInput = { updatedAt: clock.now };
  switch (change.kind) {
    case 'decide': {
      checkRationale(change.code, change.rationale);
      const respondBy = futureDeadline(change.respondBy, clock.now);
      if (transition === 'draft' && respondBy) throw AppError.badRequest('deadline_by_conveners', 'The conveners set the response deadline when they confirm the draft.', { field: 'body.respondBy' });
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
      Object.assign(data, { status: 'FINAL', finalisedById: userId, finalisedAt: clock.now });
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

function emitFor(emit: EmitFn, e: { groupId: string; comment: LoadedComment; after: DispositionWithPeople; transition: Transition; change: Change }) {
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

/** One change to one comment in its own transaction (the single-comment routes): its AppError is thrown as it is. */
export async function changeDisposition(ctx: Ctx, input: { access: GroupAccess; documentId: string; commentId: string; expectedVersion: number; change: Change }) {
  return transact(ctx, async (tx, emit) => {
    const [outcome] = await applyChanges(tx, emit, { access: input.access, documentId: input.documentId, change: input.change, items: [{ commentId: input.commentId, expectedVersion: input.expectedVersion }] });
    if (outcome!.error) throw outcome!.error;
    return outcome!.after!;
  });
}
