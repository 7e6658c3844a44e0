// The Word and Excel downloads: a revision as .docx (alone, or with its changes against an earlier
// revision as tracked changes), the final report with its disposition table as an annex, and the
// disposition table as the comment template .xlsx. Each reads through the owning module's use
// cases, so who may read what is decided where it always is (documents.read, dispositions.readTable,
// the public read of a published report).
import type { Ctx } from '../../lib/use-case.ts';
import { exportText, mainLanguage } from '../../lib/export-language.ts';
import type { Locale } from '../../lib/i18n.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { findDocument, findRevision } from '../revisions/documents.ts';
import { compareRevisionPair } from '../revisions/read-revisions.ts';
import { revisionPolicy } from '../revisions/revisions.policy.ts';
import { frozenDispositionTable, readFinalReport, readMemberFinalReport, type FinalReportView } from '../dispositions/final-report.ts';
import { listResolvedByRevision, readDispositionTable } from '../dispositions/read-dispositions.ts';
import { dispositionLabel } from '../dispositions/export/labels.ts';
import type { DispositionTable } from '../dispositions/export/disposition-table.ts';
import { revisionToDocx, trackedRevisionToDocx } from './export/revision-docx.ts';
import { dispositionTableToXlsx } from './export/template-xlsx.ts';

export interface Download {
  fileName: string;
  body: Buffer;
  /** The language of the file's fixed words (the group's main language). */
  language?: Locale;
}

/** "cg-iotsec-report-on-iot-security-revision-2.docx": a safe ASCII file name. */
export function downloadName(parts: readonly string[], suffix: string): string {
  const slug = parts
    .join(' ')
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')
    .slice(0, 80)
    .replace(/-+$/, '');
  return `${slug || 'document'}-${suffix}`;
}

export async function exportRevisionDocx(
  ctx: Ctx,
  input: { access: GroupAccess; documentId: string; sequence: number; against?: number | undefined; anchors?: boolean | undefined },
): Promise<Download> {
  const { access } = input;
  revisionPolicy.authorize(access, 'documents.read');
  const document = await findDocument(ctx.prisma, access.group.id, input.documentId);
  const found = await findRevision(ctx.prisma, document.id, input.sequence);
  const revision = await ctx.prisma.revision.findUniqueOrThrow({
    where: { id: found.id },
    include: { clauses: { orderBy: { position: 'asc' }, select: { number: true, heading: true, html: true } }, postedBy: { select: { name: true } } },
  });
  const word = {
    groupName: access.group.name,
    groupAcronym: access.group.acronym,
    documentTitle: document.title,
    sequence: revision.sequence,
    label: revision.label,
    date: revision.postedAt,
    language: mainLanguage(access.group.languages),
  };
  const name = [access.group.acronym, document.title];
  if (input.against === undefined) {
    return {
      fileName: downloadName(name, `revision-${revision.sequence}.docx`),
      body: await revisionToDocx({ revision: word, clauses: revision.clauses }),
      language: word.language,
    };
  }
  const { from, entries } = await compareRevisionPair(ctx, document.id, input.against, input.sequence);
  const anchors = input.anchors ? await resolvedAnchors(ctx, access, document.id, revision.sequence, word.language) : undefined;
  const body = await trackedRevisionToDocx({
    revision: word,
    against: { sequence: from.sequence, label: from.label },
    entries,
    // The changes are the work of whoever posted the newer revision, at the time it was posted.
    author: { name: revision.postedBy?.name ?? 'Convene', date: revision.postedAt },
    ...(anchors ? { anchors } : {}),
  });
  return { fileName: downloadName(name, `revision-${revision.sequence}-changes-from-${from.sequence}.docx`), body, language: word.language };
}

const CLIP = 200;
const clip = (text: string) => (text.length > CLIP ? `${text.slice(0, CLIP - 1)}…` : text);

/** Per clause number of the revision, one line per Convene comment whose disposition it implements. */
async function resolvedAnchors(ctx: Ctx, access: GroupAccess, documentId: string, sequence: number, locale: Locale): Promise<Map<string, string[]>> {
  const resolved = await listResolvedByRevision(ctx, { access, documentId, sequence });
  const t = exportText(locale);
  const anchors = new Map<string, string[]>();
  for (const clause of resolved.clauses) {
    if (clause.number === '') continue;
    anchors.set(
      clause.number,
      clause.comments.map(({ comment, disposition }) => {
        const decided = disposition.disposition
          ? dispositionLabel(disposition.disposition as Parameters<typeof dispositionLabel>[0], locale)
          : t('report.undecided');
        const values = { name: comment.author.name, revision: comment.revision, disposition: decided, text: clip(comment.body.replace(/\s+/g, ' ').trim()) };
        return comment.clauseNumber ? t('report.resolvesClause', { ...values, clause: comment.clauseNumber }) : t('report.resolvesDocument', values);
      }),
    );
  }
  return anchors;
}

async function finalReportDocx(report: FinalReportView): Promise<Download> {
  const group = report.document.group;
  const body = await revisionToDocx({
    revision: {
      groupName: group.name,
      groupAcronym: group.acronym,
      documentTitle: report.document.title,
      sequence: report.revision.sequence,
      label: report.revision.label,
      date: report.publishedAt,
      language: mainLanguage(group.languages),
    },
    clauses: report.revision.clauses,
    annex: frozenDispositionTable(report),
    finalReport: true,
  });
  return { fileName: downloadName([group.acronym, report.document.title], 'final-report.docx'), body, language: mainLanguage(group.languages) };
}

export async function exportFinalReportDocx(ctx: Ctx, input: { access: GroupAccess; documentId: string }): Promise<Download> {
  return finalReportDocx(await readMemberFinalReport(ctx, input));
}

/** Without signing in: only a published report of a group whose outputs are public (else 404). */
export async function exportPublicFinalReportDocx(ctx: Ctx, input: { slug: string; documentId: string }): Promise<Download> {
  return finalReportDocx(await readFinalReport(ctx, { ...input, publicOnly: true }));
}

async function tableXlsx(table: DispositionTable): Promise<Download> {
  return {
    fileName: downloadName([table.groupAcronym, table.documentTitle], 'disposition-of-comments.xlsx'),
    body: await dispositionTableToXlsx(table),
    language: table.language ?? 'en',
  };
}

export async function exportDispositionTableXlsx(
  ctx: Ctx,
  input: { access: GroupAccess; documentId: string; revision?: number | undefined },
): Promise<Download> {
  return tableXlsx(await readDispositionTable(ctx, input));
}

export async function exportPublicDispositionTableXlsx(ctx: Ctx, input: { slug: string; documentId: string }): Promise<Download> {
  return tableXlsx(frozenDispositionTable(await readFinalReport(ctx, { ...input, publicOnly: true })));
}
