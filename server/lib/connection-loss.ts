// Whether a database error means "the server could not be reached or went away" (worth waiting
// out: a restart, a failover) rather than "the statement was wrong" (retrying changes nothing).
// pg reports the first kind as SQLSTATE classes 08 and 57P0x, as socket errors, or in words.
import type pg from 'pg';

const LOST_SQLSTATE = /^(08|57P0[1-3]$|53300$)/; // connection exception; admin/crash shutdown, cannot connect now; too many connections
const LOST_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const LOST_MESSAGE = /Connection terminated|not queryable|timeout exceeded when trying to connect|connection error|Can't reach database server/i;

export function isConnectionLoss(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && (LOST_SQLSTATE.test(e.code) || LOST_SOCKET.has(e.code))) return true;
    if (typeof e.message === 'string' && LOST_MESSAGE.test(e.message)) return true;
  }
  return false;
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

