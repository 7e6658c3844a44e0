// The fast path of processing: messages this instance has just stored are processed here at once,
// in batches, rather than when a job-store worker next polls (a worker slot waits out its polling
// interval between jobs, which capped a burst of replies at a couple per second per slot). Messages
// stored while a batch is being processed form the next one, so a burst is processed in a few large
// batches (process-message.ts: shared reads once, comments written together, one record
// transaction) and a lone message at once, alone.
//
// Each message's job stays the durable path: after a crash, or on an instance that runs no workers,
// the job processes it; once the fast path has recorded a message, it completes its job in the same
// transaction. One message is processed by one processor at a time (a PostgreSQL advisory lock per
// message), so a job and this path never both act on it.
import type pg from 'pg';
import type { Ctx } from '../../lib/use-case.ts';
import type { DnsResolver } from './authentication.ts';
import { processInboundMessages } from './process-message.ts';

const LOCK_SPACE = 18_018;
/** Messages in one batch: bounds a batch's statements and its memory (raw messages are at most MAIL_INBOUND_MAX_BYTES each). */
const MAX_BATCH = 100;

export interface LocalProcessing {
  /** Processes it now (or with the next batch); resolves when this instance has tried. */
  take(inboundId: string, jobId: string | null): Promise<void>;
  /** Processes it under its lock; false when another processor holds it. */
  processLocked(inboundId: string): Promise<boolean>;
  close(): Promise<void>;
}

export function localProcessing(ctx: Ctx, pool: pg.Pool, options: { concurrency: number; resolver: () => DnsResolver | undefined }): LocalProcessing {
  const queue: { id: string; jobId: string | null; done: () => void }[] = [];
  const inFlight = new Set<Promise<void>>();
  let closed = false;

  /** Processes those of `items` no other processor holds; answers the ids it processed. */
  async function processBatch(items: { id: string; jobId: string | null }[]): Promise<Set<string>> {
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ id: string }>('SELECT id FROM unnest($2::text[]) AS id WHERE pg_try_advisory_lock($1, hashtext(id))', [
        LOCK_SPACE,
        items.map((i) => i.id),
      ]);
      const held = new Set(rows.map((r) => r.id));
      if (!held.size) return held;
      try {
        await processInboundMessages(
          ctx,
          items.filter((i) => held.has(i.id)),
          { resolver: options.resolver() },
        );
      } finally {
        // This connection holds only this batch's locks.
        await client.query('SELECT pg_advisory_unlock_all()');
      }
      return held;
    } finally {
      client.release();
    }
  }

  function pump() {
    while (!closed && inFlight.size < options.concurrency && queue.length) {
      const batch = queue.splice(0, MAX_BATCH);
      const run: Promise<void> = processBatch(batch)
        .then(
          () => {},
          // Left to their jobs, which retry them with backoff.
          (err: unknown) => ctx.log.warn({ err, messages: batch.length }, 'inbound messages not processed at once; their jobs will retry'),
        )
        .finally(() => {
          inFlight.delete(run);
          for (const item of batch) item.done();
          pump();
        });
      inFlight.add(run);
    }
  }

  return {
    async processLocked(inboundId) {
      return (await processBatch([{ id: inboundId, jobId: null }])).has(inboundId);
    },
    take(inboundId, jobId) {
      if (closed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        queue.push({ id: inboundId, jobId, done: resolve });
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
