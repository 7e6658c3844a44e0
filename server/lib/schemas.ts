// Schemas shared by every module: the error body, ids, e-mail addresses, whole numbers.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

export const ErrorSchema = z.looseObject({
  code: z.string().describe('Stable machine code, e.g. comment_period_closed'),
  message: z.string().describe('A sentence a person understands'),
}).describe('Error');

/** Response entries for the error statuses a route can answer with. */
export const errors = { '4xx': ErrorSchema, '5xx': ErrorSchema } as const;

export const Email = z.email({ error: 'must be an e-mail address' }).max(254).transform((s) => s.toLowerCase());
export const Uuid = z.uuid({ error: 'must be an id' });
export const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a group name in the URL such as cg-iotsec');
export const Instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone, e.g. 2016-04-25T23:59:00Z' });
export const Message = z.object({ message: z.string() });

/** PostgreSQL's `integer` (int4): the column type of revision numbers, versions and sequences. */
export const INT32_MIN = -2_147_483_648;
export const INT32_MAX = 2_147_483_647;

interface WholeNumberOptions {
  /** Defaults to PostgreSQL's bounds; a field's own bounds must lie within them. */
  min?: number; max?: number;
  /** What the field is, said when the value is no number at all (e.g. "must be a revision number"). */
  error?: string;
}

function bounded<T extends z.ZodNumber | z.ZodCoercedNumber>(base: T, { min = INT32_MIN, max = INT32_MAX }: WholeNumberOptions): T {
  const range = `must be a whole number from ${min} to ${max}`;
  // zod's .int() also refuses numbers beyond 2^53 (1e20): say the range then, not "whole number".
  return base.int({ error: (issue) => (issue.code === 'invalid_type' ? 'must be a whole number' : range) }).min(min, range).max(max, range) as T;
}

/**
 * A whole number in a JSON body that a PostgreSQL `integer` column holds. Beyond it the query
 * itself fails in the database (a 500 for a client's typo); bounded here it is a 400 naming the field.
 */
export const int32 = (options: WholeNumberOptions = {}) => bounded(z.number({ error: options.error ?? 'must be a whole number' }), options);
/** The same for a path or query parameter, which arrives as text. */
export const int32Param = (options: WholeNumberOptions = {}) => bounded(z.coerce.number({ error: options.error ?? 'must be a whole number' }), options);

/**
 * Answers with JSON text a use case wrote itself (the largest reads, where per-field schema encoding
 * costs): Fastify sends a string with a JSON content type as it is, without the response schema's
 * serializer. The route keeps its response schema for the OpenAPI document; a test must hold the
 * text to that schema (test/api/comment-export.test.ts).
 */
export const sendJsonText = (reply: FastifyReply, json: string) => reply.type('application/json; charset=utf-8').send(json);

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
