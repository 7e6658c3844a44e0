// The operator's view of what could not be done after commit: e-mail that could not be sent, and
// durable event deliveries that failed every attempt. Newest first.
import { EVENT_DEAD_QUEUE, type Jobs } from '../../plugins/jobs.ts';
import { MAIL_DEAD_QUEUE, type DeadMail } from '../../plugins/mail-queue.ts';

export async function listDeadMail(jobs: Jobs, limit = 200): Promise<DeadMail[]> {
  const found = await jobs.boss.findJobs<DeadMail>(MAIL_DEAD_QUEUE, { queued: true });
  return found
    .map((j) => j.data)
    .sort((a, b) => b.failedAt.localeCompare(a.failedAt))
    .slice(0, limit);
}

export interface DeadDelivery {
  jobId: string;
  subscriber: string;
  payload: unknown;
  error: string;
  failedAt: string;
}

export async function listDeadDeliveries(jobs: Jobs, limit = 200): Promise<DeadDelivery[]> {
  const found = await jobs.boss.findJobs<unknown>(EVENT_DEAD_QUEUE, { queued: true });
  const newest = found.sort((a, b) => b.createdOn.getTime() - a.createdOn.getTime()).slice(0, limit);
  return Promise.all(
    newest.map(async (j) => {
      // The dead letter is a copy of the event; the error stays on the failed original (kept a week).
      const [source] = j.sourceName && j.sourceId ? await jobs.boss.findJobs(j.sourceName, { id: j.sourceId }) : [];
      return {
        jobId: j.sourceId ?? j.id,
        subscriber: (j.sourceName ?? '').replace(/^event\./, ''),
        payload: j.data,
        error: errorOf(source?.output ?? j.output),
        failedAt: j.createdOn.toISOString(),
      };
    }),
  );
}

/** pg-boss keeps what the handler threw as the job's output. */
const errorOf = (output: unknown) => {
  const o = output as { message?: unknown; value?: { message?: unknown } } | null;
  const message = o?.message ?? o?.value?.message;
  return typeof message === 'string' ? message : 'failed on every attempt';
};
