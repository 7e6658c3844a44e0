import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCompiledSerializer } from '../../../server/lib/compiled-serializer.ts';
import { ErrorSchema } from '../../../server/lib/schemas.ts';

const Person = z.object({ id: z.string(), name: z.string(), affiliation: z.string() });
const Comment = z.object({
  id: z.string(),
  author: Person,
  type: z.enum(['general', 'technical']).nullable(),
  version: z.number().int(),
  similarity: z.number(),
  quotedText: z.string().nullable(),
  replyCount: z.number().optional(),
  tags: z.array(z.string()),
  counts: z.record(z.string(), z.number()),
  flags: z.object({ open: z.boolean() }),
});
const route = (schema: z.ZodType) => ({ schema, method: 'GET', url: '/test' });
const sample = {
  id: 'c1',
  author: { id: 'u1', name: 'Émilie "Em" Dupont', affiliation: 'SG17 / <France>' },
  type: 'technical' as const,
  version: 3,
  similarity: 0.857,
  quotedText: null,
  tags: ['a', 'b\u2028c'],
  counts: { 'clause-1': 2 },
  flags: { open: true },
};

describe('responses serialized by a function compiled from the zod schema', () => {
  it("writes what zod's encoding writes: nested objects, nulls, enums, numbers, records, escapes; omitted optionals stay omitted", () => {
    const serialize = createCompiledSerializer({ check: false })(route(Comment));
    expect(JSON.parse(serialize(sample))).toEqual(JSON.parse(JSON.stringify(Comment.encode(sample))));
    expect(JSON.parse(serialize({ ...sample, replyCount: 4 })).replyCount).toBe(4);
  });

  it('leaves out fields the schema does not declare (the presenter cannot leak a column by accident)', () => {
    const serialize = createCompiledSerializer({ check: false })(route(Person));
    expect(JSON.parse(serialize({ id: 'u1', name: 'A', affiliation: 'B', email: 'secret@example.test' }))).toEqual({ id: 'u1', name: 'A', affiliation: 'B' });
  });

  it('keeps the extra fields of a loose schema (error bodies carry retryAfterSeconds, current, …)', () => {
    const serialize = createCompiledSerializer({ check: false })(route(ErrorSchema));
    expect(JSON.parse(serialize({ code: 'x', message: 'y', retryAfterSeconds: 5 }))).toEqual({ code: 'x', message: 'y', retryAfterSeconds: 5 });
  });

  it("in tests (check), refuses a response that breaks its schema, as zod's encoding did", () => {
    const serialize = createCompiledSerializer({ check: true })(route(Comment));
    expect(() => serialize({ ...sample, version: 'three' })).toThrow(/doesn't match the schema/);
    expect(() => serialize({ ...sample, author: undefined })).toThrow();
  });

  it("picks a nullable object's or a union's branch as zod does, though the value carries a field the branch does not declare", () => {
    const Ref = z.object({ id: z.string(), sequence: z.number() });
    const Phase = z.object({ revision: Ref.nullable(), either: z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]) });
    const serialize = createCompiledSerializer({ check: true })(route(Phase));
    const value = { revision: { id: 'r1', sequence: 2, documentId: 'd1' }, either: { a: 'x', b: 1 } };
    expect(JSON.parse(serialize(value))).toEqual({ revision: { id: 'r1', sequence: 2 }, either: { a: 'x' } });
  });
});
