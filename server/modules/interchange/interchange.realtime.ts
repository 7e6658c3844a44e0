// An import on sockets: one event for the whole batch (not one per comment: a file of 500 rows
// would flood every open view), on the document's stream, for members who read comments. Open
// views refetch the revision's comments when they see it.
import type { Tx } from '../../lib/use-case.ts';
import type { RealtimeTable } from '../realtime/realtime.registry.ts';
import { inDocument } from '../realtime/realtime.registry.ts';

export async function presentCommentsImported(tx: Tx, { importId }: { importId: string }) {
  const batch = await tx.commentImport.findUnique({ where: { id: importId }, include: { revision: { select: { sequence: true } } } });
  return batch
    ? {
        importId: batch.id,
        documentId: batch.documentId,
        revision: batch.revision.sequence,
        comments: batch.commentCount,
        dispositions: batch.dispositionCount,
      }
    : null;
}

export const interchangeRealtimeEvents: RealtimeTable = {
  'comments.imported': { stream: inDocument, present: presentCommentsImported, read: 'comments.read' },
};
