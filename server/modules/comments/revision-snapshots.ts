// What the comment hot path needs to know about a revision: its document's group, its id, and each
// clause's number and plain text (quotes are checked against it). A posted revision never changes
// (revisions are immutable snapshots; a new text is a new revision), so this is cached without
// invalidation, per app, for the most recently used revisions. Anything that concerns who may
// comment (membership, role) or when (the period) is never cached: the write statement decides it.
import type { Ctx } from '../../lib/use-case.ts';

export interface RevisionSnapshot {
  groupId: string;
  revisionId: string;
  sequence: number;
  clauses: ReadonlyMap<string, { number: string; text: string }>;
  /** Headings and texts of all clauses: what a whole-document comment's quote must occur in. */
  wholeText: string;
}

/** A few MB at most: the revisions being commented on at the same time are few. */
const CAPACITY = 128;
const caches = new WeakMap<Ctx, Map<string, RevisionSnapshot>>();

/** The revision `sequence` of a document, or null when there is none (absence is not cached). */
export async function revisionSnapshot(ctx: Ctx, documentId: string, sequence: number): Promise<RevisionSnapshot | null> {
  let cache = caches.get(ctx);
  if (!cache) {
    cache = new Map();
    caches.set(ctx, cache);
  }
  const key = `${documentId}/${sequence}`;
  const hit = cache.get(key);
  if (hit) {
    // Least recently used first in iteration order: re-insert on use.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const revision = await ctx.prisma.revision.findUnique({
    where: { documentId_sequence: { documentId, sequence } },
    select: {
      id: true,
      sequence: true,
      document: { select: { groupId: true } },
      clauses: { orderBy: { position: 'asc' }, select: { id: true, number: true, heading: true, text: true } },
    },
  });
  if (!revision) return null;
  const snapshot: RevisionSnapshot = {
    groupId: revision.document.groupId,
    revisionId: revision.id,
    sequence: revision.sequence,
    clauses: new Map(revision.clauses.map((c) => [c.id, { number: c.number, text: c.text }])),
    wholeText: revision.clauses.map((c) => `${c.heading} ${c.text}`).join(' '),
  };
  cache.set(key, snapshot);
  if (cache.size > CAPACITY) cache.delete(cache.keys().next().value!);
  return snapshot;
}
