// Prisma 7 over the `pg` driver adapter: no native query engine to download. The pool is ours,
// shared with `runStatement` for the one hot path that bypasses Prisma's runtime (the comment POST).
import fp from 'fastify-plugin';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from '../generated/prisma/client.ts';
import { guardCheckedOutClients } from '../lib/connection-loss.ts';
import type { Pipeline, RunPipelined, RunStatement } from '../lib/use-case.ts';

declare module 'fastify' {
  interface FastifyInstance {
    prisma: PrismaClient;
    runStatement: RunStatement;
    runPipelined: RunPipelined;
    pgPool: pg.Pool;
  }
}

// Declared in lib/ (use cases receive it through Ctx); re-exported for the modules.
export type { RunStatement, RunPipelined };

/**
 * How many distinct SQL texts get a server-side prepared statement on each connection. Parsing and
 * planning is a large part of a statement's cost (the comment insert's CTE took as long to plan as
 * to run: bench/comments.bench.ts), and Prisma's SQL is parameterised, so the same few hundred
 * texts repeat. The cap bounds PostgreSQL's per-connection memory should some path generate
 * ever-new texts (variable-length IN lists): past it, statements run unnamed, as before.
 */
const PREPARED_STATEMENT_CAP = 1000;

/** The same text always gets the same name (pg refuses one name for two texts on a connection). */
export function statementNamer(cap = PREPARED_STATEMENT_CAP): (query: { sql: string }) => string | undefined {
  const names = new Map<string, string>();
  return ({ sql }) => {
    const known = names.get(sql);
    if (known !== undefined || names.size >= cap) return known;
    const name = `convene_${names.size}`;
    names.set(sql, name);
    return name;
  };
}

export function createDatabase(
  connectionString: string,
  max = 10,
  onPoolError: (err: Error) => void = () => {},
  options: { statementTimeoutMs?: number } = {},
) {
  // statement_timeout: under load no one request holds a connection (and the requests queued
  // behind it) longer than this; PostgreSQL cancels it (57014, answered 503 server_busy).
  const pool = new pg.Pool({ connectionString, max, ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}) });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it on the next query.
  pool.on('error', onPoolError);
  guardCheckedOutClients(pool);
  // One namer for both, so a text has one name on a connection whoever sends it.
  const name = statementNamer();
  // The adapter's type wants a name for every text; past the cap the namer returns undefined,
  // which pg runs as an unnamed (unprepared) statement.
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { statementNameGenerator: name as (query: { sql: string }) => string }) });
  const runStatement: RunStatement = async <T>(sql: Prisma.Sql, options?: { arrays?: boolean }) => {
    const query = { name: name({ sql: sql.text }), text: sql.text, values: sql.values as unknown[] };
    const result = await (options?.arrays ? pool.query({ ...query, rowMode: 'array' }) : pool.query(query));
    return result.rows as T[];
  };
  const runPipelined: RunPipelined = (fn) => pipelined(pool, name, fn);
  return { prisma, pool, runStatement, runPipelined };
}

/**
 * Runs `fn` on one connection of the pool switched to pg's pipeline mode: each statement is sent
 * when issued, behind the ones before it, without waiting for their answers, so statements that do
 * not depend on each other's rows cost one round trip together (on these machines a round trip
 * costs the process more CPU than most statements cost PostgreSQL). Every statement issued is
 * awaited before the connection goes back to the pool, in its ordinary mode; the first one that
 * failed is thrown, else what `fn` threw. A connection that saw a failure is not reused
 * (a pipeline's later answers could belong to statements nobody waits for any more); `fn` ends
 * its transaction itself (lib/use-case.ts: transactPipelined).
 */
async function pipelined<T>(pool: pg.Pool, name: (query: { sql: string }) => string | undefined, fn: (p: Pipeline) => Promise<T>): Promise<T> {
  const client = (await pool.connect()) as pg.PoolClient & { pipeline: boolean };
  const sent: Promise<unknown>[] = [];
  const track = <R>(promise: Promise<R>): Promise<R> => {
    sent.push(promise);
    // Handled here: a statement issued for its effect alone (nobody awaits it) fails through the
    // pipeline's outcome, not as an unhandled rejection.
    promise.catch(() => {});
    return promise;
  };
  // What one tick sends leaves in one socket write (pg writes each statement on its own): on these
  // virtual machines a write that wakes PostgreSQL costs more CPU than most statements.
  const stream = (client as unknown as { connection?: { stream?: { cork?(): void; uncork?(): void } } }).connection?.stream;
  let corked = false;
  const uncork = () => {
    corked = false;
    stream!.uncork!();
  };
  const send = <R extends pg.QueryResultRow>(query: pg.QueryConfig) => {
    if (!corked && typeof stream?.cork === 'function' && typeof stream.uncork === 'function') {
      corked = true;
      stream.cork();
      process.nextTick(uncork);
    }
    return client.query<R>(query);
  };
  const pipeline: Pipeline = {
    run: <R>(sql: Prisma.Sql | string) => {
      const query = typeof sql === 'string' ? { text: sql } : { name: name({ sql: sql.text }), text: sql.text, values: sql.values as unknown[] };
      return track(send(query).then((r) => r.rows as R[]));
    },
    executeSql: (text, values) => track(send(values ? { text, values } : { text })),
    track,
  };
  // The client's own flag (pg's `pipeline` option), set for this use only: the pool's other users
  // keep one statement at a time, as Prisma's runtime expects.
  client.pipeline = true;
  let value: T | undefined;
  let thrown: { error: unknown } | undefined;
  try {
    value = await fn(pipeline);
  } catch (error) {
    thrown = { error };
  }
  // Until nothing more is issued (work that was waiting for an answer may send another statement).
  let outcomes: PromiseSettledResult<unknown>[] = [];
  while (outcomes.length !== sent.length) outcomes = await Promise.allSettled([...sent]);
  client.pipeline = false;
  // Reusable when it ended outside any transaction and nothing failed but statements (an error
  // PostgreSQL answered, with its SQLSTATE): a lost connection or a driver error is not.
  const healthy =
    client.getTransactionStatus() === 'I' &&
    outcomes.every((o) => o.status === 'fulfilled' || (o.reason instanceof pg.DatabaseError && typeof o.reason.code === 'string'));
  client.release(!healthy);
  // A failed statement is the cause of whatever followed it (an aborted transaction's COMMIT
  // answers ROLLBACK), so it is what the caller hears.
  const failed = outcomes.find((o) => o.status === 'rejected');
  if (failed) throw failed.reason;
  if (thrown) throw thrown.error;
  return value as T;
}

export default fp<{ databaseUrl: string; statementTimeoutMs?: number }>(
  async (app, { databaseUrl, statementTimeoutMs }) => {
    const { prisma, pool, runStatement, runPipelined } = createDatabase(databaseUrl, 10, (err) => app.log.warn({ err }, 'idle database connection lost'), {
      statementTimeoutMs,
    });
    await prisma.$connect();
    app.decorate('prisma', prisma);
    app.decorate('runStatement', runStatement);
    app.decorate('runPipelined', runPipelined);
    // Load shedding reads how many requests wait for a connection (plugins/load-shedding.ts).
    app.decorate('pgPool', pool);
    app.addHook('onClose', async () => {
      await prisma.$disconnect();
      await pool.end();
    });
  },
  { name: 'prisma' },
);
