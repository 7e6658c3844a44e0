// Reading revisions: the list, one revision with its clauses (each with how many comments it
// has and which earlier comments were carried to it), and the comparison of two.
import type { Ctx } from '../../lib/use-case.ts';
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

export async function readDocumentRevision(ctx: Ctx, input: { access: GroupAccess; documentId: string; sequence: number }) {
  const document = await readableDocument(ctx, input);
  return readRevision(ctx, document.id, input.sequence);
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

export type RevisionView = Awaited<ReturnType<typeof readRevision>>;

export async function compareRevisionPair(ctx: Ctx, documentId: string, fromSequence: number, toSequence: number) {
  const [from, to] = await Promise.all([findRevision(ctx.prisma, documentId, fromSequence), findRevision(ctx.prisma, documentId, toSequence)]);
  const [fromClauses, toClauses] = await Promise.all([
    ctx.prisma.clause.findMany({ where: { revisionId: from.id }, orderBy: { position: 'asc' } }),
    ctx.prisma.clause.findMany({ where: { revisionId: to.id }, orderBy: { position: 'asc' } }),
  ]);
  return { from, to, entries: compareRevisions(fromClauses, toClauses) };
}
