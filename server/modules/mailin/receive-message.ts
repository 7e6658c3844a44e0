// The first thing done with any message that reaches Convene, whichever way it came: store it raw,
// once per Message-ID, with its processing job, in one transaction. Only then is the sender told
// "250 accepted" (or the pipe "202"): a crash after that point loses nothing (the job is durable and
// any instance runs it), and a message delivered again is counted, not processed again.
import { createHash } from 'node:crypto';
import { Prisma } from '../../generated/prisma/client.ts';
import { groupCommit } from '../../lib/group-commit.ts';
import { transact, type Ctx } from '../../lib/use-case.ts';
import { uuidv7 } from '../../lib/uuid.ts';
import type { Authentication } from './authentication.ts';

export const INBOUND_QUEUE = 'mail.inbound';

/** The messages a job processes (`id`: one message, as jobs stored by earlier releases have it). */
export type InboundJob = { ids: string[] } | { id: string };

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

async function storeMessages(ctx: Ctx, messages: IncomingMessage[]): Promise<{ id: string; duplicate: boolean }[]> {
  const ids = messages.map((m) => messageIdOf(m.raw));
  // One row cannot be inserted and counted again by the same statement: a message delivered twice
  // within one batch makes the batch fail, and group commit then stores each on its own.
  if (new Set(ids).size !== ids.length) throw new Error('the same Message-ID twice in one batch');
  return transact(ctx, async (tx, emit) => {
    const values = messages.map(
      (m, i) => Prisma.sql`(${uuidv7()}::uuid, ${ids[i]!}, ${m.source}, ${m.envelopeFrom ?? null}, ${m.envelopeTo ?? []}::text[],
        ${m.remoteAddress ?? null}, ${m.helo ?? null}, ${m.raw}, ${m.authentication ? JSON.stringify(m.authentication) : null}::jsonb)`,
    );
    const rows = await tx.$queryRaw<{ id: string; messageId: string; inserted: boolean }[]>`
      INSERT INTO "InboundMessage" (id, "messageId", source, "envelopeFrom", "envelopeTo", "remoteAddress", helo, raw, authentication)
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("messageId") DO UPDATE SET deliveries = "InboundMessage".deliveries + 1
      RETURNING id, "messageId", (xmax = 0) AS inserted`;
    const byMessageId = new Map(rows.map((r) => [r.messageId, r]));
    // One job processes the messages stored together (a job per message cost the job store a row,
    // its insert, its fetch and its completion each); it is the durable path, the instance that
    // stored them usually processes them at once (local-processing.ts).
    const stored = rows.filter((r) => r.inserted).map((r) => r.id);
    const jobId = stored.length ? uuidv7() : null;
    if (jobId) await ctx.jobs?.send(INBOUND_QUEUE, { ids: stored } satisfies InboundJob, { tx, id: jobId });
    return messages.map((m, i) => {
      const { id, inserted } = byMessageId.get(ids[i]!)!;
      emit('mailin.received', { inboundId: id, source: m.source, duplicate: !inserted, jobId: inserted ? jobId : null });
      return { id, duplicate: !inserted };
    });
  });
}
