// What every use-case function receives: the database, the event bus, configuration and a
// logger. Built once per app (app.ctx) so use cases stay plain functions, callable from routes,
// jobs, scripts and tests alike.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { DomainEvent, EmitFn, EnqueuedDelivery, EventBus } from './domain-events.ts';
import type { Jobs } from './jobs.ts';

export type Tx = Prisma.TransactionClient;

/**
 * Runs one SQL statement (built with Prisma.sql) on the pool, prepared like Prisma's own, outside
 * any transaction (plugins/prisma.ts). `arrays`: each row as an array of its columns in SELECT
 * order, not an object (cheaper per row for reads of thousands of rows).
 */
export type RunStatement = <T>(sql: Prisma.Sql, options?: { arrays?: boolean }) => Promise<T[]>;

export interface Ctx {
  prisma: PrismaClient;
  /**
   * One statement straight on the pool, atomic on its own (autocommit), for a hot path written as a
   * single statement (comments/insert-comments.ts): no interactive transaction, so BEGIN and COMMIT
   * cost no round trips, and Prisma's runtime (a seventh of the comment POST's CPU) is bypassed.
   */
  runStatement: RunStatement;
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
