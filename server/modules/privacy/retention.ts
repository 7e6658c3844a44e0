// Retention: what Convene keeps only for a while is deleted by one daily job that runs every
// registered rule (plugins/personal-data.ts). The core rules: sign-in links and sessions that
// stopped working longer ago than their retention. The realtime log has its own daily job
// (modules/realtime/prune-events.ts); raw inbound mail is pruned by the rule its module registers.
import type { Ctx } from '../../lib/use-case.ts';
import type { Jobs } from '../../plugins/jobs.ts';
import type { Registry, RetentionRule } from '../../plugins/personal-data.ts';

export const RETENTION_QUEUE = 'privacy.retention';
/** Rows per DELETE: short statements that never hold locks long under load. */
const BATCH = 5000;

async function deleteInBatches(run: () => Promise<number>): Promise<number> {
  let deleted = 0;
  for (;;) {
    const n = await run();
    deleted += n;
    if (n < BATCH) return deleted;
  }
}

export const CORE_RETENTION_RULES: readonly RetentionRule[] = [
  {
    name: 'sign-in links',
    prune: (ctx) =>
      deleteInBatches(
        () => ctx.prisma.$executeRaw`
          DELETE FROM "SignInToken" WHERE id IN (
            SELECT id FROM "SignInToken"
            WHERE greatest("expiresAt", coalesce("usedAt", "expiresAt")) < now() - make_interval(secs => ${ctx.config.retention.signInTokensMs / 1000}::double precision)
            LIMIT ${BATCH}::int)`,
      ),
  },
  {
    name: 'ended sessions',
    // Ended: revoked, or past its absolute expiry, or idle longer than the idle timeout.
    prune: (ctx) =>
      deleteInBatches(
        () => ctx.prisma.$executeRaw`
          DELETE FROM "Session" WHERE id IN (
            SELECT id FROM "Session"
            WHERE least(coalesce("revokedAt", 'infinity'), "expiresAt", "lastSeenAt" + make_interval(secs => ${ctx.config.sessionIdleMs / 1000}::double precision))
                  < now() - make_interval(secs => ${ctx.config.retention.sessionsMs / 1000}::double precision)
            LIMIT ${BATCH}::int)`,
      ),
  },
];

/** Runs every rule; one failing rule does not stop the others (its error is logged and rethrown at the end). */
export async function runRetention(ctx: Ctx, rules: readonly RetentionRule[]): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  let failure: unknown = null;
  for (const rule of rules) {
    try {
      deleted[rule.name] = await rule.prune(ctx);
    } catch (err) {
      ctx.log.error({ err, rule: rule.name }, 'retention rule failed');
      failure ??= err;
    }
  }
  ctx.log.info({ deleted }, 'retention pass done');
  if (failure) throw failure;
  return deleted;
}

export function defineRetentionJob(ctx: Ctx, jobs: Jobs, registry: Registry<RetentionRule>) {
  jobs.define<object>(RETENTION_QUEUE, {
    queue: { retryLimit: 3 },
    handler: async () => {
      await runRetention(ctx, registry.all());
    },
  });
  // 03:45 UTC, after the realtime log's pruning; pg-boss runs a schedule once across instances.
  jobs.onStarted(async () => {
    await jobs.boss.schedule(RETENTION_QUEUE, '45 3 * * *', {}, { tz: 'UTC' });
  });
}
