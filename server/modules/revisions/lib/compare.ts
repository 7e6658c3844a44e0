// What changed between two revisions, clause by clause, for the side-by-side view. Clause
// identity comes from matchClauses, the same matching that carries comments forward. Within a
// clause, its blocks (paragraphs, list items, table rows) are matched first and words are
// compared only within a changed block, so a paragraph and a list never run together; a word is
// everything between spaces ("Y.2060," stays one token, as a reader sees it).
import { diffArrays } from 'diff';
import { Parser } from 'htmlparser2';
import { matchClauses, type ClauseMatch, type MatchReason } from './carry-forward.ts';
import type { Clause } from './clause.ts';

export interface DiffPart {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export type BlockKind = 'paragraph' | 'item' | 'row' | 'code' | 'heading';

/** One block of a changed clause: the same in both, changed within (words), inserted or deleted whole. */
export interface BlockDiff {
  op: 'equal' | 'changed' | 'inserted' | 'deleted';
  kind: BlockKind;
  parts: DiffPart[];
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
  /** Word-level diffs, present whenever contentChanged: of the heading, the whole text, and block by block. */
  diff: { heading: DiffPart[]; text: DiffPart[]; blocks: BlockDiff[] } | null;
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
  const diff = contentChanged
    ? { heading: wordDiff(from.heading, to.heading), text: wordDiff(from.text, to.text), blocks: blockDiff(blocksOf(from.html), blocksOf(to.html)) }
    : null;
  return { status, from, to, match, contentChanged, diff };
}

function added(to: Clause): ClauseComparison {
  return { status: 'added', from: null, to, match: null, contentChanged: true, diff: null };
}

function removed(from: Clause): ClauseComparison {
  return { status: 'removed', from, to: null, match: null, contentChanged: true, diff: null };
}

const tokens = (text: string) => text.match(/\s+|\S+/gu) ?? [];

/**
 * Words deleted and inserted, in order. Changes separated only by spaces read as one change
 * ("[deleted: a b] [inserted: c d]", not four alternating pieces).
 */
export function wordDiff(before: string, after: string): DiffPart[] {
  const changes = diffArrays(tokens(before), tokens(after));
  const parts: DiffPart[] = [];
  let deleted = '';
  let inserted = '';
  const push = (op: DiffPart['op'], text: string) => {
    const last = parts.at(-1);
    if (last?.op === op) last.text += text;
    else if (text) parts.push({ op, text });
  };
  const flush = () => {
    // Spaces both sides end with are unchanged ("[deleted: a] [inserted: b] c", not "a " → "b ").
    const space = /\s+$/u.exec(deleted)?.[0] ?? '';
    const common = deleted && inserted && space && inserted.endsWith(space) ? space : '';
    push('delete', deleted.slice(0, deleted.length - common.length));
    push('insert', inserted.slice(0, inserted.length - common.length));
    push('equal', common);
    deleted = inserted = '';
  };
  changes.forEach((change, i) => {
    const text = change.value.join('');
    if (change.removed) deleted += text;
    else if (change.added) inserted += text;
    else if (deleted && inserted && /^\s+$/u.test(text) && i < changes.length - 1) {
      deleted += text;
      inserted += text;
    } else {
      flush();
      push('equal', text);
    }
  });
  flush();
  return parts;
}

const LEAF_KINDS: Record<string, BlockKind> = { p: 'paragraph', li: 'item', tr: 'row', pre: 'code', dt: 'paragraph', dd: 'paragraph', caption: 'paragraph' };
const CONTAINERS = new Set(['ul', 'ol', 'table', 'thead', 'tbody', 'tfoot', 'blockquote', 'div', 'dl', 'figure', 'section']);
const HEADING = /^h[1-6]$/u;

/** A clause body's blocks as plain text, in order (a nested list's items follow their parent item's own words). */
export function blocksOf(html: string): { kind: BlockKind; text: string }[] {
  const blocks: { kind: BlockKind; text: string }[] = [];
  const kinds: BlockKind[] = [];
  let text = '';
  const flush = () => {
    const clean = text.replace(/\s+/gu, ' ').trim();
    if (clean) blocks.push({ kind: kinds.at(-1) ?? 'paragraph', text: clean });
    text = '';
  };
  const isBlock = (name: string) => name in LEAF_KINDS || CONTAINERS.has(name) || HEADING.test(name);
  const parser = new Parser({
    onopentag(name) {
      if (name === 'td' || name === 'th') {
        if (text.trim()) text += ' | ';
        return;
      }
      if (name === 'br') {
        text += ' ';
        return;
      }
      if (!isBlock(name)) return;
      flush();
      kinds.push(HEADING.test(name) ? 'heading' : (LEAF_KINDS[name] ?? kinds.at(-1) ?? 'paragraph'));
    },
    ontext(data) {
      text += data;
    },
    onclosetag(name) {
      if (!isBlock(name)) return;
      flush();
      kinds.pop();
    },
  });
  parser.write(html);
  parser.end();
  flush();
  return blocks;
}

/**
 * Blocks matched in order by their text; a run of deleted blocks next to a run of inserted ones
 * is read as those blocks changed, pairwise, and compared word by word.
 */
export function blockDiff(before: { kind: BlockKind; text: string }[], after: { kind: BlockKind; text: string }[]): BlockDiff[] {
  const changes = diffArrays(before, after, { comparator: (a, b) => a.text === b.text && a.kind === b.kind });
  const out: BlockDiff[] = [];
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    if (!change.added && !change.removed) {
      for (const block of change.value) out.push({ op: 'equal', kind: block.kind, parts: [{ op: 'equal', text: block.text }] });
      continue;
    }
    const next = changes[i + 1];
    const deleted = change.removed ? change.value : [];
    const inserted = change.added ? change.value : next?.added ? next.value : [];
    if (change.removed && next?.added) i++;
    const paired = Math.min(deleted.length, inserted.length);
    for (let k = 0; k < paired; k++) out.push({ op: 'changed', kind: inserted[k]!.kind, parts: wordDiff(deleted[k]!.text, inserted[k]!.text) });
    for (const block of deleted.slice(paired)) out.push({ op: 'deleted', kind: block.kind, parts: [{ op: 'delete', text: block.text }] });
    for (const block of inserted.slice(paired)) out.push({ op: 'inserted', kind: block.kind, parts: [{ op: 'insert', text: block.text }] });
  }
  return out;
}
