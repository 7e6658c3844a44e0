import { describe, expect, it } from 'vitest';
import { statementNamer } from '../../server/plugins/prisma.ts';

describe('prepared statement names', () => {
  it('gives the same text the same name and different texts different names', () => {
    const name = statementNamer();
    const a = name({ sql: 'SELECT 1' });
    const b = name({ sql: 'SELECT 2' });
    expect(a).toBeTypeOf('string');
    expect(name({ sql: 'SELECT 1' })).toBe(a);
    expect(b).not.toBe(a);
  });

  it('stops naming new texts at the cap (they run unnamed) but keeps the names it gave', () => {
    const name = statementNamer(2);
    const a = name({ sql: 'SELECT 1' });
    name({ sql: 'SELECT 2' });
    expect(name({ sql: 'SELECT 3' })).toBeUndefined();
    expect(name({ sql: 'SELECT 1' })).toBe(a);
  });
});
