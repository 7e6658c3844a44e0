// Rate limits every instance must share: counted in PostgreSQL, one row per key, so a client
// spreading its requests over several instances (or an attacker over a load balancer) meets one
// limit. A fixed window per key, counted and read in one statement (atomic under concurrency).
// The per-IP request limit of @fastify/rate-limit stays in memory: it guards each instance's own
// capacity, which is per instance anyway.
import { Prisma } from '../generated/prisma/client.ts';
import type { Ctx } from './use-case.ts';

export interface Limit {
  max: number;
  windowMs: number;
}
/** `hits`: this hit's place in the window's count. */
export interface LimitHit {
  allowed: boolean;
  hits: number;
  retryAfterSeconds: number;
}

/**
 * Counts one hit on `key` and says whether it is within `limit`; the window starts at the first hit.
 *
 * A write must not wait a round trip for a limit it is nowhere near (the comment POST is one
 * statement; a second one on its path halved its throughput in bench/comments.bench.ts). So while
 * the count this instance last read, plus what it has let through since, is at most half the
 * limit, a hit is let through at once and counted with the next statement (within 200 ms); past
 * half, hits wait for the statement and are told their exact place in the count. The other
 * instances' hits reach this one with each statement; each instance lets through unseen at most up
 * to half the limit, so one or two instances never exceed it, and n > 2 instances hit at once in
 * the same 200 ms by at most (n - 2) halves of it, once per window.
 *
 * A key has at most one statement in flight per instance; hits that arrive meanwhile go together
 * in the next one (one account's 50 concurrent writes would otherwise queue on its row lock).
 */
export function hitRateLimit(ctx: Pick<Ctx, 'runStatement'>, key: string, limit: Limit): Promise<LimitHit> {
  const passed = passWithoutWaiting(ctx, key, limit);
  if (passed) return Promise.resolve(passed);
  const c = counterFor(ctx, key, limit);
  return new Promise((resolve, reject) => {
    c.waiting.push({ resolve, reject });
    if (!c.running) void flush(ctx, key, c);
  });
}

/**
 * The hit let through at once (counted with the next statement) while this instance's count is
 * under half the limit, as hitRateLimit would; null when it must wait for the database. A caller on
 * every request uses it to decide without a promise in the common case.
 */
export function passWithoutWaiting(ctx: Pick<Ctx, 'runStatement'>, key: string, limit: Limit): LimitHit | null {
  const c = counterFor(ctx, key, limit);
  const fresh = c.known !== null && Date.now() < c.resetAt;
  // Hits being counted right now are not in `known` yet: a hit let through beside them could be the
  // one past the limit.
  if (!fresh || c.known! + c.inFlight + c.passed + c.waiting.length + 1 > limit.max / 2) return null;
  c.passed += 1;
  // Counted a moment later, with whatever else passes meanwhile: one statement, not one per write.
  c.timer ??= setTimeout(() => {
    c.timer = null;
    if (!c.running) void flush(ctx, key, c);
  }, PASSED_FLUSH_MS).unref();
  return { allowed: true, hits: c.known! + c.passed, retryAfterSeconds: 0 };
}

function counterFor(ctx: Pick<Ctx, 'runStatement'>, key: string, limit: Limit): Counter {
  let keys = counters.get(ctx.runStatement);
  if (!keys) {
    keys = new Map();
    counters.set(ctx.runStatement, keys);
  }
  let counter = keys.get(key);
  if (!counter) {
    if (keys.size >= SWEEP_AT) sweep(keys);
    counter = { limit, known: null, resetAt: 0, inFlight: 0, passed: 0, waiting: [], running: false, timer: null };
    keys.set(key, counter);
  }
  return counter;
}

interface Counter {
  limit: Limit;
  /** The key's count as this instance last read it, and when its window ends (local clock). */
  known: number | null;
  resetAt: number;
  /** Hits in the statement being run. */
  inFlight: number;
  /** Hits let through since, not yet counted in the database. */
  passed: number;
  waiting: { resolve: (hit: LimitHit) => void; reject: (error: unknown) => void }[];
  running: boolean;
  timer: NodeJS.Timeout | null;
}
const counters = new WeakMap<Ctx['runStatement'], Map<string, Counter>>();
/** How long hits let through wait to be counted together. */
const PASSED_FLUSH_MS = 200;
/** Keys kept per instance before ended windows are forgotten. */
const SWEEP_AT = 10_000;

function sweep(keys: Map<string, Counter>) {
  const now = Date.now();
  for (const [key, c] of keys) if (!c.running && !c.timer && c.resetAt <= now) keys.delete(key);
}

async function flush(ctx: Pick<Ctx, 'runStatement'>, key: string, c: Counter): Promise<void> {
  c.running = true;
  while (c.passed || c.waiting.length) {
    const passed = c.passed;
    const sent = c.waiting.splice(0);
    c.passed = 0;
    c.inFlight = passed + sent.length;
    try {
      const { hits, ms } = await countHits(ctx, key, c.inFlight, c.limit);
      c.known = hits;
      c.resetAt = Date.now() + ms;
      // At most the window: `ms` is measured from this statement's start, which a wait on the row
      // lock (another instance's hits on the same key) can put before the window's start.
      const retryAfterSeconds = Math.max(1, Math.ceil(Math.min(ms, c.limit.windowMs) / 1000));
      // The hits already let through come first in the count, then the waiting ones in order.
      sent.forEach((waiter, i) => {
        const mine = hits - sent.length + i + 1;
        waiter.resolve({ allowed: mine <= c.limit.max, hits: mine, retryAfterSeconds });
      });
    } catch (error) {
      // Without the count, the next hits wait for the database again.
      c.known = null;
      for (const waiter of sent) waiter.reject(error);
    } finally {
      c.inFlight = 0;
    }
  }
  c.running = false;
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

/**
 * Counts `n` hits on each key in ONE statement and says, per key, how many of its n are within
 * `limit` (the first ones in the window's count are). For work that arrives in batches (a batch of
 * inbound mail answers its senders): a statement for the batch, not one per key per 200 ms. Keys
 * counted here are counted only here (this does not share hitRateLimit's in-memory counts).
 */
export async function hitRateLimitMany(ctx: Pick<Ctx, 'runStatement'>, hits: Map<string, number>, limit: Limit): Promise<Map<string, number>> {
  if (!hits.size) return new Map();
  const input = JSON.stringify([...hits].map(([key, n]) => ({ key, n })));
  const rows = await ctx.runStatement<{ key: string; hits: number }>(Prisma.sql`
    INSERT INTO "RateLimitWindow" AS w (key, hits, "resetAt")
    SELECT i.key, i.n, now() + make_interval(secs => ${limit.windowMs / 1000}::double precision)
    FROM jsonb_to_recordset(${input}::jsonb) AS i (key text, n int)
    ORDER BY i.key
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN w."resetAt" <= now() THEN EXCLUDED.hits ELSE w.hits + EXCLUDED.hits END,
      "resetAt" = CASE WHEN w."resetAt" <= now() THEN EXCLUDED."resetAt" ELSE w."resetAt" END
    RETURNING key, hits`);
  const allowed = new Map<string, number>();
  for (const row of rows) {
    const n = hits.get(row.key)!;
    // This batch's hits are the last n of the count: those up to the limit are allowed.
    allowed.set(row.key, Math.max(0, Math.min(n, limit.max - (Number(row.hits) - n))));
  }
  return allowed;
}
