// A milestone's instant has come: apply its effects and create its digest, once. The job may run
// more than once (retries, a crash after commit, several instances); the milestone row lock and
// the digest's unique key make every run after the first a no-op.
import { recordAudit } from '../../lib/audit.ts';
import { transact } from '../../lib/use-case.ts';
import type { Tx } from '../../lib/use-case.ts';
import { buildMilestoneDigest, digestGroup, groupLinks } from './build-milestone-digest.ts';
import { createDigest, type DigestDeps } from './create-digest.ts';
import { reminderDigest, markLate, type DigestKindName } from './digest-content.ts';
import { applyMilestoneEffects, type ReachedMilestone } from './digest-sources.ts';
import { databaseNow, type FireJob, type ReminderJob } from '../timeframe/schedule-milestone.ts';
import type { DigestKind } from '../../generated/prisma/client.ts';

export const digestKindOf = (name: DigestKindName) => name.toUpperCase() as DigestKind;

/** Locks the milestone and returns it if it still exists at the instant the job was made for. */
async function lockCurrentMilestone(tx: Tx, job: FireJob) {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Milestone" WHERE id = ${job.milestoneId}::uuid FOR UPDATE`;
  if (!locked.length) return null; // deleted: never fires
  const milestone = await tx.milestone.findUniqueOrThrow({ where: { id: job.milestoneId }, include: { group: true } });
  if (milestone.at.toISOString() !== job.at) return null; // moved: the job for its new instant fires it
  return milestone;
}

export async function fireMilestone(deps: DigestDeps, job: FireJob): Promise<{ digestId: string; late: boolean } | null> {
  const { ctx } = deps;
  return transact(ctx, async (tx, emit) => {
    const found = await lockCurrentMilestone(tx, job);
    if (!found) return null;
    // Once per milestone and instant: a deadline reached, then reopened by an extension and
    // reached again, is announced again (the list learns the reopened period closed, with the
    // comments it added). Digests made before the key carried the instant are keyed by the
    // milestone alone; one created once this instant had passed was this firing.
    const key = `milestone:${found.id}:${job.at}`;
    if (await tx.digest.findUnique({ where: { key }, select: { id: true } })) return null;
    const legacy = await tx.digest.findUnique({ where: { key: `milestone:${found.id}` }, select: { createdAt: true } });
    if (legacy && legacy.createdAt >= found.at) return null;
    const { group, ...milestone } = found;
    const firedAt = await databaseNow(tx);
    const late = firedAt.getTime() - milestone.at.getTime() > ctx.config.limits.milestoneLateAfterMs;
    const reached: ReachedMilestone = { tx, milestone, group, firedAt, late };
    await applyMilestoneEffects(reached);
    const view = await buildMilestoneDigest(ctx.config, reached);
    const { digest, recipients } = await createDigest(deps, tx, { group, key, kind: digestKindOf(view.kind), milestoneId: milestone.id, late, view });
    await recordAudit(tx, { actorId: null, groupId: group.id, action: 'milestones.reached', entityType: 'milestone', entityId: milestone.id, after: { digestId: digest.id, late, recipients, firedAt } });
    emit('milestones.reached', { groupId: group.id, milestoneId: milestone.id, kind: milestone.kind, late });
    emit('digests.created', { groupId: group.id, digestId: digest.id });
    return { digestId: digest.id, late };
  });
}

export async function sendReminder(deps: DigestDeps, job: ReminderJob): Promise<{ digestId: string } | null> {
  const { ctx } = deps;
  return transact(ctx, async (tx, emit) => {
    const found = await lockCurrentMilestone(tx, job);
    if (!found) return null;
    const key = `reminder:${found.id}:${job.at}:${job.hours}h`;
    if (await tx.digest.findUnique({ where: { key }, select: { id: true } })) return null;
    const firedAt = await databaseNow(tx);
    // A reminder that comes after its deadline says nothing useful.
    if (firedAt >= found.at) return null;
    const { group, ...milestone } = found;
    const dgroup = digestGroup(group);
    const links = groupLinks(ctx.config, group.slug);
    let view = reminderDigest({ group: dgroup, links, milestoneLabel: milestone.label, deadline: milestone.at, hoursBefore: job.hours, url: links.groupUrl });
    const scheduled = new Date(milestone.at.getTime() - job.hours * 3_600_000);
    const late = firedAt.getTime() - scheduled.getTime() > ctx.config.limits.milestoneLateAfterMs;
    if (late) view = markLate(view, scheduled, dgroup);
    const { digest } = await createDigest(deps, tx, { group, key, kind: 'REMINDER', milestoneId: milestone.id, late, view });
    emit('digests.created', { groupId: group.id, digestId: digest.id });
    // Once per reminder (the digest key above): personal "period about to close" notifications hang on it.
    emit('digests.reminder_sent', { groupId: group.id, milestoneId: milestone.id, deadline: milestone.at.toISOString(), hours: job.hours });
    return { digestId: digest.id };
  });
}

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'milestones.reached': { groupId: string; milestoneId: string; kind: string; late: boolean };
    'digests.created': { groupId: string; digestId: string };
    'digests.reminder_sent': { groupId: string; milestoneId: string; deadline: string; hours: number };
  }
}
