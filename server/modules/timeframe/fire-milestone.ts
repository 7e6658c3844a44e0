// A milestone's instant has come: it is reached, once per instant, and `milestones.reached` is
// published in the transaction that records it. Those who act on it subscribe (digests announce
// it to the list; realtime moves the group's screens into the next phase). The job may run more
// than once (retries, a crash after commit, several instances): the milestone row lock and the
// recorded reaching make every run after the first a no-op.
import { recordAudit } from '../../lib/audit.ts';
import { transact, type Ctx, type Tx } from '../../lib/use-case.ts';
import type { Milestone } from '../../generated/prisma/client.ts';
import { databaseNow, type FireJob } from './schedule-milestone.ts';

/** Locks the milestone and returns it if it still exists at the instant the job was made for. */
export async function lockCurrentMilestone(tx: Tx, job: FireJob) {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Milestone" WHERE id = ${job.milestoneId}::uuid FOR UPDATE`;
  if (!locked.length) return null; // deleted: never fires
  const milestone = await tx.milestone.findUniqueOrThrow({ where: { id: job.milestoneId }, include: { group: true } });
  if (milestone.at.toISOString() !== job.at) return null; // moved: the job for its new instant fires it
  return milestone;
}

/**
 * Whether the milestone was reached at this instant already. A deadline reached, then reopened by
 * an extension and reached again, is reached again. Entries recorded before they carried the
 * instant count for the instant they were recorded after.
 */
async function reachedAlready(tx: Tx, milestone: Milestone, at: string): Promise<boolean> {
  const entries = await tx.auditEntry.findMany({
    where: { entityType: 'milestone', entityId: milestone.id, action: 'milestones.reached' },
    select: { at: true, after: true },
  });
  return entries.some((e) => {
    const recorded = (e.after as { at?: string } | null)?.at;
    return recorded === undefined ? e.at >= milestone.at : recorded === at;
  });
}

export async function fireMilestone(ctx: Ctx, job: FireJob): Promise<{ milestoneId: string; late: boolean } | null> {
  return transact(ctx, async (tx, emit) => {
    const found = await lockCurrentMilestone(tx, job);
    if (!found) return null;
    const { group, ...milestone } = found;
    if (await reachedAlready(tx, milestone, job.at)) return null;
    const firedAt = await databaseNow(tx);
    const late = firedAt.getTime() - milestone.at.getTime() > ctx.config.limits.milestoneLateAfterMs;
    await recordAudit(tx, {
      actorId: null,
      groupId: group.id,
      action: 'milestones.reached',
      entityType: 'milestone',
      entityId: milestone.id,
      after: { at: job.at, late, firedAt },
    });
    emit('milestones.reached', { groupId: group.id, milestoneId: milestone.id, kind: milestone.kind, late, at: job.at, firedAt: firedAt.toISOString() });
    return { milestoneId: milestone.id, late };
  });
}

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    /** `at`: the instant it was reached for (a reopened deadline is reached again at its new instant); `firedAt`: the database clock then. */
    'milestones.reached': { groupId: string; milestoneId: string; kind: string; late: boolean; at: string; firedAt: string };
  }
}
