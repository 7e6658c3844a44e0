// A pooled connection used in pg's pipeline mode for one piece of work (a transaction): the
// statements that do not depend on each other's answers cost one round trip together.
import pg from 'pg';
import type { Prisma } from '../generated/prisma/client.ts';
import type { Pipeline } from './use-case.ts';

/**
 * Runs `fn` on one connection of the pool switched to pg's pipeline mode: each statement is sent
 * when issued, behind the ones before it, without waiting for their answers, so statements that do
 * not depend on each other's rows cost one round trip together (on these machines a round trip
 * costs the process more CPU than most statements cost PostgreSQL). Every statement issued is
 * awaited before the connection goes back to the pool, in its ordinary mode; the first one that
 * failed is thrown, else what `fn` threw. The connection is reused only when it ended outside any
 * transaction and every failure was PostgreSQL's answer to a statement (after a lost connection
 * or a driver error, later answers could belong to statements nobody waits for any more); `fn`
 * ends its transaction itself (lib/use-case.ts: transactPipelined).
 */
export async function pipelined<T>(
  pool: pg.Pool,
  fn: (p: Pipeline) => Promise<T>,
  name: (query: { sql: string }) => string | undefined = () => undefined,
): Promise<T> {
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
  // virtual machines each write that wakes PostgreSQL costs more CPU than most statements.
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

/**
 * `fn` in one transaction on the pipeline: BEGIN goes out with its first statement, ROLLBACK if it
 * throws, COMMIT behind whatever it sent. A failed statement nobody awaited makes PostgreSQL answer
 * COMMIT with ROLLBACK; pipelined() then throws that statement's error, the check here is for
 * anything else that aborted the transaction.
 */
export async function inTransaction<T>(p: Pipeline, fn: () => Promise<T>): Promise<T> {
  void p.run('BEGIN');
  let value: T;
  try {
    value = await fn();
  } catch (err) {
    void p.run('ROLLBACK');
    throw err;
  }
  const commit = await p.executeSql('COMMIT');
  if (commit.command !== 'COMMIT') throw new Error(`the transaction was rolled back (${commit.command})`);
  return value;
}
