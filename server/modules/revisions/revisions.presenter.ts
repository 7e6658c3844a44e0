// JSON shapes of documents, revisions, clauses and comparisons, for HTTP and socket events alike.
import type { Document, Revision } from '../../generated/prisma/client.ts';
import { lower } from '../../lib/enum-case.ts';
import { presentPerson, type PersonLike } from '../users/users.presenter.ts';
import type { Clause } from './lib/clause.ts';
import type { ClauseComparison } from './lib/compare.ts';
import type { RevisionView } from './read-revisions.ts';

export const presentDocument = (d: Document & { revisions?: Array<Revision & { postedBy: PersonLike | null }> }) => ({
  id: d.id,
  title: d.title,
  state: lower(d.state),
  createdAt: d.createdAt.toISOString(),
  latestRevision: d.revisions?.[0] ? presentRevisionSummary(d.revisions[0]) : null,
});

export const presentRevisionSummary = (
  r: Pick<Revision, 'id' | 'documentId' | 'sequence' | 'label' | 'format' | 'notes' | 'postedAt'> & {
    postedBy: PersonLike | null;
    _count?: { clauses: number };
  },
) => ({
  id: r.id,
  documentId: r.documentId,
  sequence: r.sequence,
  label: r.label,
  format: lower(r.format),
  notes: r.notes,
  postedBy: r.postedBy ? presentPerson(r.postedBy) : null,
  postedAt: r.postedAt.toISOString(),
  ...(r._count ? { clauseCount: r._count.clauses } : {}),
});

/** A clause of an import preview (not stored yet: no id). */
export const presentImportedClause = (c: Clause, position: number) => ({ position, number: c.number, heading: c.heading, html: c.html });

export function presentRevision({ revision, countByClause, carried }: RevisionView) {
  const carriedByClause = new Map<string | null, RevisionView['carried']>();
  for (const link of carried) carriedByClause.set(link.clauseId, [...(carriedByClause.get(link.clauseId) ?? []), link]);
  const presentLink = (l: RevisionView['carried'][number]) => ({
    commentId: l.commentId,
    fromRevision: l.comment.revision.sequence,
    fromClauseNumber: l.comment.clause?.number ?? null,
    type: l.comment.type ? lower(l.comment.type) : null,
    status: lower(l.comment.status),
    reason: lower(l.reason),
    similarity: Math.round(l.similarity * 1000) / 1000,
  });
  return {
    ...presentRevisionSummary(revision),
    clauses: revision.clauses.map((c) => ({
      id: c.id,
      position: c.position,
      number: c.number,
      heading: c.heading,
      html: c.html,
      commentCount: countByClause.get(c.id) ?? 0,
      earlierComments: (carriedByClause.get(c.id) ?? []).map(presentLink),
    })),
    documentCommentCount: countByClause.get(null) ?? 0,
    orphanedComments: carried.filter((l) => l.reason === 'ORPHANED').map(presentLink),
    periods: revision.periods.map((p) => ({ id: p.id, opensAt: p.opensAt.toISOString(), closesAt: p.closesAt.toISOString() })),
  };
}

const clauseRef = (c: Clause | null) => (c ? { number: c.number, heading: c.heading } : null);

export const presentComparison = (e: ClauseComparison) => ({
  status: e.status,
  from: clauseRef(e.from),
  to: clauseRef(e.to),
  match: e.match,
  contentChanged: e.contentChanged,
  diff: e.diff,
});
