import { beforeAll, describe, expect, it } from 'vitest';
import { matchClauses } from '../../../server/modules/revisions/lib/carry-forward.ts';
import type { Clause } from '../../../server/modules/revisions/lib/clause.ts';
import { blockDiff, blocksOf, compareRevisions, wordDiff, type ClauseComparison, type DiffPart } from '../../../server/modules/revisions/lib/compare.ts';
import { importMarkdown } from '../../../server/modules/revisions/lib/import-markdown.ts';
import { readSeed } from './helpers.ts';

const clause = (number: string, heading: string, text = ''): Clause => ({ number, heading, html: text ? `<p>${text}</p>` : '', text });
const summary = (entries: ClauseComparison[]) => entries.map((e) => `${e.status} ${e.from?.number ?? '-'}→${e.to?.number ?? '-'}`);
const oldSide = (parts: DiffPart[]) =>
  parts
    .filter((p) => p.op !== 'insert')
    .map((p) => p.text)
    .join('');
const newSide = (parts: DiffPart[]) =>
  parts
    .filter((p) => p.op !== 'delete')
    .map((p) => p.text)
    .join('');

describe('compareRevisions across the X.iotsec-2 revision', () => {
  let before: Clause[];
  let after: Clause[];
  let entries: ClauseComparison[];
  const entryFor = (fromNumber: string) => entries.find((e) => e.from?.number === fromNumber)!;

  beforeAll(() => {
    before = importMarkdown(readSeed('seed-x-iotsec-2.md')).clauses;
    after = importMarkdown(readSeed('seed-x-iotsec-2-rev2.md')).clauses;
    entries = compareRevisions(before, after);
  });

  it('lists every clause in the order of the new revision, removed ones where they were', () => {
    expect(summary(entries)).toEqual([
      'changed →', // the front matter: number "" on both sides
      'unchanged 1→1',
      'changed 2→2',
      'changed 3→3',
      'unchanged 3.1→3.1',
      'unchanged 3.1.1→3.1.1',
      'removed 3.1.2→-',
      'renumbered 3.2.1→3.1.2',
      'unchanged 3.2→3.2',
      'added -→3.2.1',
      'unchanged 4→4',
      'unchanged 5→5',
      'unchanged 6→6',
      'unchanged 7→7',
      'unchanged 7.1→7.1',
      'changed 7.2→7.2',
      'unchanged 7.3→7.3',
      'unchanged 8→8',
      'changed 8.1→8.1',
      'unchanged 8.2→8.2',
      'unchanged 8.3→8.3',
    ]);
  });

  it('shows each clause of both revisions exactly once', () => {
    expect(entries.filter((e) => e.from).map((e) => e.from)).toHaveLength(before.length);
    expect(entries.filter((e) => e.to).map((e) => e.to)).toEqual(after);
  });

  it('gives a word diff of an edited body that rebuilds both texts', () => {
    const entry = entryFor('7.2');
    expect(entry.contentChanged).toBe(true);
    const text = entry.diff!.text;
    expect(text).toContainEqual({ op: 'delete', text: 'resources' });
    expect(
      text
        .filter((p) => p.op === 'insert')
        .map((p) => p.text)
        .join(' '),
    ).toContain('tables and buffers of constrained nodes');
    expect(oldSide(text)).toBe(entry.from!.text);
    expect(newSide(text)).toBe(entry.to!.text);
    expect(entry.diff!.heading).toEqual([{ op: 'equal', text: 'Security threats for network' }]);
  });

  it('diffs an edited heading', () => {
    const entry = entryFor('8.1');
    expect(entry.match).toBe('text_similarity');
    expect(entry.diff!.heading).toEqual([
      { op: 'equal', text: 'Security capabilities for ' },
      // A word is what lies between spaces, as a reader sees it: "sensor/devices" became "devices".
      { op: 'delete', text: 'sensor/devices' },
      { op: 'insert', text: 'devices' },
    ]);
    expect(entry.diff!.text.every((p) => p.op === 'equal')).toBe(true);
  });

  it('marks a moved but unedited clause renumbered without a diff', () => {
    expect(entryFor('3.2.1')).toMatchObject({ status: 'renumbered', match: 'same_heading', contentChanged: false, diff: null, to: { number: '3.1.2' } });
  });

  it('uses exactly the carry-forward matching', () => {
    const matches = matchClauses(before, after);
    for (const m of matches) {
      const entry = entries.find((e) => e.from === m.from)!;
      expect(entry.to).toBe(m.to);
      expect(entry.match).toBe(m.reason);
    }
  });
});

describe('compareRevisions placement and status', () => {
  it('reports a renumbered clause that was also edited, with its diff', () => {
    const [entry] = compareRevisions(
      [clause('5', 'Conventions', 'This Recommendation uses the following conventions')],
      [clause('4', 'Conventions', 'This Recommendation uses no particular conventions')],
    );
    expect(entry).toMatchObject({ status: 'renumbered', contentChanged: true });
    expect(entry!.diff!.text).toContainEqual({ op: 'insert', text: 'no particular' });
  });

  it('puts a removed first clause first and an added clause where it is', () => {
    const entries = compareRevisions(
      [clause('1', 'Foreword', 'Old foreword'), clause('2', 'Scope', 'Scope text'), clause('3', 'Gone', 'Removed text')],
      [clause('1', 'Scope', 'Scope text'), clause('2', 'New clause', 'Fresh words')],
    );
    expect(summary(entries)).toEqual(['removed 1→-', 'renumbered 2→1', 'removed 3→-', 'added -→2']);
  });

  it('calls a formatting-only edit changed, with an all-equal text diff', () => {
    const from = { number: '1', heading: 'Scope', html: '<p>plain</p>', text: 'plain' };
    const to = { number: '1', heading: 'Scope', html: '<p><strong>plain</strong></p>', text: 'plain' };
    const [entry] = compareRevisions([from], [to]);
    expect(entry).toMatchObject({ status: 'changed', diff: { text: [{ op: 'equal', text: 'plain' }] } });
  });

  it('compares identical revisions as all unchanged', () => {
    const clauses = [clause('1', 'Scope', 'a b c'), clause('2', 'References', 'd e f')];
    expect(compareRevisions(clauses, clauses).map((e) => e.status)).toEqual(['unchanged', 'unchanged']);
  });
});

describe('wordDiff', () => {
  it('diffs by word', () => {
    expect(wordDiff('secure boot process', 'measured boot process')).toEqual([
      { op: 'delete', text: 'secure' },
      { op: 'insert', text: 'measured' },
      { op: 'equal', text: ' boot process' },
    ]);
  });
});

describe('block by block', () => {
  it('keeps a token with its punctuation whole, and runs of changed words together', () => {
    expect(wordDiff('see ITU-T Y.2060, clause 7', 'see ITU-T Y.2061, clause 7')).toEqual([
      { op: 'equal', text: 'see ITU-T ' },
      { op: 'delete', text: 'Y.2060,' },
      { op: 'insert', text: 'Y.2061,' },
      { op: 'equal', text: ' clause 7' },
    ]);
    expect(wordDiff('one two three four', 'one five six four')).toEqual([
      { op: 'equal', text: 'one ' },
      { op: 'delete', text: 'two three' },
      { op: 'insert', text: 'five six' },
      { op: 'equal', text: ' four' },
    ]);
  });

  it('reads paragraphs, list items (nested ones after their parent) and table rows as blocks', () => {
    const html =
      '<p>Intro <strong>text</strong>.</p><ul><li>First<ul><li>Nested</li></ul></li><li>Second</li></ul><table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table><p>End</p>';
    expect(blocksOf(html)).toEqual([
      { kind: 'paragraph', text: 'Intro text.' },
      { kind: 'item', text: 'First' },
      { kind: 'item', text: 'Nested' },
      { kind: 'item', text: 'Second' },
      { kind: 'row', text: 'A | B' },
      { kind: 'row', text: '1 | 2' },
      { kind: 'paragraph', text: 'End' },
    ]);
  });

  it('compares words only within a changed block; other blocks stay apart, whole', () => {
    const before = blocksOf('<p>Threats are:</p><ul><li>capture of devices</li><li>cloning</li></ul><p>Passwords make this trivial.</p>');
    const after = blocksOf('<p>Threats are:</p><ul><li>capture of devices</li><li>energy exhaustion</li><li>cloning</li></ul><p>Passwords make this easy.</p>');
    expect(blockDiff(before, after).map((b) => [b.op, b.kind, b.parts.map((p) => `${p.op}:${p.text}`).join('|')])).toEqual([
      ['equal', 'paragraph', 'equal:Threats are:'],
      ['equal', 'item', 'equal:capture of devices'],
      ['inserted', 'item', 'insert:energy exhaustion'],
      ['equal', 'item', 'equal:cloning'],
      ['changed', 'paragraph', 'equal:Passwords make this |delete:trivial.|insert:easy.'],
    ]);
  });
});
