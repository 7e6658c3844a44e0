// Waiting out a lost database (a restart, a failover) where the work must not be dropped, and
// keeping such a loss from ending the process. Which errors mean "lost" is decided in one place,
// database-unavailable.ts (the error handler answers 503 for the same ones).
import type pg from 'pg';
import { isDatabaseUnavailable } from './database-unavailable.ts';

/** Lost or unreachable, but not our own pool shut down (nothing comes back by waiting then). */
export function isConnectionLoss(err: unknown): boolean {
  return isDatabaseUnavailable(err) && !/Cannot use a pool after calling end/.test(String((err as { message?: unknown })?.message));
}

/**
 * Runs `fn`, and again while the database cannot be reached (backing off to 2 s between tries),
 * until it succeeds, fails for another reason, or `giveUpAfterMs` has passed.
 */
export async function whileUnreachable<T>(fn: () => Promise<T>, options: { giveUpAfterMs?: number; onWait?: (err: unknown) => void } = {}): Promise<T> {
  const giveUpAt = Date.now() + (options.giveUpAfterMs ?? Infinity);
  let delay = 100;
  for (let first = true; ; first = false) {
    try {
      return await fn();
    } catch (err) {
      if (!isConnectionLoss(err) || Date.now() + delay > giveUpAt) throw err;
      if (first) options.onWait?.(err);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 2000);
    }
  }
}

/**
 * pg-pool listens for a connection's errors only while it sits idle in the pool or runs a
 * pool.query; a connection checked out by hand and the server going away in between (a restart's
 * 57P01) emits an 'error' nobody hears, which ends the process. Every connection of `pool` gets
 * a listener for its whole life; whoever holds it learns of the loss from its next query.
 */
export function guardCheckedOutClients(pool: pg.Pool, log?: { debug: (obj: object, msg: string) => void }) {
  pool.on('connect', (client) => {
    client.on('error', (err) => log?.debug({ err }, 'database connection lost'));
  });
}
