// How comment events look on sockets: the HTTP presenter, read inside the transaction of the
// change (so the event shows exactly what committed). Authors as name and affiliation only.
import type { Tx } from '../../lib/use-case.ts';
import { presentComment, type CommentWithContext } from './comments.presenter.ts';

const withContext = {
  author: { select: { id: true, name: true, affiliation: true } },
  revision: { select: { sequence: true } },
  clause: { select: { number: true } },
} as const;

/** comments.created (replies too), comments.updated, comments.withdrawn: the comment as it now is. */
export async function presentCommentEvent(tx: Tx, { commentId }: { commentId: string }) {
  const comment = await tx.comment.findUnique({ where: { id: commentId }, include: withContext });
  return comment ? { comment: presentComment(comment as CommentWithContext) } : null;
}
