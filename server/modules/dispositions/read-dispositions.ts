// Reading adjudication: the working pile with its progress, what awaits my response, the
// objections still standing, a comment's whole path, and which comments a revision resolves.
import type { Ctx } from '../../lib/use-case.ts';
import { Prisma, type Disposition } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { findDocument } from '../revisions/documents.ts';
import { buildDispositionTable } from './build-disposition-table.ts';
import { audienceOf } from './change-disposition.ts';
import { authorizeAdjudication } from './dispositions.policy.ts';
import { adjudicableComments, pileOrder, pileWhere, type PileFilter } from './pile-filter.ts';
import { progressOf, type Status } from './disposition-state.ts';
import { commentSummaryInclude, dispositionInclude, presentCommentSummary, presentDisposition, type Audience } from './dispositions.presenter.ts';

const pileInclude = { ...commentSummaryInclude, disposition: { include: dispositionInclude } } as const;

async function findDocumentIn(ctx: Ctx, groupId: string, documentId: string) {
  const document = await ctx.prisma.document.findFirst({ where: { id: documentId, groupId } });
  if (!document) throw AppError.notFound('That document', 'document_not_found');
  return document;
}

type PileRow = Awaited<ReturnType<typeof loadPile>>[number];
const loadPile = (ctx: Ctx, where: Prisma.CommentWhereInput) => ctx.prisma.comment.findMany({ where, include: pileInclude, orderBy: pileOrder });

export const presentPileItem = (row: PileRow, audience: Audience) => ({
  comment: presentCommentSummary(row),
  disposition: presentDisposition(row.disposition, { commentId: row.id, documentId: row.documentId }, audience),
});

// A draft is not a decision; without a row the comment is undecided.
const statusOf = (d: { status: string } | null): Status => (d === null || d.status === 'DRAFT' ? 'undecided' : (d.status.toLowerCase() as Status));

export async function readPile(ctx: Ctx, input: { access: GroupAccess; documentId: string; filter: PileFilter; audience: Audience }) {
  const { group, user } = input.access;
  authorizeAdjudication(input.access, 'dispositions.readPile');
  await findDocumentIn(ctx, group.id, input.documentId);
  const [rows, all] = await Promise.all([
    loadPile(ctx, pileWhere(input.documentId, input.filter, user.id)),
    ctx.prisma.comment.findMany({ where: adjudicableComments(input.documentId), select: { disposition: { select: { status: true } } } }),
  ]);
  return {
    items: rows.map((r) => presentPileItem(r, input.audience)),
    progress: progressOf(all.map((c) => statusOf(c.disposition))),
    filteredProgress: progressOf(rows.map((r) => statusOf(r.disposition))),
  };
}

/**
 * Proposed dispositions of my comments that I have not answered and may still answer, in all my
 * groups. One statement reading what the answer shows (the comment's summary, the proposal and
 * who proposed it), judged by the database's now: every participant opens this list at the
 * response deadline, and Prisma's nested includes made it nine round trips one after the other.
 */
export async function listAwaitingMyResponse(ctx: Ctx, userId: string) {
  type Row = Disposition & {
    commentCreatedAt: Date;
    type: string | null;
    body: string;
    bodyHtml: string;
    proposedChange: string;
    quotedText: string | null;
    sequence: number;
    clauseNumber: string | null;
    clauseHeading: string | null;
    authorId: string;
    authorName: string;
    authorAffiliation: string;
    slug: string;
    groupName: string;
    acronym: string;
    title: string;
    proposer: { id: string; name: string; affiliation: string } | null;
    finaliser: { id: string; name: string; affiliation: string } | null;
    implementedIn: { id: string; sequence: number; label: string } | null;
  };
  const person = (alias: string) =>
    Prisma.raw(
      `CASE WHEN ${alias}.id IS NULL THEN NULL ELSE json_build_object('id', ${alias}.id, 'name', ${alias}.name, 'affiliation', ${alias}.affiliation) END`,
    );
  const rows = await ctx.runStatement<Row>(Prisma.sql`
    SELECT p.id, p."commentId", p."documentId", p.code::text AS code, p.status::text AS status, p.rationale, p."adoptedText", p.version,
           p."assigneeId", p."draftedById", p."proposedById", p."proposedAt", p."respondBy", p."responseKind"::text AS "responseKind",
           p."responseText", p."respondedAt", p."finalisedById", p."finalisedAt", p."implementedInRevisionId", p."createdAt", p."updatedAt",
           c."createdAt" AS "commentCreatedAt", c.type::text AS type, c.body, c."bodyHtml", c."proposedChange", c."quotedText",
           rv.sequence, cl.number AS "clauseNumber", cl.heading AS "clauseHeading",
           a.id AS "authorId", a.name AS "authorName", a.affiliation AS "authorAffiliation",
           g.slug, g.name AS "groupName", g.acronym, d.title,
           ${person('pu')} AS proposer, ${person('fu')} AS finaliser,
           CASE WHEN ir.id IS NULL THEN NULL ELSE json_build_object('id', ir.id, 'sequence', ir.sequence, 'label', ir.label) END AS "implementedIn"
    FROM "Comment" c
    JOIN "Disposition" p ON p."commentId" = c.id
    JOIN "Document" d ON d.id = c."documentId"
    JOIN "Group" g ON g.id = d."groupId"
    JOIN "Revision" rv ON rv.id = c."revisionId"
    JOIN "User" a ON a.id = c."authorId"
    LEFT JOIN "Clause" cl ON cl.id = c."clauseId"
    LEFT JOIN "User" pu ON pu.id = p."proposedById"
    LEFT JOIN "User" fu ON fu.id = p."finalisedById"
    LEFT JOIN "Revision" ir ON ir.id = p."implementedInRevisionId"
    WHERE c."authorId" = ${userId}::uuid AND c."parentId" IS NULL AND c.status = 'OPEN'
      AND EXISTS (SELECT 1 FROM "Membership" m WHERE m."groupId" = g.id AND m."userId" = ${userId}::uuid)
      AND p.status = 'PROPOSED' AND p."responseKind" IS NULL AND (p."respondBy" IS NULL OR p."respondBy" > now())
    ORDER BY p."respondBy" ASC NULLS LAST, c."createdAt" ASC`);
  return rows.map((r) => {
    const comment = {
      id: r.commentId,
      revision: { sequence: r.sequence },
      clause: r.clauseNumber === null ? null : { number: r.clauseNumber, heading: r.clauseHeading ?? '' },
      type: r.type,
      author: { id: r.authorId, name: r.authorName, affiliation: r.authorAffiliation },
      body: r.body,
      bodyHtml: r.bodyHtml,
      proposedChange: r.proposedChange,
      quotedText: r.quotedText,
      createdAt: r.commentCreatedAt,
    };
    const disposition = { ...r, assignee: null, draftedBy: null, proposedBy: r.proposer, finalisedBy: r.finaliser, implementedIn: r.implementedIn };
    return {
      group: { slug: r.slug, name: r.groupName, acronym: r.acronym },
      document: { id: r.documentId, title: r.title },
      comment: presentCommentSummary(comment),
      // Members see proposals only; the assignee and a draft's author are the adjudicators' business.
      disposition: presentDisposition(disposition, { commentId: r.commentId, documentId: r.documentId }, 'members'),
    };
  });
}

/** The objections a member may read on a document (the route's view of listUnresolvedObjections). */
export async function listObjections(ctx: Ctx, input: { access: GroupAccess; documentId: string }) {
  authorizeAdjudication(input.access, 'dispositions.readTable');
  return listUnresolvedObjections(ctx, { groupId: input.access.group.id, documentId: input.documentId, audience: audienceOf(input.access) });
}

/** Objections standing on the current proposal or final disposition (a re-proposal clears them). */
export async function listUnresolvedObjections(ctx: Ctx, input: { groupId: string; documentId: string; audience: Audience }) {
  await findDocumentIn(ctx, input.groupId, input.documentId);
  const rows = await loadPile(ctx, pileWhere(input.documentId, { state: 'objected' }, ''));
  return rows.map((r) => presentPileItem(r, input.audience));
}

/**
 * A document's decided dispositions — proposed to their commenters or final — as every member
 * sees them (the 'members' presenter: no editor's draft, no assignee), whoever asks: the document
 * view shows them under each comment and keeps them live from socket events presented the same
 * way, so a convener's view never mixes the two audiences. Top-level comments only (replies are
 * not adjudicated); comment bodies are not repeated (the view has them).
 */
export async function listDecidedDispositions(ctx: Ctx, input: { access: GroupAccess; documentId: string; revision?: number | undefined }) {
  authorizeAdjudication(input.access, 'dispositions.readTable');
  await findDocumentIn(ctx, input.access.group.id, input.documentId);
  const rows = await ctx.prisma.disposition.findMany({
    where: {
      documentId: input.documentId,
      status: { in: ['PROPOSED', 'FINAL'] },
      comment: { parentId: null, ...(input.revision === undefined ? {} : { revision: { sequence: input.revision } }) },
    },
    include: dispositionInclude,
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((d) => presentDisposition(d, { commentId: d.commentId, documentId: d.documentId }, 'members'));
}

/** One comment with its disposition, as the asking member may see it. */
export async function readDisposition(ctx: Ctx, input: { access: GroupAccess; documentId: string; commentId: string }) {
  authorizeAdjudication(input.access, 'dispositions.readTable');
  return (
    await readPileItem(ctx, { groupId: input.access.group.id, documentId: input.documentId, commentId: input.commentId, audience: audienceOf(input.access) })
  ).item;
}

/** One comment with its disposition, as the given audience may see it. */
export async function readPileItem(ctx: Ctx, input: { groupId: string; documentId: string; commentId: string; audience: Audience }) {
  const row = await ctx.prisma.comment.findFirst({
    where: { id: input.commentId, documentId: input.documentId, document: { groupId: input.groupId }, parentId: null },
    include: pileInclude,
  });
  if (!row) throw AppError.notFound('That comment', 'comment_not_found');
  return { row, item: presentPileItem(row, input.audience) };
}

/** comment → disposition → response → revision, with where the comment stands in that revision. */
export async function readCommentPath(ctx: Ctx, input: { access: GroupAccess; documentId: string; commentId: string }) {
  authorizeAdjudication(input.access, 'dispositions.readTable');
  const { row, item } = await readPileItem(ctx, {
    groupId: input.access.group.id,
    documentId: input.documentId,
    commentId: input.commentId,
    audience: audienceOf(input.access),
  });
  const d = item.disposition;
  let implementedClause: { number: string; heading: string } | null = null;
  if (d.implementedIn) {
    const carried = await ctx.prisma.commentCarryForward.findUnique({
      where: { commentId_revisionId: { commentId: row.id, revisionId: d.implementedIn.id } },
      include: { clause: { select: { number: true, heading: true } } },
    });
    implementedClause = carried?.clause ?? null;
  }
  const where = row.clause ? `clause ${row.clause.number}` : 'the whole document';
  const steps: Array<{ step: string; at: string | null; text: string }> = [
    { step: 'comment', at: item.comment.createdAt, text: `${row.author.name} commented on ${where} of revision ${row.revision.sequence}.` },
  ];
  if (d.status !== 'undecided' && d.disposition)
    steps.push({ step: 'disposition', at: d.proposedAt, text: `The conveners proposed: ${d.disposition.replaceAll('_', ' ')}.` });
  if (d.response) steps.push({ step: 'response', at: d.response.at, text: `The commenter ${d.response.kind === 'agree' ? 'agreed' : 'objected'}.` });
  if (d.status === 'final') steps.push({ step: 'final', at: d.finalisedAt, text: 'The conveners finalised the disposition.' });
  if (d.implementedIn) {
    steps.push({
      step: 'revision',
      at: null,
      text: `Implemented in revision ${d.implementedIn.sequence} (${d.implementedIn.label})${implementedClause ? `, clause ${implementedClause.number}` : ''}.`,
    });
  }
  return { ...item, implementedClause, steps };
}

/** The revised draft, clause by clause: the comments whose dispositions it implements. */
export async function listResolvedByRevision(ctx: Ctx, input: { access: GroupAccess; documentId: string; sequence: number }) {
  authorizeAdjudication(input.access, 'dispositions.readTable');
  const audience = audienceOf(input.access);
  await findDocumentIn(ctx, input.access.group.id, input.documentId);
  const revision = await ctx.prisma.revision.findUnique({
    where: { documentId_sequence: { documentId: input.documentId, sequence: input.sequence } },
    include: { clauses: { orderBy: { position: 'asc' }, select: { id: true, number: true, heading: true } } },
  });
  if (!revision) throw AppError.notFound(`Revision ${input.sequence} of that document`, 'revision_not_found');
  const rows = await ctx.prisma.comment.findMany({
    where: { ...adjudicableComments(input.documentId), disposition: { implementedInRevisionId: revision.id, status: { in: ['PROPOSED', 'FINAL'] } } },
    include: { ...pileInclude, carriedTo: { where: { revisionId: revision.id }, select: { clauseId: true } } },
    orderBy: pileOrder,
  });
  // A comment concerns the clause it was carried to in this revision (or its own, when made on it).
  const byClause = new Map<string | null, typeof rows>();
  for (const r of rows) {
    const clauseId = r.revisionId === revision.id ? r.clauseId : (r.carriedTo[0]?.clauseId ?? null);
    byClause.set(clauseId, [...(byClause.get(clauseId) ?? []), r]);
  }
  const clauses = [
    { clauseId: null, number: '', heading: 'Whole document or no longer placed' },
    ...revision.clauses.map((c) => ({ clauseId: c.id, number: c.number, heading: c.heading })),
  ]
    .filter((c) => byClause.has(c.clauseId))
    .map((c) => ({ ...c, comments: byClause.get(c.clauseId)!.map((r) => presentPileItem(r, audience)) }));
  return { revision: { id: revision.id, sequence: revision.sequence, label: revision.label }, clauses };
}

/** The disposition of comments of a document, for members (table, exports). */
export async function readDispositionTable(ctx: Ctx, input: { access: GroupAccess; documentId: string; revision?: number | undefined }) {
  authorizeAdjudication(input.access, 'dispositions.readTable');
  const document = await findDocument(ctx.prisma, input.access.group.id, input.documentId);
  return buildDispositionTable(ctx.prisma, { group: input.access.group, document, revision: input.revision });
}
