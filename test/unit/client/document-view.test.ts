import { describe, expect, it } from 'vitest';
import { groupThreads, mergeComments, openCount, periodAt, replaceComments } from '../../../client/src/lib/comment-threads.ts';
import { getMessages, loadNamespaces, translate } from '../../../client/src/i18n/translate.ts';

const comment = (id: string, clauseId: string | null, createdAt: string, parentId: string | null = null, status = 'open') => ({
  id,
  clauseId,
  parentId,
  createdAt,
  status,
});
const period = (sequence: number, opens: string, closes: string) => ({ revision: { sequence }, opensAt: { iso: opens }, closesAt: { iso: closes } });

describe("the document view's comment set", () => {
  it('groups top-level comments by clause and replies by thread, oldest first, and counts only open ones', () => {
    const { byClause, replies } = groupThreads([
      comment('b', 'c1', '2026-01-02T00:00:00Z'),
      comment('a', 'c1', '2026-01-01T00:00:00Z'),
      comment('d', null, '2026-01-01T00:00:00Z'),
      comment('r', 'c1', '2026-01-03T00:00:00Z', 'a'),
      comment('w', 'c1', '2026-01-04T00:00:00Z', null, 'withdrawn'),
    ]);
    expect(byClause.get('c1')!.map((c) => c.id)).toEqual(['a', 'b', 'w']);
    expect(byClause.get('')!.map((c) => c.id)).toEqual(['d']);
    expect(replies.get('a')!.map((c) => c.id)).toEqual(['r']);
    expect(openCount(byClause.get('c1'))).toBe(2);
  });

  it('applies a live event by id, so an event received twice or after a refetch changes nothing more', () => {
    const start = new Map([['a', comment('a', 'c1', '2026-01-01T00:00:00Z')]]);
    const withdrawn = comment('a', 'c1', '2026-01-01T00:00:00Z', null, 'withdrawn');
    const once = mergeComments(start, [withdrawn]);
    expect(mergeComments(once, [withdrawn])).toEqual(once);
    expect(once.get('a')!.status).toBe('withdrawn');
    expect(start.get('a')!.status).toBe('open');
  });

  it('keeps the object of every comment a refetch did not change (only changed threads render again), and drops the gone', () => {
    const a = comment('a', 'c1', '2026-01-01T00:00:00Z');
    const b = comment('b', 'c1', '2026-01-02T00:00:00Z');
    const gone = comment('g', 'c1', '2026-01-03T00:00:00Z');
    const next = replaceComments(
      new Map([
        ['a', a],
        ['b', b],
        ['g', gone],
      ]),
      [{ ...a }, { ...b, status: 'withdrawn' }, comment('n', null, '2026-01-04T00:00:00Z')],
    );
    expect(next.get('a')).toBe(a);
    expect(next.get('b')).not.toBe(b);
    expect(next.get('b')!.status).toBe('withdrawn');
    expect([...next.keys()]).toEqual(['a', 'b', 'n']);
  });

  it('orders comments of the same instant by id, as plain strings', () => {
    const { byClause } = groupThreads([
      comment('b', 'c1', '2026-01-01T00:00:00.000Z'),
      comment('a', 'c1', '2026-01-01T00:00:00.000Z'),
      comment('c', 'c1', '2025-12-31T23:59:59.999Z'),
    ]);
    expect(byClause.get('c1')!.map((c) => c.id)).toEqual(['c', 'a', 'b']);
  });

  it("reads a revision's period as open until the close (a comment at the close is late), upcoming before it opens, closed after", () => {
    const periods = [period(1, '2016-04-01T00:00:00Z', '2016-04-25T23:59:00Z'), period(2, '2016-05-11T00:00:00Z', '2016-05-25T23:59:00Z')];
    const close = Date.parse('2016-04-25T23:59:00Z');
    expect(periodAt(periods, 1, close - 1).state).toBe('open');
    expect(periodAt(periods, 1, close).state).toBe('closed');
    expect(periodAt(periods, 2, close).state).toBe('upcoming');
    expect(periodAt(periods, 3, close).state).toBe('none');
  });
});

describe('the lazily loaded strings', () => {
  it('are found once their screens load, with English as the fallback for a key a catalogue lacks', async () => {
    await Promise.all([loadNamespaces('fr', ['documents']), loadNamespaces('ar', ['documents'])]);
    expect(translate('fr', 'doc.commentCount', { count: 2 })).toBe('2 commentaires');
    expect(translate('ar', 'composer.post')).toBe('نشر التعليق');
    const english = getMessages('en', 'documents') ?? {};
    const own = getMessages('ar', 'documents') ?? {};
    const missing = Object.keys(english).find((key) => !(key in own)) as 'revision.notes' | undefined;
    if (missing) expect(translate('ar', missing)).toBe(translate('en', missing));
  });
});
