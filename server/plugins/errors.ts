// One error handler: every error leaves as `{ code, message }` with the right status.
// Client mistakes are 4xx with a sentence; anything unexpected is a 500 without internals.
import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../lib/app-error.ts';
import pg from 'pg';
import { isDatabaseUnavailable, isStatementTimeout } from '../lib/database-unavailable.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { errorSentence } from '../lib/error-sentence.ts';
import { negotiateLocale } from '../lib/i18n.ts';

interface ErrorBody {
  code: string;
  message: string;
  [k: string]: unknown;
}

/**
 * How long a client is asked to wait when PostgreSQL is unreachable or too slow: long enough for
 * a restart or failover to finish, short enough that nobody gives up. The pool reconnects by itself.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

function fieldName(context: string | undefined, instancePath: string): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  return [context, path].filter(Boolean).join('.') || 'request';
}

/**
 * What was wrong with the field in machine terms (zod's issue code and bounds), so a client can
 * say it in the reader's language; the English sentence stays in `message`.
 */
function issueDetails(code: string, params: Record<string, unknown>): Record<string, unknown> {
  // A refinement may name its issue (schemas.ts NameText: invalid_characters) for clients to translate.
  const named = code === 'custom' ? (params.params as { issue?: unknown } | undefined)?.issue : undefined;
  const details: Record<string, unknown> = { code: typeof named === 'string' ? named : code };
  for (const key of ['origin', 'format', 'expected'] as const) if (typeof params[key] === 'string') details[key] = params[key];
  for (const key of ['minimum', 'maximum'] as const) {
    const bound = params[key];
    if (typeof bound === 'number' || typeof bound === 'bigint') details[key] = Number(bound);
  }
  return details;
}

/** PostgreSQL's numeric_value_out_of_range (22003), through Prisma (P2020, or a raw query's P2010) or from pg itself. */
function isValueOutOfRange(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    const cause = (error.meta?.driverAdapterError as { cause?: { originalCode?: unknown } } | undefined)?.cause;
    return error.code === 'P2020' || cause?.originalCode === '22003';
  }
  return error instanceof pg.DatabaseError && error.code === '22003';
}

export function toErrorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return { status: error.status, body: { code: error.code, message: error.message, ...error.details } };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0]!;
    const field = fieldName(error.validationContext, first.instancePath);
    // fastify-type-provider-zod: the zod issue's code is the keyword, its other fields are params.
    const params = (first.params ?? {}) as Record<string, unknown>;
    const unknownKeys = first.keyword === 'unrecognized_keys' && Array.isArray(params.keys) ? (params.keys as string[]) : [];
    const message = unknownKeys.length
      ? `${field}: unknown field ${unknownKeys.map((k) => `"${k}"`).join(', ')}.`
      : `${field}: ${(first.message ?? 'is not valid').replace(/\.$/, '')}.`;
    return {
      status: 400,
      body: {
        code: 'invalid_request',
        message,
        field: unknownKeys.length ? `${field}.${unknownKeys[0]}`.replace(/^\./, '') : field,
        issue: issueDetails(first.keyword, params),
      },
    };
  }
  if (isValueOutOfRange(error)) {
    // The schemas bound every integer to PostgreSQL's; should one slip through, it is still the client's number.
    return { status: 400, body: { code: 'invalid_request', message: 'A number in the request is outside the range this server can store.' } };
  }
  // Temporary, and not the client's fault: 503 with a wait, so clients and proxies retry instead
  // of reporting a failure (and a comment's author knows it was not stored).
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      body: {
        code: 'database_unavailable',
        message: `The database cannot be reached at the moment; try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`,
        retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      },
    };
  }
  // The statement ran past statement_timeout (the database is overloaded): shed like the load limiter does.
  if (isStatementTimeout(error)) {
    return {
      status: 503,
      body: {
        code: 'server_busy',
        message: `The server is too busy to answer now; try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`,
        retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      },
    };
  }
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === 'P2025') return { status: 404, body: { code: 'not_found', message: 'That record was not found.' } };
    if (error.code === 'P2002') return { status: 409, body: { code: 'already_exists', message: 'That record already exists.' } };
  }
  const fe = error as FastifyError;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { code: 'body_too_large', message: 'The request body is larger than this server accepts.' } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { code: 'unsupported_media_type', message: 'Send the request body as application/json.' } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: { code: 'invalid_json', message: 'The request body is empty but should be JSON.' } };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: { code: 'invalid_json', message: 'The request body is not valid JSON.' } };
  }
  if (fe.statusCode === 429) {
    // The rate limiter's own sentence and wait (security.ts), so a client can say how long in its language.
    const wait = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    return {
      status: 429,
      body: {
        code: 'rate_limited',
        message: fe.message || 'Too many requests; wait a moment and try again.',
        ...(typeof wait === 'number' ? { retryAfterSeconds: wait } : {}),
      },
    };
  }
  if (error instanceof SyntaxError && fe.statusCode === 400) {
    return { status: 400, body: { code: 'invalid_json', message: 'The request body is not valid JSON.' } };
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { code: (fe.code ?? 'bad_request').replace(/^FST_ERR_/, '').toLowerCase(), message: fe.message } };
  }
  return { status: 500, body: { code: 'internal_error', message: 'Something went wrong on our side; it has been logged.' } };
}

const isCodedItem = (item: unknown): item is { code: string; message: string } =>
  typeof item === 'object' &&
  item !== null &&
  typeof (item as { code?: unknown }).code === 'string' &&
  typeof (item as { message?: unknown }).message === 'string';

const headerText = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : value);

/** Adds a request header to Vary, keeping what compression or others put there. */
export function varyOn(reply: FastifyReply, header: string): void {
  const current = reply.getHeader('vary');
  const listed = (Array.isArray(current) ? current.join(',') : String(current ?? ''))
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  if (listed.includes('*') || listed.some((h) => h.toLowerCase() === header.toLowerCase())) return;
  reply.header('vary', [...listed, header].join(', '));
}

export default fp(
  async (app) => {
    app.setErrorHandler((error, request, reply) => {
      const { status, body } = toErrorResponse(error);
      if (status === 503) request.log.warn({ err: error, code: body.code }, 'service unavailable for now (database, load or restart)');
      else if (status >= 500) request.log.error({ err: error }, 'unhandled error');
      else request.log.info({ code: body.code, status }, 'client error');
      if (status === 503 && typeof body.retryAfterSeconds === 'number') reply.header('retry-after', String(body.retryAfterSeconds));
      if (status === 429) {
        // The rate limiter puts the wait on the error, our own limits (AppError.tooManyRequests) in its details.
        const wait = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds ?? (error instanceof AppError ? error.details?.retryAfterSeconds : undefined);
        if (typeof wait === 'number' && wait > 0) reply.header('retry-after', String(Math.ceil(wait)));
      }
      // The sentence in the caller's language (their setting, else Accept-Language); the code stays.
      const locale = negotiateLocale(headerText(request.headers['accept-language']), request.auth?.user.locale);
      const { message, language } = errorSentence(locale, body);
      body.message = message;
      // Per-item refusals of a batch (bulk decisions, invitations) carry their own code and sentence.
      for (const [key, value] of Object.entries(body)) {
        if (Array.isArray(value) && value.some(isCodedItem))
          body[key] = value.map((item) => (isCodedItem(item) ? { ...item, message: errorSentence(locale, item).message } : item));
      }
      reply.header('content-language', language);
      varyOn(reply, 'Accept-Language');
      // Error bodies bypass the route's response schema: an error must never fail to serialize
      // (which would turn a client's 4xx into Fastify's fallback 500 with internals).
      return reply.status(status).type('application/json; charset=utf-8').serializer(JSON.stringify).send(body);
    });
  },
  { name: 'errors' },
);
