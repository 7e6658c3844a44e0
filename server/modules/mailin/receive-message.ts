// The first thing done with any message that reaches Convene, whichever way it came: store it raw,
// once per Message-ID, with a job that will process it, in one transaction. Only then is the sender
// told "250 accepted" (or the pipe "202"): a crash after that point loses nothing (the job is
// durable and any instance runs it), and a message delivered again is counted, not processed again.
//
// Which job: an instance that runs no workers stores each batch with a job that processes it at
// once (on an instance that does). One that runs workers processes what it stores itself, at once
// (local-processing.ts); its job is then only the way back after a crash or a failure, so one job
// covers every message it stores in a window of RECEIPT_WINDOW_MS (the rows' ids are time-ordered:
// the job names the window's range of ids) and runs MAIL_INBOUND_RECOVERY_SECONDS after the window
// closes. A job in every receipt was most of what a burst of replies cost PostgreSQL: pg-boss's
// insert, planned each time, and its completion, for work the instance was doing anyway
// (bench/mail-intake.bench.ts: 0.69 → 0.40 ms of PostgreSQL's CPU per reply).
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { DomainEvent } from '../../lib/domain-events.ts';
import { groupCommit } from '../../lib/group-commit.ts';
import { inTransaction, pipelined } from '../../lib/pipelined.ts';
import type { Ctx } from '../../lib/use-case.ts';
import { uuidv7, uuidv7Floor, uuidv7Time } from '../../lib/uuid.ts';
import type { Authentication } from './authentication.ts';

export const INBOUND_QUEUE = 'mail.inbound';

/**
 * The messages a job processes: `ids` those stored together; `from`/`to` every message whose id
 * falls in [from, to) (a receipt window's); `id` one message (as jobs stored by earlier releases have it).
 */
export type InboundJob = { ids: string[] } | { from: string; to: string } | { id: string };

/** How long one recovery job covers an instance's receipts. */
export const RECEIPT_WINDOW_MS = 10_000;

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    /** A message was stored (or, `duplicate`, counted again), with the job that processes it (null: a duplicate). Operations count intake with it. */
    'mailin.received': { inboundId: string; source: string; duplicate: boolean; jobId: string | null };
    /** A stored message was processed: accepted, refused (with its reason), ignored (machine mail) or a bounce. */
    'mailin.processed': { inboundId: string; outcome: string; reason: string | null };
  }
}

export interface IncomingMessage {
  raw: Buffer;
  source: 'smtp' | 'http' | 'imap';
  envelopeFrom?: string | null;
  envelopeTo?: string[];
  remoteAddress?: string | null;
  helo?: string | null;
  /** Checked at receipt from the receiving MTA's own header (pipe, IMAP); the embedded receiver's is checked by the job. */
  authentication?: Authentication | null;
}

/** The Message-ID header (read from the header block alone), else a hash of the message. */
export function messageIdOf(raw: Buffer): string {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw
    .subarray(0, end >= 0 ? end : Math.min(raw.length, 64 * 1024))
    .toString('latin1')
    .replace(/\r?\n[ \t]+/g, ' ');
  const id = /^message-id:[ \t]*(.+?)[ \t]*$/im.exec(head)?.[1];
  return id ? id.slice(0, 500) : `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

/**
 * Stores the message and its job; resolves once both are committed (the SMTP "250", the pipe's
 * "202"). Messages arriving while earlier ones are being stored go together (group-commit.ts): one
 * transaction, one INSERT of all of them and one of their jobs, whatever the number of SMTP sessions
 * delivering at once — what made a burst of replies cost four round trips and a commit each.
 */
export function receiveMessage(ctx: Ctx, message: IncomingMessage): Promise<{ id: string; duplicate: boolean }> {
  let store = stores.get(ctx);
  if (!store) {
    store = groupCommit<IncomingMessage, { id: string; duplicate: boolean }>({
      maxBatch: 50,
      // One batch in the database at a time: the sessions delivering meanwhile all go in the next.
      maxInFlight: 1,
      write: (messages) => storeMessages(ctx, messages),
    });
    stores.set(ctx, store);
  }
  return store(message);
}

const stores = new WeakMap<Ctx, (message: IncomingMessage) => Promise<{ id: string; duplicate: boolean }>>();
const connections = new WeakMap<Ctx, pg.Pool>();
/** Per instance that processes what it stores: the committed recovery job of its current receipt window. */
const windows = new WeakMap<Ctx, { jobId: string; from: number; to: number }>();

/**
 * The job this batch is stored with, or null when the window's job (committed) already covers every
 * one of its ids. Batches are stored one at a time (maxInFlight 1), so a window's job is committed
 * before the next batch looks.
 */
function jobFor(ctx: Ctx, rowIds: string[]): { id: string; data: InboundJob; startAfter?: number; window?: { from: number; to: number } } | null {
  if (!ctx.config.jobs.workers) return { id: uuidv7(), data: { ids: rowIds } };
  const times = rowIds.map(uuidv7Time);
  const first = Math.min(...times);
  const last = Math.max(...times);
  const current = windows.get(ctx);
  if (current && first >= current.from && last < current.to) return null;
  const from = first;
  const to = Math.max(first + RECEIPT_WINDOW_MS, last + 1);
  // Seconds from now until the window has closed and MAIL_INBOUND_RECOVERY_SECONDS more have passed:
  // a receipt of the window that is still being written by then (its statements are bounded by the
  // statement timeout) would be processed by the living instance at once anyway.
  const startAfter = Math.ceil((to - Date.now()) / 1000) + ctx.config.mailIn.recoverySeconds;
  return { id: uuidv7(), data: { from: uuidv7Floor(from), to: uuidv7Floor(to) }, startAfter, window: { from, to } };
}

/**
 * Receipts are written on `pool` (index.ts: a connection of their own), else on the job store's.
 * Pipelined (lib/pipelined.ts), a batch's four statements go to the database at once, in one
 * socket write, and are answered together: one round trip where there were four in a row, which is
 * what every SMTP session in the batch waited for (and what a loaded machine stretches most).
 */
export function receiveOn(ctx: Ctx, pool: pg.Pool): void {
  connections.set(ctx, pool);
}

async function storeMessages(ctx: Ctx, messages: IncomingMessage[]): Promise<{ id: string; duplicate: boolean }[]> {
  const ids = messages.map((m) => messageIdOf(m.raw));
  const rowIds = messages.map(() => uuidv7());
  // One row cannot be inserted and counted again by the same statement: a message delivered twice
  // within one batch makes the batch fail, and group commit then stores each on its own.
  if (new Set(ids).size !== ids.length) throw new Error('the same Message-ID twice in one batch');
  const values: unknown[] = [];
  const tuples = messages.map((m, i) => {
    const at = values.length;
    values.push(rowIds[i], ids[i], m.source, m.envelopeFrom ?? null, m.envelopeTo ?? [], m.remoteAddress ?? null, m.helo ?? null, m.raw);
    values.push(m.authentication ? JSON.stringify(m.authentication) : null);
    return `($${at + 1}::uuid, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}::text[], $${at + 6}, $${at + 7}, $${at + 8}, $${at + 9}::jsonb)`;
  });
  const insert = `
    INSERT INTO "InboundMessage" (id, "messageId", source, "envelopeFrom", "envelopeTo", "remoteAddress", helo, raw, authentication)
    VALUES ${tuples.join(', ')}
    ON CONFLICT ("messageId") DO UPDATE SET deliveries = "InboundMessage".deliveries + 1
    RETURNING id, "messageId", (xmax = 0) AS inserted`;
  // On a connection of its own (or the job store's), not through Prisma: the receipt is the hot
  // path of a burst (every SMTP "250" waits for it). `mailin.received` has only in-process
  // subscribers (checked at start), so nothing of it needs to be written in this transaction.
  const job = jobFor(ctx, rowIds);
  const pool = connections.get(ctx) ?? ctx.jobs!.pool;
  // Covered by its window's job (committed already), the batch is one INSERT, atomic on its own.
  // With a job, both go in one transaction: pg-boss refusing the job before writing it throws, so
  // nothing is committed (a message stored without its job would wait for a crash-free fast path
  // alone). Its statements are issued without waiting for one another, so the job is written before
  // the INSERT says which messages were new: a duplicate's id (its row not inserted) is simply not
  // found when the job runs.
  const { inserted } = job
    ? await pipelined(pool, (p) =>
        inTransaction(p, async () => {
          const inserted = p.executeSql(insert, values);
          await ctx.jobs!.send(INBOUND_QUEUE, job.data, { id: job.id, pipeline: p, ...(job.startAfter ? { startAfter: job.startAfter } : {}) });
          // Not awaited here: COMMIT goes out behind the INSERT before its answer is back.
          return { inserted };
        }),
      )
    : // Prepared once per connection and batch size (its text depends on nothing else).
      { inserted: pool.query({ name: `convene_receipt_${messages.length}`, text: insert, values }) };
  if (job?.window) windows.set(ctx, { jobId: job.id, ...job.window });
  const rows = (await inserted).rows as { id: string; messageId: string; inserted: boolean }[];
  // A batch of messages all delivered before, stored with a job of its own, has nothing for it to
  // do: it is completed now (were this lost, the job would run, find nothing and complete).
  if (job && !job.window && !rows.some((r) => r.inserted)) await ctx.jobs!.completeQueued(INBOUND_QUEUE, [job.id]).catch(() => {});
  const byMessageId = new Map(rows.map((r) => [r.messageId, r]));
  const events: DomainEvent[] = [];
  const results = messages.map((m, i) => {
    const { id, inserted } = byMessageId.get(ids[i]!)!;
    events.push({
      name: 'mailin.received',
      payload: { inboundId: id, source: m.source, duplicate: !inserted, jobId: inserted ? (job?.id ?? windows.get(ctx)!.jobId) : null },
    });
    return { id, duplicate: !inserted };
  });
  ctx.events.publish(events, []);
  return results;
}
