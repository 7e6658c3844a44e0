// JSON shapes of digests (the archive) and deliveries. Recipient addresses only for those who
// may see addresses (conveners, the operator).
import type { Digest, DigestDelivery } from '../../generated/prisma/client.ts';
import { lower } from '../../lib/enum-case.ts';

export type DeliveryCounts = { total: number; sent: number; pending: number; failed: number; dead: number };

export const emptyCounts = (): DeliveryCounts => ({ total: 0, sent: 0, pending: 0, failed: 0, dead: 0 });

export const presentDigestSummary = (d: Digest, delivery: DeliveryCounts) => ({
  id: d.id,
  kind: lower(d.kind),
  subject: d.subject,
  late: d.late,
  createdAt: d.createdAt.toISOString(),
  delivery,
});

export const presentDelivery = (d: DigestDelivery) => ({
  id: d.id,
  digestId: d.digestId,
  recipient: d.recipient,
  kind: d.subscriptionId ? ('subscriber' as const) : ('list' as const),
  messageId: d.messageId,
  state: lower(d.state),
  attempts: d.attempts,
  nextAttemptAt: d.nextAttemptAt.toISOString(),
  sentAt: d.sentAt?.toISOString() ?? null,
  lastError: d.lastError,
});
