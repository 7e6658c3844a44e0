// Wiring: the digest of every milestone reached (timeframe's milestones.reached), the durable jobs
// of digests (reminders, delivery), and taking over deliveries whose sender died (at start and
// periodically). The confirmation e-mail of a subscription is a mail job queued by requestSubscription.
import type { FastifyInstance } from 'fastify';
import type { DomainEventMap } from '../../lib/domain-events.ts';
import { DELIVER_QUEUE, type DigestDeps } from './create-digest.ts';
import { deliverDigest, wakeAbandonedDigests } from './deliver-digest.ts';
import { DigestSourceRegistry } from './digest-sources.ts';
import { createMilestoneDigest, sendReminder } from './milestone-digest.ts';
import { REMIND_QUEUE, TIMED_JOB, type ReminderJob } from '../timeframe/schedule-milestone.ts';

const DAY = 86_400;

export function subscribeDigestEvents(app: FastifyInstance) {
  const deps: DigestDeps = { ctx: app.ctx, mailer: app.mailer, jobs: app.jobs };
  // This app's sources: the modules that own what a digest talks about provide theirs here.
  const sources = new DigestSourceRegistry();
  app.decorate('digestSources', sources);
  // In the transaction that records the reaching: the digest and its deliveries commit with it,
  // or the job runs again. (After-commit subscribers are not durable yet.)
  app.ctx.events.beforeCommit(async (tx, events) => {
    for (const event of events) {
      if (event.name === 'milestones.reached') await createMilestoneDigest({ ...deps, sources }, tx, event.payload as DomainEventMap['milestones.reached']);
    }
  });
  app.jobs.define<ReminderJob>(REMIND_QUEUE, {
    queue: TIMED_JOB,
    handler: async (job) => {
      await sendReminder(deps, job.data);
    },
  });
  app.jobs.define<{ digestId: string }>(DELIVER_QUEUE, {
    queue: { retryLimit: 50, retryDelay: 10, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 3600, deleteAfterSeconds: 30 * DAY },
    work: { localConcurrency: 2 },
    handler: async (job) => {
      await deliverDigest(deps, job.data.digestId);
    },
  });
  // Runs on worker instances only (onStarted), so each of them can take over a digest whose
  // sender died: at start at once, then every DELIVERY_SWEEP_MS for leases that run out.
  let sweep: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | null = null;
  const wake = (now: boolean) => {
    sweeping ??= wakeAbandonedDigests(deps, { now })
      .then(
        (woken) => {
          if (woken) app.log.info(`resumed the delivery of ${woken} digest(s) left unfinished by a stopped or lost sender`);
        },
        (err: unknown) => app.log.warn({ err }, 'could not look for unfinished digests'),
      )
      .finally(() => {
        sweeping = null;
      });
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
}
