// The inbound log's JSON shape (operator only: it shows sender addresses).
import { z } from 'zod';
import { nameSchemas } from '../../lib/schemas.ts';

export const INBOUND_OUTCOMES = ['pending', 'accepted', 'refused', 'ignored', 'bounce'] as const;

export const InboundLogQuery = z.strictObject({
  outcome: z.enum(INBOUND_OUTCOMES).optional().describe('Only messages with this outcome (pending: stored, not yet processed)'),
  limit: z.coerce.number().int().min(1, 'must be between 1 and 500').max(500, 'must be between 1 and 500').default(100),
});

export const InboundMessageSchema = z.object({
  id: z.string(),
  messageId: z.string(),
  source: z.string().describe('smtp (the embedded receiver), http (an MTA pipe) or imap'),
  receivedAt: z.string(),
  processedAt: z.string().nullable(),
  deliveries: z.number().int().describe('How many times it was delivered; processed once'),
  from: z.string().nullable(),
  subject: z.string().nullable(),
  outcome: z.enum(INBOUND_OUTCOMES),
  reason: z.string().nullable().describe('A stable code: deadline_passed, sender_mismatch, not_authenticated, auto_generated, hard_bounce, …'),
  detail: z.string().nullable().describe('The sentence the sender was told (or, for mail not answered, what was done)'),
  purpose: z.string().nullable(),
  resultUrl: z.string().nullable(),
  authentication: z.object({ by: z.string(), dkim: z.string(), spf: z.string(), dmarc: z.string(), note: z.string().optional() }).nullable(),
  answered: z.boolean(),
});
export const InboundLogSchema = z.object({ messages: z.array(InboundMessageSchema) });

export const PipeResultSchema = z.object({
  id: z.string(),
  duplicate: z.boolean().describe('Already stored under this Message-ID: counted, not processed again'),
});

nameSchemas({ InboundMessage: InboundMessageSchema, InboundLog: InboundLogSchema, PipeResult: PipeResultSchema });
