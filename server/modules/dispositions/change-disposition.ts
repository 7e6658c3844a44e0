// Every write to a disposition goes through applyChanges: load the comments (scoped to the group
// and document: anything else is a 404) with their disposition rows locked, authorize, compare
// versions (optimistic concurrency: a stale expectedVersion is a 409 carrying the current
// disposition, so nothing is silently overwritten), run the state machine, write, audit, emit.
// Single changes and bulk changes share it; bulk runs many in one transaction.
import type { Ctx, Pipeline } from '../../lib/use-case.ts';
import type { DomainEventMap, DomainEventName, EmitFn } from '../../lib/domain-events.ts';
import { AppError } from '../../lib/app-error.ts';
import { auditEntriesSql, auditEntryJson } from '../../lib/audit.ts';
import { transactPipelined } from '../../lib/use-case.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { eventChannel, realtimeAddress, realtimePendingSql } from '../realtime/record-events.ts';
import { dispositionRealtimeEvents } from './dispositions.realtime.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { canAdjudicate } from './dispositions.policy.ts';
import type { Transition } from './disposition-state.ts';
import { presentDisposition, type DispositionWithPeople } from './dispositions.presenter.ts';
import { checkAdjudicable, loadAndLock, resolveReferences, type LoadedComment } from './lock-dispositions.ts';
import { authorizeChange, planChange, rowAfter, type Change } from './plan-change.ts';

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
 * Applies one change to each item inside the caller's pipelined transaction. Each item's fate is
 * reported (its disposition after the change, or the AppError that refused it, in the order a
 * single request would meet it: 404, 403, version 409, period 409, state 409, 400/422). Nothing is
 * written unless every item can be (the callers then throw, rolling back what was locked).
 *
 * Two round trips whatever the selection: everything read and the rows locked in one statement
 * (with the references sent beside it), then the rows written with their audit entries and live
 * events in one statement per set of columns, sent with the outbox jobs and COMMIT.
 */
export async function applyChanges(p: Pipeline, emit: EmitFn, channel: string, input: ChangesInput): Promise<ItemOutcome[]> {
  const { access, change } = input;
  const { group, user } = access;
  const loading = loadAndLock(
    p,
    group.id,
    input.documentId,
    input.items.map((i) => i.commentId),
  );
  const references = resolveReferences(p, group.id, input.documentId, change);
  const { comments: found, clock, locked } = await loading;
  const refs = await references;
  const commentsById = new Map(found.map((c) => [c.id, c]));
  const audience = audienceOf(access);
  const outcomes = new Map<string, ItemOutcome>();
  const planned: Planned[] = [];
  for (const item of input.items) {
    try {
      const comment = commentsById.get(item.commentId);
      checkAdjudicable(comment);
      const transition = authorizeChange(access, comment, change);
      const before = locked.get(comment.id)!;
      const data = planChange({ access, comment, before, transition, change, clock, refs, expectedVersion: item.expectedVersion, audience });
      planned.push({ comment, before, transition, data, after: rowAfter(before, data, user, refs) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      outcomes.set(item.commentId, { commentId: item.commentId, error: err });
    }
  }
  // Refused items write nothing: the caller throws (bulk: all or nothing), which rolls back.
  if (planned.length === input.items.length) {
    const events = planned.map((e) => eventOf({ groupId: group.id, ...e, change }));
    for (const statement of writeChanges(channel, user.id, group.id, planned, events)) void p.run(statement);
    for (const e of events) emit(e.name, e.payload, { recorded: true });
  }
  for (const { comment, after } of planned) outcomes.set(comment.id, { commentId: comment.id, after });
  return input.items.map((i) => outcomes.get(i.commentId)!);
}

type Planned = { comment: LoadedComment; before: DispositionWithPeople; transition: Transition; data: Record<string, unknown>; after: DispositionWithPeople };
type Event = ReturnType<typeof eventOf>;

/**
 * The writes of the planned changes: for each set of columns (a change sets the same columns on
 * every row it plans, but planChange decides), one statement that updates the rows (locked and
 * version-checked, so each goes to exactly version + 1), writes their audit entries and queues
 * their live events — the events presenting the rows as written, as members see them.
 */
function writeChanges(channel: string, actorId: string, groupId: string, planned: Planned[], events: Event[]): Prisma.Sql[] {
  const bySet = new Map<string, number[]>();
  planned.forEach((item, i) => {
    const key = Object.keys(item.data).sort().join(',');
    const indexes = bySet.get(key);
    if (indexes) indexes.push(i);
    else bySet.set(key, [i]);
  });
  return [...bySet].map(([key, indexes]) => {
    const columns = key.split(',').map((c) => c.replaceAll('"', ''));
    const set = Prisma.raw(columns.map((c) => `"${c}" = v."${c}"`).join(', '));
    const rows = indexes.map((i) => ({ ...planned[i]!.data, id: planned[i]!.before.id }));
    const audits = indexes.map((i) => {
      const { comment, before, after, transition } = planned[i]!;
      const ids = { commentId: comment.id, documentId: comment.documentId };
      return auditEntryJson({
        actorId,
        groupId,
        action: `dispositions.${transition === 'draft' ? 'drafted' : AUDIT_VERB[events[i]!.kind]}`,
        entityType: 'disposition',
        entityId: after.id,
        before: presentDisposition(before, ids, 'adjudicators'),
        after: presentDisposition(after, ids, 'adjudicators'),
      });
    });
    const live = indexes.map((i) => {
      const e = events[i]!;
      return { ...realtimeAddress(e.name, e.payload, dispositionRealtimeEvents), name: e.name, rowId: planned[i]!.before.id, data: e.live };
    });
    return Prisma.sql`
      WITH v AS (SELECT * FROM jsonb_populate_recordset(NULL::"Disposition", ${JSON.stringify(rows)}::jsonb)),
      written AS (
        UPDATE "Disposition" d SET ${set}, version = d.version + 1 FROM v WHERE d.id = v.id RETURNING d.id::text AS id
      ),
      audited AS (${auditEntriesSql(Prisma.sql`(
        SELECT x.ord, NULL::timestamptz AS "at", x.entry FROM jsonb_array_elements(${JSON.stringify(audits)}::jsonb) WITH ORDINALITY AS x(entry, ord)
        WHERE x.entry->>'entityId' IN (SELECT id FROM written))`)}),
      rt_rows AS (
        SELECT x.ord, x.e->>'stream' AS stream, (x.e->>'groupId')::uuid AS "groupId", x.e->>'read' AS read, x.e->'data' AS data, x.e->>'name' AS name
        FROM jsonb_array_elements(${JSON.stringify(live)}::jsonb) WITH ORDINALITY AS x(e, ord)
        WHERE x.e->>'rowId' IN (SELECT id FROM written)
      ),
      ${realtimePendingSql(channel, null, Prisma.sql`rt_rows`)}
      SELECT 1`;
  });
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

/** The domain event of one change, with its live presentation (the row as written, as members see it). */
function eventOf(e: { groupId: string; comment: LoadedComment; after: DispositionWithPeople; transition: Transition; change: Change }) {
  const base = { groupId: e.groupId, documentId: e.comment.documentId, commentId: e.comment.id, dispositionId: e.after.id, version: e.after.version };
  const live = { disposition: presentDisposition(e.after, { commentId: e.comment.id, documentId: e.comment.documentId }, 'members') };
  const commenterId = e.comment.authorId;
  const event = <K extends DomainEventName>(name: K, payload: DomainEventMap[K]) => ({ kind: e.change.kind, name, payload, live }) as const;
  switch (e.change.kind) {
    case 'decide':
    case 'confirm':
      return e.transition === 'draft'
        ? event('dispositions.drafted', base)
        : event('dispositions.proposed', { ...base, commenterId, respondBy: e.after.respondBy?.toISOString() ?? null });
    case 'respond':
      return event('dispositions.responded', { ...base, commenterId, response: e.change.response });
    case 'finalise':
      return event('dispositions.finalised', { ...base, commenterId, objected: e.after.responseKind === 'OBJECT' });
    case 'assign':
      return event('dispositions.assigned', { ...base, assigneeId: e.after.assigneeId });
    case 'set_deadline':
      return event('dispositions.deadline_set', { ...base, commenterId, respondBy: e.after.respondBy!.toISOString() });
    case 'implement':
      return event('dispositions.implemented', { ...base, revisionId: e.after.implementedInRevisionId });
  }
}

/** One change to one comment in its own transaction (the single-comment routes): its AppError is thrown as it is. */
export async function changeDisposition(
  ctx: Ctx,
  input: { access: GroupAccess; documentId: string; commentId: string; expectedVersion: number; change: Change },
) {
  return transactPipelined(ctx, async (p, emit) => {
    const [outcome] = await applyChanges(p, emit, eventChannel(ctx.config.realtimeChannel), {
      access: input.access,
      documentId: input.documentId,
      change: input.change,
      items: [{ commentId: input.commentId, expectedVersion: input.expectedVersion }],
    });
    if (outcome!.error) throw outcome!.error;
    return outcome!.after!;
  });
}
