import { expect, it } from 'vitest';
import { uuidv7 } from '../../server/lib/uuid.ts';

it('makes RFC 9562 version-7 ids whose first 48 bits are the current Unix time in ms', () => {
  const before = Date.now();
  const id = uuidv7();
  const after = Date.now();
  expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
  expect(ms).toBeGreaterThanOrEqual(before);
  expect(ms).toBeLessThanOrEqual(after);
  expect(new Set(Array.from({ length: 1000 }, uuidv7)).size).toBe(1000);
});
