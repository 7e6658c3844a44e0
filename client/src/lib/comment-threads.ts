// Pure helpers of the document view: comments grouped by clause and thread, a live event
// applied to that set, and where a revision's comment period stands at an instant.
export interface CommentLike {
  id: string;
  clauseId: string | null;
  parentId: string | null;
  createdAt: string;
  status: string;
}

/** Upserts comments by id (a live event or a refetch carries the whole comment). */
export function mergeComments<C extends CommentLike>(current: ReadonlyMap<string, C>, incoming: readonly C[]): Map<string, C> {
  const next = new Map(current);
  for (const c of incoming) next.set(c.id, c);
  return next;
}

/**
 * The set after a refetch: `incoming` is the whole set, but a comment that did not change keeps
 * its object, so only the threads that changed render again (the view memoises them by identity).
 */
export function replaceComments<C extends CommentLike>(current: ReadonlyMap<string, C>, incoming: readonly C[]): Map<string, C> {
  const next = new Map<string, C>();
  for (const c of incoming) {
    const known = current.get(c.id);
    next.set(c.id, known && JSON.stringify(known) === JSON.stringify(c) ? known : c);
  }
  return next;
}

export interface Threads<C extends CommentLike> {
  /** Top-level comments per clause id ('' = the document as a whole), oldest first. */
  byClause: Map<string, C[]>;
  /** Replies per parent comment, oldest first. */
  replies: Map<string, C[]>;
}

// ISO instants and ids compare as plain strings (localeCompare's collation is far slower: 500
// comments sorted that way cost more than a frame).
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byTime = (a: CommentLike, b: CommentLike) => compare(a.createdAt, b.createdAt) || compare(a.id, b.id);

export function groupThreads<C extends CommentLike>(comments: Iterable<C>): Threads<C> {
  const byClause = new Map<string, C[]>();
  const replies = new Map<string, C[]>();
  for (const c of comments) {
    const [map, key] = c.parentId ? [replies, c.parentId] : [byClause, c.clauseId ?? ''];
    const list = map.get(key);
    if (list) list.push(c);
    else map.set(key, [c]);
  }
  for (const list of byClause.values()) list.sort(byTime);
  for (const list of replies.values()) list.sort(byTime);
  return { byClause, replies };
}

/** Open comments of a clause (withdrawn ones are shown but not counted). */
export const openCount = (list: readonly CommentLike[] | undefined) => (list ?? []).filter((c) => c.status === 'open').length;

export interface PeriodLike {
  opensAt: { iso: string };
  closesAt: { iso: string };
  revision: { sequence: number };
}
export type PeriodState<P> = { state: 'none' } | { state: 'upcoming' | 'open' | 'closed'; period: P };

/**
 * The comment period of a revision at `now`: the open one, else the next to open, else the last
 * to close. A comment at or after the close is late (the server's rule, by its clock).
 */
export function periodAt<P extends PeriodLike>(periods: readonly P[], sequence: number, now: number): PeriodState<P> {
  const mine = periods.filter((p) => p.revision.sequence === sequence);
  const t = (iso: string) => Date.parse(iso);
  const open = mine.find((p) => t(p.opensAt.iso) <= now && now < t(p.closesAt.iso));
  if (open) return { state: 'open', period: open };
  const upcoming = mine.filter((p) => t(p.opensAt.iso) > now).sort((a, b) => t(a.opensAt.iso) - t(b.opensAt.iso))[0];
  if (upcoming) return { state: 'upcoming', period: upcoming };
  const last = [...mine].sort((a, b) => t(b.closesAt.iso) - t(a.closesAt.iso))[0];
  return last ? { state: 'closed', period: last } : { state: 'none' };
}

/**
 * Each comment's number in its document: 1 for the first made, replies included, over every
 * revision (a comment's number never changes: comments are withdrawn, never deleted).
 */
export function numberComments(comments: Iterable<Pick<CommentLike, 'id' | 'createdAt'>>): Map<string, number> {
  const all = [...comments].sort((a, b) => compare(a.createdAt, b.createdAt) || compare(a.id, b.id));
  return new Map(all.map((c, i) => [c.id, i + 1]));
}
