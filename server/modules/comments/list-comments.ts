// Reading comments: filtered pages with a cursor and counts per clause, and a document's full
// set (every revision, replies included) in one request for the disposition exports.
import { Prisma, type CarryForwardReason, type Comment } from '../../generated/prisma/client.ts';
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { commentContextInclude, type CommentWithContext } from './comments.presenter.ts';

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

const include = commentContextInclude;

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

interface ExportRow {
  id: string; documentId: string; revisionId: string; sequence: number; clauseId: string | null; clauseNumber: string | null; parentId: string | null;
  authorId: string; authorName: string; authorAffiliation: string; type: Comment['type']; body: string; bodyHtml: string; proposedChange: string;
  quotedText: string | null; status: Comment['status']; version: number; createdAt: Date; updatedAt: Date; withdrawnAt: Date | null;
}
interface LinkRow { commentId: string; revisionId: string; sequence: number; clauseId: string | null; clauseNumber: string | null; reason: CarryForwardReason; similarity: number }

/**
 * Every comment and reply of the document, oldest first, with where each was carried. Two flat
 * statements run side by side (comments with author, revision and clause joined; the document's
 * carry-forward links), merged here: Prisma's nested includes cost several round trips, and
 * aggregating the links to JSON per comment in SQL took longer than reading them flat. They run on
 * the pool directly (ctx.runStatement): Prisma's mapping of 2,000 raw rows was a seventh of the time.
 */
export async function listAllComments(ctx: Ctx, documentId: string): Promise<CommentWithContext[]> {
  const [rows, links] = await Promise.all([
    ctx.runStatement<ExportRow>(Prisma.sql`
      SELECT c.id, c."documentId", c."revisionId", r.sequence, c."clauseId", cl.number AS "clauseNumber", c."parentId",
             c."authorId", u.name AS "authorName", u.affiliation AS "authorAffiliation", c.type::text AS type, c.body, c."bodyHtml",
             c."proposedChange", c."quotedText", c.status::text AS status, c.version, c."createdAt", c."updatedAt", c."withdrawnAt"
      FROM "Comment" c
      JOIN "User" u ON u.id = c."authorId"
      JOIN "Revision" r ON r.id = c."revisionId"
      LEFT JOIN "Clause" cl ON cl.id = c."clauseId"
      WHERE c."documentId" = ${documentId}::uuid
      ORDER BY c."createdAt", c.id`),
    ctx.runStatement<LinkRow>(Prisma.sql`
      SELECT l."commentId", l."revisionId", lr.sequence, l."clauseId", lc.number AS "clauseNumber", l.reason::text AS reason, l.similarity
      FROM "CommentCarryForward" l
      JOIN "Revision" lr ON lr.id = l."revisionId" AND lr."documentId" = ${documentId}::uuid
      LEFT JOIN "Clause" lc ON lc.id = l."clauseId"
      ORDER BY lr.sequence`),
  ]);
  const carried = new Map<string, NonNullable<CommentWithContext['carriedTo']>>();
  for (const l of links) {
    const list = carried.get(l.commentId) ?? [];
    list.push({ revisionId: l.revisionId, clauseId: l.clauseId, reason: l.reason, similarity: l.similarity, revision: { sequence: l.sequence }, clause: l.clauseNumber === null ? null : { number: l.clauseNumber } });
    carried.set(l.commentId, list);
  }
  return rows.map((r) => ({
    id: r.id, documentId: r.documentId, revisionId: r.revisionId, clauseId: r.clauseId, parentId: r.parentId, authorId: r.authorId,
    type: r.type, body: r.body, bodyHtml: r.bodyHtml, proposedChange: r.proposedChange, quotedText: r.quotedText, status: r.status,
    version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt, withdrawnAt: r.withdrawnAt,
    author: { id: r.authorId, name: r.authorName, affiliation: r.authorAffiliation },
    revision: { sequence: r.sequence },
    clause: r.clauseNumber === null ? null : { number: r.clauseNumber },
    carriedTo: carried.get(r.id) ?? [],
  }));
}

export async function listReplies(ctx: Ctx, commentId: string) {
  return (await ctx.prisma.comment.findMany({ where: { parentId: commentId }, include, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] })) as CommentWithContext[];
}
