// Wiring: the durable jobs of digests (firing, reminders, delivery), taking over deliveries whose
// sender died (at start and periodically), and the after-commit confirmation e-mail of a subscription.
import type { FastifyInstance } from 'fastify';
import { DELIVER_QUEUE, type DigestDeps } from './create-digest.ts';
import { deliverDigest, wakeAbandonedDigests } from './deliver-digest.ts';
import { fireMilestone, sendReminder } from './fire-milestone.ts';
import { FIRE_QUEUE, REMIND_QUEUE, type FireJob, type ReminderJob } from '../timeframe/schedule-milestone.ts';
import { CONFIRM_DAYS } from './subscriptions.ts';

const DAY = 86_400;

export function subscribeDigestEvents(app: FastifyInstance) {
  const deps: DigestDeps = { ctx: app.ctx, mailer: app.mailer, jobs: app.jobs };
  // A milestone job waits until its instant, which may be months away: keep it until well after.
  const timed = { retryLimit: 20, retryDelay: 10, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 300, retentionSeconds: 400 * DAY, deleteAfterSeconds: 30 * DAY };
  app.jobs.define<FireJob>(FIRE_QUEUE, { queue: timed, handler: async (job) => { await fireMilestone(deps, job.data); } });
  app.jobs.define<ReminderJob>(REMIND_QUEUE, { queue: timed, handler: async (job) => { await sendReminder(deps, job.data); } });
  app.jobs.define<{ digestId: string }>(DELIVER_QUEUE, {
    queue: { retryLimit: 50, retryDelay: 10, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 3600, deleteAfterSeconds: 30 * DAY },
    work: { localConcurrency: 2 },
    handler: async (job) => { await deliverDigest(deps, job.data.digestId); },
  });
  // Runs on worker instances only (onStarted), so each of them can take over a digest whose
  // sender died: at start at once, then every DELIVERY_SWEEP_MS for leases that run out.
  let sweep: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | null = null;
  const wake = (now: boolean) => {
    sweeping ??= wakeAbandonedDigests(deps, { now }).then((woken) => {
      if (woken) app.log.info(`resumed the delivery of ${woken} digest(s) left unfinished by a stopped or lost sender`);
    }, (err: unknown) => app.log.warn({ err }, 'could not look for unfinished digests')).finally(() => { sweeping = null; });
    return sweeping;
  };
  app.jobs.onStarted(async () => {
    await wake(true);
    sweep = setInterval(() => void wake(false), app.config.digests.sweepMs);
    sweep.unref();
  });
  app.addHook('preClose', async () => {
    clearInterval(sweep);
    await sweeping;
  });

  app.ctx.events.on('digests.subscription_requested', async (e) => {
    const group = await app.prisma.group.findUniqueOrThrow({ where: { id: e.groupId } });
    await app.mailer.send({ to: e.email, template: 'digest-subscribe-confirm', props: { groupName: group.name, groupAcronym: group.acronym, url: e.url, days: CONFIRM_DAYS } });
  });
}
