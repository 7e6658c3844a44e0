// The final report: the conveners publish a revision as final together with its disposition of
// comments, frozen at that instant. If the group's outputs are public, anyone may read the two
// without signing in — and nothing else of the group (the public reads go through
// readPublishedReport only, which answers 404 for everything that is not a published report of a
// PUBLIC_OUTPUTS group, so a private group cannot even be told apart from a missing one).
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { mainLanguage } from '../../lib/export-language.ts';
import { transact } from '../../lib/use-case.ts';
import { Prisma } from '../../generated/prisma/client.ts';
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
  document: { include: { group: { select: { slug: true, name: true, acronym: true, visibility: true, languages: true } } } },
  revision: { include: { clauses: { orderBy: { position: 'asc' as const }, select: { number: true, heading: true, html: true } } } },
  publishedBy: { select: { name: true, affiliation: true } },
};

/** A published final report with its frozen table (the table routes and exports): for anonymous readers only of PUBLIC_OUTPUTS groups; for members of any group. */
/** The whole published final report (its frozen table included), for members: the Word export. */
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

/** The frozen table back as the export library's input, in the group's language of today (its rows are frozen, not its headings). */
export function frozenDispositionTable(report: FinalReportView): DispositionTable {
  const json = frozenTable(report);
  return {
    language: mainLanguage(report.document.group.languages),
    groupName: json.groupName,
    groupAcronym: json.groupAcronym,
    documentTitle: json.documentTitle,
    revisionLabel: json.revisionLabel,
    generatedAt: new Date(json.generatedAt),
    rows: json.rows,
  };
}

interface FinalReportRow {
  publishedAt: Date;
  statistics: DispositionTableJson['statistics'];
  slug: string;
  groupName: string;
  acronym: string;
  documentId: string;
  title: string;
  state: string;
  revisionId: string;
  sequence: number;
  label: string;
  publisherName: string | null;
  publisherAffiliation: string | null;
  clauses: Array<{ number: string; heading: string; html: string }>;
}

/**
 * The report as its page shows it, in one statement that reads only what it presents: the frozen
 * table's statistics, not the table (thousands of rows in a large report, read and parsed by every
 * request before), and the clauses. The same 404 as readFinalReport for anything else.
 */
export async function readFinalReportSummary(ctx: Ctx, input: { slug: string; documentId: string; publicOnly: boolean }) {
  const [r] = await ctx.runStatement<FinalReportRow>(Prisma.sql`
    SELECT f."publishedAt", f."dispositionTable"->'statistics' AS statistics, g.slug, g.name AS "groupName", g.acronym,
           d.id AS "documentId", d.title, d.state::text AS state, rv.id AS "revisionId", rv.sequence, rv.label,
           u.name AS "publisherName", u.affiliation AS "publisherAffiliation",
           (SELECT coalesce(json_agg(json_build_object('number', c.number, 'heading', c.heading, 'html', c.html) ORDER BY c.position), '[]')
            FROM "Clause" c WHERE c."revisionId" = rv.id) AS clauses
    FROM "FinalReport" f JOIN "Document" d ON d.id = f."documentId" JOIN "Group" g ON g.id = d."groupId"
    JOIN "Revision" rv ON rv.id = f."revisionId" LEFT JOIN "User" u ON u.id = f."publishedById"
    WHERE f."documentId" = ${input.documentId}::uuid AND d.state = 'PUBLISHED' AND g.slug = ${input.slug}
      ${input.publicOnly ? Prisma.sql`AND g.visibility = 'PUBLIC_OUTPUTS'` : Prisma.empty}`);
  if (!r) throw AppError.notFound('That final report', 'final_report_not_found');
  return r;
}

/** The published final report, for members of the group. */
export async function readMemberFinalReportSummary(ctx: Ctx, input: { access: GroupAccess; documentId: string }) {
  authorizeAdjudication(input.access, 'dispositions.readTable');
  return readFinalReportSummary(ctx, { slug: input.access.group.slug, documentId: input.documentId, publicOnly: false });
}

export const presentFinalReport = (r: FinalReportRow) => ({
  group: { slug: r.slug, name: r.groupName, acronym: r.acronym },
  document: { id: r.documentId, title: r.title, state: r.state.toLowerCase() },
  revision: { id: r.revisionId, sequence: r.sequence, label: r.label },
  publishedAt: r.publishedAt.toISOString(),
  publishedBy: r.publisherName === null ? null : { name: r.publisherName, affiliation: r.publisherAffiliation ?? '' },
  clauses: r.clauses,
  statistics: r.statistics,
});
