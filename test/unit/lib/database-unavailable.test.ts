// Which errors the error handler answers 503 database_unavailable: every form a lost or refused
// PostgreSQL connection takes on the way up (Prisma, its pg driver adapter, raw pg and pg-pool).
import { describe, expect, it } from 'vitest';
import { toErrorResponse } from '../../../server/plugins/errors.ts';
import { Prisma } from '../../../server/generated/prisma/client.ts';

const known = (code: string, meta?: Record<string, unknown>) => new Prisma.PrismaClientKnownRequestError('failed', { code, clientVersion: '7', meta });
const adapter = (cause: Record<string, unknown>) => known('P2010', { driverAdapterError: { name: 'DriverAdapterError', cause } });
const pgError = (code: string) => Object.assign(new Error('pg'), { code, severity: 'FATAL' });
const socketError = (code: string) => Object.assign(new Error(`connect ${code}`), { code, syscall: 'connect', errno: -111 });

describe('database errors in the error handler', () => {
  it.each([
    ['Prisma P1001 (cannot reach)', known('P1001')],
    ['Prisma P1017 (connection closed)', known('P1017')],
    ['Prisma P2024 (pool timeout)', known('P2024')],
    ['adapter: DatabaseNotReachable', adapter({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 })],
    ['adapter: ConnectionClosed', adapter({ kind: 'ConnectionClosed' })],
    ['adapter: TooManyConnections', adapter({ kind: 'TooManyConnections', cause: 'too many' })],
    ['adapter: 57P01 admin shutdown', adapter({ kind: 'postgres', code: '57P01', originalCode: '57P01' })],
    ['adapter: 57P03 starting up', adapter({ kind: 'postgres', code: '57P03' })],
    ['adapter: 08006 connection failure', adapter({ kind: 'postgres', code: '08006' })],
    ['pg: 57P02 crash shutdown', pgError('57P02')],
    ['pg: 08003 connection does not exist', pgError('08003')],
    ['socket: ECONNREFUSED', socketError('ECONNREFUSED')],
    ['socket: refused on every address', new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')])],
    ['pg: Connection terminated unexpectedly', new Error('Connection terminated unexpectedly')],
    ['pg-pool: timeout exceeded when trying to connect', new Error('timeout exceeded when trying to connect')],
    ['wrapped in a cause', new Error('transaction failed', { cause: pgError('57P01') })],
  ])('answers 503 database_unavailable for %s', (_name, error) => {
    const { status, body } = toErrorResponse(error);
    expect(status).toBe(503);
    expect(body).toMatchObject({ code: 'database_unavailable', retryAfterSeconds: expect.any(Number) });
  });

  it('answers 503 server_busy when PostgreSQL cancels a statement past statement_timeout (57014)', () => {
    expect(toErrorResponse(adapter({ kind: 'postgres', code: '57014' }))).toMatchObject({ status: 503, body: { code: 'server_busy' } });
    expect(toErrorResponse(pgError('57014'))).toMatchObject({ status: 503, body: { code: 'server_busy' } });
  });

  it('still answers query errors as before: not found, conflict, and 500 for the rest', () => {
    expect(toErrorResponse(known('P2025')).status).toBe(404);
    expect(toErrorResponse(known('P2002')).status).toBe(409);
    expect(toErrorResponse(adapter({ kind: 'postgres', code: '42P01' })).status).toBe(500);
    expect(toErrorResponse(pgError('23514')).status).toBe(500);
    expect(toErrorResponse(new Error('boom')).status).toBe(500);
  });
});
