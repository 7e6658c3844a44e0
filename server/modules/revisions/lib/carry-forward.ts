// Which clause of a new revision continues which clause of the previous one. Comments made on
// an old clause are carried to its match; an old clause without one is orphaned. The
// comparison view (compare.ts) uses this same matching so both always agree.
import type { Clause } from './clause.ts';

/**
 * Lowest similarity (see clauseSimilarity) at which a clause whose number and heading both
 * changed is still taken to be the same clause.
 */
export const CARRY_FORWARD_THRESHOLD = 0.6;

export type MatchReason = 'same_number_and_heading' | 'same_heading' | 'text_similarity';

export interface ClauseMatch {
  fromIndex: number;
  from: Clause;
  /** Index in the new revision, or null when the clause is orphaned. */
  toIndex: number | null;
  to: Clause | null;
  reason: MatchReason | null;
  /** clauseSimilarity of the pair; 0 when orphaned. */
  similarity: number;
}

/**
 * For each old clause in order, the new clause it became (each new clause used at most once):
 * 1. same number and heading; 2. same heading under a new number (renumbered), only when that
 * heading is unambiguous on both sides; 3. the most similar remaining clause, greedily by
 * score, ties broken by position, if the score reaches CARRY_FORWARD_THRESHOLD.
 */
export function matchClauses(from: Clause[], to: Clause[]): ClauseMatch[] {
  const matches = from.map<ClauseMatch>((clause, fromIndex) => ({
    fromIndex,
    from: clause,
    toIndex: null,
    to: null,
    reason: null,
    similarity: 0,
  }));
  const used = new Set<number>();
  const link = (match: ClauseMatch, toIndex: number, reason: MatchReason) => {
    const target = to[toIndex]!;
    Object.assign(match, { toIndex, to: target, reason, similarity: clauseSimilarity(match.from, target) });
    used.add(toIndex);
  };

  const byNumberAndHeading = new Map(to.map((c, i) => [`${c.number}\u0000${headingKey(c)}`, i]));
  for (const match of matches) {
    const toIndex = byNumberAndHeading.get(`${match.from.number}\u0000${headingKey(match.from)}`);
    if (toIndex !== undefined) link(match, toIndex, 'same_number_and_heading');
  }

  const oldHeadings = uniqueHeadings(matches.filter((m) => !m.to).map((m) => [m.fromIndex, m.from]));
  const newHeadings = uniqueHeadings(to.map((c, i) => [i, c] as const).filter(([i]) => !used.has(i)));
  for (const match of matches) {
    if (match.to) continue;
    const key = headingKey(match.from);
    const toIndex = oldHeadings.has(key) ? newHeadings.get(key) : undefined;
    if (toIndex !== undefined) link(match, toIndex, 'same_heading');
  }

  for (const [fromIndex, toIndex] of bestSimilarPairs(matches, to, used)) {
    link(matches[fromIndex]!, toIndex, 'text_similarity');
  }
  return matches;
}

function bestSimilarPairs(matches: ClauseMatch[], to: Clause[], used: Set<number>): Array<[number, number]> {
  const newShingles = to.map(shingles);
  const candidates: Array<{ fromIndex: number; toIndex: number; score: number }> = [];
  for (const match of matches) {
    if (match.to) continue;
    const oldShingles = shingles(match.from);
    newShingles.forEach((s, toIndex) => {
      if (used.has(toIndex)) return;
      const score = dice(oldShingles, s);
      if (score >= CARRY_FORWARD_THRESHOLD) candidates.push({ fromIndex: match.fromIndex, toIndex, score });
    });
  }
  candidates.sort((a, b) => b.score - a.score || a.fromIndex - b.fromIndex || a.toIndex - b.toIndex);
  const takenFrom = new Set<number>();
  const takenTo = new Set<number>();
  const pairs: Array<[number, number]> = [];
  for (const { fromIndex, toIndex } of candidates) {
    if (takenFrom.has(fromIndex) || takenTo.has(toIndex)) continue;
    takenFrom.add(fromIndex);
    takenTo.add(toIndex);
    pairs.push([fromIndex, toIndex]);
  }
  return pairs;
}

/**
 * Sørensen–Dice coefficient, 2·|A∩B| / (|A|+|B|), over the sets of word bigrams ("shingles" of
 * two consecutive lower-cased words) of heading and body text together. Bigrams rather than
 * single words so that reordered or rewritten sentences score lower than light edits; a
 * clause of fewer than two words falls back to single words. 1 = same words in the same order.
 */
export function clauseSimilarity(a: Clause, b: Clause): number {
  return dice(shingles(a), shingles(b));
}

function shingles(clause: Clause): Set<string> {
  const words = `${clause.heading} ${clause.text}`.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length < 2) return new Set(words);
  const pairs = new Set<string>();
  for (let i = 1; i < words.length; i++) pairs.add(`${words[i - 1]} ${words[i]}`);
  return pairs;
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared++;
  return (2 * shared) / (a.size + b.size);
}

function headingKey(clause: Clause): string {
  return clause.heading.toLowerCase().replace(/\s+/gu, ' ').trim();
}

// Headings that occur exactly once among the given [index, clause] pairs, to that index.
// ("General" may head several clauses; such a heading proves nothing about identity.)
function uniqueHeadings(clauses: ReadonlyArray<readonly [number, Clause]>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [, c] of clauses) counts.set(headingKey(c), (counts.get(headingKey(c)) ?? 0) + 1);
  const unique = new Map<string, number>();
  for (const [index, c] of clauses) {
    const key = headingKey(c);
    if (key !== '' && counts.get(key) === 1) unique.set(key, index);
  }
  return unique;
}
