// The operator's view of e-mail that could not be sent: the mail queue's dead letters, newest first.
import type { Jobs } from '../../plugins/jobs.ts';
import { MAIL_DEAD_QUEUE, type DeadMail } from '../../plugins/mail-queue.ts';

export async function listDeadMail(jobs: Jobs, limit = 200): Promise<DeadMail[]> {
  const found = await jobs.boss.findJobs<DeadMail>(MAIL_DEAD_QUEUE, { queued: true });
  return found.map((j) => j.data).sort((a, b) => b.failedAt.localeCompare(a.failedAt)).slice(0, limit);
}
