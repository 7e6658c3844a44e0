import { describe, expect, it } from 'vitest';
import { clauseAnchors, findClause, resolveHash } from '../../../client/src/lib/clause-anchors.ts';
import { numberComments } from '../../../client/src/lib/comment-threads.ts';

const clauses = [
  { id: 'f', number: '' },
  { id: 'a', number: '7.1' },
  { id: 'b', number: 'Annex A' },
  { id: 'c', number: '7.1' },
];

describe('addresses within the document view', () => {
  it('addresses a clause by its number, the front matter and a repeated number each their own', () => {
    expect([...clauseAnchors(clauses).values()]).toEqual(['front-matter', '7.1', 'Annex-A', '7.1-2']);
  });

  it('resolves a clause anchor, an old #clause-<id> link and a comment number; anything else is nothing', () => {
    const anchors = clauseAnchors(clauses);
    expect(resolveHash('#7.1', anchors)).toEqual({ kind: 'clause', clauseId: 'a', anchor: '7.1' });
    expect(resolveHash('#Annex-A', anchors)).toEqual({ kind: 'clause', clauseId: 'b', anchor: 'Annex-A' });
    expect(resolveHash('#clause-c', anchors)).toEqual({ kind: 'clause', clauseId: 'c', anchor: '7.1-2' });
    expect(resolveHash('#comment-12', anchors)).toEqual({ kind: 'comment', number: 12 });
    expect(resolveHash('#clause-unknown', anchors)).toBeNull();
    expect(resolveHash('#main', anchors)).toBeNull();
    expect(resolveHash('#%E0%A4%A', anchors)).toBeNull();
    expect(resolveHash('', anchors)).toBeNull();
  });

  it('finds a clause as a reader types it', () => {
    expect(findClause(clauses, ' 7.1 ')).toBe('a');
    expect(findClause(clauses, 'clause 7.1')).toBe('a');
    expect(findClause(clauses, '§7.1')).toBe('a');
    expect(findClause(clauses, 'annex a')).toBe('b');
    expect(findClause(clauses, '9.9')).toBeUndefined();
    expect(findClause(clauses, '   ')).toBeUndefined();
  });

  it('numbers comments in the order they were made, ties by id, so a number never changes as others arrive', () => {
    const first = numberComments([
      { id: 'b', createdAt: '2026-01-02T00:00:00Z' },
      { id: 'a', createdAt: '2026-01-02T00:00:00Z' },
      { id: 'c', createdAt: '2026-01-01T00:00:00Z' },
    ]);
    expect([...first]).toEqual([
      ['c', 1],
      ['a', 2],
      ['b', 3],
    ]);
    const later = numberComments(
      [...first.keys()]
        .map((id) => ({ id, createdAt: id === 'c' ? '2026-01-01T00:00:00Z' : '2026-01-02T00:00:00Z' }))
        .concat({ id: 'd', createdAt: '2026-01-03T00:00:00Z' }),
    );
    expect(later.get('b')).toBe(3);
    expect(later.get('d')).toBe(4);
  });
});
