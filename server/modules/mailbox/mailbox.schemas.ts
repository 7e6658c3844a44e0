// Shapes of the local mailbox routes, shared with the browser client (which imports their types only).
import { z } from 'zod';
import { nameSchemas } from '../../lib/schemas.ts';

export const MailboxSummary = z.object({ id: z.string(), to: z.string(), from: z.string(), subject: z.string(), createdAt: z.string() });
export const MailboxList = z.object({ mode: z.enum(['smtp', 'mailbox']), messages: z.array(MailboxSummary) });
export const MailboxMessage = MailboxSummary.extend({ messageId: z.string(), html: z.string(), text: z.string(), headers: z.record(z.string(), z.string()) });

// Named in the OpenAPI document's components, referred to wherever a route uses them.
nameSchemas({ MailboxSummary, MailboxMessage });
