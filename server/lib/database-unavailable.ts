// Whether an error means "PostgreSQL cannot be reached right now" (down, restarting, failing over,
// out of connections) rather than "this request is wrong" or "our code is wrong". Such errors are
// temporary: the pool reconnects on its own, so the honest answer is "try again shortly".
//
// They arrive in several wrappings: Prisma's own codes, Prisma's driver-adapter errors (a kind,
// or PostgreSQL's SQLSTATE inside `meta.driverAdapterError`), and raw `pg` errors from the
// statements that bypass Prisma (runStatement) or from pg-pool itself.

/** Prisma: can't reach the server, connection closed, timed out fetching a connection from the pool. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);

/** @prisma/driver-adapter-utils error kinds that say the connection, not the query, failed. */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError']);

/** Node socket errors on the way to PostgreSQL. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01 admin shutdown, 57P02 crash
 * shutdown, 57P03 cannot connect now (starting up, recovering), 53300 too many connections.
 */
const isUnavailableSqlState = (code: string) => /^08[0-9A-Z]{3}$/.test(code) || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';

/** pg's and pg-pool's own errors carry no code, only these sentences. */
const PG_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Cannot use a pool after calling end on the pool$/,
];

interface ErrorLike {
  code?: unknown;
  errorCode?: unknown;
  kind?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: unknown };
  cause?: unknown;
  errors?: unknown;
}

/** Whether `test` holds for the error or any error it wraps (Prisma's adapter error, causes, an AggregateError's parts). */
function anyInChain(error: unknown, test: (e: ErrorLike) => boolean): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length) {
    const e = pending.pop();
    if (!e || typeof e !== 'object' || seen.has(e) || seen.size > 8) continue;
    seen.add(e);
    const err = e as ErrorLike;
    if (test(err)) return true;
    pending.push(err.meta?.driverAdapterError, err.cause);
    // Node reports a refused connection to several addresses as an AggregateError.
    if (Array.isArray(err.errors)) pending.push(...err.errors);
  }
  return false;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return anyInChain(error, ({ code, errorCode, kind, message }) => {
    for (const c of [code, errorCode]) {
      if (typeof c !== 'string') continue;
      if (PRISMA_CODES.has(c) || SOCKET_CODES.has(c) || isUnavailableSqlState(c)) return true;
    }
    if (typeof kind === 'string' && ADAPTER_KINDS.has(kind)) return true;
    return typeof message === 'string' && typeof code !== 'string' && PG_MESSAGES.some((re) => re.test(message));
  });
}

/** PostgreSQL cancelled the statement (57014): on our connections, only statement_timeout does that. */
export function isStatementTimeout(error: unknown): boolean {
  return anyInChain(error, ({ code }) => code === '57014');
}
