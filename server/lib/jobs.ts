// What use cases and modules see of the durable job queue (pg-boss); plugins/jobs.ts implements
// it. Declared here, below the plugins, so that lib/ (Ctx in use-case.ts) depends on nothing above it.
import type pg from 'pg';
import type { Job, PgBoss, Queue, SendOptions, WorkOptions } from 'pg-boss';
import type { Pipeline, Tx } from './use-case.ts';

export interface JobDefinition<T> {
  queue: Omit<Queue, 'name'>;
  work?: Omit<WorkOptions, 'batchSize'> & { localConcurrency?: number };
  /** Without a handler the queue is only a store that nothing works (a dead-letter queue the operator reads). */
  handler?: (job: Job<T>) => Promise<void>;
}

export interface Jobs {
  readonly boss: PgBoss;
  /**
   * Plain connections for job handlers' own statements (digest delivery claims and records):
   * outside Prisma's pool, so HTTP requests never wait for them.
   */
  readonly pool: pg.Pool;
  /** Declares a queue and its handler (before ready). */
  define<T extends object>(name: string, definition: JobDefinition<T>): void;
  /** Enqueues a job; with `tx`, inside that Prisma transaction (committed or rolled back with it). */
  /**
   * Writes a job (inside `tx` when given). On a `pipeline` it resolves once the job's INSERT is sent,
   * not answered (the caller's COMMIT goes behind it; its failure fails the pipeline): give the id.
   */
  send(name: string, data: object, options?: Omit<SendOptions, 'db'> & { tx?: Tx; pipeline?: Pipeline }): Promise<string | null>;
  /**
   * Marks jobs of `name` done, queued or running (inside `tx` when given): their work was done another
   * way (messages processed at once by the instance that stored them), so no worker needs to run them.
   */
  completeQueued(name: string, ids: string[], tx?: Tx): Promise<void>;
  /** Cancels the queued (not yet running) jobs of `name` whose data contains `match`, inside `tx`. */
  cancelQueued(name: string, match: object, tx: Tx): Promise<number>;
  /** Runs after the boss has started (e.g. to resume work interrupted by a crash). */
  onStarted(fn: () => Promise<void>): void;
  /**
   * Makes this instance's worker of `name` look for jobs now rather than at its next poll (after
   * a commit that enqueued one); false when this instance runs no worker for it.
   */
  wake(name: string): boolean;
  /**
   * Resolves once an attempt at each job has ended, whatever its outcome: at once when this
   * instance's worker ran it, else when the job store shows it done elsewhere (polled), or after
   * `ms`. Lets `events.drain()` cover the jobs a request committed without holding up a shutdown.
   */
  attempted(jobs: { id: string; queue: string }[], ms?: number): Promise<void>;
}
