// Reading comments: filtered pages with a cursor and counts per clause, and a document's full
// set (every revision, replies included) in one request for the disposition exports.
import { Prisma, type CarryForwardReason, type User } from '../../generated/prisma/client.ts';
import { authorize, type GroupAccess } from '../groups/groups.policy.ts';
import { loadDocumentAccess } from '../revisions/documents.ts';
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { commentContextInclude, type presentComment, roundSimilarity, type CommentWithContext } from './comments.presenter.ts';

type CarryForwardReasonName = Lowercase<CarryForwardReason>;

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

// Cursor: the last item's (createdAt, id), opaque to clients.
const encodeCursor = (c: { createdAt: Date; id: string }) => Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id))
    throw AppError.badRequest('invalid_cursor', 'cursor: is not a cursor this server gave out.', { field: 'cursor' });
  return { createdAt, id };
}

/** Prisma's `contains` escaping: the affiliation is matched as typed, % and _ included. */
const likeContains = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

type PageRow = Omit<CommentWithContext, 'createdAt' | 'updatedAt' | 'withdrawnAt'> & { createdAt: string; updatedAt: string; withdrawnAt: string | null };

/**
 * One statement for the page, its total and the counts per clause (the list is read by every
 * participant at a deadline: Prisma's include and two counts took seven round trips). The
 * document is scoped to the group (absent: 404); a revision filter must name one (absent: 404).
 */
export async function listComments(ctx: Ctx, input: { access: GroupAccess; documentId: string; filters: CommentFilters; cursor?: string; limit: number }) {
  authorize(input.access, 'comments.read');
  const f = input.filters;
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const common: Prisma.Sql[] = [Prisma.sql`c."documentId" = (SELECT id FROM doc)`];
  if (f.type) common.push(Prisma.sql`c.type = ${f.type}::"CommentType"`);
  if (f.status) common.push(Prisma.sql`c.status = ${f.status}::"CommentStatus"`);
  if (f.authorId) common.push(Prisma.sql`c."authorId" = ${f.authorId}::uuid`);
  if (f.affiliation) common.push(Prisma.sql`EXISTS (SELECT 1 FROM "User" a WHERE a.id = c."authorId" AND a.affiliation ILIKE ${likeContains(f.affiliation)})`);
  if (!f.includeReplies) common.push(Prisma.sql`c."parentId" IS NULL`);
  // The revision (or clause) the comments are on, or, with `carried`, were carried forward to.
  const revisionScope =
    f.revision === undefined
      ? Prisma.sql`TRUE`
      : f.carried
        ? Prisma.sql`(c."revisionId" = (SELECT id FROM rev) OR EXISTS (SELECT 1 FROM "CommentCarryForward" l WHERE l."commentId" = c.id AND l."revisionId" = (SELECT id FROM rev)))`
        : Prisma.sql`c."revisionId" = (SELECT id FROM rev)`;
  const scope = f.clauseId
    ? f.carried
      ? Prisma.sql`(c."clauseId" = ${f.clauseId}::uuid OR EXISTS (SELECT 1 FROM "CommentCarryForward" l WHERE l."commentId" = c.id AND l."clauseId" = ${f.clauseId}::uuid))`
      : Prisma.sql`c."clauseId" = ${f.clauseId}::uuid`
    : revisionScope;
  const where = Prisma.join([...common, scope], ' AND ');
  // Counts per clause ignore the clause filter, so a client can badge every clause at once.
  const countWhere = Prisma.join([...common, revisionScope], ' AND ');
  const cursor = after ? Prisma.sql`AND (c."createdAt", c.id) > (${after.createdAt}::timestamptz, ${after.id}::uuid)` : Prisma.empty;
  const [row] = await ctx.prisma.$queryRaw<
    [{ documentFound: boolean; revisionFound: boolean; total: number; byClause: Array<{ clauseId: string | null; count: number }>; page: PageRow[] }]
  >`
    WITH doc AS (SELECT id FROM "Document" WHERE id = ${input.documentId}::uuid AND "groupId" = ${input.access.group.id}::uuid),
         rev AS (SELECT r.id FROM "Revision" r WHERE r."documentId" = (SELECT id FROM doc) AND r.sequence = ${f.revision ?? null}::int)
    SELECT EXISTS (SELECT 1 FROM doc) AS "documentFound", EXISTS (SELECT 1 FROM rev) AS "revisionFound",
      (SELECT count(*)::int FROM "Comment" c WHERE ${where}) AS total,
      (SELECT coalesce(json_agg(json_build_object('clauseId', x."clauseId", 'count', x.n)), '[]')
       FROM (SELECT c."clauseId", count(*)::int AS n FROM "Comment" c WHERE ${countWhere} GROUP BY c."clauseId") x) AS "byClause",
      (SELECT coalesce(json_agg(p ORDER BY p."createdAt", p.id), '[]') FROM (
         SELECT c.id, c."documentId", c."revisionId", c."clauseId", c."parentId", c."authorId", c.type, c.body, c."bodyHtml", c."proposedChange",
                c."quotedText", c.status, c.version, c."createdAt", c."updatedAt", c."withdrawnAt",
                json_build_object('id', u.id, 'name', u.name, 'affiliation', u.affiliation) AS author,
                json_build_object('sequence', r.sequence) AS revision,
                CASE WHEN cl.id IS NULL THEN NULL ELSE json_build_object('number', cl.number) END AS clause,
                json_build_object('replies', (SELECT count(*) FROM "Comment" x WHERE x."parentId" = c.id)) AS "_count"
         FROM "Comment" c JOIN "User" u ON u.id = c."authorId" JOIN "Revision" r ON r.id = c."revisionId" LEFT JOIN "Clause" cl ON cl.id = c."clauseId"
         WHERE ${where} ${cursor}
         ORDER BY c."createdAt", c.id LIMIT ${input.limit + 1}::int) p) AS page`;
  if (!row.documentFound) throw AppError.notFound('That document', 'document_not_found');
  if (f.revision !== undefined && !row.revisionFound) throw AppError.notFound(`Revision ${f.revision} of that document`, 'revision_not_found');
  const more = row.page.length > input.limit;
  const comments: CommentWithContext[] = (more ? row.page.slice(0, input.limit) : row.page).map((c) => ({
    ...c,
    createdAt: new Date(c.createdAt),
    updatedAt: new Date(c.updatedAt),
    withdrawnAt: c.withdrawnAt === null ? null : new Date(c.withdrawnAt),
  }));
  return {
    comments,
    nextCursor: more ? encodeCursor(comments.at(-1)!) : null,
    total: row.total,
    byClause: row.byClause,
  };
}

/** An instant column as the text of its UTC wall time: "2016-04-02 00:00:01.12" (isoFromUtcText reads it). */
const utcText = (column: string) => Prisma.raw(`(${column} AT TIME ZONE 'UTC')::text`);

/**
 * PostgreSQL's ISO DateStyle text of a UTC timestamp (the style the pg driver assumes for every date
 * it parses) in toISOString's spelling: "2016-04-02 00:00:01.12" → "2016-04-02T00:00:01.120Z". The
 * columns keep milliseconds, so the fraction has 0 to 3 digits. Cheaper than PostgreSQL's to_char or
 * a Date parsed and formatted again, per field of thousands of rows.
 */
export function isoFromUtcText(text: string | null): string | null {
  if (text === null) return null;
  if (text.length < 19 || text.length > 23 || text[4] !== '-' || text[10] !== ' ') return new Date(`${text.replace(' ', 'T')}Z`).toISOString();
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${text.length > 20 ? text.slice(20).padEnd(3, '0') : '000'}Z`;
}

type ExportRow = [
  id: string,
  documentId: string,
  revisionId: string,
  revision: number,
  clauseId: string | null,
  clauseNumber: string | null,
  parentId: string | null,
  authorId: string,
  authorName: string,
  authorAffiliation: string,
  type: string | null,
  body: string,
  bodyHtml: string,
  proposedChange: string,
  quotedText: string | null,
  status: string,
  version: number,
  createdAt: string,
  updatedAt: string,
  withdrawnAt: string | null, // utcText
];
type LinkRow = [
  commentId: string,
  revisionId: string,
  revision: number,
  clauseId: string | null,
  clauseNumber: string | null,
  reason: string,
  similarity: number,
];
type Presented = ReturnType<typeof presentComment>;

/**
 * Every comment and reply of the document, oldest first, with where each was carried: the JSON text
 * of the export's answer, `{"documentId", "comments": [presentComment(…) with carriedTo]}`.
 *
 * The export is the largest read (2,000 comments are 1.8 MB, and the document page carries it), so
 * it skips every generic layer that costs per row: two flat statements on the pool directly (not
 * Prisma's nested includes: several round trips, and its mapping of raw rows was a seventh of the
 * time), rows as arrays, enum names lower-cased by PostgreSQL, instants read as text and respelled
 * (isoFromUtcText, not a Date parsed and formatted again per field), the answer's objects built in one pass
 * and stringified once, without the response schema's per-field encoding (a tenth of the time).
 * Building the JSON inside PostgreSQL was measured too: slower, its JSON encoder costs more per
 * field than reading the rows. test/api/comment-export.test.ts holds this to presentComment and to
 * the route's response schema for generated comments, so the two cannot drift apart.
 */
/** A document's full comment set as JSON text, for those who may read its comments. */
export async function exportComments(ctx: Ctx, input: { slug: string; user: User; documentId: string }): Promise<string> {
  const { access, document } = await loadDocumentAccess(ctx, input);
  authorize(access, 'comments.read');
  return exportCommentsJson(ctx, document().id);
}

export async function exportCommentsJson(ctx: Ctx, documentId: string): Promise<string> {
  const [rows, links] = await Promise.all([
    ctx.runStatement<ExportRow>(
      Prisma.sql`
      SELECT c.id, c."documentId", c."revisionId", r.sequence, c."clauseId", cl.number, c."parentId",
             c."authorId", u.name, u.affiliation, lower(c.type::text), c.body, c."bodyHtml",
             c."proposedChange", c."quotedText", lower(c.status::text), c.version,
             ${utcText('c."createdAt"')}, ${utcText('c."updatedAt"')}, ${utcText('c."withdrawnAt"')}
      FROM "Comment" c
      JOIN "User" u ON u.id = c."authorId"
      JOIN "Revision" r ON r.id = c."revisionId"
      LEFT JOIN "Clause" cl ON cl.id = c."clauseId"
      WHERE c."documentId" = ${documentId}::uuid
      ORDER BY c."createdAt", c.id`,
      { arrays: true },
    ),
    ctx.runStatement<LinkRow>(
      Prisma.sql`
      SELECT l."commentId", l."revisionId", lr.sequence, l."clauseId", lc.number, lower(l.reason::text), l.similarity
      FROM "CommentCarryForward" l
      JOIN "Revision" lr ON lr.id = l."revisionId" AND lr."documentId" = ${documentId}::uuid
      LEFT JOIN "Clause" lc ON lc.id = l."clauseId"
      ORDER BY lr.sequence`,
      { arrays: true },
    ),
  ]);
  const carried = new Map<string, Presented['carriedTo'] & object>();
  for (const [commentId, revisionId, revision, clauseId, clauseNumber, reason, similarity] of links) {
    const link = { revisionId, revision, clauseId, clauseNumber, reason: reason as CarryForwardReasonName, similarity: roundSimilarity(similarity) };
    const list = carried.get(commentId);
    if (list) list.push(link);
    else carried.set(commentId, [link]);
  }
  const comments = new Array<Presented>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    comments[i] = {
      id: r[0],
      documentId: r[1],
      revisionId: r[2],
      revision: r[3],
      clauseId: r[4],
      clauseNumber: r[5],
      parentId: r[6],
      author: { id: r[7], name: r[8], affiliation: r[9] },
      type: r[10] as Presented['type'],
      body: r[11],
      bodyHtml: r[12],
      proposedChange: r[13],
      quotedText: r[14],
      status: r[15] as Presented['status'],
      version: r[16],
      createdAt: isoFromUtcText(r[17])!,
      updatedAt: isoFromUtcText(r[18])!,
      withdrawnAt: isoFromUtcText(r[19]),
      carriedTo: carried.get(r[0]) ?? [],
    };
  }
  return JSON.stringify({ documentId, comments });
}

export async function listReplies(ctx: Ctx, commentId: string) {
  return (await ctx.prisma.comment.findMany({
    where: { parentId: commentId },
    include: commentContextInclude,
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  })) as CommentWithContext[];
}
