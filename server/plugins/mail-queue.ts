// Every e-mail that a change causes (sign-in links, invitations, subscription confirmations) is a
// durable job: `queueMail` enqueues it inside the transaction of the change, so the mail exists
// exactly when the change does. An SMTP outage or a crash between the commit and the send only
// delays it: the job is retried with backoff, and a job whose instance was killed mid-send is
// failed by the job store's supervision (its heartbeat stops) and retried by any instance.
// The Message-ID is derived from the job's id, so a resend after a crash is the same message.
// A message refused for good (5xx), or still failing after the last attempt, is dead-lettered
// where the operator sees it (GET /api/admin/mail/dead-letters).
import fp from 'fastify-plugin';
import type { Job } from 'pg-boss';
import type { EmailTemplateName } from '../../emails/registry.ts';
import type { DomainEvent, EmitFn } from '../lib/domain-events.ts';
import { uuidv7 } from '../lib/uuid.ts';
import type { Ctx, Tx } from '../lib/use-case.ts';
import type { Config } from '../config.ts';
import type { OutgoingMail } from './mailer.ts';
import { retryPolicy } from './jobs.ts';

export const MAIL_QUEUE = 'mail';
export const MAIL_DEAD_QUEUE = 'mail.dead';

/** What the operator sees of a message that could not be sent: never its props (they may hold a link's secret). */
export interface DeadMail {
  jobId: string;
  to: string;
  template: EmailTemplateName;
  error: string;
  attempts: number;
  failedAt: string;
}

declare module '../lib/domain-events.ts' {
  interface DomainEventMap {
    /**
     * A mail job was committed: the local worker is woken (and tests' drain() waits for its first
     * attempt, unless `background`: mail queued in bursts, where one waiter per message would poll the store for each).
     */
    'mail.queued': { jobId: string; background?: boolean };
  }
}

/**
 * Enqueues `mail` in `tx`: it is sent after the commit, or never if the transaction rolls back.
 *
 * The payload is the rendered mail's input, so the handler re-reads nothing. For sign-in links and
 * invitations that input includes the link, whose token exists only in this transaction (the
 * database keeps its HMAC alone): it cannot be rebuilt later, so it travels in the job. That is why
 * the queue deletes a job soon after it completes, and a dead letter keeps no props.
 */
export async function queueMail<K extends EmailTemplateName>(
  ctx: Ctx,
  tx: Tx,
  emit: EmitFn,
  mail: OutgoingMail<K>,
  options: { background?: boolean } = {},
): Promise<string> {
  if (!ctx.jobs) throw new Error('mail is queued through the jobs plugin, which this app was built without');
  const jobId = uuidv7();
  await ctx.jobs.send(MAIL_QUEUE, mail, { tx, id: jobId });
  emit('mail.queued', { jobId, ...(options.background ? { background: true } : {}) });
  return jobId;
}

/**
 * Enqueues many mails in one statement on `db` (a transaction of the caller's own connection, as the
 * job store takes it): the answers to a batch of messages processed together. Each is its own job
 * (retried, dead-lettered and identified by its id alone). Answers the `mail.queued` events
 * (background) for the caller to publish once its transaction commits.
 */
export async function queueMails(
  ctx: Ctx,
  db: { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> },
  mails: OutgoingMail<EmailTemplateName>[],
): Promise<DomainEvent<'mail.queued'>[]> {
  if (!ctx.jobs) throw new Error('mail is queued through the jobs plugin, which this app was built without');
  if (!mails.length) return [];
  const jobs = mails.map((data) => ({ id: uuidv7(), data }));
  await ctx.jobs.boss.insert(MAIL_QUEUE, jobs, { db });
  return jobs.map(({ id }) => ({ name: 'mail.queued', payload: { jobId: id, background: true } }));
}

/** `<job id@host>`: the same on every attempt of one job, unique across jobs. */
export const mailMessageId = (config: Config, jobId: string) => `<mail-${jobId}@${new URL(config.publicUrl).hostname}>`;

/** SMTP refused the message for good (5xx): sending it again would be refused again. */
const isPermanent = (err: unknown) => {
  const code = (err as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

const DAY = 86_400;
// A job's heartbeat tells supervision that its sender is alive; 10 s is pg-boss's minimum.
const HEARTBEAT_SECONDS = 10;

export default fp(
  async (app) => {
    const { config } = app;
    // The first attempt is the send; the rest are retries.
    const retry = retryPolicy(config);
    const retryLimit = retry.retryLimit;

    async function deadLetter(job: Job<OutgoingMail<EmailTemplateName>>, err: unknown) {
      const dead: DeadMail = {
        jobId: job.id,
        to: job.data.to,
        template: job.data.template,
        error: err instanceof Error ? err.message : String(err),
        attempts: job.retryCount + 1,
        failedAt: new Date().toISOString(),
      };
      await app.jobs.send(MAIL_DEAD_QUEUE, dead, { id: job.id });
      app.log.error({ err, jobId: job.id, template: job.data.template }, 'mail dead-lettered');
    }

    app.jobs.define<{ jobId: string }>(MAIL_DEAD_QUEUE, { queue: { retentionSeconds: 30 * DAY } });
    app.jobs.define<OutgoingMail<EmailTemplateName>>(MAIL_QUEUE, {
      queue: {
        ...retry,
        heartbeatSeconds: HEARTBEAT_SECONDS,
        expireInSeconds: 900,
        retentionSeconds: 7 * DAY,
        // Completed jobs may carry a link's secret: gone at the next supervision pass after a minute.
        deleteAfterSeconds: 60,
      },
      work: { localConcurrency: 2 },
      handler: async (job) => {
        try {
          const { options, ...mail } = job.data;
          // An address that bounced for good is not written to again (the operator can clear it);
          // a sign-in link is still sent: the person asked for it just now.
          if (
            mail.template !== 'sign-in' &&
            (await app.prisma.bouncingAddress.findUnique({ where: { email: mail.to.toLowerCase() }, select: { email: true } }))
          ) {
            app.log.warn({ jobId: job.id, template: mail.template }, 'mail not sent: the address is bouncing');
            return;
          }
          await app.mailer.send({ ...mail, options: { ...options, messageId: mailMessageId(config, job.id) } });
        } catch (err) {
          // The last attempt, or a refusal no retry would change: the operator's turn.
          if (isPermanent(err) || job.retryCount >= retryLimit) return deadLetter(job, err);
          app.log.warn({ err, jobId: job.id, attempt: job.retryCount + 1 }, 'mail not sent; it will be retried');
          throw err;
        }
      },
    });

    app.ctx.events.on('mail.queued', async ({ jobId, background }) => {
      if (!app.jobs.wake(MAIL_QUEUE) || background) return;
      // Waiting here keeps `events.drain()` meaning "what this request caused has been attempted",
      // which tests and a graceful shutdown rely on; bounded, as another instance may take the job.
      await app.jobs.attempted([{ id: jobId, queue: MAIL_QUEUE }]);
    });
  },
  { name: 'mail-queue', dependencies: ['mailer', 'jobs', 'context'] },
);
