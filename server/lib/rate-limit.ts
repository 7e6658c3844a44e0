// Rate limits every instance must share: counted in PostgreSQL, one row per key, so a client
// spreading its requests over several instances (or an attacker over a load balancer) meets one
// limit. A fixed window per key, counted and read in one statement (atomic under concurrency).
// The per-IP request limit of @fastify/rate-limit stays in memory: it guards each instance's own
// capacity, which is per instance anyway.
import { Prisma } from '../generated/prisma/client.ts';
import type { Ctx } from './use-case.ts';
import type { Jobs } from '../plugins/jobs.ts';

export interface Limit { max: number; windowMs: number }
export interface LimitHit { allowed: boolean; hits: number; retryAfterSeconds: number }

/** Counts one hit on `key` and says whether it is within `limit`; the window starts at the first hit. */
export async function hitRateLimit(ctx: Pick<Ctx, 'runStatement'>, key: string, limit: Limit): Promise<LimitHit> {
  const [row] = await ctx.runStatement<{ hits: number; ms: number }>(Prisma.sql`
    INSERT INTO "RateLimitWindow" AS w (key, hits, "resetAt")
    VALUES (${key}, 1, now() + make_interval(secs => ${limit.windowMs / 1000}::double precision))
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN w."resetAt" <= now() THEN 1 ELSE w.hits + 1 END,
      "resetAt" = CASE WHEN w."resetAt" <= now() THEN EXCLUDED."resetAt" ELSE w."resetAt" END
    RETURNING hits, (extract(epoch FROM w."resetAt" - now()) * 1000)::double precision AS ms`);
  const hits = Number(row!.hits);
  return { allowed: hits <= limit.max, hits, retryAfterSeconds: Math.max(1, Math.ceil(Number(row!.ms) / 1000)) };
}

/** Deletes windows that ended more than a day ago (they would only restart at 1). */
export async function pruneRateLimits(ctx: Pick<Ctx, 'prisma'>): Promise<number> {
  return ctx.prisma.$executeRaw`DELETE FROM "RateLimitWindow" WHERE "resetAt" < now() - interval '1 day'`;
}

export const PRUNE_RATE_LIMITS_QUEUE = 'rate-limits.prune';

export function defineRateLimitJobs(ctx: Ctx, jobs: Jobs) {
  jobs.define<object>(PRUNE_RATE_LIMITS_QUEUE, {
    queue: { retryLimit: 3 },
    handler: async () => { ctx.log.info({ deleted: await pruneRateLimits(ctx) }, 'ended rate-limit windows pruned'); },
  });
  // Daily, once across instances (a pg-boss schedule).
  jobs.onStarted(async () => { await jobs.boss.schedule(PRUNE_RATE_LIMITS_QUEUE, '40 3 * * *', {}, { tz: 'UTC' }); });
}
