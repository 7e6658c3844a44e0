// Response serialization compiled once per route and status from the route's zod response schema:
// the schema becomes JSON Schema (zod's own toJSONSchema, output side) and fast-json-stringify (the
// serializer Fastify ships) turns that into one function that writes exactly the declared fields.
// Per-request zod encoding walked every field of every response through the schema before
// JSON.stringify walked it again; on the hot reads it was the largest single cost after the
// queries (bench/hot-routes.bench.ts).
//
// What zod's encoding also did, checking the presenter's output against the schema, is kept where
// it finds mistakes: with `check` (config.checkResponses, on in tests), every response is also
// encoded by zod, a mismatch is the same 500 it always was, and the compiled text must parse to
// exactly what zod's encoding gave, so a schema fast-json-stringify reads differently fails a test
// instead of changing an answer.
import { isDeepStrictEqual } from 'node:util';
import fastJson from 'fast-json-stringify';
import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { $ZodType, safeEncode } from 'zod/v4/core';

type FastifySerializerCompiler = (route: { schema: unknown; method: string; url: string; httpStatus?: string }) => (data: unknown) => string;

/** An empty registry: every named schema is written inline (their names only matter to the OpenAPI document). */
const NO_NAMES = z.registry<{ id?: string }>();

function zodOf(maybeSchema: unknown): $ZodType {
  if (maybeSchema instanceof $ZodType) return maybeSchema;
  const properties = (maybeSchema as { properties?: unknown } | null)?.properties;
  if (properties instanceof $ZodType) return properties;
  throw new Error(`not a zod schema: ${JSON.stringify(maybeSchema)}`);
}

/**
 * The JSON Schema fast-json-stringify compiles: the response as zod encodes it. Nothing zod cannot
 * say in JSON Schema reaches a response (transforms are on inputs), but if one did it would be
 * written as JSON.stringify writes it (`{}`), and the check in tests would name the route.
 */
export function responseJsonSchema(schema: $ZodType): Record<string, unknown> {
  return openObjects(z.toJSONSchema(schema as z.ZodType, { io: 'output', target: 'draft-7', unrepresentable: 'any', metadata: NO_NAMES })) as Record<
    string,
    unknown
  >;
}

/**
 * Without `additionalProperties: false`. fast-json-stringify writes only declared properties either
 * way, but it picks a branch of anyOf (a nullable object, a union) by validating the value, and a
 * closed object refuses a value with one field more (a revision that also knows its document):
 * zod's encoding strips that field and takes the branch, so the compiled serializer must too.
 */
function openObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openObjects);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'additionalProperties' && value === false) continue;
    out[key] = openObjects(value);
  }
  return out;
}

export function createCompiledSerializer(options: { check: boolean; log?: { warn: (obj: object, msg: string) => void } }): FastifySerializerCompiler {
  return ({ schema: maybeSchema, method, url }) => {
    const schema = zodOf(maybeSchema);
    let compiled: (data: unknown) => string;
    try {
      compiled = fastJson(responseJsonSchema(schema) as unknown as Parameters<typeof fastJson>[0]);
    } catch (err) {
      // A schema fast-json-stringify cannot compile still answers, by zod's encoding as before.
      options.log?.warn({ err, method, url }, 'response schema not compiled; encoding it with zod per request');
      compiled = (data) => JSON.stringify(encode(data));
    }
    const encode = (data: unknown) => {
      const result = safeEncode(schema, data);
      if (result.error) throw new ResponseSerializationError(method, url, { cause: result.error });
      return result.data;
    };
    if (!options.check) return compiled;
    return (data) => {
      const expected = encode(data);
      const text = compiled(data);
      if (!isDeepStrictEqual(JSON.parse(text), JSON.parse(JSON.stringify(expected)))) {
        const message = `the compiled serializer wrote ${text.slice(0, 500)} where zod's encoding gives ${JSON.stringify(expected).slice(0, 500)}`;
        // A ZodError carrying the sentence (the error type fastify-type-provider-zod reports).
        const mismatch = z.never({ error: message }).safeParse(data).error as z.ZodError;
        throw new ResponseSerializationError(method, url, { cause: mismatch });
      }
      return text;
    };
  };
}
