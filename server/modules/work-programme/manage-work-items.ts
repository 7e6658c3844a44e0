// Writing the work programme: create a work item, change its fields (A.1, editors, linked
// documents), move its status along the lifecycle. Each write is audited in its transaction, a
// status move also in the work item's own history (dated by the database clock), and raised
// as a domain event.
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { transact, type Ctx, type Tx } from '../../lib/use-case.ts';
import { Prisma, type WorkItemStatus } from '../../generated/prisma/client.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { checkTransition } from './work-item-state.ts';
import { databaseNow } from '../timeframe/schedule-milestone.ts';
import { workProgrammePolicy } from './work-programme.policy.ts';
import type { CreateWorkItemInput, UpdateWorkItemInput } from './work-programme.schemas.ts';
import { lower } from '../../lib/enum-case.ts';
import type { EmitFn } from '../../lib/domain-events.ts';

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'workItems.created': { groupId: string; workItemId: string };
    'workItems.updated': { groupId: string; workItemId: string; version: number };
    'workItems.statusChanged': { groupId: string; workItemId: string; from: WorkItemStatus; to: WorkItemStatus; version: number };
  }
}

type Editors = NonNullable<CreateWorkItemInput['editors']>;

/** Editors are members of the group; documents are the group's own. 400 naming the field otherwise. */
async function checkReferences(tx: Tx, groupId: string, editors: Editors | undefined, documentIds: string[] | undefined) {
  if (editors?.length) {
    const ids = editors.map((e) => e.userId);
    if (new Set(ids).size !== ids.length) throw AppError.badRequest('invalid_request', 'body.editors: each editor is named once.', { field: 'body.editors' });
    const members = await tx.membership.findMany({ where: { groupId, userId: { in: ids } }, select: { userId: true } });
    const known = new Set(members.map((m) => m.userId));
    const index = ids.findIndex((id) => !known.has(id));
    if (index >= 0) {
      throw AppError.badRequest('editor_not_member', `body.editors.${index}.userId: an editor must be a member of this group.`, {
        field: `body.editors.${index}.userId`,
      });
    }
  }
  if (documentIds?.length) {
    const unique = [...new Set(documentIds)];
    // The group's own documents, and those of groups that report to it (a correspondence group
    // whose parent bodies name this group: its report is one of the work item's outputs).
    const docs = await tx.$queryRaw<{ id: string }[]>`
      SELECT d.id FROM "Document" d JOIN "Group" dg ON dg.id = d."groupId", "Group" g
      WHERE g.id = ${groupId}::uuid AND d.id = ANY(${unique}::uuid[]) AND (dg.id = g.id OR g.acronym = ANY(dg."parentBodies"))`;
    const known = new Set(docs.map((d) => d.id));
    const index = documentIds.findIndex((id) => !known.has(id));
    if (index >= 0) {
      throw AppError.badRequest(
        'document_not_in_group',
        `body.documentIds.${index}: that document is neither this group's nor of a group that reports to it.`,
        {
          field: `body.documentIds.${index}`,
        },
      );
    }
  }
}

const TEXT_FIELDS = ['title', 'question', 'timing', 'scope', 'summary', 'baseText', 'relations', 'liaisons', 'supportingMembers'] as const;

function fieldData(input: Partial<CreateWorkItemInput>) {
  const data: Prisma.WorkItemUncheckedUpdateInput = {};
  if (input.acronym !== undefined) data.acronym = input.acronym;
  if (input.number !== undefined) data.number = input.number || null;
  if (input.approvalProcess !== undefined) data.approvalProcess = input.approvalProcess;
  for (const key of TEXT_FIELDS) if (input[key] !== undefined) data[key] = input[key];
  return data;
}

async function writeLinks(tx: Tx, workItemId: string, editors: Editors | undefined, documentIds: string[] | undefined) {
  if (editors) {
    await tx.workItemEditor.deleteMany({ where: { workItemId } });
    await tx.workItemEditor.createMany({ data: editors.map((e, position) => ({ workItemId, userId: e.userId, affiliation: e.affiliation ?? '', position })) });
  }
  if (documentIds) {
    await tx.workItemDocument.deleteMany({ where: { workItemId } });
    await tx.workItemDocument.createMany({ data: [...new Set(documentIds)].map((documentId) => ({ workItemId, documentId })) });
  }
}

const duplicate = (acronym: string) =>
  AppError.conflict('work_item_exists', `This group's work programme already has a work item named ${acronym}.`, { field: 'body.acronym' });

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';

export async function createWorkItem(ctx: Ctx, input: { access: GroupAccess; fields: CreateWorkItemInput }) {
  const { access, fields } = input;
  workProgrammePolicy.authorize(access, 'workItems.manage');
  try {
    return await transact(ctx, async (tx, emit) => {
      await checkReferences(tx, access.group.id, fields.editors, fields.documentIds);
      const item = await tx.workItem.create({
        data: { ...(fieldData(fields) as Prisma.WorkItemUncheckedCreateInput), groupId: access.group.id, acronym: fields.acronym, title: fields.title },
      });
      await tx.workItemStatusChange.create({ data: { workItemId: item.id, from: null, to: item.status, actorId: access.user.id, note: 'Work item created' } });
      await writeLinks(tx, item.id, fields.editors, fields.documentIds);
      await recordAudit(tx, {
        actorId: access.user.id,
        groupId: access.group.id,
        action: 'workItems.created',
        entityType: 'WorkItem',
        entityId: item.id,
        after: fields,
      });
      emit('workItems.created', { groupId: access.group.id, workItemId: item.id });
      return item;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(fields.acronym);
    throw err;
  }
}

/** The work item, locked for this transaction, or a 404 (also when it belongs to another group). */
async function lockWorkItem(tx: Tx, groupId: string, workItemId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "WorkItem" WHERE id = ${workItemId}::uuid AND "groupId" = ${groupId}::uuid FOR UPDATE`;
  if (!rows.length) throw AppError.notFound('That work item', 'work_item_not_found');
  return tx.workItem.findUniqueOrThrow({ where: { id: workItemId } });
}

function checkVersion(current: { version: number }, expected: number) {
  if (current.version !== expected) {
    throw AppError.conflict('work_item_changed', 'Someone changed this work item since you read it; reload it and apply your change again.', {
      currentVersion: current.version,
    });
  }
}

export async function updateWorkItem(ctx: Ctx, input: { access: GroupAccess; workItemId: string; fields: UpdateWorkItemInput }) {
  const { access, fields } = input;
  workProgrammePolicy.authorize(access, 'workItems.manage');
  try {
    return await transact(ctx, async (tx, emit) => {
      const before = await lockWorkItem(tx, access.group.id, input.workItemId);
      checkVersion(before, fields.expectedVersion);
      if (
        fields.approvalProcess &&
        fields.approvalProcess !== before.approvalProcess &&
        !['NEW_WORK_ITEM', 'IN_PROGRESS', 'DEFERRED'].includes(before.status)
      ) {
        throw AppError.conflict(
          'approval_process_fixed',
          `The approval process cannot change once the text is ${lower(before.status).replaceAll('_', ' ')}: move it back to in progress first.`,
        );
      }
      await checkReferences(tx, access.group.id, fields.editors, fields.documentIds);
      const item = await tx.workItem.update({ where: { id: before.id }, data: { ...fieldData(fields), version: { increment: 1 } } });
      await writeLinks(tx, item.id, fields.editors, fields.documentIds);
      const { expectedVersion: _v, ...changed } = fields;
      await recordAudit(tx, {
        actorId: access.user.id,
        groupId: access.group.id,
        action: 'workItems.updated',
        entityType: 'WorkItem',
        entityId: item.id,
        before: Object.fromEntries(Object.keys(changed).map((k) => [k, (before as Record<string, unknown>)[k] ?? null])),
        after: changed,
      });
      emit('workItems.updated', { groupId: access.group.id, workItemId: item.id, version: item.version });
      return item;
    });
  } catch (err) {
    if (isUniqueViolation(err) && fields.acronym) throw duplicate(fields.acronym);
    throw err;
  }
}

/**
 * Moves a work item along its lifecycle. `tx` given: inside the caller's transaction (a
 * consultation that moves its drafts), with `actorId` null for the server's own act.
 */
export async function moveWorkItem(
  tx: Tx,
  emit: EmitFn,
  input: { groupId: string; workItemId: string; to: WorkItemStatus; note: string; actorId: string | null; expectedVersion?: number },
) {
  const before = await lockWorkItem(tx, input.groupId, input.workItemId);
  if (input.expectedVersion !== undefined) checkVersion(before, input.expectedVersion);
  const check = checkTransition(before.status, input.to, before.approvalProcess);
  if (!check.ok) {
    const from = lower(before.status).replaceAll('_', ' ');
    const to = lower(input.to).replaceAll('_', ' ');
    const allowed = check.allowed.map((s) => lower(s).replaceAll('_', ' ')).join(', ') || 'nothing: it is final';
    const why =
      check.reason === 'wrong_process'
        ? `a ${before.approvalProcess === 'AGREEMENT' ? 'text for agreement' : `${before.approvalProcess} text`} is never ${to}`
        : `from ${from} it may move to ${allowed}`;
    throw AppError.conflict('status_transition_not_allowed', `A work item cannot move from ${from} to ${to}: ${why}.`, {
      from: lower(before.status),
      allowed: check.allowed.map(lower),
    });
  }
  const now = await databaseNow(tx);
  const item = await tx.workItem.update({ where: { id: before.id }, data: { status: input.to, statusChangedAt: now, version: { increment: 1 } } });
  await tx.workItemStatusChange.create({ data: { workItemId: item.id, from: before.status, to: input.to, note: input.note, actorId: input.actorId, at: now } });
  await recordAudit(tx, {
    actorId: input.actorId,
    groupId: input.groupId,
    action: 'workItems.statusChanged',
    entityType: 'WorkItem',
    entityId: item.id,
    before: { status: before.status },
    after: { status: input.to, note: input.note },
  });
  emit('workItems.statusChanged', { groupId: input.groupId, workItemId: item.id, from: before.status, to: input.to, version: item.version });
  return item;
}

export async function changeWorkItemStatus(
  ctx: Ctx,
  input: { access: GroupAccess; workItemId: string; to: WorkItemStatus; note?: string | undefined; expectedVersion: number },
) {
  workProgrammePolicy.authorize(input.access, 'workItems.manage');
  return transact(ctx, (tx, emit) =>
    moveWorkItem(tx, emit, {
      groupId: input.access.group.id,
      workItemId: input.workItemId,
      to: input.to,
      note: input.note ?? '',
      actorId: input.access.user.id,
      expectedVersion: input.expectedVersion,
    }),
  );
}
