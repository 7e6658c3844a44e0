// The operator's inbound log: what came in, newest first, and what became of it.
import type { Ctx } from '../../lib/use-case.ts';
import type { Authentication } from './authentication.ts';
import type { INBOUND_OUTCOMES } from './mailin.schemas.ts';

type Outcome = (typeof INBOUND_OUTCOMES)[number];

export async function readInboundLog(ctx: Ctx, filter: { outcome?: Outcome | undefined; limit: number }) {
  const rows = await ctx.prisma.inboundMessage.findMany({
    where: filter.outcome === 'pending' ? { processedAt: null } : filter.outcome ? { outcome: filter.outcome } : {},
    orderBy: { receivedAt: 'desc' },
    take: filter.limit,
    omit: { raw: true },
  });
  return rows.map((r) => ({
    id: r.id,
    messageId: r.messageId,
    source: r.source,
    receivedAt: r.receivedAt.toISOString(),
    processedAt: r.processedAt?.toISOString() ?? null,
    deliveries: r.deliveries,
    from: r.fromAddress ?? r.envelopeFrom,
    subject: r.subject,
    outcome: (r.processedAt ? r.outcome : 'pending') as Outcome,
    reason: r.reason,
    detail: r.detail,
    purpose: r.purpose,
    resultUrl: r.resultUrl,
    authentication: (r.authentication as Authentication | null) ?? null,
    answered: r.answered,
  }));
}
