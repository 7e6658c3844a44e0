// How disposition events look on sockets: the HTTP presenter, read inside the transaction of the
// change (so an event shows exactly the state it committed). Always presented for the
// 'members' audience — an editor's draft shows as undecided and assignees are left out — so a
// row may use a read permission every member has (e.g. 'comments.read') without leaking drafts.
import type { Tx } from '../../lib/use-case.ts';
import { Prisma, type Disposition } from '../../generated/prisma/client.ts';
import type { RealtimeTable } from '../realtime/realtime.registry.ts';
import { inDocument, inPublicOutputs } from '../realtime/realtime.registry.ts';
import { presentDisposition, type DispositionWithPeople } from './dispositions.presenter.ts';

// One statement per event (an include would cost a query per relation, and realtime presents
// every event of a bulk change inside its transaction).
const person = (prefix: string, alias: string) =>
  Prisma.raw(
    `CASE WHEN ${alias}.id IS NULL THEN NULL ELSE json_build_object('id', ${alias}.id, 'name', ${alias}.name, 'affiliation', ${alias}.affiliation) END AS "${prefix}"`,
  );

export async function presentDispositionEvent(tx: Tx, payload: { commentId: string; documentId: string }) {
  const [row] = await tx.$queryRaw<Array<Disposition & Pick<DispositionWithPeople, 'assignee' | 'draftedBy' | 'proposedBy' | 'finalisedBy' | 'implementedIn'>>>`
    SELECT d.id, d."commentId", d."documentId", d.code::text AS code, d.status::text AS status, d.rationale, d."adoptedText", d.version,
           d."assigneeId", d."draftedById", d."proposedById", d."proposedAt", d."respondBy", d."responseKind"::text AS "responseKind",
           d."responseText", d."respondedAt", d."finalisedById", d."finalisedAt", d."implementedInRevisionId", d."createdAt", d."updatedAt",
           ${person('assignee', 'au')}, ${person('draftedBy', 'du')}, ${person('proposedBy', 'pu')}, ${person('finalisedBy', 'fu')},
           CASE WHEN r.id IS NULL THEN NULL ELSE json_build_object('id', r.id, 'sequence', r.sequence, 'label', r.label) END AS "implementedIn"
    FROM "Disposition" d
    LEFT JOIN "User" au ON au.id = d."assigneeId"
    LEFT JOIN "User" du ON du.id = d."draftedById"
    LEFT JOIN "User" pu ON pu.id = d."proposedById"
    LEFT JOIN "User" fu ON fu.id = d."finalisedById"
    LEFT JOIN "Revision" r ON r.id = d."implementedInRevisionId"
    WHERE d."commentId" = ${payload.commentId}::uuid`;
  return row ? { disposition: presentDisposition(row, { commentId: row.commentId, documentId: row.documentId }, 'members') } : null;
}

/** For the public stream: only what the public final report shows, and only when the group's outputs are public. */
export async function presentPublishedEvent(tx: Tx, payload: { documentId: string }) {
  const report = await tx.finalReport.findUnique({
    where: { documentId: payload.documentId },
    include: {
      document: { include: { group: { select: { slug: true, visibility: true } } } },
      revision: { select: { id: true, sequence: true, label: true } },
    },
  });
  if (report?.document.group.visibility !== 'PUBLIC_OUTPUTS') return null;
  return {
    group: { slug: report.document.group.slug },
    document: { id: report.document.id, title: report.document.title },
    revision: report.revision,
    publishedAt: report.publishedAt.toISOString(),
  };
}

export const dispositionRealtimeEvents: RealtimeTable = {
  // Presented as members see them (drafts as undecided, no assignee), so every member may read them.
  'dispositions.drafted': { stream: inDocument, present: presentDispositionEvent, read: 'comments.read' },
  'dispositions.proposed': { stream: inDocument, present: presentDispositionEvent, read: 'comments.read' },
  'dispositions.responded': { stream: inDocument, present: presentDispositionEvent, read: 'comments.read' },
  'dispositions.finalised': { stream: inDocument, present: presentDispositionEvent, read: 'comments.read' },
  'dispositions.assigned': { stream: inDocument, present: presentDispositionEvent, read: 'comments.read' },
  'dispositions.deadline_set': { stream: inDocument, present: presentDispositionEvent, read: 'comments.read' },
  'dispositions.implemented': { stream: inDocument, present: presentDispositionEvent, read: 'comments.read' },
  // A final report published with its table; null (nothing sent) unless the group's outputs are public.
  'documents.published': { stream: inPublicOutputs, present: presentPublishedEvent, read: 'public' },
};
