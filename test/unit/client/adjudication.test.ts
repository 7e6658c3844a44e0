// The board's pure parts: where a disposition stands in the consultation, and which key does what
// (letters never fire while typing; arrows and Enter only on a comment of the list).
import { describe, expect, it } from 'vitest';
import { boardCommand, consultationOf } from '../../../client/src/lib/consultation.ts';
import adjudicationAr from '../../../locales/ar/adjudication.json' with { type: 'json' };

const NOW = Date.parse('2026-05-01T12:00:00Z');
const d = (status: string, respondBy: string | null = null, response: { kind: string } | null = null) => ({ status, respondBy, response });
const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('consultationOf', () => {
  it("is none before a convener proposes (undecided or an editor's draft)", () => {
    expect(consultationOf(d('undecided'), NOW)).toBe('none');
    expect(consultationOf(d('draft'), NOW)).toBe('none');
  });
  it('awaits the commenter while proposed and before the deadline, or without one', () => {
    expect(consultationOf(d('proposed', '2026-05-02T00:00:00Z'), NOW)).toBe('awaiting');
    expect(consultationOf(d('proposed'), NOW)).toBe('awaiting');
  });
  it('is silent once the deadline passed unanswered, and for a final disposition never answered', () => {
    expect(consultationOf(d('proposed', '2026-05-01T12:00:00Z'), NOW)).toBe('silent');
    expect(consultationOf(d('final'), NOW)).toBe('silent');
  });
  it('shows the answer, kept on record after finalising', () => {
    expect(consultationOf(d('proposed', null, { kind: 'agree' }), NOW)).toBe('agreed');
    expect(consultationOf(d('final', null, { kind: 'object' }), NOW)).toBe('objected');
  });
});

describe('boardCommand', () => {
  const list = { typing: false, onRow: true };
  const elsewhere = { typing: false, onRow: false };
  const typing = { typing: true, onRow: false };
  it('moves with j/k anywhere outside text fields, with arrows, Home and End only on the list', () => {
    expect(boardCommand(key('j'), elsewhere)).toBe('next');
    expect(boardCommand(key('k'), elsewhere)).toBe('previous');
    expect(boardCommand(key('ArrowDown'), list)).toBe('next');
    expect(boardCommand(key('ArrowUp'), list)).toBe('previous');
    expect(boardCommand(key('Home'), list)).toBe('first');
    expect(boardCommand(key('End'), list)).toBe('last');
    expect(boardCommand(key('ArrowDown'), elsewhere)).toBeNull();
    expect(boardCommand(key('Home'), elsewhere)).toBeNull();
  });
  it('opens the form with d anywhere and Enter only on a comment (Enter elsewhere presses its button)', () => {
    expect(boardCommand(key('d'), elsewhere)).toBe('decide');
    expect(boardCommand(key('Enter'), list)).toBe('decide');
    expect(boardCommand(key('Enter'), elsewhere)).toBeNull();
  });
  it('selects, finalises, goes to the filters and shows help', () => {
    expect(boardCommand(key('x'), list)).toBe('select');
    expect(boardCommand(key('f'), list)).toBe('finalise');
    expect(boardCommand(key('/'), list)).toBe('filters');
    expect(boardCommand(key('?'), list)).toBe('help');
  });
  it('never takes a letter typed in a text field, nor a key with a modifier; Escape always goes back', () => {
    for (const k of ['j', 'k', 'x', 'd', 'f', '/', '?', 'Enter', 'ArrowDown']) expect(boardCommand(key(k), typing)).toBeNull();
    expect(boardCommand(key('j', { ctrlKey: true }), list)).toBeNull();
    expect(boardCommand(key('f', { metaKey: true }), list)).toBeNull();
    expect(boardCommand(key('Escape'), typing)).toBe('back');
  });
});

describe('the adjudication strings', () => {
  it('Arabic translates the chrome: titles, filters, the decision form, buttons', () => {
    for (const k of [
      'adj.board.title',
      'adj.filters.state',
      'adj.form.propose',
      'adj.form.finalise',
      'adj.bulk.apply',
      'adj.keys.title',
      'adj.awaiting.send',
      'adj.table.title',
    ] as const) {
      expect(adjudicationAr[k], k).toBeTruthy();
    }
  });
});
