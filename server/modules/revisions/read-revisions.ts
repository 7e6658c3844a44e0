// Reading revisions: the list, one revision with its clauses (each with how many comments it
// has and which earlier comments were carried to it), and the comparison of two.
import type { Ctx } from '../../lib/use-case.ts';
import { compareRevisions } from './lib/compare.ts';
import { findRevision } from './documents.ts';

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

export type RevisionView = Awaited<ReturnType<typeof readRevision>>;

export async function compareRevisionPair(ctx: Ctx, documentId: string, fromSequence: number, toSequence: number) {
  const [from, to] = await Promise.all([findRevision(ctx.prisma, documentId, fromSequence), findRevision(ctx.prisma, documentId, toSequence)]);
  const [fromClauses, toClauses] = await Promise.all([
    ctx.prisma.clause.findMany({ where: { revisionId: from.id }, orderBy: { position: 'asc' } }),
    ctx.prisma.clause.findMany({ where: { revisionId: to.id }, orderBy: { position: 'asc' } }),
  ]);
  return { from, to, entries: compareRevisions(fromClauses, toClauses) };
}
