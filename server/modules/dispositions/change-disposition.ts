// Every write to a disposition goes through applyChanges: load the comments (scoped to the group
// and document: anything else is a 404), authorize, lock the disposition rows, compare versions
// (optimistic concurrency: a stale expectedVersion is a 409 carrying the current disposition,
// so nothing is silently overwritten), run the state machine, write, audit, emit. Single
// changes and bulk changes share it; bulk runs many in one transaction.
import type { Ctx, Tx } from '../../lib/use-case.ts';
import type { EmitFn } from '../../lib/domain-events.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudits, type AuditInput } from '../../lib/audit.ts';
import { transact } from '../../lib/use-case.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { canAdjudicate } from './dispositions.policy.ts';
import type { Transition } from './disposition-state.ts';
import { presentDisposition, type DispositionWithPeople } from './dispositions.presenter.ts';
import { checkAdjudicable, loadForChange, lockDispositions, resolveReferences, updateDispositions, type LoadedComment } from './lock-dispositions.ts';
import { authorizeChange, planChange, type Change } from './plan-change.ts';

export type { Change } from './plan-change.ts';

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    /** The commenter is asked to agree or object (digests e-mail them; realtime shows it). */
    'dispositions.proposed': {
      groupId: string;
      documentId: string;
      commentId: string;
      dispositionId: string;
      commenterId: string;
      version: number;
      respondBy: string | null;
    };
    'dispositions.drafted': { groupId: string; documentId: string; commentId: string; dispositionId: string; version: number };
    'dispositions.responded': {
      groupId: string;
      documentId: string;
      commentId: string;
      dispositionId: string;
      commenterId: string;
      response: 'agree' | 'object';
      version: number;
    };
    'dispositions.finalised': {
      groupId: string;
      documentId: string;
      commentId: string;
      dispositionId: string;
      commenterId: string;
      objected: boolean;
      version: number;
    };
    'dispositions.assigned': { groupId: string; documentId: string; commentId: string; dispositionId: string; assigneeId: string | null; version: number };
    'dispositions.deadline_set': {
      groupId: string;
      documentId: string;
      commentId: string;
      dispositionId: string;
      commenterId: string;
      respondBy: string;
      version: number;
    };
    'dispositions.implemented': { groupId: string; documentId: string; commentId: string; dispositionId: string; revisionId: string | null; version: number };
  }
}

export interface ChangeItem {
  commentId: string;
  expectedVersion: number;
}

export interface ChangesInput {
  access: GroupAccess;
  documentId: string;
  /** One change applied to each of these comments (one for the single routes, a selection for bulk). */
  items: ChangeItem[];
  change: Change;
}

export type ItemOutcome = { commentId: string; after: DispositionWithPeople; error?: undefined } | { commentId: string; error: AppError; after?: undefined };

export const audienceOf = (access: GroupAccess) => (canAdjudicate(access, 'dispositions.readPile') ? 'adjudicators' : 'members') as 'adjudicators' | 'members';

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
  const { comments: found, clock } = await loadForChange(tx, group.id, input.documentId, ids);
  const commentsById = new Map(found.map((c) => [c.id, c]));
  const outcomes = new Map<string, ItemOutcome>();
  const eligible: Array<{ item: ChangeItem; comment: LoadedComment & { hasDisposition: boolean }; transition: Transition }> = [];
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
  const locked = await lockDispositions(
    tx,
    eligible.map((e) => e.comment),
  );
  const refs = eligible.length ? await resolveReferences(tx, group.id, input.documentId, change) : { revisionId: null };
  const audience = audienceOf(access);

  const planned: Array<{ comment: LoadedComment; before: DispositionWithPeople; transition: Transition; data: Prisma.DispositionUncheckedUpdateManyInput }> =
    [];
  for (const { item, comment, transition } of eligible) {
    const before = locked.get(comment.id)!;
    try {
      planned.push({
        comment,
        before,
        transition,
        data: planChange({ access, comment, before, transition, change, clock, refs, expectedVersion: item.expectedVersion, audience }),
      });
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
  const afters = new Map<string, DispositionWithPeople>();
  for (const { data, ids: rowIds } of groups.values()) {
    for (const d of await updateDispositions(tx, rowIds, data)) afters.set(d.id, d);
  }
  const audits: AuditInput[] = [];
  for (const { comment, before, transition } of planned) {
    const after = afters.get(before.id)!;
    const idsOf = { commentId: comment.id, documentId: comment.documentId };
    audits.push({
      actorId: user.id,
      groupId: group.id,
      action: `dispositions.${transition === 'draft' ? 'drafted' : AUDIT_VERB[change.kind]}`,
      entityType: 'disposition',
      entityId: after.id,
      before: presentDisposition(before, idsOf, 'adjudicators'),
      after: presentDisposition(after, idsOf, 'adjudicators'),
    });
    emitFor(emit, { groupId: group.id, comment, after, transition, change });
    outcomes.set(comment.id, { commentId: comment.id, after });
  }
  await recordAudits(tx, audits);
  return input.items.map((i) => outcomes.get(i.commentId)!);
}

const AUDIT_VERB: Record<Change['kind'], string> = {
  decide: 'proposed',
  confirm: 'proposed',
  respond: 'responded',
  finalise: 'finalised',
  assign: 'assigned',
  set_deadline: 'deadline_set',
  implement: 'implemented',
};

function emitFor(emitEvent: EmitFn, e: { groupId: string; comment: LoadedComment; after: DispositionWithPeople; transition: Transition; change: Change }) {
  const base = { groupId: e.groupId, documentId: e.comment.documentId, commentId: e.comment.id, dispositionId: e.after.id, version: e.after.version };
  // What the realtime table's presentDispositionEvent would read back: the row as written, as members see it.
  const live = { disposition: presentDisposition(e.after, { commentId: e.comment.id, documentId: e.comment.documentId }, 'members') };
  const emit: EmitFn = (name, payload) => emitEvent(name, payload, { live });
  const commenterId = e.comment.authorId;
  switch (e.change.kind) {
    case 'decide':
    case 'confirm':
      if (e.transition === 'draft') emit('dispositions.drafted', base);
      else emit('dispositions.proposed', { ...base, commenterId, respondBy: e.after.respondBy?.toISOString() ?? null });
      return;
    case 'respond':
      emit('dispositions.responded', { ...base, commenterId, response: e.change.response });
      return;
    case 'finalise':
      emit('dispositions.finalised', { ...base, commenterId, objected: e.after.responseKind === 'OBJECT' });
      return;
    case 'assign':
      emit('dispositions.assigned', { ...base, assigneeId: e.after.assigneeId });
      return;
    case 'set_deadline':
      emit('dispositions.deadline_set', { ...base, commenterId, respondBy: e.after.respondBy!.toISOString() });
      return;
    case 'implement':
      emit('dispositions.implemented', { ...base, revisionId: e.after.implementedInRevisionId });
      return;
  }
}

/** One change to one comment in its own transaction (the single-comment routes): its AppError is thrown as it is. */
export async function changeDisposition(
  ctx: Ctx,
  input: { access: GroupAccess; documentId: string; commentId: string; expectedVersion: number; change: Change },
) {
  return transact(ctx, async (tx, emit) => {
    const [outcome] = await applyChanges(tx, emit, {
      access: input.access,
      documentId: input.documentId,
      change: input.change,
      items: [{ commentId: input.commentId, expectedVersion: input.expectedVersion }],
    });
    if (outcome!.error) throw outcome!.error;
    return outcome!.after!;
  });
}
