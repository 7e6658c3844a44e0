// A convener adds, moves, renames or deletes a milestone of the timeframe. Each write schedules the
// milestone's firing (schedule-milestone.ts) in its own transaction, so the jobs exist exactly when
// the milestone does.
import type { Ctx, Tx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { transact } from '../../lib/use-case.ts';
import type { MilestoneKind } from '../../generated/prisma/client.ts';
import { authorize, type GroupAccess } from '../groups/groups.policy.ts';
import { presentMilestone } from './timeframe.presenter.ts';
import { scheduleMilestone } from './schedule-milestone.ts';

const accessIds = (access: GroupAccess) => ({ groupId: access.group.id, actor: access.user });

// A comment period's deadline moves only by a convener's recorded extension or close (seed 000:
// the close "cannot be delayed"), never by editing the milestone that shows it.
async function refuseIfMarksPeriod(tx: Tx, milestoneId: string) {
  const period = await tx.commentPeriod.findFirst({
    where: { OR: [{ openingMilestoneId: milestoneId }, { closingMilestoneId: milestoneId }] },
    select: { id: true },
  });
  if (period) throw AppError.conflict('milestone_bound_to_period', 'This milestone marks a comment period; extend or close the period instead of moving it.');
}

/** The group's timeframe, in order. */
export async function listMilestones(ctx: Ctx, input: { access: GroupAccess }) {
  return ctx.prisma.milestone.findMany({ where: { groupId: input.access.group.id }, orderBy: { at: 'asc' } });
}

export async function createMilestone(ctx: Ctx, input: { access: GroupAccess; at: string; kind: MilestoneKind; label: string }) {
  authorize(input.access, 'milestones.manage');
  const { groupId, actor } = accessIds(input.access);
  return transact(ctx, async (tx, emit) => {
    const milestone = await tx.milestone.create({
      data: { groupId: groupId, at: new Date(input.at), kind: input.kind, label: input.label },
    });
    await scheduleMilestone(ctx, tx, milestone.id, milestone);
    await recordAudit(tx, {
      actorId: actor.id,
      groupId: groupId,
      action: 'milestones.created',
      entityType: 'milestone',
      entityId: milestone.id,
      after: presentMilestone(milestone),
    });
    emit('milestones.changed', { groupId: groupId, milestoneId: milestone.id, change: 'created' });
    return milestone;
  });
}

export async function updateMilestone(ctx: Ctx, input: { access: GroupAccess; milestoneId: string; at?: string; kind?: MilestoneKind; label?: string }) {
  authorize(input.access, 'milestones.manage');
  if (input.at === undefined && input.kind === undefined && input.label === undefined)
    throw AppError.badRequest('invalid_request', 'body: give at least one of at, kind, label.');
  const { groupId, actor } = accessIds(input.access);
  return transact(ctx, async (tx, emit) => {
    const before = await tx.milestone.findFirst({ where: { id: input.milestoneId, groupId: groupId } });
    if (!before) throw AppError.notFound('That milestone', 'milestone_not_found');
    if (input.at) await refuseIfMarksPeriod(tx, before.id);
    const milestone = await tx.milestone.update({
      where: { id: before.id },
      data: {
        // The calendar feed's SEQUENCE: a real counter, so two edits within a second still differ.
        sequence: { increment: 1 },
        ...(input.at ? { at: new Date(input.at) } : {}),
        ...(input.kind ? { kind: input.kind } : {}),
        ...(input.label ? { label: input.label } : {}),
      },
    });
    await scheduleMilestone(ctx, tx, milestone.id, milestone);
    await recordAudit(tx, {
      actorId: actor.id,
      groupId: groupId,
      action: 'milestones.updated',
      entityType: 'milestone',
      entityId: milestone.id,
      before: presentMilestone(before),
      after: presentMilestone(milestone),
    });
    emit('milestones.changed', { groupId: groupId, milestoneId: milestone.id, change: 'updated' });
    return milestone;
  });
}

export async function deleteMilestone(ctx: Ctx, input: { access: GroupAccess; milestoneId: string }) {
  authorize(input.access, 'milestones.manage');
  const { groupId, actor } = accessIds(input.access);
  return transact(ctx, async (tx, emit) => {
    const before = await tx.milestone.findFirst({ where: { id: input.milestoneId, groupId: groupId } });
    if (!before) throw AppError.notFound('That milestone', 'milestone_not_found');
    await refuseIfMarksPeriod(tx, before.id);
    await tx.milestone.delete({ where: { id: before.id } });
    await scheduleMilestone(ctx, tx, before.id, null);
    await recordAudit(tx, {
      actorId: actor.id,
      groupId: groupId,
      action: 'milestones.deleted',
      entityType: 'milestone',
      entityId: before.id,
      before: presentMilestone(before),
    });
    emit('milestones.changed', { groupId: groupId, milestoneId: before.id, change: 'deleted' });
  });
}

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'milestones.changed': { groupId: string; milestoneId: string; change: 'created' | 'updated' | 'deleted' };
  }
}
