// The final report: the conveners publish a revision as final together with its disposition of
// comments, frozen at that instant. If the group's outputs are public, anyone may read the two
// without signing in — and nothing else of the group (the public reads go through
// readPublishedReport only, which answers 404 for everything that is not a published report of a
// PUBLIC_OUTPUTS group, so a private group cannot even be told apart from a missing one).
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { transact } from '../../lib/use-case.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { findDocument, findRevision, publishRevision } from '../revisions/documents.ts';
import { fireMilestoneNow } from '../timeframe/schedule-milestone.ts';
import { buildDispositionTable } from './build-disposition-table.ts';
import { authorizeAdjudication } from './dispositions.policy.ts';
import type { DispositionTable } from './export/disposition-table.ts';
import { dispositionTableToJson, type DispositionTableJson } from './export/to-json.ts';

export async function publishFinalReport(ctx: Ctx, input: { access: GroupAccess; documentId: string; sequence: number; label?: string | undefined }) {
  const { group, user } = input.access;
  authorizeAdjudication(input.access, 'dispositions.publish');
  return transact(ctx, async (tx, emit) => {
    const found = await findDocument(tx, group.id, input.documentId);
    // Serialises publication with any decision in flight on this document's comments.
    await tx.$executeRaw`SELECT 1 FROM "Document" WHERE id = ${found.id}::uuid FOR UPDATE`;
    const document = await tx.document.findUniqueOrThrow({ where: { id: found.id }, include: { finalReport: { select: { id: true } } } });
    if (document.finalReport) throw AppError.conflict('final_report_published', 'The final report of this document has already been published.');
    const revision = await findRevision(tx, document.id, input.sequence);
    const notFinal = await tx.comment.count({
      where: { documentId: document.id, parentId: null, status: 'OPEN', OR: [{ disposition: null }, { disposition: { status: { not: 'FINAL' } } }] },
    });
    if (notFinal > 0) {
      throw AppError.conflict(
        'dispositions_not_final',
        `${notFinal} comment${notFinal === 1 ? ' has' : 's have'} no final disposition yet; finalise every disposition before publishing the final report.`,
        { notFinal },
      );
    }
    const table = dispositionTableToJson(await buildDispositionTable(tx, { group, document }));
    const published = await publishRevision(tx, emit, { access: input.access, document, revision, label: input.label });
    const report = await tx.finalReport.create({
      data: {
        documentId: document.id,
        revisionId: revision.id,
        publishedById: user.id,
        publishedAt: published.milestone.at,
        dispositionTable: table as unknown as Prisma.InputJsonValue,
      },
    });
    // The publication places its milestone at the database's now: it is reached at once (its digest
    // links the report and table just stored), its firing job enqueued in this transaction.
    await fireMilestoneNow(ctx, tx, published.milestone);
    return { report, document: published.document, revision, statistics: table.statistics };
  });
}

const reportInclude = {
  document: { include: { group: { select: { slug: true, name: true, acronym: true, visibility: true } } } },
  revision: { include: { clauses: { orderBy: { position: 'asc' as const }, select: { number: true, heading: true, html: true } } } },
  publishedBy: { select: { name: true, affiliation: true } },
};

/** A published final report: for anonymous readers only of PUBLIC_OUTPUTS groups; for members of any group. */
/** The published final report, for members of the group. */
export async function readMemberFinalReport(ctx: Ctx, input: { access: GroupAccess; documentId: string }) {
  authorizeAdjudication(input.access, 'dispositions.readTable');
  return readFinalReport(ctx, { slug: input.access.group.slug, documentId: input.documentId, publicOnly: false });
}

export async function readFinalReport(ctx: Ctx, input: { slug: string; documentId: string; publicOnly: boolean }) {
  const report = await ctx.prisma.finalReport.findFirst({
    where: {
      documentId: input.documentId,
      document: { state: 'PUBLISHED', group: { slug: input.slug, ...(input.publicOnly ? { visibility: 'PUBLIC_OUTPUTS' } : {}) } },
    },
    include: reportInclude,
  });
  if (!report) throw AppError.notFound('That final report', 'final_report_not_found');
  return report;
}

export type FinalReportView = Awaited<ReturnType<typeof readFinalReport>>;

export const frozenTable = (report: FinalReportView): DispositionTableJson => report.dispositionTable as unknown as DispositionTableJson;

/** The frozen table back as the export library's input. */
export function frozenDispositionTable(report: FinalReportView): DispositionTable {
  const json = frozenTable(report);
  return {
    groupName: json.groupName,
    groupAcronym: json.groupAcronym,
    documentTitle: json.documentTitle,
    revisionLabel: json.revisionLabel,
    generatedAt: new Date(json.generatedAt),
    rows: json.rows,
  };
}

export const presentFinalReport = (r: FinalReportView) => ({
  group: { slug: r.document.group.slug, name: r.document.group.name, acronym: r.document.group.acronym },
  document: { id: r.document.id, title: r.document.title, state: r.document.state.toLowerCase() },
  revision: { id: r.revision.id, sequence: r.revision.sequence, label: r.revision.label },
  publishedAt: r.publishedAt.toISOString(),
  publishedBy: r.publishedBy ? { name: r.publishedBy.name, affiliation: r.publishedBy.affiliation } : null,
  clauses: r.revision.clauses,
  statistics: frozenTable(r).statistics,
});
