// Sends a digest's pending deliveries, exactly once per recipient as far as SMTP allows.
//
// Each delivery is claimed with a row lock (FOR UPDATE SKIP LOCKED) inside a transaction that
// stays open while the message is handed to the SMTP server (on a plain pg connection from
// jobs.pool, not Prisma's: no interactive-transaction timeout, fewer round trips), and is
// marked SENT in that same transaction right after the server's 250. So:
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
import type pg from 'pg';
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
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

  // Ids are interpolated only into the two hot statements, each sent as one round trip
  // (BEGIN + claim; mark + COMMIT); they are uuids read from our own rows, checked here anyway.
  const uuid = (id: string) => { if (!UUID.test(id)) throw new Error(`not a uuid: ${id}`); return id; };
  const claimSql = `BEGIN; SELECT id, recipient, "subscriptionId", attempts FROM "DigestDelivery"
    WHERE "digestId" = '${uuid(digestId)}' AND state = 'PENDING' AND "nextAttemptAt" <= now()
    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`;

  const lane = async () => {
    const client = await jobs.pool.connect();
    let broken: Error | undefined;
    try {
      while (!pauseUntil) {
        const results = (await client.query(claimSql)) as unknown as pg.QueryResult<ClaimedDelivery>[];
        const row = results[1]?.rows[0];
        if (!row) {
          await client.query('ROLLBACK');
          return;
        }
        try {
          await sendCopy(deps, digest, row);
        } catch (err) {
          const failure = classifySmtpError(err);
          const attempts = row.attempts + 1;
          if (failure === 'permanent') {
            await client.query(`UPDATE "DigestDelivery" SET state = 'FAILED', attempts = $2, "lastError" = $3, "updatedAt" = now() WHERE id = $1`, [row.id, attempts, describe(err)]);
            await client.query(`INSERT INTO "BouncingAddress" (email, reason) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING`, [row.recipient, describe(err)]);
            await client.query('COMMIT');
            ctx.log.warn({ digestId, deliveryId: row.id }, 'digest delivery failed permanently; address marked bouncing');
            continue;
          }
          const dead = attempts >= config.digests.maxAttempts;
          const retryAt = new Date(Date.now() + backoffMs(config.digests.retryBaseMs, attempts));
          await client.query(`UPDATE "DigestDelivery" SET state = $2, attempts = $3, "nextAttemptAt" = $4, "lastError" = $5, "updatedAt" = now() WHERE id = $1`, [row.id, dead ? 'DEAD' : 'PENDING', attempts, retryAt, describe(err)]);
          await client.query('COMMIT');
          ctx.log.warn({ digestId, deliveryId: row.id, attempts, dead, err: describe(err) }, 'digest delivery failed temporarily');
          // The server itself is unavailable: stop this run; the others would fail the same way.
          if (failure === 'connection' && !dead) pauseUntil = retryAt;
          continue;
        }
        // As close to the 250 as we can: one round trip marks it SENT and commits.
        await client.query(`UPDATE "DigestDelivery" SET state = 'SENT', "sentAt" = now(), attempts = attempts + 1, "lastError" = NULL, "updatedAt" = now() WHERE id = '${uuid(row.id)}'; COMMIT`);
        sent += 1;
      }
    } catch (err) {
      broken = err as Error;
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release(broken);
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
