// Test-only domain events, registered on one app as any module registers its own rows.
import type { TestApp } from '../helpers/app.ts';
import { transact } from '../../server/lib/use-case.ts';
import { inDocument, inGroup, inPublicOutputs } from '../../server/modules/realtime/realtime.registry.ts';

declare module '../../server/lib/domain-events.ts' {
  interface DomainEventMap {
    'test.ping': { groupId: string; n: number; note?: string };
    'test.secret': { groupId: string; n: number };
    'test.published': { groupId: string; title: string };
    'test.doc': { groupId: string; documentId: string; n: number };
  }
}

export function registerTestEvents(app: TestApp, documents: Map<string, string> = new Map()) {
  app.realtime.register({
    'test.ping': { stream: inGroup, present: async (_tx, p) => ({ n: p.n, note: p.note ?? null }), read: 'group.read' },
    // Conveners only (audit.read): everyone else in the room must not get it.
    'test.secret': { stream: inGroup, present: async (_tx, p) => ({ n: p.n }), read: 'audit.read' },
    'test.published': { stream: inPublicOutputs, present: async (_tx, p) => ({ title: p.title }), read: 'public' },
    'test.doc': { stream: inDocument, present: async (_tx, p) => ({ n: p.n }), read: 'group.read' },
  });
  app.realtime.resolveDocuments(async (_prisma, id) => (documents.has(id) ? { groupId: documents.get(id)! } : null));
}

export async function ping(app: TestApp, groupId: string, count = 1, note?: string) {
  await transact(app.ctx, async (_tx, emit) => {
    for (let n = 1; n <= count; n++) emit('test.ping', { groupId, n, note });
  });
}
