// How comment events look on sockets: the comment as the HTTP routes present it, read inside the
// transaction of the change (so the event shows exactly what was committed). Clients upsert it by
// id: created, edited and withdrawn all carry the whole comment, so applying one twice is harmless.
import type { Tx } from '../../lib/use-case.ts';
import type { Comment } from '../../generated/prisma/client.ts';
import type { RealtimeTable } from '../realtime/realtime.registry.ts';
import { inDocument } from '../realtime/realtime.registry.ts';
import { presentComment } from './comments.presenter.ts';

/** One statement (commentContextInclude through Prisma costs a query per relation, inside the writer's transaction). */
export async function presentCommentEvent(tx: Tx, { commentId }: { commentId: string }) {
  type Row = Comment & { authorName: string; authorAffiliation: string; sequence: number; clauseNumber: string | null; replies: number };
  const [row] = await tx.$queryRaw<Row[]>`
    SELECT c.id, c."documentId", c."revisionId", c."clauseId", c."parentId", c."authorId", c.type::text AS type, c.body, c."bodyHtml",
           c."proposedChange", c."quotedText", c.status::text AS status, c.version, c."createdAt", c."updatedAt", c."withdrawnAt",
           u.name AS "authorName", u.affiliation AS "authorAffiliation", r.sequence, cl.number AS "clauseNumber",
           (SELECT count(*)::int FROM "Comment" x WHERE x."parentId" = c.id) AS replies
    FROM "Comment" c
    JOIN "User" u ON u.id = c."authorId"
    JOIN "Revision" r ON r.id = c."revisionId"
    LEFT JOIN "Clause" cl ON cl.id = c."clauseId"
    WHERE c.id = ${commentId}::uuid`;
  if (!row) return null;
  const { authorName, authorAffiliation, sequence, clauseNumber, replies, ...comment } = row;
  return presentComment({
    ...comment,
    author: { id: comment.authorId, name: authorName, affiliation: authorAffiliation },
    revision: { sequence },
    clause: clauseNumber === null ? null : { number: clauseNumber },
    _count: { replies },
  });
}

export const commentRealtimeEvents: RealtimeTable = {
  'comments.created': { stream: inDocument, present: presentCommentEvent, read: 'comments.read' },
  'comments.updated': { stream: inDocument, present: presentCommentEvent, read: 'comments.read' },
  'comments.withdrawn': { stream: inDocument, present: presentCommentEvent, read: 'comments.read' },
};
