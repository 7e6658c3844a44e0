// The first thing done with any message that reaches Convene, whichever way it came: store it raw,
// once per Message-ID, with its processing job, in one transaction. Only then is the sender told
// "250 accepted" (or the pipe "202"): a crash after that point loses nothing (the job is durable and
// any instance runs it), and a message delivered again is counted, not processed again.
import { createHash } from 'node:crypto';
import { transact, type Ctx } from '../../lib/use-case.ts';
import { uuidv7 } from '../../lib/uuid.ts';
import type { Authentication } from './authentication.ts';

export const INBOUND_QUEUE = 'mail.inbound';

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    /** A message was stored (or, `duplicate`, counted again). Operations count intake with it. */
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

export async function receiveMessage(ctx: Ctx, message: IncomingMessage): Promise<{ id: string; duplicate: boolean }> {
  const messageId = messageIdOf(message.raw);
  return transact(ctx, async (tx, emit) => {
    const [row] = await tx.$queryRaw<{ id: string; inserted: boolean }[]>`
      INSERT INTO "InboundMessage" (id, "messageId", source, "envelopeFrom", "envelopeTo", "remoteAddress", helo, raw, authentication)
      VALUES (${uuidv7()}::uuid, ${messageId}, ${message.source}, ${message.envelopeFrom ?? null}, ${message.envelopeTo ?? []}::text[],
              ${message.remoteAddress ?? null}, ${message.helo ?? null}, ${message.raw},
              ${message.authentication ? JSON.stringify(message.authentication) : null}::jsonb)
      ON CONFLICT ("messageId") DO UPDATE SET deliveries = "InboundMessage".deliveries + 1
      RETURNING id, (xmax = 0) AS inserted`;
    const { id, inserted } = row!;
    let jobId: string | null = null;
    if (inserted) {
      jobId = uuidv7();
      await ctx.jobs?.send(INBOUND_QUEUE, { id }, { tx, id: jobId });
    }
    emit('mailin.received', { inboundId: id, source: message.source, duplicate: !inserted, jobId });
    return { id, duplicate: !inserted };
  });
}
