// The fast path of processing: messages this instance has just stored are processed here at once,
// in batches, rather than when a job-store worker next polls (a worker slot waits out its polling
// interval between jobs, which capped a burst of replies at a couple per second per slot). Messages
// stored while a batch is being processed form the next one, so a burst is processed in a few large
// batches (process-message.ts: shared reads once, comments written together, one record
// transaction) and a lone message at once, alone.
//
// The job stored with the messages stays the durable path (receive-message.ts: here, one per receipt
// window, run well after it): after a crash, or for a message whose processing failed, the job
// processes what is left; it finds the others processed. One message is processed by one processor
// at a time (a PostgreSQL advisory lock per message, and its processedAt read under it), so a job
// and this path never both act on it.
import type pg from 'pg';
import type { Ctx } from '../../lib/use-case.ts';
import type { MailReader } from './mail-reader.ts';
import { processInboundMessages } from './process-message.ts';

const LOCK_SPACE = 18_018;
/** Messages in one batch: bounds a batch's statements and its memory (raw messages are at most MAIL_INBOUND_MAX_BYTES each). */
const MAX_BATCH = 100;

export interface LocalProcessing {
  /** Processes it now (or with the next batch); resolves when this instance has tried. */
  take(inboundId: string): Promise<void>;
  /** Processes them under their locks; false unless every one is processed (another processor held one, or one failed). */
  processLocked(inboundIds: string[]): Promise<boolean>;
  close(): Promise<void>;
}

export function localProcessing(ctx: Ctx, pool: pg.Pool, options: { concurrency: number; reader: MailReader }): LocalProcessing {
  const queue: { id: string; done: () => void }[] = [];
  const inFlight = new Set<Promise<void>>();
  let closed = false;

  /** Processes those of `ids` no other processor holds; answers the ids now processed. */
  async function processBatch(ids: string[]): Promise<Set<string>> {
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ id: string }>('SELECT id FROM unnest($2::text[]) AS id WHERE pg_try_advisory_lock($1, hashtext(id))', [
        LOCK_SPACE,
        ids,
      ]);
      if (!rows.length) return new Set();
      try {
        return await processInboundMessages(
          ctx,
          client,
          rows.map((r) => r.id),
          { reader: options.reader },
        );
      } finally {
        // This connection holds only this batch's locks.
        await client.query('SELECT pg_advisory_unlock_all()');
      }
    } finally {
      client.release();
    }
  }

  function pump() {
    while (!closed && inFlight.size < options.concurrency && queue.length) {
      const batch = queue.splice(0, MAX_BATCH);
      const run: Promise<void> = processBatch(batch.map((b) => b.id))
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
    async processLocked(inboundIds) {
      const processed = await processBatch(inboundIds);
      return inboundIds.every((id) => processed.has(id));
    },
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
