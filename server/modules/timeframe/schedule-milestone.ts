// A milestone's firing job (and, for a comment deadline, its reminder jobs) is enqueued in the
// transaction that creates, moves or deletes the milestone: the jobs exist exactly when the
// milestone does, at its current instant. Moving cancels the old jobs and enqueues new ones;
// deleting cancels them. The firing handler also re-checks the instant under a row lock, so a
// job that was already running when the milestone moved does nothing.
import type { Milestone } from '../../generated/prisma/client.ts';
import type { Ctx, Tx } from '../../lib/use-case.ts';

export const FIRE_QUEUE = 'milestone-fire';
export const REMIND_QUEUE = 'milestone-reminder';
export const DEADLINE_KINDS: readonly Milestone['kind'][] = ['COMMENTS_CLOSE', 'FINAL_COMMENTS_CLOSE'];
export const DEFAULT_REMINDER_HOURS = [168, 24];

const DAY = 86_400;
/** A milestone job waits until its instant, which may be months away: keep it until well after. */
export const TIMED_JOB = {
  retryLimit: 20,
  retryDelay: 10,
  retryBackoff: true,
  retryDelayMax: 3600,
  expireInSeconds: 300,
  retentionSeconds: 400 * DAY,
  deleteAfterSeconds: 30 * DAY,
};

export interface FireJob {
  milestoneId: string;
  at: string;
}
export interface ReminderJob extends FireJob {
  hours: number;
}

export async function databaseNow(tx: Tx): Promise<Date> {
  const [row] = await tx.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  return row!.now;
}

/** Call with the milestone as it now is, or `null` after deleting it. */
export async function scheduleMilestone(ctx: Ctx, tx: Tx, milestoneId: string, milestone: Milestone | null): Promise<void> {
  const now = await databaseNow(tx);
  // A milestone dated in the past is history being recorded (e.g. a timeframe entered late),
  // not something to announce now.
  const future = milestone !== null && milestone.at > now;
  if (!ctx.jobs) {
    if (future) throw new Error('Durable jobs are not running: cannot schedule a milestone.');
    return;
  }
  await ctx.jobs.cancelQueued(FIRE_QUEUE, { milestoneId }, tx);
  await ctx.jobs.cancelQueued(REMIND_QUEUE, { milestoneId }, tx);
  if (!milestone || !future) return;
  const at = milestone.at.toISOString();
  await ctx.jobs.send(FIRE_QUEUE, { milestoneId, at } satisfies FireJob, { tx, startAfter: milestone.at });
  if (!DEADLINE_KINDS.includes(milestone.kind)) return;
  const settings = await tx.groupDigestSettings.findUnique({ where: { groupId: milestone.groupId } });
  for (const hours of settings?.reminderHours ?? DEFAULT_REMINDER_HOURS) {
    const remindAt = new Date(milestone.at.getTime() - hours * 3_600_000);
    if (remindAt <= now) continue;
    await ctx.jobs.send(REMIND_QUEUE, { milestoneId, at, hours } satisfies ReminderJob, { tx, startAfter: remindAt });
  }
}

/**
 * A milestone placed at the database's now by a convener's act (a publication, a period closed
 * early) is reached at once: its firing job is enqueued to run now, in the caller's transaction,
 * instead of any job for its former instant.
 */
export async function fireMilestoneNow(ctx: Ctx, tx: Tx, milestone: Milestone): Promise<void> {
  if (!ctx.jobs) return; // scripts without durable jobs (seeding history) announce nothing
  await ctx.jobs.cancelQueued(FIRE_QUEUE, { milestoneId: milestone.id }, tx);
  await ctx.jobs.cancelQueued(REMIND_QUEUE, { milestoneId: milestone.id }, tx);
  await ctx.jobs.send(FIRE_QUEUE, { milestoneId: milestone.id, at: milestone.at.toISOString() } satisfies FireJob, { tx });
}

/** Re-schedules the future deadlines of a group (after its reminder settings changed). */
export async function rescheduleGroupDeadlines(ctx: Ctx, tx: Tx, groupId: string): Promise<void> {
  const deadlines = await tx.milestone.findMany({ where: { groupId, kind: { in: [...DEADLINE_KINDS] }, at: { gt: await databaseNow(tx) } } });
  for (const m of deadlines) await scheduleMilestone(ctx, tx, m.id, m);
}
