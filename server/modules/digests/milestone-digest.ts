// The list hears of the timeframe: the digest of a milestone reached (timeframe publishes
// milestones.reached; digests subscribe, in the transaction that records the reaching, so the
// digest and its deliveries commit with it or not at all), and the reminders before a deadline.
// The digest's key makes it once per milestone and instant, however often the event comes.
import { recordAudit } from '../../lib/audit.ts';
import { transact } from '../../lib/use-case.ts';
import { upper } from '../../lib/enum-case.ts';
import type { Tx } from '../../lib/use-case.ts';
import type { DomainEventMap } from '../../lib/domain-events.ts';
import { buildMilestoneDigest, digestGroup, groupLinks } from './build-milestone-digest.ts';
import { createDigest, inGroupLanguages, type DigestDeps } from './create-digest.ts';
import { reminderDigest, markLate, type DigestKindName } from './digest-content.ts';
import type { DigestSourceRegistry, ReachedMilestone } from './digest-sources.ts';
import { databaseNow, type ReminderJob } from '../timeframe/schedule-milestone.ts';
import { lockCurrentMilestone } from '../timeframe/fire-milestone.ts';
import type { DigestKind } from '../../generated/prisma/client.ts';

export const digestKindOf = (name: DigestKindName): DigestKind => upper(name);

export interface MilestoneDigestDeps extends DigestDeps {
  sources: DigestSourceRegistry;
}

/** The digest of a milestone reached, created in the transaction that records the reaching. */
export async function createMilestoneDigest(
  deps: MilestoneDigestDeps,
  tx: Tx,
  reachedEvent: DomainEventMap['milestones.reached'],
): Promise<{ digestId: string } | null> {
  // Digests made before the key carried the instant are keyed by the milestone alone; one
  // created once this instant had passed was this reaching.
  const key = `milestone:${reachedEvent.milestoneId}:${reachedEvent.at}`;
  if (await tx.digest.findUnique({ where: { key }, select: { id: true } })) return null;
  const found = await tx.milestone.findUniqueOrThrow({ where: { id: reachedEvent.milestoneId }, include: { group: true } });
  const legacy = await tx.digest.findUnique({ where: { key: `milestone:${found.id}` }, select: { createdAt: true } });
  if (legacy && legacy.createdAt >= found.at) return null;
  const { group, ...milestone } = found;
  const reached: ReachedMilestone = { tx, milestone, group, firedAt: new Date(reachedEvent.firedAt), late: reachedEvent.late };
  const languages = await inGroupLanguages(group, (locale) => buildMilestoneDigest(deps.ctx.config, deps.sources, reached, locale));
  const { digest, recipients } = await createDigest(deps, tx, {
    group,
    key,
    kind: digestKindOf(languages.view.kind),
    milestoneId: milestone.id,
    late: reached.late,
    ...languages,
  });
  await recordAudit(tx, {
    actorId: null,
    groupId: group.id,
    action: 'digests.created',
    entityType: 'digest',
    entityId: digest.id,
    after: { milestoneId: milestone.id, late: reached.late, recipients },
  });
  return { digestId: digest.id };
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
    const scheduled = new Date(milestone.at.getTime() - job.hours * 3_600_000);
    const late = firedAt.getTime() - scheduled.getTime() > ctx.config.limits.milestoneLateAfterMs;
    const languages = await inGroupLanguages(group, (locale) => {
      const view = reminderDigest({
        group: dgroup,
        links,
        milestoneLabel: milestone.label,
        deadline: milestone.at,
        hoursBefore: job.hours,
        url: links.groupUrl,
        locale,
      });
      return late ? markLate(view, scheduled, dgroup, locale) : view;
    });
    const { digest } = await createDigest(deps, tx, { group, key, kind: 'REMINDER', milestoneId: milestone.id, late, ...languages });
    emit('digests.created', { groupId: group.id, digestId: digest.id });
    // Once per reminder (the digest key above): personal "period about to close" notifications hang on it.
    emit('digests.reminder_sent', { groupId: group.id, milestoneId: milestone.id, deadline: milestone.at.toISOString(), hours: job.hours });
    return { digestId: digest.id };
  });
}

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'digests.created': { groupId: string; digestId: string };
    'digests.reminder_sent': { groupId: string; milestoneId: string; deadline: string; hours: number };
  }
}
