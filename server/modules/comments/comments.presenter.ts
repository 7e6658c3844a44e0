// JSON shape of a comment, for HTTP and socket events alike. The author appears as
// {id, name, affiliation} only (no e-mail: PII). body is the Markdown as written (render it
// escaped); bodyHtml is sanitized and safe to insert.
import type { Comment, CommentCarryForward, CommentEdit } from '../../generated/prisma/client.ts';
import { lower } from '../../lib/enum-case.ts';
import { presentPerson, type PersonLike } from '../users/users.presenter.ts';

/** What a comment is read with to be presented (author, revision, clause, reply count). */
export const commentContextInclude = {
  author: { select: { id: true, name: true, affiliation: true } },
  revision: { select: { sequence: true } },
  clause: { select: { number: true } },
  _count: { select: { replies: true } },
} as const;

export type CommentWithContext = Comment & {
  author: PersonLike;
  revision: { sequence: number };
  clause: { number: string } | null;
  carriedTo?: Array<
    Pick<CommentCarryForward, 'revisionId' | 'clauseId' | 'reason' | 'similarity'> & { revision?: { sequence: number }; clause?: { number: string } | null }
  >;
  _count?: { replies: number };
};

/** A carry-forward similarity as the API shows it: three decimals. */
export const roundSimilarity = (similarity: number) => Math.round(similarity * 1000) / 1000;

export const presentCarry = (l: NonNullable<CommentWithContext['carriedTo']>[number]) => ({
  revisionId: l.revisionId,
  revision: l.revision?.sequence ?? null,
  clauseId: l.clauseId,
  clauseNumber: l.clause?.number ?? null,
  reason: lower(l.reason),
  similarity: roundSimilarity(l.similarity),
});

export function presentComment(c: CommentWithContext) {
  return {
    id: c.id,
    documentId: c.documentId,
    revisionId: c.revisionId,
    revision: c.revision.sequence,
    clauseId: c.clauseId,
    clauseNumber: c.clause?.number ?? null,
    parentId: c.parentId,
    author: presentPerson(c.author),
    type: c.type ? lower(c.type) : null,
    body: c.body,
    bodyHtml: c.bodyHtml,
    proposedChange: c.proposedChange,
    quotedText: c.quotedText,
    status: lower(c.status),
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    withdrawnAt: c.withdrawnAt?.toISOString() ?? null,
    ...(c._count ? { replyCount: c._count.replies } : {}),
    ...(c.carriedTo ? { carriedTo: c.carriedTo.map(presentCarry) } : {}),
  };
}

export const presentCommentEdit = (e: CommentEdit) => ({
  version: e.version,
  type: e.type ? lower(e.type) : null,
  body: e.body,
  bodyHtml: e.bodyHtml,
  proposedChange: e.proposedChange,
  quotedText: e.quotedText,
  replacedAt: e.replacedAt.toISOString(),
});
