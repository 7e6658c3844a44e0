// Sends a digest's pending deliveries, exactly once per recipient as far as SMTP allows.
//
// A sender claims one delivery at a time with a lease: a single UPDATE … RETURNING sets
// "leasedUntil" on a PENDING, due delivery whose lease is absent or past (SKIP LOCKED, so two
// claims never take the same row) and commits at once. No database connection is held while the
// SMTP server answers: one checked out and idle that long is one a PostgreSQL restart kills under
// us, and one nobody else can use. While it sends, the sender renews its leases (every third of
// DELIVERY_LEASE_MS); after the server's 250 it records SENT, waiting out a database that is
// restarting rather than forgetting a message that went out. So:
// - two senders never send the same delivery at once (a live lease excludes the others);
// - a sender killed mid-send leaves leases that run out within DELIVERY_LEASE_MS; the periodic
//   sweep of every worker instance then wakes the digest, and whoever runs next takes them over;
// - the window left is between the SMTP server's 250 and the SENT record (one UPDATE, about a
//   millisecond): a crash exactly there sends that message again, with the same Message-ID. SMTP
//   itself is at-least-once (a 250 lost on the wire is resent by every MTA), so this is the honest
//   bound: at most one extra copy per in-flight delivery, carrying the same Message-ID, which
//   receivers and list archives use to de-duplicate. (A sender cut off from the database for
//   longer than its lease, while the SMTP server still answers it, is the same case.)
//
// The pg-boss job is only a wake-up: running it twice, or on two instances, is harmless.
import { digestReply } from '../mailin/issue-reply.ts';
import { hostname } from 'node:os';
import type { Digest, Group } from '../../generated/prisma/client.ts';
import { whileUnreachable } from '../../lib/connection-loss.ts';
import { DELIVER_QUEUE, digestCopy, type DigestDeps, type StoredDigestProps } from './create-digest.ts';
import { DEFAULT_LOCALE, isLocale } from '../../lib/i18n.ts';
import { digestEnvelope, unsubscribeUrl } from './digest-mail.ts';
import { groupLinks } from './build-milestone-digest.ts';

interface ClaimedDelivery {
  id: string;
  recipient: string;
  subscriptionId: string | null;
  attempts: number;
}

type Failure = 'permanent' | 'recipient' | 'connection';

/** 5xx: permanent for this recipient. 4xx other than 421: temporary for this recipient. Anything else (421, refused, timeout): the server. */
export function classifySmtpError(err: unknown): Failure {
  const code = (err as { responseCode?: unknown }).responseCode;
  if (typeof code === 'number' && code >= 500) return 'permanent';
  if (typeof code === 'number' && code >= 400 && code !== 421) return 'recipient';
  return 'connection';
}

const describe = (err: unknown) => {
  const e = err as { responseCode?: number; code?: string; response?: string; message?: string };
  return `${e.responseCode ?? e.code ?? 'error'}: ${e.response ?? e.message ?? String(err)}`.replace(/[\r\n]+/g, ' ').slice(0, 500);
};

const MAX_BACKOFF_MS = 6 * 3_600_000;
export const backoffMs = (baseMs: number, attempts: number) => Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempts - 1)) * (0.9 + Math.random() * 0.2);

/** Who holds a lease, for the operator reading the table (and tests telling instances apart). */
const INSTANCE = `${hostname()}:${process.pid}`;

const CLAIM_SQL = `UPDATE "DigestDelivery" SET "leasedUntil" = now() + $2 * interval '1 millisecond', "leasedBy" = $3
  WHERE id = (SELECT id FROM "DigestDelivery"
    WHERE "digestId" = $1 AND state = 'PENDING' AND "nextAttemptAt" <= now() AND ("leasedUntil" IS NULL OR "leasedUntil" < now())
    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
  RETURNING id, recipient, "subscriptionId", attempts`;

export async function deliverDigest(deps: DigestDeps, digestId: string): Promise<{ sent: number }> {
  const { ctx, jobs } = deps;
  const { config } = ctx;
  const { leaseMs } = config.digests;
  const digest = await ctx.prisma.digest.findUnique({ where: { id: digestId }, include: { group: true } });
  if (!digest) return { sent: 0 };
  let sent = 0;
  let pauseUntil: Date | null = null;
  /** The deliveries this run holds a lease on (renewed by the heartbeat). */
  const held = new Set<string>();
  // Every statement is one pool.query: the connection goes back to the pool at once, and pg-pool
  // listens for its errors while it is out.
  const query = (text: string, values: unknown[]) => jobs.pool.query(text, values);
  const waiting = (what: string) => (err: unknown) => ctx.log.warn({ err, digestId }, `digest delivery: database unreachable; ${what}`);
  /** Writes that record what SMTP already did: waited out for as long as the database is away. */
  const record = (text: string, values: unknown[]) =>
    whileUnreachable(() => query(text, values), { onWait: waiting('will record the outcome when it is back') });

  const renew = async () => {
    if (!held.size) return;
    await query(
      `UPDATE "DigestDelivery" SET "leasedUntil" = now() + $2 * interval '1 millisecond' WHERE id = ANY($1::uuid[]) AND state = 'PENDING' AND "leasedBy" = $3`,
      [[...held], leaseMs, INSTANCE],
    ).catch((err: unknown) => ctx.log.warn({ err, digestId }, 'digest delivery: could not renew leases'));
  };
  const heartbeat = setInterval(() => void renew(), Math.max(100, Math.floor(leaseMs / 3)));
  heartbeat.unref();

  const lane = async () => {
    while (!pauseUntil) {
      // A database that is restarting is waited for, up to a lease; after that the job fails and
      // the sweep (or pg-boss's retry) runs the digest again.
      const { rows } = await whileUnreachable(() => query(CLAIM_SQL, [digestId, leaseMs, INSTANCE]), {
        giveUpAfterMs: leaseMs,
        onWait: waiting('waiting to claim the next delivery'),
      });
      const row = rows[0] as ClaimedDelivery | undefined;
      if (!row) return;
      held.add(row.id);
      try {
        try {
          await sendCopy(deps, digest, row);
        } catch (err) {
          const failure = classifySmtpError(err);
          const attempts = row.attempts + 1;
          if (failure === 'permanent') {
            await record(
              `WITH failed AS (UPDATE "DigestDelivery" SET state = 'FAILED', attempts = $2, "lastError" = $3, "leasedUntil" = NULL, "updatedAt" = now() WHERE id = $1 RETURNING recipient)
              INSERT INTO "BouncingAddress" (email, reason) SELECT recipient, $3 FROM failed ON CONFLICT (email) DO NOTHING`,
              [row.id, attempts, describe(err)],
            );
            ctx.log.warn({ digestId, deliveryId: row.id }, 'digest delivery failed permanently; address marked bouncing');
            continue;
          }
          const dead = attempts >= config.digests.maxAttempts;
          const retryAt = new Date(Date.now() + backoffMs(config.digests.retryBaseMs, attempts));
          await record(
            `UPDATE "DigestDelivery" SET state = $2, attempts = $3, "nextAttemptAt" = $4, "lastError" = $5, "leasedUntil" = NULL, "updatedAt" = now() WHERE id = $1`,
            [row.id, dead ? 'DEAD' : 'PENDING', attempts, retryAt, describe(err)],
          );
          ctx.log.warn({ digestId, deliveryId: row.id, attempts, dead, err: describe(err) }, 'digest delivery failed temporarily');
          // The server itself is unavailable: stop this run; the others would fail the same way.
          if (failure === 'connection' && !dead) pauseUntil = retryAt;
          continue;
        }
        // As close to the 250 as we can, and whatever it takes: the message has gone out.
        await record(
          `UPDATE "DigestDelivery" SET state = 'SENT', "sentAt" = now(), attempts = attempts + 1, "lastError" = NULL, "leasedUntil" = NULL, "updatedAt" = now() WHERE id = $1 AND state = 'PENDING'`,
          [row.id],
        );
        sent += 1;
      } finally {
        held.delete(row.id);
      }
    }
  };
  try {
    // Every lane ends before this run does (no lane left sending behind a failed one).
    const lanes = await Promise.allSettled(Array.from({ length: config.digests.sendConcurrency }, lane));
    const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    clearInterval(heartbeat);
  }
  await scheduleNextRun(deps, digestId, pauseUntil);
  return { sent };
}

/**
 * Wakes this digest again when its next pending delivery is due: a retry, or a delivery another
 * sender holds, at the end of its lease (if that sender finishes first, the wake-up finds nothing).
 */
async function scheduleNextRun(deps: DigestDeps, digestId: string, pauseUntil: Date | null) {
  const [next] = await deps.ctx.prisma.$queryRaw<{ at: Date | null }[]>`
    SELECT min(GREATEST("nextAttemptAt", COALESCE("leasedUntil", "nextAttemptAt"))) AS at
    FROM "DigestDelivery" WHERE "digestId" = ${digestId}::uuid AND state = 'PENDING'`;
  if (!next?.at) return;
  const soonest = new Date(Date.now() + 1000);
  const startAfter = pauseUntil && pauseUntil > next.at ? pauseUntil : next.at < soonest ? soonest : next.at;
  await deps.jobs.send(DELIVER_QUEUE, { digestId }, { startAfter });
}

async function sendCopy(deps: DigestDeps, digest: Digest & { group: Group }, row: ClaimedDelivery) {
  const { config } = deps.ctx;
  const stored = digest.props as unknown as StoredDigestProps;
  const links = groupLinks(config, digest.group.slug);
  // A person with an account reads their own language first when the digest is written in it.
  const reader = row.subscriptionId ? await deps.ctx.prisma.user.findUnique({ where: { email: row.recipient }, select: { locale: true } }) : null;
  const first = isLocale(reader?.locale) ? reader.locale : undefined;
  const lead = [stored.locale, ...(stored.translations ?? []).map((v) => v.locale)].includes(first) ? first : (stored.locale ?? DEFAULT_LOCALE);
  const reply = await digestReply(deps.ctx, row.recipient, stored.view, lead);
  const copy = digestCopy(
    stored,
    {
      note: row.subscriptionId ? 'subscriber' : 'list',
      unsubscribeUrl: row.subscriptionId ? unsubscribeUrl(config, row.subscriptionId) : false,
      reply: reply ? { howTo: reply.howTo, clauses: reply.clauses } : false,
    },
    first,
  );
  await deps.mailer.send({
    to: row.recipient,
    template: 'digest',
    locale: copy.locale,
    props: copy.props,
    options: {
      ...digestEnvelope(config, {
        group: digest.group,
        digestId: digest.id,
        previousDigestId: stored.previousDigestId,
        recipient: row.recipient,
        subscriptionId: row.subscriptionId,
        archiveUrl: `${links.archiveUrl}/${digest.id}`,
      }),
      // A member's own copy: a reply comments on the revision (the list's address stays in List-Post).
      ...(reply ? { replyTo: reply.address } : {}),
    },
  });
}

/**
 * Wakes every digest that has deliveries due which nobody is sending: no live lease on any of its
 * deliveries (its sender died, or its job was lost with a database outage) and, unless `now`, due
 * for longer than a lease (a digest just created or retried is its own job's to start). Runs on
 * every worker instance, periodically and at start; several waking one digest is harmless.
 */
export async function wakeAbandonedDigests(deps: DigestDeps, options: { now?: boolean } = {}): Promise<number> {
  const { ctx, jobs } = deps;
  const graceMs = options.now ? 0 : ctx.config.digests.leaseMs;
  const candidates = await ctx.prisma.$queryRaw<{ digestId: string }[]>`
    SELECT DISTINCT d."digestId" FROM "DigestDelivery" d
    WHERE d.state = 'PENDING' AND d."nextAttemptAt" <= now() - ${graceMs} * interval '1 millisecond'
      AND (d."leasedUntil" IS NULL OR d."leasedUntil" < now())
      AND NOT EXISTS (SELECT 1 FROM "DigestDelivery" l WHERE l."digestId" = d."digestId" AND l.state = 'PENDING' AND l."leasedUntil" >= now())
    LIMIT 100`;
  let woken = 0;
  for (const { digestId } of candidates) {
    // Only digests this job store made (one store per deployment; tests run several apart).
    const known = await jobs.boss.findJobs(DELIVER_QUEUE, { data: { digestId }, limit: 1 });
    if (!known.length) continue;
    // One wake-up per digest per lease across instances that sweep at the same moment.
    const id = await jobs.send(
      DELIVER_QUEUE,
      { digestId },
      { singletonKey: `wake:${digestId}`, singletonSeconds: Math.max(1, Math.ceil(ctx.config.digests.leaseMs / 1000)) },
    );
    if (id) woken += 1;
  }
  return woken;
}
