// Durable jobs on PostgreSQL (pg-boss): stored in the same database as everything else (schema
// JOBS_SCHEMA), so a job can be enqueued in the same transaction as the change that causes it —
// a milestone and its firing job are committed together or not at all.
//
// Modules declare their queues and handlers while the app is built (`app.jobs.define`); the
// boss starts on ready (creating queues, then workers) and stops gracefully on close, letting a
// running handler finish. Handlers must be idempotent: a job runs at least once.
import fp from 'fastify-plugin';
import pg from 'pg';
import { fromPrisma, PgBoss, type Job, type Queue, type SendOptions } from 'pg-boss';
import type { Config } from '../config.ts';
import type { Pipeline, Tx } from '../lib/use-case.ts';
import type { JobDefinition, Jobs } from '../lib/jobs.ts';
import { guardCheckedOutClients } from '../lib/connection-loss.ts';
import { uuidv7 } from '../lib/uuid.ts';

// The interface lives in lib/ (use cases receive it through Ctx); re-exported for the modules.
export type { JobDefinition, Jobs };

const isPipeline = (tx: Tx | Pipeline): tx is Pipeline => typeof (tx as Pipeline).track === 'function';

/** Durable event deliveries that failed every attempt: kept for the operator (GET /api/admin/events/dead-letters). */
export const EVENT_DEAD_QUEUE = 'event.dead';

/**
 * DELIVERY_MAX_ATTEMPTS attempts, the first retry DELIVERY_RETRY_BASE_MS later, doubling (with
 * jitter) up to an hour. pg-boss counts delays in whole seconds and backs off from at least one,
 * so a base of 0 turns the backoff off: the retry is taken at the next poll.
 */
export const retryPolicy = (config: Config) => {
  const retryDelay = config.digests.retryBaseMs === 0 ? 0 : Math.max(1, Math.round(config.digests.retryBaseMs / 1000));
  const retryLimit = Math.max(0, config.digests.maxAttempts - 1);
  return retryDelay > 0 ? { retryLimit, retryDelay, retryBackoff: true, retryDelayMax: 3600 } : { retryLimit, retryDelay, retryBackoff: false };
};

/**
 * Durable event deliveries: DELIVERY_MAX_ATTEMPTS attempts with backoff from DELIVERY_RETRY_BASE_MS
 * (whole seconds, pg-boss's unit), like mail; a killed worker's delivery is retried once its
 * heartbeat stops; then the dead-letter queue.
 */
export const durableQueue = (config: Config): Omit<Queue, 'name'> => ({
  ...retryPolicy(config),
  heartbeatSeconds: 10,
  expireInSeconds: 900,
  deadLetter: EVENT_DEAD_QUEUE,
  deleteAfterSeconds: 7 * 86_400,
});

declare module 'fastify' {
  interface FastifyInstance {
    jobs: Jobs;
  }
}

/** pg-boss's executor over a Prisma interactive transaction: its SQL runs on our transaction. */
const prismaExecutor = (tx: Tx) => fromPrisma(tx);

export default fp<{ config: Config; databaseUrl: string }>(
  async (app, { config, databaseUrl }) => {
    const boss = new PgBoss({
      connectionString: databaseUrl,
      schema: config.jobs.schema,
      max: 4,
      application_name: 'convene-jobs',
      // Cron (daily summaries) is evaluated by one instance at a time through the database.
      schedule: true,
      // Supervision also fails the jobs of a killed worker (expired, or silent past their heartbeat)
      // so that they are retried: its interval bounds how late that is noticed.
      superviseIntervalSeconds: config.jobs.superviseSeconds,
      monitorIntervalSeconds: config.jobs.superviseSeconds,
      registerInstance: false,
    });
    boss.on('error', (err: Error) => app.log.error({ err }, 'job queue error'));

    const pool = new pg.Pool({ connectionString: databaseUrl, max: config.digests.sendConcurrency * 2 + 2, application_name: 'convene-workers' });
    pool.on('error', (err) => app.log.warn({ err }, 'idle worker connection lost'));
    guardCheckedOutClients(pool, app.log);

    const definitions = new Map<string, JobDefinition<never>>();
    const started: (() => Promise<void>)[] = [];
    const workerIds = new Map<string, string>();
    // Jobs whose first local attempt someone waits for (attempted()): job id → resolve.
    const waiters = new Map<string, () => void>();
    let running = false;

    /**
     * A job written on a pipelined transaction: its INSERT is sent behind the change without waiting
     * for the answer (resolved once sent; the COMMIT goes behind it). A job that pg-boss refuses
     * before writing it fails here, so the transaction is rolled back rather than committed without
     * it; one whose INSERT fails aborts the transaction in the database.
     */
    async function sendOn(p: Pipeline, name: string, data: object, options: Omit<SendOptions, 'db'>) {
      let sent!: () => void;
      const written = new Promise<void>((resolve) => {
        sent = resolve;
      });
      const db = {
        executeSql: (text: string, values?: unknown[]) => {
          sent();
          return p.executeSql(text, values);
        },
      };
      const job = p.track(boss.send(name, data, { ...options, db }));
      await Promise.race([written, job]);
      return options.id ?? null;
    }

    const jobs: Jobs = {
      boss,
      pool,
      define(name, definition) {
        if (running) throw new Error(`job queue ${name} defined after start`);
        definitions.set(name, definition as JobDefinition<never>);
      },
      async send(name, data, options = {}) {
        const { tx, pipeline, ...rest } = options;
        if (pipeline) return sendOn(pipeline, name, data, rest);
        return boss.send(name, data, { ...rest, ...(tx ? { db: prismaExecutor(tx) } : {}) });
      },
      async completeQueued(name, ids, tx) {
        if (!ids.length) return;
        await boss.complete(name, ids, null, { ...(tx ? { db: prismaExecutor(tx) } : {}), includeQueued: true });
      },
      async cancelQueued(name, match, tx) {
        const db = prismaExecutor(tx);
        const queued = await boss.findJobs(name, { data: match, queued: true, db });
        if (!queued.length) return 0;
        await boss.cancel(
          name,
          queued.map((j) => j.id),
          { db },
        );
        return queued.length;
      },
      onStarted(fn) {
        started.push(fn);
      },
      wake(name) {
        const id = workerIds.get(name);
        if (id) boss.notifyWorker(id);
        return Boolean(id);
      },
      async attempted(list, ms = 10_000) {
        await Promise.all(
          list.map(
            ({ id, queue }) =>
              new Promise<void>((resolve) => {
                const done = () => {
                  clearTimeout(timer);
                  clearInterval(poll);
                  waiters.delete(id);
                  resolve();
                };
                const timer = setTimeout(done, ms);
                // Another instance may have taken it: ask the store now and then (only while someone waits).
                const poll = setInterval(() => {
                  void boss.findJobs(queue, { id }).then(
                    ([job]) => {
                      if (!job || !['created', 'active'].includes(job.state)) done();
                    },
                    () => {},
                  );
                }, 500);
                waiters.set(id, done);
              }),
          ),
        );
      },
    };

    // The outbox of domain events: one job per durable subscriber, written in the emitting transaction.
    app.ctx.events.useOutbox({
      async enqueue(deliveries, tx) {
        if (tx && isPipeline(tx)) return enqueueOn(tx, deliveries);
        const enqueued = [];
        for (const d of deliveries) {
          const id = uuidv7();
          await jobs.send(d.queue, d.payload as object, { id, ...(tx ? { tx } : {}) });
          enqueued.push({ id, queue: d.queue });
        }
        return enqueued;
      },
      async started(list) {
        if (!config.jobs.workers) return;
        for (const queue of new Set(list.map((j) => j.queue))) jobs.wake(queue);
        await jobs.attempted(list);
      },
    });
    app.decorate('jobs', jobs);
    app.ctx.jobs = jobs;

    /** The deliveries written on a pipelined transaction (jobs.send on a pipeline). */
    async function enqueueOn(p: Pipeline, deliveries: { queue: string; payload: unknown }[]) {
      return Promise.all(
        deliveries.map(async (d) => {
          const id = uuidv7();
          await sendOn(p, d.queue, d.payload as object, { id });
          return { id, queue: d.queue };
        }),
      );
    }

    app.addHook('onReady', async () => {
      // Durable subscribers are declared by the modules, after this plugin: their queues now.
      definitions.set(EVENT_DEAD_QUEUE, { queue: { retentionSeconds: 30 * 86_400 } });
      for (const d of app.ctx.events.durableSubscribers()) {
        definitions.set(d.queue, {
          queue: durableQueue(config),
          handler: async (job: Job<never>) => {
            await d.handler(job.data, { key: job.id });
          },
        } as JobDefinition<never>);
      }
      await boss.start();
      for (const [name, def] of definitions) {
        await boss.createQueue(name, def.queue);
        // A redefined queue (new options in a new release) takes the new options.
        await boss.updateQueue(name, def.queue);
      }
      running = true;
      // A web-only instance (JOBS_WORKERS=false) enqueues but never runs jobs.
      if (!config.jobs.workers) return;
      for (const [name, def] of definitions) {
        const handler = def.handler;
        if (!handler) continue;
        const { localConcurrency, ...work } = def.work ?? {};
        const id = await boss.work<never>(
          name,
          { pollingIntervalSeconds: config.jobs.pollSeconds, localConcurrency: localConcurrency ?? 1, ...work, batchSize: 1 },
          async ([job]) => {
            if (!job) return;
            try {
              await handler(job);
            } finally {
              waiters.get(job.id)?.();
            }
          },
        );
        workerIds.set(name, id);
      }
      for (const fn of started) await fn();
    });

    app.addHook('onClose', async () => {
      // Let running handlers finish (within the grace period), then close the pool.
      await boss.stop({ graceful: true, timeout: Math.max(1000, config.shutdownGraceMs - 1000), close: true });
      await pool.end();
    });
  },
  { name: 'jobs', dependencies: ['prisma', 'context'] },
);
