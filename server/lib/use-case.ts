// What every use-case function receives: the database, the event bus, configuration and a
// logger. Built once per app (app.ctx) so use cases stay plain functions, callable from routes,
// jobs, scripts and tests alike.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { DomainEvent, EmitFn, EnqueuedDelivery, EventBus } from './domain-events.ts';
import type { Jobs } from './jobs.ts';
import { inTransaction } from './pipelined.ts';

export type Tx = Prisma.TransactionClient;

/**
 * Runs one SQL statement (built with Prisma.sql) on the pool, prepared like Prisma's own, outside
 * any transaction (plugins/prisma.ts). `arrays`: each row as an array of its columns in SELECT
 * order, not an object (cheaper per row for reads of thousands of rows).
 */
export type RunStatement = <T>(sql: Prisma.Sql, options?: { arrays?: boolean }) => Promise<T[]>;

/**
 * A connection whose statements are sent as they are issued, without waiting for the answers to
 * the ones before (lib/pipelined.ts). Await a statement's rows only when the next step needs them.
 */
export interface Pipeline {
  /** Sends one statement now; resolves to its rows. A text alone has no parameters (BEGIN, COMMIT). */
  run<T = Record<string, unknown>>(sql: Prisma.Sql | string): Promise<T[]>;
  /** pg-boss's `db` interface: a job it writes with this joins the pipeline. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[]; command: string; rowCount: number | null }>;
  /** Counts work that issues statements on the pipeline (a job being written) among them: its failure fails the whole. */
  track<R>(promise: Promise<R>): Promise<R>;
}

export type RunPipelined = <T>(fn: (p: Pipeline) => Promise<T>) => Promise<T>;

export interface Ctx {
  prisma: PrismaClient;
  /**
   * One statement straight on the pool, atomic on its own (autocommit), for a hot path written as a
   * single statement (comments/insert-comments.ts): no interactive transaction, so BEGIN and COMMIT
   * cost no round trips, and Prisma's runtime (a seventh of the comment POST's CPU) is bypassed.
   */
  runStatement: RunStatement;
  /** One connection in pipeline mode for `fn` (transactPipelined below). */
  runPipelined: RunPipelined;
  events: EventBus;
  config: Config;
  log: FastifyBaseLogger;
  /** Durable jobs (set by the jobs plugin; absent in scripts that run without it). */
  jobs?: Jobs;
}

export interface TransactOptions {
  /** Longer than Prisma's 5 s default, for the few use cases that change many rows at once (bulk adjudication). */
  timeoutMs?: number;
}

/**
 * Runs `fn` in one database transaction; the events it emits are written to the outbox for their
 * durable subscribers inside it, and published to the in-process ones after commit
 * (before-commit hooks, such as the realtime log, see them inside the transaction).
 * Audit entries are written with the same `tx`, so a change and its audit entry stand or fall together.
 */
export async function transact<T>(ctx: Ctx, fn: (tx: Tx, emit: EmitFn) => Promise<T>, options: TransactOptions = {}): Promise<T> {
  const pending: DomainEvent[] = [];
  const emit: EmitFn = (name, payload, options) => {
    pending.push({ name, payload, ...options } as DomainEvent);
  };
  let enqueued: EnqueuedDelivery[] = [];
  const result = await ctx.prisma.$transaction(
    async (tx) => {
      const value = await fn(tx, emit);
      // The outbox: the durable deliveries of these events commit with the change, or not at all.
      enqueued = await ctx.events.enqueueDurable(tx, pending);
      // Last: the hooks see every event of the change (the realtime log queues them here; they are
      // numbered while the transaction commits).
      await ctx.events.runBeforeCommit(tx, pending);
      return value;
    },
    options.timeoutMs ? { timeout: options.timeoutMs } : undefined,
  );
  ctx.events.publish(pending, enqueued);
  return result;
}

/**
 * transact() on a pipelined connection, for hot writes: the same guarantees (the change, its audit
 * entries, its outbox jobs and its live events commit together; in-process subscribers hear of it
 * after commit), in fewer round trips. BEGIN goes out with the first statement, and the writes,
 * the outbox jobs and COMMIT go out together, so a change that reads once and then writes costs two
 * round trips where an interactive transaction cost one per statement. `fn` uses raw statements
 * only (p.run); the statements it does not await fail the change all the same. Its live events
 * are best queued by its own write statement (realtimePendingSql, emitted `recorded`): a
 * before-commit hook here gets a transaction that runs raw statements only, each awaited.
 */
export async function transactPipelined<T>(ctx: Ctx, fn: (p: Pipeline, emit: EmitFn) => Promise<T>): Promise<T> {
  const pending: DomainEvent[] = [];
  const emit: EmitFn = (name, payload, options) => {
    pending.push({ name, payload, ...options } as DomainEvent);
  };
  let enqueued: EnqueuedDelivery[] = [];
  const result = await ctx.runPipelined((p) =>
    inTransaction(p, async () => {
      const value = await fn(p, emit);
      enqueued = await ctx.events.enqueueDurable(p, pending);
      await ctx.events.runBeforeCommit(rawStatementsOnly(p), pending);
      return value;
    }),
  );
  ctx.events.publish(pending, enqueued);
  return result;
}

/** What a before-commit hook may do inside a pipelined change: raw statements, each awaited. */
function rawStatementsOnly(p: Pipeline): Tx {
  const raw =
    (kind: '$queryRaw' | '$executeRaw') =>
    async (sql: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
      const statement = sql instanceof Prisma.Sql ? sql : Prisma.sql(sql, ...values);
      if (kind === '$queryRaw') return p.run(statement);
      const result = await p.executeSql(statement.text, statement.values as unknown[]);
      return result.rowCount ?? 0;
    };
  return new Proxy({} as Tx, {
    get(_, prop) {
      if (prop === '$queryRaw' || prop === '$executeRaw') return raw(prop);
      if (prop === 'then') return undefined;
      throw new Error(`a before-commit hook of a pipelined change can run raw statements only, not ${String(prop)}`);
    },
  });
}
