// After commit: when a new comment period opens on a document, the objections still standing
// from the last round are raised as one event, for the digest (which lists them to the group)
// and realtime. Nothing is written: the objections stay on their dispositions. Also the digest
// sources (conveners' draft, final report).
import type { FastifyInstance } from 'fastify';
import { listUnresolvedObjections } from './read-dispositions.ts';
import { provideDispositionDigestSources } from './dispositions.digest-sources.ts';

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'dispositions.objections_outstanding': { groupId: string; documentId: string; periodId: string; dispositionIds: string[]; commentIds: string[] };
  }
}

export function subscribeDispositionEvents(app: FastifyInstance) {
  provideDispositionDigestSources(app.digestSources, app.config);
  app.ctx.events.on('periods.created', async (e) => {
    const objections = await listUnresolvedObjections(app.ctx, { groupId: e.groupId, documentId: e.documentId, audience: 'members' });
    if (!objections.length) return;
    app.ctx.events.publish([
      {
        name: 'dispositions.objections_outstanding',
        payload: {
          groupId: e.groupId,
          documentId: e.documentId,
          periodId: e.periodId,
          dispositionIds: objections.map((o) => o.disposition.id!),
          commentIds: objections.map((o) => o.comment.id),
        },
      },
    ]);
  });
}
