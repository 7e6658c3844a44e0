// Documents on sockets: where a document lives (so members may follow it) and a newly posted
// revision (open views offer to switch to it).
import type { Tx } from '../../lib/use-case.ts';
import type { DocumentResolver, RealtimeTable } from '../realtime/realtime.registry.ts';
import { inDocument, inGroup } from '../realtime/realtime.registry.ts';
import { presentDocument, presentRevisionSummary } from './revisions.presenter.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const resolveDocument: DocumentResolver = async (prisma, documentId) => {
  if (!UUID.test(documentId)) return null;
  const document = await prisma.document.findUnique({ where: { id: documentId }, select: { groupId: true } });
  return document ? { groupId: document.groupId, readAction: 'documents.read' } : null;
};

export async function presentRevisionPosted(tx: Tx, { revisionId }: { revisionId: string }) {
  const revision = await tx.revision.findUnique({ where: { id: revisionId }, include: { postedBy: true, _count: { select: { clauses: true } } } });
  return revision ? presentRevisionSummary(revision) : null;
}

/** documents.created, on the group's stream (nobody follows a new document's own stream yet). */
export async function presentDocumentCreated(tx: Tx, { documentId }: { documentId: string }) {
  const document = await tx.document.findUnique({ where: { id: documentId } });
  return document ? presentDocument(document) : null;
}

export const revisionRealtimeEvents: RealtimeTable = {
  'revisions.posted': { stream: inDocument, present: presentRevisionPosted, read: 'documents.read' },
  // A new document is news for the group: nobody follows its own stream yet.
  'documents.created': { stream: inGroup, present: presentDocumentCreated, read: 'documents.read' },
};
