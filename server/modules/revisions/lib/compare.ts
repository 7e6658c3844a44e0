// What changed between two revisions, clause by clause, for the side-by-side view. Clause
// identity comes from matchClauses, the same matching that carries comments forward.
import { diffWords } from 'diff';
import { matchClauses, type ClauseMatch, type MatchReason } from './carry-forward.ts';
import type { Clause } from './clause.ts';

export interface DiffPart {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export type ComparisonStatus = 'unchanged' | 'changed' | 'renumbered' | 'added' | 'removed';

export interface ClauseComparison {
  status: ComparisonStatus;
  /** The clause in the older revision; null when added. */
  from: Clause | null;
  /** The clause in the newer revision; null when removed. */
  to: Clause | null;
  /** How the two were matched; null when added or removed. */
  match: MatchReason | null;
  /** Whether heading or body differ (a renumbered clause may or may not have been edited). */
  contentChanged: boolean;
  /** Word-level diffs, present whenever contentChanged. */
  diff: { heading: DiffPart[]; text: DiffPart[] } | null;
}

/**
 * One entry per clause of either revision, in the order of the new revision; a removed clause
 * is placed right after the entry for the old clause that preceded it (or first).
 */
export function compareRevisions(from: Clause[], to: Clause[]): ClauseComparison[] {
  const matches = matchClauses(from, to);
  const byNewIndex = new Map<number, ClauseMatch>();
  for (const m of matches) if (m.toIndex !== null) byNewIndex.set(m.toIndex, m);

  const removedAfter = removedByAnchor(matches);
  const entries: ClauseComparison[] = [...(removedAfter.get(null) ?? [])];
  to.forEach((clause, toIndex) => {
    const match = byNewIndex.get(toIndex);
    entries.push(match ? matchedEntry(match.from, clause, match.reason!) : added(clause));
    if (match) entries.push(...(removedAfter.get(match.fromIndex) ?? []));
  });
  return entries;
}

// Removed clauses grouped by the nearest preceding old clause that survived (null: none did).
function removedByAnchor(matches: ClauseMatch[]): Map<number | null, ClauseComparison[]> {
  const groups = new Map<number | null, ClauseComparison[]>();
  let anchor: number | null = null;
  for (const m of matches) {
    if (m.to) {
      anchor = m.fromIndex;
      continue;
    }
    const group = groups.get(anchor) ?? [];
    group.push(removed(m.from));
    groups.set(anchor, group);
  }
  return groups;
}

function matchedEntry(from: Clause, to: Clause, match: MatchReason): ClauseComparison {
  const contentChanged = from.heading !== to.heading || from.text !== to.text || from.html !== to.html;
  const renumbered = from.number !== to.number;
  const status: ComparisonStatus = renumbered ? 'renumbered' : contentChanged ? 'changed' : 'unchanged';
  const diff = contentChanged ? { heading: wordDiff(from.heading, to.heading), text: wordDiff(from.text, to.text) } : null;
  return { status, from, to, match, contentChanged, diff };
}

function added(to: Clause): ClauseComparison {
  return { status: 'added', from: null, to, match: null, contentChanged: true, diff: null };
}

function removed(from: Clause): ClauseComparison {
  return { status: 'removed', from, to: null, match: null, contentChanged: true, diff: null };
}

export function wordDiff(before: string, after: string): DiffPart[] {
  return diffWords(before, after).map((change) => ({
    op: change.added ? 'insert' : change.removed ? 'delete' : 'equal',
    text: change.value,
  }));
}
