// Reading revisions: the list, one revision with its clauses (each with how many comments it
// has and which earlier comments were carried to it), and the comparison of two.
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { Prisma, type Clause, type Revision } from '../../generated/prisma/client.ts';
import type { PersonLike } from '../users/users.presenter.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { compareRevisions } from './lib/compare.ts';
import { findDocument, findRevision } from './documents.ts';
import { revisionPolicy } from './revisions.policy.ts';

/** A document the member may read, after the 403 and the 404. */
async function readableDocument(ctx: Ctx, input: { access: GroupAccess; documentId: string }) {
  revisionPolicy.authorize(input.access, 'documents.read');
  return findDocument(ctx.prisma, input.access.group.id, input.documentId);
}

/** A document with its revisions, oldest first. */
export async function readDocument(ctx: Ctx, input: { access: GroupAccess; documentId: string }) {
  const document = await readableDocument(ctx, input);
  return { document, revisions: await listRevisions(ctx, document.id) };
}

export async function listDocumentRevisions(ctx: Ctx, input: { access: GroupAccess; documentId: string }) {
  const document = await readableDocument(ctx, input);
  return listRevisions(ctx, document.id);
}

/**
 * A revision as the document page shows it, in one statement: the document in the member's group
 * (404), the revision (404), who posted it, its clauses, the open comments per clause, the earlier
 * comments carried to it and its periods. Every reader of a document asks for it first; through
 * findFirst, findUnique and two include trees it was seven round trips, mostly one after the other.
 */
export async function readDocumentRevision(ctx: Ctx, input: { access: GroupAccess; documentId: string; sequence: number }): Promise<RevisionView> {
  revisionPolicy.authorize(input.access, 'documents.read');
  type Row = {
    documentFound: boolean;
    id: string | null;
    documentId: string;
    sequence: number;
    label: string;
    format: Revision['format'];
    notes: string[];
    postedAt: Date;
    postedBy: PersonLike | null;
    clauses: RevisionView['revision']['clauses'];
    periods: Array<{ id: string; opensAt: string; closesAt: string }>;
    counts: Array<{ clauseId: string | null; n: number }>;
    carried: Array<Omit<RevisionView['carried'][number], 'comment'> & { type: string | null; status: string; fromRevision: number; fromClause: string | null }>;
  };
  const [row] = await ctx.runStatement<Row>(Prisma.sql`
    SELECT d.id IS NOT NULL AS "documentFound", r.id, r."documentId", r.sequence, r.label, r.format::text AS format, r.notes, r."postedAt",
      CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('id', u.id, 'name', u.name, 'affiliation', u.affiliation) END AS "postedBy",
      (SELECT coalesce(json_agg(json_build_object('id', c.id, 'position', c.position, 'number', c.number, 'heading', c.heading, 'html', c.html) ORDER BY c.position), '[]')
       FROM "Clause" c WHERE c."revisionId" = r.id) AS clauses,
      (SELECT coalesce(json_agg(json_build_object('id', p.id, 'opensAt', p."opensAt", 'closesAt', p."closesAt") ORDER BY p."opensAt"), '[]')
       FROM "CommentPeriod" p WHERE p."revisionId" = r.id) AS periods,
      (SELECT coalesce(json_agg(json_build_object('clauseId', k."clauseId", 'n', k.n)), '[]')
       FROM (SELECT "clauseId", count(*)::int AS n FROM "Comment" WHERE "revisionId" = r.id AND "parentId" IS NULL AND status = 'OPEN' GROUP BY "clauseId") k) AS counts,
      (SELECT coalesce(json_agg(json_build_object('commentId', f."commentId", 'clauseId', f."clauseId", 'reason', f.reason, 'similarity', f.similarity,
                 'type', c.type, 'status', c.status, 'fromRevision', cr.sequence, 'fromClause', cc.number) ORDER BY c."createdAt"), '[]')
       FROM "CommentCarryForward" f JOIN "Comment" c ON c.id = f."commentId" JOIN "Revision" cr ON cr.id = c."revisionId"
       LEFT JOIN "Clause" cc ON cc.id = c."clauseId" WHERE f."revisionId" = r.id) AS carried
    FROM (SELECT 1) one
    LEFT JOIN "Document" d ON d.id = ${input.documentId}::uuid AND d."groupId" = ${input.access.group.id}::uuid
    LEFT JOIN "Revision" r ON r."documentId" = d.id AND r.sequence = ${input.sequence}::int
    LEFT JOIN "User" u ON u.id = r."postedById"`);
  if (!row?.documentFound) throw AppError.notFound('That document', 'document_not_found');
  if (!row.id) throw AppError.notFound(`Revision ${input.sequence} of that document`, 'revision_not_found');
  return {
    revision: {
      id: row.id,
      documentId: row.documentId,
      sequence: row.sequence,
      label: row.label,
      format: row.format,
      notes: row.notes,
      postedAt: row.postedAt,
      postedBy: row.postedBy,
      clauses: row.clauses,
      periods: row.periods.map((p) => ({ id: p.id, opensAt: new Date(p.opensAt), closesAt: new Date(p.closesAt) })),
    },
    countByClause: new Map(row.counts.map((c) => [c.clauseId, c.n])),
    carried: row.carried.map((l) => ({
      commentId: l.commentId,
      clauseId: l.clauseId,
      reason: l.reason,
      similarity: l.similarity,
      comment: { type: l.type, status: l.status, revision: { sequence: l.fromRevision }, clause: l.fromClause === null ? null : { number: l.fromClause } },
    })),
  };
}

/** Two revisions of a document compared clause by clause, each with who posted it. */
export async function compareDocumentRevisions(ctx: Ctx, input: { access: GroupAccess; documentId: string; from: number; to: number }) {
  const document = await readableDocument(ctx, input);
  const { from, to, entries } = await compareRevisionPair(ctx, document.id, input.from, input.to);
  const posters = await ctx.prisma.user.findMany({ where: { id: { in: [from.postedById, to.postedById].filter((x): x is string => !!x) } } });
  const withPoster = (r: typeof from) => ({ ...r, postedBy: posters.find((p) => p.id === r.postedById) ?? null });
  return { from: withPoster(from), to: withPoster(to), entries };
}

export async function listRevisions(ctx: Ctx, documentId: string) {
  return ctx.prisma.revision.findMany({
    where: { documentId },
    orderBy: { sequence: 'asc' },
    include: { postedBy: true, _count: { select: { clauses: true } } },
  });
}

export async function readRevision(ctx: Ctx, documentId: string, sequence: number) {
  const revision = await findRevision(ctx.prisma, documentId, sequence);
  const [full, counts, carried] = await Promise.all([
    ctx.prisma.revision.findUniqueOrThrow({
      where: { id: revision.id },
      include: { postedBy: true, clauses: { orderBy: { position: 'asc' } }, periods: { orderBy: { opensAt: 'asc' } } },
    }),
    ctx.prisma.comment.groupBy({ by: ['clauseId'], where: { revisionId: revision.id, parentId: null, status: 'OPEN' }, _count: { _all: true } }),
    ctx.prisma.commentCarryForward.findMany({
      where: { revisionId: revision.id },
      include: { comment: { select: { id: true, type: true, status: true, revision: { select: { sequence: true } }, clause: { select: { number: true } } } } },
      orderBy: { comment: { createdAt: 'asc' } },
    }),
  ]);
  const countByClause = new Map(counts.map((c) => [c.clauseId, c._count._all]));
  return { revision: full, countByClause, carried };
}

/** What a revision's presenter reads (readRevision's answer has more; readDocumentRevision's exactly this). */
export interface RevisionView {
  revision: Pick<Revision, 'id' | 'documentId' | 'sequence' | 'label' | 'format' | 'notes' | 'postedAt'> & {
    postedBy: PersonLike | null;
    clauses: Array<Pick<Clause, 'id' | 'position' | 'number' | 'heading' | 'html'>>;
    periods: Array<{ id: string; opensAt: Date; closesAt: Date }>;
  };
  countByClause: Map<string | null, number>;
  carried: Array<{
    commentId: string;
    clauseId: string | null;
    reason: string;
    similarity: number;
    comment: { type: string | null; status: string; revision: { sequence: number }; clause: { number: string } | null };
  }>;
}

export async function compareRevisionPair(ctx: Ctx, documentId: string, fromSequence: number, toSequence: number) {
  const [from, to] = await Promise.all([findRevision(ctx.prisma, documentId, fromSequence), findRevision(ctx.prisma, documentId, toSequence)]);
  const [fromClauses, toClauses] = await Promise.all([
    ctx.prisma.clause.findMany({ where: { revisionId: from.id }, orderBy: { position: 'asc' } }),
    ctx.prisma.clause.findMany({ where: { revisionId: to.id }, orderBy: { position: 'asc' } }),
  ]);
  return { from, to, entries: compareRevisions(fromClauses, toClauses) };
}
