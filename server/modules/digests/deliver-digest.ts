// Sends a digest's pending deliveries, exactly once per recipient as far as SMTP allows.
//
// Each delivery is claimed with a row lock (FOR UPDATE SKIP LOCKED) inside a transaction that
// stays open while the message is handed to the SMTP server, and is marked SENT in that same
// transaction right after the server's 250. So:
// - two instances never send the same delivery at once (the second skips the locked row);
// - a process killed mid-send holds no claim: its connection closes, PostgreSQL rolls the
//   transaction back, and the row is PENDING again for whoever runs next (no lease to expire);
// - the one window left is between the SMTP server's 250 and our COMMIT (one UPDATE and a
//   COMMIT on an open connection, about a millisecond): a crash exactly there sends that
//   message again on restart, with the same Message-ID. SMTP itself is at-least-once (a 250
//   lost on the wire is resent by every MTA), so this is the honest bound: at most one extra
//   copy per in-flight delivery, carrying the same Message-ID, which receivers and list
//   archives use to de-duplicate.
//
// The pg-boss job is only a wake-up: running it twice, or on two instances, is harmless.
import type { Digest, Group } from '../../generated/prisma/client.ts';
import { DELIVER_QUEUE, LIST_NOTE, SUBSCRIBER_NOTE, type DigestDeps, type StoredDigestProps } from './create-digest.ts';
import { digestEnvelope, unsubscribeUrl } from './digest-mail.ts';
import { groupLinks } from './build-milestone-digest.ts';

interface ClaimedDelivery { id: string; recipient: string; subscriptionId: string | null; attempts: number }

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
export const backoffMs = (baseMs: number, attempts: number) =>
  Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempts - 1)) * (0.9 + Math.random() * 0.2);

export async function deliverDigest(deps: DigestDeps, digestId: string): Promise<{ sent: number }> {
  const { ctx, mailer, jobs } = deps;
  const { config } = ctx;
  const digest = await ctx.prisma.digest.findUnique({ where: { id: digestId }, include: { group: true } });
  if (!digest) return { sent: 0 };
  let sent = 0;
  let pauseUntil: Date | null = null;

  const lane = async () => {
    while (!pauseUntil) {
      const outcome = await ctx.prisma.$transaction(async (tx) => {
        const [row] = await tx.$queryRaw<ClaimedDelivery[]>`
          SELECT id, recipient, "subscriptionId", attempts FROM "DigestDelivery"
          WHERE "digestId" = ${digestId}::uuid AND state = 'PENDING' AND "nextAttemptAt" <= now()
          ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`;
        if (!row) return 'idle' as const;
        try {
          await sendCopy(deps, digest, row);
        } catch (err) {
          const failure = classifySmtpError(err);
          const attempts = row.attempts + 1;
          if (failure === 'permanent') {
            await tx.$executeRaw`UPDATE "DigestDelivery" SET state = 'FAILED', attempts = ${attempts}, "lastError" = ${describe(err)}, "updatedAt" = now() WHERE id = ${row.id}::uuid`;
            await tx.$executeRaw`INSERT INTO "BouncingAddress" (email, reason) VALUES (${row.recipient}, ${describe(err)}) ON CONFLICT (email) DO NOTHING`;
            ctx.log.warn({ digestId, deliveryId: row.id }, 'digest delivery failed permanently; address marked bouncing');
            return 'next' as const;
          }
          const dead = attempts >= config.digests.maxAttempts;
          const retryAt = new Date(Date.now() + backoffMs(config.digests.retryBaseMs, attempts));
          await tx.$executeRaw`UPDATE "DigestDelivery" SET state = ${dead ? 'DEAD' : 'PENDING'}::"DeliveryState", attempts = ${attempts}, "nextAttemptAt" = ${retryAt}, "lastError" = ${describe(err)}, "updatedAt" = now() WHERE id = ${row.id}::uuid`;
          ctx.log.warn({ digestId, deliveryId: row.id, attempts, dead, err: describe(err) }, 'digest delivery failed temporarily');
          // The server itself is unavailable: stop this run; the others would fail the same way.
          return failure === 'connection' && !dead ? { pauseUntil: retryAt } : ('next' as const);
        }
        // As close to the 250 as we can: same transaction, one statement, then COMMIT.
        await tx.$executeRaw`UPDATE "DigestDelivery" SET state = 'SENT', "sentAt" = now(), attempts = attempts + 1, "lastError" = NULL, "updatedAt" = now() WHERE id = ${row.id}::uuid`;
        sent += 1;
        return 'next' as const;
      }, { timeout: 10 * 60_000, maxWait: 60_000 });
      if (outcome === 'idle') return;
      if (typeof outcome === 'object') pauseUntil = outcome.pauseUntil;
    }
  };
  await Promise.all(Array.from({ length: config.digests.sendConcurrency }, lane));
  await scheduleNextRun(deps, digestId, pauseUntil);
  return { sent };
}

/** Wakes this digest again when its next pending delivery is due (retries, or rows another instance held). */
async function scheduleNextRun(deps: DigestDeps, digestId: string, pauseUntil: Date | null) {
  const [next] = await deps.ctx.prisma.$queryRaw<{ at: Date | null }[]>`
    SELECT min("nextAttemptAt") AS at FROM "DigestDelivery" WHERE "digestId" = ${digestId}::uuid AND state = 'PENDING'`;
  if (!next?.at) return;
  const soonest = new Date(Date.now() + 1000);
  const startAfter = pauseUntil && pauseUntil > next.at ? pauseUntil : next.at < soonest ? soonest : next.at;
  await deps.jobs.send(DELIVER_QUEUE, { digestId }, { startAfter });
}

async function sendCopy(deps: DigestDeps, digest: Digest & { group: Group }, row: ClaimedDelivery) {
  const { config } = deps.ctx;
  const stored = digest.props as unknown as StoredDigestProps;
  const links = groupLinks(config, digest.group.slug);
  await deps.mailer.send({
    to: row.recipient,
    template: 'digest',
    props: {
      ...stored.view,
      recipientNote: row.subscriptionId ? SUBSCRIBER_NOTE : LIST_NOTE,
      unsubscribeUrl: row.subscriptionId ? unsubscribeUrl(config, row.subscriptionId) : false,
    },
    options: digestEnvelope(config, {
      group: digest.group, digestId: digest.id, previousDigestId: stored.previousDigestId,
      recipient: row.recipient, subscriptionId: row.subscriptionId, archiveUrl: `${links.archiveUrl}/${digest.id}`,
    }),
  });
}

/** After a start: wake every digest of this job store that still has deliveries to make (crash recovery). */
export async function resumePendingDigests(deps: DigestDeps): Promise<number> {
  const pending = await deps.ctx.prisma.digestDelivery.findMany({ where: { state: 'PENDING' }, distinct: ['digestId'], select: { digestId: true } });
  let resumed = 0;
  for (const { digestId } of pending) {
    // Only digests this job store made (one store per deployment; tests run several apart).
    const known = await deps.jobs.boss.findJobs(DELIVER_QUEUE, { data: { digestId }, limit: 1 });
    if (!known.length) continue;
    await deps.jobs.send(DELIVER_QUEUE, { digestId });
    resumed += 1;
  }
  return resumed;
}
