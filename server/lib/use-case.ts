// What every use-case function receives: the database, the event bus, configuration and a
// logger. Built once per app (app.ctx) so use cases stay plain functions, callable from routes,
// jobs, scripts and tests alike.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { DomainEvent, EmitFn, EventBus } from './domain-events.ts';
import type { Jobs } from '../plugins/jobs.ts';
import type { RunStatement } from '../plugins/prisma.ts';

export type Tx = Prisma.TransactionClient;

export interface Ctx {
  prisma: PrismaClient;
  /** One statement straight on the pool, for a hot path written as a single statement (commitStatement). */
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
 * Runs `fn` in one database transaction; the events it emits are published after commit
 * (before-commit hooks, such as the realtime log, see them inside the transaction).
 * Audit entries are written with the same `tx`, so a change and its audit entry stand or fall together.
 */
export async function transact<T>(ctx: Ctx, fn: (tx: Tx, emit: EmitFn) => Promise<T>, options: TransactOptions = {}): Promise<T> {
  const pending: DomainEvent[] = [];
  const emit: EmitFn = (name, payload, options) => { pending.push({ name, payload, ...options } as DomainEvent); };
  const result = await ctx.prisma.$transaction(async (tx) => {
    const value = await fn(tx, emit);
    await ctx.events.runBeforeCommit(tx, pending);
    return value;
  }, options.timeoutMs ? { timeout: options.timeoutMs } : undefined);
  ctx.events.publish(pending);
  return result;
}

/**
 * A change made by ONE SQL statement, atomic on its own (autocommit): no interactive transaction,
 * so BEGIN and COMMIT cost no round trips on a hot path (the comment POST). Its events must be
 * emitted with `{ recorded: true }`, i.e. that statement wrote their realtime log rows and NOTIFY
 * itself — before-commit hooks never see them, so an event some hook must see needs `transact`.
 * Events are published after the statement returns, i.e. after it committed. The statement runs
 * on the pool directly (ctx.runStatement): Prisma's runtime around a raw query was a seventh of the
 * comment POST's CPU (bench/comments.bench.ts).
 */
export async function commitStatement<T>(ctx: Ctx, fn: (run: RunStatement, emit: EmitFn) => Promise<T>): Promise<T> {
  const pending: DomainEvent[] = [];
  const emit: EmitFn = (name, payload, options) => { pending.push({ name, payload, ...options } as DomainEvent); };
  const result = await fn(ctx.runStatement, emit);
  const unrecorded = pending.find((e) => !e.recorded);
  if (unrecorded) throw new Error(`commitStatement: ${unrecorded.name} was not recorded by the statement; use transact`);
  ctx.events.publish(pending);
  return result;
}
