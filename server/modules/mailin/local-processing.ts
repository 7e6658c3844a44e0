// The fast path of processing: a message this instance has just stored is processed here at once,
// a few at a time, rather than when a job-store worker next polls (a worker slot waits out its
// polling interval between jobs, which capped a burst of replies at a couple per second per slot).
// Its job stays the durable path: after a crash, or on an instance that runs no workers, the job
// processes it. One message is processed by one processor at a time (a PostgreSQL advisory lock
// per message), so the job and this path never both act on it.
import type pg from 'pg';
import type { Ctx } from '../../lib/use-case.ts';
import type { DnsResolver } from './authentication.ts';
import { processInboundMessage } from './process-message.ts';

const LOCK_SPACE = 18_018;

export interface LocalProcessing {
  /** Processes it now (or soon, behind the ones in flight); resolves when this instance has tried. */
  take(inboundId: string): Promise<void>;
  /** Processes it under its lock; false when another processor holds it. */
  processLocked(inboundId: string): Promise<boolean>;
  close(): Promise<void>;
}

export function localProcessing(ctx: Ctx, pool: pg.Pool, options: { concurrency: number; resolver: () => DnsResolver | undefined }): LocalProcessing {
  const queue: { id: string; done: () => void }[] = [];
  const inFlight = new Set<Promise<void>>();
  let closed = false;

  async function processLocked(inboundId: string): Promise<boolean> {
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LOCK_SPACE, inboundId]);
      if (!rows[0]?.ok) return false;
      try {
        await processInboundMessage(ctx, inboundId, { resolver: options.resolver() });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_SPACE, inboundId]);
      }
      return true;
    } finally {
      client.release();
    }
  }

  function pump() {
    while (!closed && inFlight.size < options.concurrency && queue.length) {
      const next = queue.shift()!;
      const run: Promise<void> = processLocked(next.id)
        .then(
          () => {},
          // Left to its job, which retries it with backoff.
          (err: unknown) => ctx.log.warn({ err, inboundId: next.id }, 'inbound message not processed at once; its job will retry'),
        )
        .finally(() => {
          inFlight.delete(run);
          next.done();
          pump();
        });
      inFlight.add(run);
    }
  }

  return {
    processLocked,
    take(inboundId) {
      if (closed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        queue.push({ id: inboundId, done: resolve });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const q of queue.splice(0)) q.done();
      await Promise.allSettled([...inFlight]);
    },
  };
}
