// Schemas shared by every module: the error body, ids, e-mail addresses.
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
