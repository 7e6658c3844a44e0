// Comment periods and the timeframe. A period is shown in the group's timeframe by two
// milestones (effects OPEN_COMMENTS and CLOSE_COMMENTS on its revision), kept in step with it.
// Its deadline moves only by a convener's explicit act — extend (with a reason) or close now —
// each recorded in PeriodExtension and the audit log and raised as a domain event.
import type { Ctx, Tx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { describeInstant } from '../../lib/instant.ts';
import { transact } from '../../lib/use-case.ts';
import { authorize, type GroupAccess } from '../groups/groups.policy.ts';
import { periodPolicy } from './periods.policy.ts';
import { findDocument, findRevision } from '../revisions/documents.ts';
import { fireMilestoneNow, scheduleMilestone } from '../timeframe/schedule-milestone.ts';

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'periods.created': { groupId: string; documentId: string; periodId: string; revisionId: string; opensAt: string; closesAt: string };
    /** `reopened`: the period had closed (database clock) when it was extended. */
    'periods.extended': {
      groupId: string;
      documentId: string;
      periodId: string;
      revisionId: string;
      previousClosesAt: string;
      closesAt: string;
      extensionId: string;
      reopened: boolean;
    };
    'periods.closed': {
      groupId: string;
      documentId: string;
      periodId: string;
      revisionId: string;
      previousClosesAt: string;
      closesAt: string;
      extensionId: string;
    };
  }
}

/** Either an instant or an existing milestone of the group that marks it. */
export type PeriodEdge = { at: string; label?: string } | { milestoneId: string };

/** One end as a request gives it: an instant (with an optional label) or a milestone, exactly one of the two. */
export interface PeriodEdgeInput {
  at?: string | undefined;
  label?: string | undefined;
  milestoneId?: string | undefined;
}

function edge(input: PeriodEdgeInput, field: 'opens' | 'closes'): PeriodEdge {
  if ((input.at === undefined) === (input.milestoneId === undefined)) {
    throw AppError.badRequest(
      'invalid_request',
      `body.${field}At: give either ${field}At or ${field === 'opens' ? 'opensWithMilestoneId' : 'closesWithMilestoneId'}.`,
      { field: `body.${field}At` },
    );
  }
  return input.milestoneId ? { milestoneId: input.milestoneId } : { at: input.at!, label: input.label };
}

export interface OpenPeriodInput {
  access: GroupAccess;
  documentId: string;
  sequence: number;
  opens: PeriodEdgeInput;
  closes: PeriodEdgeInput;
}

export const periodInclude = {
  revision: { select: { id: true, sequence: true, label: true } },
  extensions: { orderBy: { at: 'asc' as const }, include: { actor: true } },
};

async function placeMilestone(
  ctx: Ctx,
  tx: Tx,
  input: { groupId: string; revisionId: string; edge: PeriodEdge; effect: 'OPEN_COMMENTS' | 'CLOSE_COMMENTS'; defaultLabel: string },
) {
  const kind = input.effect === 'OPEN_COMMENTS' ? 'DRAFT_POSTED' : 'COMMENTS_CLOSE';
  if ('milestoneId' in input.edge) {
    const existing = await tx.milestone.findFirst({
      where: { id: input.edge.milestoneId, groupId: input.groupId },
      include: { opensPeriod: true, closesPeriod: true },
    });
    if (!existing) throw AppError.notFound('That milestone', 'milestone_not_found');
    if (existing.opensPeriod || existing.closesPeriod)
      throw AppError.conflict('milestone_bound_to_period', `The milestone "${existing.label}" already marks another comment period.`);
    const milestone = await tx.milestone.update({
      where: { id: existing.id },
      data: { effect: input.effect, revisionId: input.revisionId, sequence: { increment: 1 } },
    });
    // Its digest (draft posted, period closed, reminders) fires at its instant, now about this revision.
    await scheduleMilestone(ctx, tx, milestone.id, milestone);
    return { milestone, change: 'updated' as const };
  }
  const milestone = await tx.milestone.create({
    data: {
      groupId: input.groupId,
      at: new Date(input.edge.at),
      kind,
      effect: input.effect,
      revisionId: input.revisionId,
      label: input.edge.label ?? input.defaultLabel,
    },
  });
  await scheduleMilestone(ctx, tx, milestone.id, milestone);
  return { milestone, change: 'created' as const };
}

export async function openPeriod(ctx: Ctx, input: OpenPeriodInput) {
  const { group, user } = input.access;
  periodPolicy.authorize(input.access, 'periods.manage');
  const opens = edge(input.opens, 'opens');
  const closes = edge(input.closes, 'closes');
  return transact(ctx, async (tx, emit) => {
    const document = await findDocument(tx, group.id, input.documentId);
    const revision = await findRevision(tx, document.id, input.sequence);
    const opening = await placeMilestone(ctx, tx, {
      groupId: group.id,
      revisionId: revision.id,
      edge: opens,
      effect: 'OPEN_COMMENTS',
      defaultLabel: `Comments open on revision ${revision.sequence} (${revision.label})`,
    });
    const closing = await placeMilestone(ctx, tx, {
      groupId: group.id,
      revisionId: revision.id,
      edge: closes,
      effect: 'CLOSE_COMMENTS',
      defaultLabel: `Comments on revision ${revision.sequence} close; adjudication by the conveners`,
    });
    const opensAt = opening.milestone.at;
    const closesAt = closing.milestone.at;
    if (closesAt.getTime() <= opensAt.getTime()) {
      throw AppError.badRequest('invalid_period', `A comment period must close after it opens (${describeInstant(opensAt, group.timeZone)}).`, {
        field: 'body.closesAt',
        opensAt: opensAt.toISOString(),
      });
    }
    const overlapping = await tx.commentPeriod.findFirst({ where: { revisionId: revision.id, opensAt: { lt: closesAt }, closesAt: { gt: opensAt } } });
    if (overlapping)
      throw AppError.conflict('period_overlaps', `Revision ${revision.sequence} already has a comment period in that time; extend it instead.`, {
        revision: revision.sequence,
      });
    const period = await tx.commentPeriod.create({
      data: {
        documentId: document.id,
        revisionId: revision.id,
        opensAt,
        closesAt,
        openingMilestoneId: opening.milestone.id,
        closingMilestoneId: closing.milestone.id,
      },
      include: periodInclude,
    });
    await recordAudit(tx, {
      actorId: user.id,
      groupId: group.id,
      action: 'periods.created',
      entityType: 'comment_period',
      entityId: period.id,
      after: { revision: revision.sequence, opensAt, closesAt },
    });
    emit('periods.created', {
      groupId: group.id,
      documentId: document.id,
      periodId: period.id,
      revisionId: revision.id,
      opensAt: opensAt.toISOString(),
      closesAt: closesAt.toISOString(),
    });
    for (const m of [opening, closing]) emit('milestones.changed', { groupId: group.id, milestoneId: m.milestone.id, change: m.change });
    return period;
  });
}

async function lockPeriod(tx: Tx, groupId: string, documentId: string, periodId: string) {
  await findDocument(tx, groupId, documentId);
  // Row lock: a comment insert decided in parallel sees either the old or the new deadline, whole.
  const locked = await tx.$queryRaw<
    Array<{ id: string }>
  >`SELECT id FROM "CommentPeriod" WHERE id = ${periodId}::uuid AND "documentId" = ${documentId}::uuid FOR UPDATE`;
  if (!locked.length) throw AppError.notFound('That comment period', 'period_not_found');
  return tx.commentPeriod.findUniqueOrThrow({ where: { id: periodId }, include: { revision: true } });
}

async function moveDeadline(
  ctx: Ctx,
  tx: Tx,
  input: {
    access: GroupAccess;
    period: Awaited<ReturnType<typeof lockPeriod>>;
    closesAt: Date;
    now: Date;
    reason: string;
    action: 'periods.extended' | 'periods.closed';
    reachedNow?: boolean;
    reopened?: boolean;
  },
) {
  const { group, user } = input.access;
  const { period } = input;
  // Stamped with the database's clock, which decides deadlines: whether an extension reopened a
  // closed period (at >= previousClosesAt) is read from the record.
  const extension = await tx.periodExtension.create({
    data: { periodId: period.id, previousClosesAt: period.closesAt, newClosesAt: input.closesAt, reason: input.reason, actorId: user.id, at: input.now },
  });
  const updated = await tx.commentPeriod.update({ where: { id: period.id }, data: { closesAt: input.closesAt }, include: periodInclude });
  if (period.closingMilestoneId) {
    const milestone = await tx.milestone.update({ where: { id: period.closingMilestoneId }, data: { at: input.closesAt, sequence: { increment: 1 } } });
    // Extended: the period-closed digest and the reminders move to the new deadline. Closed now:
    // the period-closed digest goes out at once (a period closed before it opened closes at its opening).
    if (input.reachedNow) await fireMilestoneNow(ctx, tx, milestone);
    else await scheduleMilestone(ctx, tx, milestone.id, milestone);
  }
  await recordAudit(tx, {
    actorId: user.id,
    groupId: group.id,
    action: input.action,
    entityType: 'comment_period',
    entityId: period.id,
    before: { closesAt: period.closesAt },
    after: { closesAt: input.closesAt, reason: input.reason, ...(input.reopened ? { reopened: true } : {}) },
  });
  return { updated, extension };
}

/** Moves the deadline later. The new deadline must be later than the current one and in the future (database clock). */
export async function extendPeriod(ctx: Ctx, input: { access: GroupAccess; documentId: string; periodId: string; closesAt: string; reason: string }) {
  const { group } = input.access;
  periodPolicy.authorize(input.access, 'periods.manage', 'Only a convener may extend a comment period.');
  return transact(ctx, async (tx, emit) => {
    const period = await lockPeriod(tx, group.id, input.documentId, input.periodId);
    const closesAt = new Date(input.closesAt);
    const [{ now }] = await tx.$queryRaw<[{ now: Date }]>`SELECT now() AS now`;
    if (closesAt.getTime() <= period.closesAt.getTime()) {
      throw AppError.badRequest(
        'extension_not_later',
        `An extension must move the deadline later than ${describeInstant(period.closesAt, group.timeZone)}; to end comments now, close the period.`,
        { field: 'body.closesAt', closesAt: period.closesAt.toISOString() },
      );
    }
    if (closesAt.getTime() <= now.getTime()) {
      throw AppError.badRequest('extension_in_past', `The new deadline ${describeInstant(closesAt, group.timeZone)} has already passed.`, {
        field: 'body.closesAt',
        closesAt: closesAt.toISOString(),
      });
    }
    // A closed period may be extended (that reopens it: the domain's "nothing is accepted unless a
    // convener extends the period"), but never into another period of the same revision, which
    // would leave two deadlines for one comment.
    const next = await tx.commentPeriod.findFirst({
      where: { revisionId: period.revisionId, id: { not: period.id }, opensAt: { lt: closesAt }, closesAt: { gt: period.opensAt } },
      orderBy: { opensAt: 'asc' },
    });
    if (next) {
      throw AppError.conflict(
        'extension_overlaps',
        `Revision ${period.revision.sequence} has another comment period from ${describeInstant(next.opensAt, group.timeZone)}; the extension may not run into it. Choose an earlier deadline, or extend that period instead.`,
        { revision: period.revision.sequence, opensAt: next.opensAt.toISOString() },
      );
    }
    const reopened = period.closesAt.getTime() <= now.getTime();
    const { updated, extension } = await moveDeadline(ctx, tx, {
      access: input.access,
      period,
      closesAt,
      now,
      reason: input.reason,
      action: 'periods.extended',
      reopened,
    });
    emit('periods.extended', {
      groupId: group.id,
      documentId: period.documentId,
      periodId: period.id,
      revisionId: period.revisionId,
      previousClosesAt: period.closesAt.toISOString(),
      closesAt: closesAt.toISOString(),
      extensionId: extension.id,
      reopened,
    });
    if (period.closingMilestoneId) emit('milestones.changed', { groupId: group.id, milestoneId: period.closingMilestoneId, change: 'updated' });
    return updated;
  });
}

/** Ends an open period at the database's now (before its deadline), with a reason. */
export async function closePeriod(ctx: Ctx, input: { access: GroupAccess; documentId: string; periodId: string; reason: string }) {
  const { group } = input.access;
  periodPolicy.authorize(input.access, 'periods.manage', 'Only a convener may close a comment period.');
  return transact(ctx, async (tx, emit) => {
    const period = await lockPeriod(tx, group.id, input.documentId, input.periodId);
    const [{ now }] = await tx.$queryRaw<[{ now: Date }]>`SELECT now() AS now`;
    if (period.closesAt.getTime() <= now.getTime()) {
      throw AppError.conflict('period_already_closed', `This comment period closed at ${describeInstant(period.closesAt, group.timeZone)}.`, {
        closesAt: period.closesAt.toISOString(),
      });
    }
    // A period that has not opened yet closes as it opens: nobody could comment in it.
    const closesAt = now.getTime() < period.opensAt.getTime() ? period.opensAt : now;
    const { updated, extension } = await moveDeadline(ctx, tx, {
      access: input.access,
      period,
      closesAt,
      now,
      reason: input.reason,
      action: 'periods.closed',
      reachedNow: closesAt.getTime() === now.getTime(),
    });
    emit('periods.closed', {
      groupId: group.id,
      documentId: period.documentId,
      periodId: period.id,
      revisionId: period.revisionId,
      previousClosesAt: period.closesAt.toISOString(),
      closesAt: closesAt.toISOString(),
      extensionId: extension.id,
    });
    if (period.closingMilestoneId) emit('milestones.changed', { groupId: group.id, milestoneId: period.closingMilestoneId, change: 'updated' });
    return updated;
  });
}

/** A document's comment periods, oldest first, with the database's clock to judge which is open. */
export async function listPeriods(ctx: Ctx, input: { access: GroupAccess; documentId: string }) {
  authorize(input.access, 'documents.read');
  const document = await findDocument(ctx.prisma, input.access.group.id, input.documentId);
  const [periods, [{ now }]] = await Promise.all([
    ctx.prisma.commentPeriod.findMany({ where: { documentId: document.id }, orderBy: { opensAt: 'asc' }, include: periodInclude }),
    ctx.prisma.$queryRaw<[{ now: Date }]>`SELECT now() AS now`,
  ]);
  return { periods, now };
}
