// What the milestone digests (digests module) say about adjudication, read in the firing
// transaction: for the conveners' draft, what changed since the previous revision, how the
// comments were decided and which objections are carried forward; for the final report, where
// to read it and its disposition table (public links only when the group's outputs are public).
import type { Config } from '../../config.ts';
import type { DigestSourceRegistry, ReachedMilestone } from '../digests/digest-sources.ts';
import { compareRevisions } from '../revisions/lib/compare.ts';
import { DISPOSITION_LABELS } from './export/labels.ts';
import type { DispositionCode } from './export/disposition-table.ts';
import { commenterLabel } from './table-rows.ts';

const SUMMARY_CHARS = 160;
const clip = (text: string) => (text.length > SUMMARY_CHARS ? `${text.slice(0, SUMMARY_CHARS - 1)}…` : text);

async function convenersDraft({ tx, milestone, group }: ReachedMilestone) {
  if (!milestone.revisionId) return null;
  const revision = await tx.revision.findFirst({
    where: { id: milestone.revisionId, document: { groupId: group.id } },
    include: { clauses: { orderBy: { position: 'asc' } } },
  });
  if (!revision) return null;
  const previous = await tx.revision.findFirst({
    where: { documentId: revision.documentId, sequence: { lt: revision.sequence } },
    orderBy: { sequence: 'desc' },
    include: { clauses: { orderBy: { position: 'asc' } } },
  });
  let changes = null;
  if (previous) {
    const counts = { added: 0, changed: 0, removed: 0, renumbered: 0 };
    for (const entry of compareRevisions(previous.clauses, revision.clauses)) if (entry.status !== 'unchanged') counts[entry.status] += 1;
    changes = counts;
  }
  // The decisions on the comments made before this draft; an editor's draft is not a decision.
  const decided = await tx.disposition.groupBy({
    by: ['code'],
    _count: { _all: true },
    where: {
      documentId: revision.documentId,
      status: { in: ['PROPOSED', 'FINAL'] },
      code: { not: null },
      comment: { status: 'OPEN', revision: { sequence: { lt: revision.sequence } } },
    },
  });
  const dispositions = (Object.keys(DISPOSITION_LABELS) as DispositionCode[])
    .map((code) => ({ label: DISPOSITION_LABELS[code], count: decided.find((d) => d.code === code.toUpperCase())?._count._all ?? 0 }))
    .filter((d) => d.count > 0);
  const objected = await tx.disposition.findMany({
    where: { documentId: revision.documentId, responseKind: 'OBJECT', status: { in: ['PROPOSED', 'FINAL'] }, comment: { status: 'OPEN' } },
    include: { comment: { select: { clause: { select: { number: true } }, author: { select: { name: true, affiliation: true } } } } },
    orderBy: { respondedAt: 'asc' },
  });
  const objections = objected.map((d) => ({
    clause: d.comment.clause?.number ?? '',
    summary: clip(`${commenterLabel(d.comment.author)}: ${d.responseText ?? ''}`),
  }));
  return { changes, dispositions, objections };
}

function finalReportSource(config: Config) {
  return async ({ tx, milestone, group }: ReachedMilestone) => {
    if (!milestone.revisionId) return null;
    const report = await tx.finalReport.findFirst({
      where: { revisionId: milestone.revisionId, document: { groupId: group.id } },
      select: { documentId: true },
    });
    if (!report) return null;
    if (group.visibility === 'PUBLIC_OUTPUTS') {
      const base = `${config.publicUrl}/api/public/groups/${group.slug}/documents/${report.documentId}`;
      return { reportUrl: `${base}/final`, dispositionTableUrl: `${base}/dispositions.docx` };
    }
    // A private group's members read them signed in.
    return {
      reportUrl: `${config.publicUrl}/groups/${group.slug}`,
      dispositionTableUrl: `${config.publicUrl}/api/groups/${group.slug}/documents/${report.documentId}/disposition-table.docx`,
    };
  };
}

export function provideDispositionDigestSources(sources: DigestSourceRegistry, config: Config): void {
  sources.provide('convenersDraft', convenersDraft);
  sources.provide('finalReport', finalReportSource(config));
}
