// Reading comments: filtered pages with a cursor and counts per clause, and a document's full
// set (every revision, replies included) in one request for the disposition exports.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import type { CommentWithContext } from './comments.presenter.ts';

export interface CommentFilters {
  revision?: number;
  clauseId?: string;
  /** With clauseId or revision: also the earlier comments carried forward to it. */
  carried?: boolean;
  type?: 'GENERAL' | 'TECHNICAL' | 'EDITORIAL';
  status?: 'OPEN' | 'WITHDRAWN';
  /** Case-insensitive part of the author's affiliation ("SG20", "Korea"). */
  affiliation?: string;
  authorId?: string;
  includeReplies?: boolean;
}

const include = {
  author: { select: { id: true, name: true, affiliation: true } },
  revision: { select: { sequence: true } },
  clause: { select: { number: true } },
  _count: { select: { replies: true } },
} as const;

// Cursor: the last item's (createdAt, id), opaque to clients.
const encodeCursor = (c: { createdAt: Date; id: string }) => Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw AppError.badRequest('invalid_cursor', 'cursor: is not a cursor this server gave out.', { field: 'cursor' });
  return { createdAt, id };
}

async function whereFor(ctx: Ctx, documentId: string, f: CommentFilters): Promise<Prisma.CommentWhereInput> {
  const and: Prisma.CommentWhereInput[] = [{ documentId }];
  let revisionId: string | undefined;
  if (f.revision !== undefined) {
    const revision = await ctx.prisma.revision.findUnique({ where: { documentId_sequence: { documentId, sequence: f.revision } }, select: { id: true } });
    if (!revision) throw AppError.notFound(`Revision ${f.revision} of that document`, 'revision_not_found');
    revisionId = revision.id;
  }
  if (f.clauseId) {
    and.push(f.carried ? { OR: [{ clauseId: f.clauseId }, { carriedTo: { some: { clauseId: f.clauseId } } }] } : { clauseId: f.clauseId });
  } else if (revisionId) {
    and.push(f.carried ? { OR: [{ revisionId }, { carriedTo: { some: { revisionId } } }] } : { revisionId });
  }
  if (f.type) and.push({ type: f.type });
  if (f.status) and.push({ status: f.status });
  if (f.authorId) and.push({ authorId: f.authorId });
  if (f.affiliation) and.push({ author: { affiliation: { contains: f.affiliation, mode: 'insensitive' } } });
  if (!f.includeReplies) and.push({ parentId: null });
  return { AND: and };
}

export async function listComments(ctx: Ctx, input: { documentId: string; filters: CommentFilters; cursor?: string; limit: number }) {
  const where = await whereFor(ctx, input.documentId, input.filters);
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const page: Prisma.CommentWhereInput = after
    ? { AND: [where, { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }] }
    : where;
  // Counts per clause ignore the clause filter, so a client can badge every clause at once.
  const countWhere = await whereFor(ctx, input.documentId, { ...input.filters, clauseId: undefined });
  const [rows, byClause, total] = await Promise.all([
    ctx.prisma.comment.findMany({ where: page, include, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: input.limit + 1 }),
    ctx.prisma.comment.groupBy({ by: ['clauseId'], where: countWhere, _count: { _all: true } }),
    ctx.prisma.comment.count({ where }),
  ]);
  const more = rows.length > input.limit;
  const comments = (more ? rows.slice(0, input.limit) : rows) as CommentWithContext[];
  return {
    comments,
    nextCursor: more ? encodeCursor(comments.at(-1)!) : null,
    total,
    byClause: byClause.map((g) => ({ clauseId: g.clauseId, count: g._count._all })),
  };
}

/** Every comment and reply of the document, oldest first, with where each was carried. */
export async function listAllComments(ctx: Ctx, documentId: string) {
  const comments = await ctx.prisma.comment.findMany({
    where: { documentId },
    include: {
      author: { select: { id: true, name: true, affiliation: true } },
      revision: { select: { sequence: true } },
      clause: { select: { number: true } },
      carriedTo: { select: { revisionId: true, clauseId: true, reason: true, similarity: true, revision: { select: { sequence: true } }, clause: { select: { number: true } } } },
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return comments as CommentWithContext[];
}

export async function listReplies(ctx: Ctx, commentId: string) {
  return (await ctx.prisma.comment.findMany({ where: { parentId: commentId }, include, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] })) as CommentWithContext[];
}
