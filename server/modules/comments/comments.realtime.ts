// How comment events look on sockets: the comment as the HTTP routes present it, read inside the
// transaction of the change (so the event shows exactly what was committed). Clients upsert it by
// id: created, edited and withdrawn all carry the whole comment, so applying one twice is harmless.
import type { Tx } from '../../lib/use-case.ts';
import type { RealtimeTable } from '../realtime/realtime.registry.ts';
import { inDocument } from '../realtime/realtime.registry.ts';
import { commentContextInclude, presentComment, type CommentWithContext } from './comments.presenter.ts';

const include = commentContextInclude;

export async function presentCommentEvent(tx: Tx, { commentId }: { commentId: string }) {
  const comment = await tx.comment.findUnique({ where: { id: commentId }, include });
  return comment ? presentComment(comment as CommentWithContext) : null;
}

export const commentRealtimeEvents: RealtimeTable = {
  'comments.created': { stream: inDocument, present: presentCommentEvent, read: 'comments.read' },
  'comments.updated': { stream: inDocument, present: presentCommentEvent, read: 'comments.read' },
  'comments.withdrawn': { stream: inDocument, present: presentCommentEvent, read: 'comments.read' },
};
