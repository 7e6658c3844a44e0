// JSON shapes of the digest archive and of deliveries (their own file so the browser client can
// take the types without the server's code).
import { z } from 'zod';
import { nameSchemas } from '../../lib/schemas.ts';

export const DeliveryCountsSchema = z.object({ total: z.number(), sent: z.number(), pending: z.number(), failed: z.number(), dead: z.number() });
export const DigestSummarySchema = z.object({
  id: z.string(),
  kind: z.string(),
  subject: z.string(),
  late: z.boolean(),
  createdAt: z.string(),
  delivery: DeliveryCountsSchema,
});
export const DeliverySchema = z.object({
  id: z.string(),
  digestId: z.string(),
  recipient: z.string(),
  kind: z.enum(['list', 'subscriber']),
  messageId: z.string(),
  state: z.string(),
  attempts: z.number(),
  nextAttemptAt: z.string(),
  sentAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export const DigestDetailSchema = DigestSummarySchema.extend({ html: z.string(), text: z.string(), deliveries: z.array(DeliverySchema).optional() });
export const DigestListSchema = z.object({ digests: z.array(DigestSummarySchema) });
export const SubscriptionSchema = z.object({ subscribed: z.boolean() });
export const SubscriptionBody = z.strictObject({ subscribed: z.boolean() });

// Named in the OpenAPI document's components, referred to wherever a route uses them.
nameSchemas({ DeliveryCounts: DeliveryCountsSchema, DigestSummary: DigestSummarySchema, Delivery: DeliverySchema, Digest: DigestDetailSchema });
