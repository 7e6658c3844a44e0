// Retention of the realtime log. RealtimeEvent rows exist for reconnect catch-up, which replays at
// most `replayMax` events; older rows only grow the table (and its indexes, which every comment
// insert maintains). A daily job deletes rows past the retention; a client that reconnects with a
// sequence number from before the cut gets `refetch` (catch-up.ts notices the gap) and reloads.
import type { Ctx } from '../../lib/use-case.ts';
import type { Jobs } from '../../plugins/jobs.ts';

export const PRUNE_QUEUE = 'realtime.prune';
/** Rows per DELETE: short statements, so pruning never holds locks long under load. */
const BATCH = 5000;

export async function pruneRealtimeEvents(ctx: Pick<Ctx, 'prisma'>, options: { olderThanMs: number }): Promise<number> {
  let deleted = 0;
  for (;;) {
    const n = await ctx.prisma.$executeRaw`
      DELETE FROM "RealtimeEvent" WHERE id IN (
        SELECT id FROM "RealtimeEvent"
        WHERE "createdAt" < now() - make_interval(secs => ${options.olderThanMs / 1000}::double precision)
        LIMIT ${BATCH}::int)`;
    deleted += n;
    if (n < BATCH) return deleted;
  }
}

export function defineRealtimeJobs(ctx: Ctx, jobs: Jobs) {
  jobs.define<object>(PRUNE_QUEUE, {
    queue: { retryLimit: 3 },
    handler: async () => {
      const deleted = await pruneRealtimeEvents(ctx, { olderThanMs: ctx.config.realtimeRetentionMs });
      ctx.log.info({ deleted }, 'realtime log pruned');
    },
  });
  // 03:30 UTC, away from the 07:00 daily summaries; pg-boss runs a schedule once across instances.
  jobs.onStarted(async () => {
    await jobs.boss.schedule(PRUNE_QUEUE, '30 3 * * *', {}, { tz: 'UTC' });
  });
}
