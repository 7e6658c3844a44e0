import { beforeAll, describe, expect, it } from 'vitest';
import { CARRY_FORWARD_THRESHOLD, clauseSimilarity, matchClauses, type ClauseMatch } from '../../../server/modules/revisions/lib/carry-forward.ts';
import type { Clause } from '../../../server/modules/revisions/lib/clause.ts';
import { importMarkdown } from '../../../server/modules/revisions/lib/import-markdown.ts';
import { readSeed } from './helpers.ts';

const clause = (number: string, heading: string, text = ''): Clause => ({ number, heading, html: text ? `<p>${text}</p>` : '', text });

const DEVICE_TEXT = 'IoT devices are often deployed unattended in physically accessible locations with constrained processing power memory and energy';
const NETWORK_TEXT = 'The network layer carries data between devices gateways and platforms over heterogeneous links many of them wireless and low power';

describe('matchClauses across the X.iotsec-2 revision', () => {
  let before: Clause[];
  let after: Clause[];
  let matches: ClauseMatch[];
  const matchOf = (number: string) => matches.find((m) => m.from.number === number)!;

  beforeAll(() => {
    before = importMarkdown(readSeed('seed-x-iotsec-2.md')).clauses;
    after = importMarkdown(readSeed('seed-x-iotsec-2-rev2.md')).clauses;
    matches = matchClauses(before, after);
  });

  it('returns one entry per old clause, in order', () => {
    expect(matches.map((m) => m.from)).toEqual(before);
    expect(matches.map((m) => m.fromIndex)).toEqual(before.map((_, i) => i));
  });

  it('follows a definition moved from 3.2.1 to 3.1.2 by its heading', () => {
    expect(matchOf('3.2.1')).toMatchObject({ reason: 'same_heading', to: { number: '3.1.2', heading: 'Internet of Things (IoT) [ITU-T Y.2060]' } });
  });

  it('orphans the removed definition instead of pinning it on the new clause that took its number', () => {
    expect(matchOf('3.1.2')).toMatchObject({ to: null, toIndex: null, reason: null, similarity: 0 });
  });

  it('follows a clause whose heading was edited by text similarity', () => {
    const m = matchOf('8.1');
    expect(m).toMatchObject({ reason: 'text_similarity', to: { number: '8.1', heading: 'Security capabilities for devices' } });
    expect(m.similarity).toBeGreaterThanOrEqual(CARRY_FORWARD_THRESHOLD);
  });

  it('matches edited clauses that kept number and heading directly', () => {
    expect(matchOf('7.2')).toMatchObject({ reason: 'same_number_and_heading', to: { number: '7.2' } });
    expect(matchOf('7.2').similarity).toBeLessThan(1);
    expect(matchOf('3')).toMatchObject({ reason: 'same_number_and_heading', to: { heading: 'Terms and definitions' } });
  });

  it('uses each new clause at most once and points toIndex at it', () => {
    const used = matches.flatMap((m) => (m.toIndex === null ? [] : [m.toIndex]));
    expect(new Set(used).size).toBe(used.length);
    for (const m of matches) if (m.toIndex !== null) expect(after[m.toIndex]).toBe(m.to);
    const unmatchedNew = after.filter((_, i) => !used.includes(i)).map((c) => c.number);
    expect(unmatchedNew).toEqual(['3.2.1']);
  });
});

describe('matchClauses rules', () => {
  it('exports the threshold it applies', () => {
    expect(CARRY_FORWARD_THRESHOLD).toBe(0.6);
  });

  it('orphans a clause rewritten beyond the threshold', () => {
    const [m] = matchClauses([clause('7.1', 'Device threats', DEVICE_TEXT)], [clause('7.1', 'Network threats', NETWORK_TEXT)]);
    expect(m).toMatchObject({ to: null, reason: null });
  });

  it('does not trust a heading shared by several clauses', () => {
    const from = [clause('7.1', 'General', DEVICE_TEXT), clause('8.1', 'General', NETWORK_TEXT)];
    const to = [clause('7.2', 'General', NETWORK_TEXT), clause('8.2', 'General', DEVICE_TEXT)];
    const matches = matchClauses(from, to);
    expect(matches.map((m) => [m.to?.number, m.reason])).toEqual([
      ['8.2', 'text_similarity'],
      ['7.2', 'text_similarity'],
    ]);
  });

  it('matches a renumbered clause with a unique heading even if its text changed a lot', () => {
    const [m] = matchClauses([clause('5', 'Conventions', DEVICE_TEXT)], [clause('4', 'Conventions', NETWORK_TEXT)]);
    expect(m).toMatchObject({ reason: 'same_heading', to: { number: '4' } });
  });

  it('ignores case and spacing in headings', () => {
    const [m] = matchClauses([clause('3', 'Terms and  Definitions')], [clause('3', 'terms and definitions')]);
    expect(m?.reason).toBe('same_number_and_heading');
  });

  it('resolves equal candidates deterministically by position', () => {
    const from = [clause('1', 'A', DEVICE_TEXT), clause('2', 'B', DEVICE_TEXT)];
    const to = [clause('9', 'C', DEVICE_TEXT), clause('10', 'D', DEVICE_TEXT)];
    for (let run = 0; run < 3; run++) {
      expect(matchClauses(from, to).map((m) => m.to?.number)).toEqual(['9', '10']);
    }
  });

  it('gives the best-scoring pair priority over document order', () => {
    const edited = `${DEVICE_TEXT} and are therefore exposed to tampering`;
    const from = [clause('1', 'A', edited), clause('2', 'B', DEVICE_TEXT)];
    const to = [clause('9', 'C', DEVICE_TEXT)];
    expect(matchClauses(from, to).map((m) => m.to?.number ?? null)).toEqual([null, '9']);
  });
});

describe('clauseSimilarity', () => {
  it('is 1 for identical clauses, 0 for disjoint or empty ones', () => {
    expect(clauseSimilarity(clause('1', 'A', DEVICE_TEXT), clause('2', 'A', DEVICE_TEXT))).toBe(1);
    expect(clauseSimilarity(clause('1', 'Device', DEVICE_TEXT), clause('1', 'Network', 'Completely different words here'))).toBe(0);
    expect(clauseSimilarity(clause('1', ''), clause('2', ''))).toBe(0);
  });

  it('is the Dice coefficient of word bigrams, ignoring case and punctuation', () => {
    // {a b, b c, c d} vs {a b, b c, c e}: 2·2 / (3+3)
    expect(clauseSimilarity(clause('1', 'A b', 'c, d'), clause('1', 'a', 'B c e'))).toBeCloseTo(4 / 6);
  });
});
