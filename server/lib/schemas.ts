// Schemas shared by every module: the error body, ids, e-mail addresses, whole numbers.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

export const ErrorSchema = z
  .looseObject({
    code: z.string().describe('Stable machine code, e.g. comment_period_closed'),
    message: z.string().describe('A sentence a person understands'),
  })
  .describe('Error');

/** Response entries for the error statuses a route can answer with. */
export const errors = { '4xx': ErrorSchema, '5xx': ErrorSchema } as const;

export const Email = z
  .email({ error: 'must be an e-mail address' })
  .max(254)
  .transform((s) => s.toLowerCase());
export const Uuid = z.uuid({ error: 'must be an id' });
export const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a group name in the URL such as cg-iotsec');
export const Instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone, e.g. 2016-04-25T23:59:00Z' });
export const Message = z.object({ message: z.string() });

/** PostgreSQL's `integer` (int4): the column type of revision numbers, versions and sequences. */
export const INT32_MIN = -2_147_483_648;
export const INT32_MAX = 2_147_483_647;

interface WholeNumberOptions {
  /** Defaults to PostgreSQL's bounds; a field's own bounds must lie within them. */
  min?: number;
  max?: number;
  /** What the field is, said when the value is no number at all (e.g. "must be a revision number"). */
  error?: string;
}

function bounded<T extends z.ZodNumber | z.ZodCoercedNumber>(base: T, { min = INT32_MIN, max = INT32_MAX }: WholeNumberOptions): T {
  const range = `must be a whole number from ${min} to ${max}`;
  // zod's .int() also refuses numbers beyond 2^53 (1e20): say the range then, not "whole number".
  return base
    .int({ error: (issue) => (issue.code === 'invalid_type' ? 'must be a whole number' : range) })
    .min(min, range)
    .max(max, range) as T;
}

/**
 * A whole number in a JSON body that a PostgreSQL `integer` column holds. Beyond it the query
 * itself fails in the database (a 500 for a client's typo); bounded here it is a 400 naming the field.
 */
export const int32 = (options: WholeNumberOptions = {}) => bounded(z.number({ error: options.error ?? 'must be a whole number' }), options);
/** The same for a path or query parameter, which arrives as text. */
export const int32Param = (options: WholeNumberOptions = {}) => bounded(z.coerce.number({ error: options.error ?? 'must be a whole number' }), options);

/**
 * Unicode's bidirectional formatting characters: embeddings and overrides (U+202A–U+202E), isolates
 * (U+2066–U+2069) and the marks (U+200E, U+200F, U+061C). In a name they reorder what is shown
 * around it, so "Alice" plus an override can read as someone else's name or affiliation.
 */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
/** Whitespace and bidi marks at either end: text copied out of a right-to-left cell carries them, and at an edge they carry no meaning. */
const EDGE_SPACE_AND_MARKS = /^[\s\u200E\u200F\u061C]+|[\s\u200E\u200F\u061C]+$/g;

/**
 * A person's or a group's name, or an affiliation: text shown inside interface sentences. Trimmed
 * (stray marks at the ends too); any other bidirectional control is refused with a 400 (error
 * `invalid_characters`) rather than silently removed, so the sender sees what was wrong.
 */
export function NameText(max: number, options: { required?: boolean } = {}) {
  const trimmed = z.string().overwrite((v) => v.replace(EDGE_SPACE_AND_MARKS, ''));
  return (options.required ? trimmed.min(1, 'must not be empty') : trimmed).max(max).refine((v) => !BIDI_CONTROLS.test(v), {
    message: 'must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), which can make a name read as another',
    params: { issue: 'invalid_characters' },
  });
}

/**
 * Answers with JSON text a use case wrote itself (the largest reads, where per-field schema encoding
 * costs): Fastify sends a string with a JSON content type as it is, without the response schema's
 * serializer. The route keeps its response schema for the OpenAPI document; a test must hold the
 * text to that schema (test/api/comment-export.test.ts).
 */
export const sendJsonText = (reply: FastifyReply, json: string) => reply.type('application/json; charset=utf-8').send(json);

/**
 * Sends a body that is not the route's JSON (an HTML page, a file's bytes) as it is. The plain
 * FastifyReply type is deliberate: the route's JSON response types do not describe such a body.
 */
export const sendRaw = (reply: FastifyReply, body: string | Buffer) => reply.send(body);

/**
 * Names schemas as components of the OpenAPI document (`#/components/schemas/<name>`): every
 * route that uses one refers to it instead of carrying a copy, and generated clients get one
 * type per name. Request bodies appear as `<name>Input`.
 */
export function nameSchemas(schemas: Record<string, z.ZodType>) {
  for (const [id, schema] of Object.entries(schemas)) z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), id });
}

nameSchemas({ Error: ErrorSchema });

const Binary = z.string().meta({ format: 'binary' });

/**
 * A response that is a file (a download or a feed): documented by its media type as bytes, so
 * clients read it as a blob instead of parsing JSON. The handler sends a Buffer, which Fastify
 * passes through without the response serializer.
 */
export const fileResponse = (mediaType: string, description: string) => ({ description, content: { [mediaType]: { schema: Binary } } });

/** A response that is an HTML page (the cookie-less pages mail links open, mail HTML for a viewer). */
export const htmlResponse = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
