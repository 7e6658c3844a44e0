// Rate limits every instance must share: counted in PostgreSQL, one row per key, so a client
// spreading its requests over several instances (or an attacker over a load balancer) meets one
// limit. A fixed window per key, counted and read in one statement (atomic under concurrency).
// The per-IP request limit of @fastify/rate-limit stays in memory: it guards each instance's own
// capacity, which is per instance anyway.
import { Prisma } from '../generated/prisma/client.ts';
import type { Ctx } from './use-case.ts';
import type { Jobs } from '../plugins/jobs.ts';

export interface Limit { max: number; windowMs: number }
/** `hits`: this hit's place in the window's count. */
export interface LimitHit { allowed: boolean; hits: number; retryAfterSeconds: number }

/**
 * Counts one hit on `key` and says whether it is within `limit`; the window starts at the first hit.
 * Hits on one key while its statement is out are sent together in the next one (one row, so one
 * account's 50 concurrent writes would otherwise queue on its row lock), each told its own place
 * in the count.
 */
export function hitRateLimit(ctx: Pick<Ctx, 'runStatement'>, key: string, limit: Limit): Promise<LimitHit> {
  let keys = batchers.get(ctx.runStatement);
  if (!keys) batchers.set(ctx.runStatement, keys = new Map());
  let batch = keys.get(key);
  if (!batch) keys.set(key, batch = { limit, waiting: [], running: false });
  return new Promise((resolve, reject) => {
    batch.waiting.push({ resolve, reject });
    if (!batch.running) void flush(ctx, keys, key, batch);
  });
}

interface Batch { limit: Limit; waiting: { resolve: (hit: LimitHit) => void; reject: (error: unknown) => void }[]; running: boolean }
const batchers = new WeakMap<Ctx['runStatement'], Map<string, Batch>>();

async function flush(ctx: Pick<Ctx, 'runStatement'>, keys: Map<string, Batch>, key: string, batch: Batch): Promise<void> {
  batch.running = true;
  while (batch.waiting.length) {
    const sent = batch.waiting.splice(0);
    try {
      const { hits, ms } = await countHits(ctx, key, sent.length, batch.limit);
      const retryAfterSeconds = Math.max(1, Math.ceil(ms / 1000));
      sent.forEach((waiter, i) => {
        const mine = hits - sent.length + i + 1;
        waiter.resolve({ allowed: mine <= batch.limit.max, hits: mine, retryAfterSeconds });
      });
    } catch (error) {
      for (const waiter of sent) waiter.reject(error);
    }
  }
  batch.running = false;
  keys.delete(key);
}

async function countHits(ctx: Pick<Ctx, 'runStatement'>, key: string, n: number, limit: Limit): Promise<{ hits: number; ms: number }> {
  const [row] = await ctx.runStatement<{ hits: number; ms: number }>(Prisma.sql`
    INSERT INTO "RateLimitWindow" AS w (key, hits, "resetAt")
    VALUES (${key}, ${n}::int, now() + make_interval(secs => ${limit.windowMs / 1000}::double precision))
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN w."resetAt" <= now() THEN EXCLUDED.hits ELSE w.hits + EXCLUDED.hits END,
      "resetAt" = CASE WHEN w."resetAt" <= now() THEN EXCLUDED."resetAt" ELSE w."resetAt" END
    RETURNING hits, (extract(epoch FROM w."resetAt" - now()) * 1000)::double precision AS ms`);
  return { hits: Number(row!.hits), ms: Number(row!.ms) };
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
