// Documents and revisions on sockets: where a document lives (for subscribe checks), and how
// their events look (the HTTP presenters, read inside the transaction of the change).
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Tx } from '../../lib/use-case.ts';
import type { GroupAction } from '../groups/groups.policy.ts';
import { derivePhase } from '../periods/phase.ts';
import { presentDocument, presentRevisionSummary } from './revisions.presenter.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The realtime document resolver: the group a document belongs to, or null (also for ids that are not UUIDs). */
export async function locateDocument(prisma: PrismaClient, documentId: string): Promise<{ groupId: string; readAction: GroupAction } | null> {
  if (!UUID.test(documentId)) return null;
  const document = await prisma.document.findUnique({ where: { id: documentId }, select: { groupId: true } });
  return document ? { groupId: document.groupId, readAction: 'documents.read' } : null;
}

export async function presentDocumentEvent(tx: Tx, { documentId }: { documentId: string }) {
  const document = await tx.document.findUnique({
    where: { id: documentId },
    include: { revisions: { orderBy: { sequence: 'desc' }, take: 1, include: { postedBy: { select: { id: true, name: true, affiliation: true } } } } },
  });
  return document ? { document: presentDocument(document) } : null;
}

/** documents.published changes the group's phase: the event carries the new one. */
export async function presentDocumentPublished(tx: Tx, payload: { documentId: string; groupId: string }) {
  const presented = await presentDocumentEvent(tx, payload);
  const group = await tx.group.findUnique({ where: { id: payload.groupId } });
  if (!presented || !group) return null;
  return { ...presented, phase: await derivePhase({ prisma: tx }, group) };
}

export async function presentRevisionPosted(tx: Tx, { revisionId }: { revisionId: string }) {
  const revision = await tx.revision.findUnique({
    where: { id: revisionId },
    include: { postedBy: { select: { id: true, name: true, affiliation: true } }, _count: { select: { clauses: true } } },
  });
  return revision ? { revision: presentRevisionSummary(revision) } : null;
}
