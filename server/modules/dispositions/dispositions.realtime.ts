// How disposition events look on sockets: the HTTP presenter, read inside the transaction of the
// change (so an event shows exactly the state it committed). Always presented for the
// 'members' audience — an editor's draft shows as undecided and assignees are left out — so a
// row may use a read permission every member has (e.g. 'comments.read') without leaking drafts.
// Registered in realtime/realtime.events.ts.
import type { Tx } from '../../lib/use-case.ts';
import { dispositionInclude, presentDisposition } from './dispositions.presenter.ts';

export async function presentDispositionEvent(tx: Tx, payload: { commentId: string; documentId: string }) {
  const d = await tx.disposition.findUnique({ where: { commentId: payload.commentId }, include: dispositionInclude });
  return d ? { disposition: presentDisposition(d, { commentId: d.commentId, documentId: d.documentId }, 'members') } : null;
}

/** For the public stream: only what the public final report shows, and only when the group's outputs are public. */
export async function presentPublishedEvent(tx: Tx, payload: { documentId: string }) {
  const report = await tx.finalReport.findUnique({
    where: { documentId: payload.documentId },
    include: { document: { include: { group: { select: { slug: true, visibility: true } } } }, revision: { select: { id: true, sequence: true, label: true } } },
  });
  if (!report || report.document.group.visibility !== 'PUBLIC_OUTPUTS') return null;
  return {
    group: { slug: report.document.group.slug },
    document: { id: report.document.id, title: report.document.title },
    revision: report.revision,
    publishedAt: report.publishedAt.toISOString(),
  };
}
