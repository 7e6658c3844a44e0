// Domain events: what happened, named `<resource>.<verb>`, raised inside a use case and
// delivered to subscribers only after the transaction commits (so nobody is told about
// something that was rolled back). Realtime, mail and digests subscribe; routes never emit.
//
// Two kinds of subscriber: `on` runs in this process after commit, at most once (lost on a
// crash: realtime fan-out, logs); `durable` is an outbox delivery: the event is written, in the
// transaction that emits it, as one job per durable subscriber, which runs at least once after
// commit on any instance, with retries and a dead letter. Durable handlers must be idempotent.
import type { FastifyBaseLogger } from 'fastify';
import type { Pipeline, Tx } from './use-case.ts';
import { uuidv7 } from './uuid.ts';

/**
 * Event name → payload. Each module adds its events by declaration merging:
 *   declare module '../../lib/domain-events.ts' { interface DomainEventMap { 'x.y': {...} } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: modules add their events to it by declaration merging, which needs an interface
export interface DomainEventMap {}

export type DomainEventName = keyof DomainEventMap & string;
export interface DomainEvent<K extends DomainEventName = DomainEventName> {
  name: K;
  payload: DomainEventMap[K];
  /** The statement that made the change also wrote its realtime log row and NOTIFY (a hot path): hooks skip it. */
  recorded?: boolean;
  /**
   * Its live presentation, when the use case already holds exactly what it wrote (the realtime
   * table's `present` would read it back inside the transaction: a round trip per event).
   */
  live?: unknown;
}
export interface EmitOptions {
  recorded?: boolean;
  live?: unknown;
}
export type EmitFn = <K extends DomainEventName>(name: K, payload: DomainEventMap[K], options?: EmitOptions) => void;
type Handler<K extends DomainEventName> = (payload: DomainEventMap[K]) => unknown;
/** Runs inside the transaction, after the use case, before COMMIT (e.g. the realtime event log). */
export type BeforeCommitHook = (tx: Tx, events: readonly DomainEvent[]) => Promise<void>;
/** A durable delivery's handler: `key` is the same on every attempt of one delivery (for idempotence). */
export type DurableHandler<K extends DomainEventName> = (payload: DomainEventMap[K], delivery: { key: string }) => Promise<unknown>;
export interface DurableSubscriber {
  event: DomainEventName;
  queue: string;
  handler: DurableHandler<never>;
  when?: (payload: never) => boolean;
}

export interface EnqueuedDelivery {
  id: string;
  queue: string;
}
/**
 * Where durable deliveries are written (the jobs plugin): inside `tx` when given. On a pipeline it
 * resolves once the jobs are sent, not answered (the COMMIT goes behind them).
 */
export interface Outbox {
  enqueue(deliveries: { queue: string; payload: unknown }[], tx?: Tx | Pipeline): Promise<EnqueuedDelivery[]>;
  /** After commit: start the deliveries now; resolves when this instance has attempted them (bounded). */
  started(jobs: EnqueuedDelivery[]): Promise<void>;
}

export class EventBus {
  private readonly handlers = new Map<string, Handler<never>[]>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly beforeCommitHooks: BeforeCommitHook[] = [];
  private readonly durables = new Map<string, DurableSubscriber[]>();
  private outbox: Outbox | null = null;
  private readonly log: FastifyBaseLogger;

  constructor(log: FastifyBaseLogger) {
    this.log = log;
  }

  on<K extends DomainEventName>(name: K, handler: Handler<K>): void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as Handler<never>);
    this.handlers.set(name, list);
  }

  /**
   * A subscriber that must not be lost: its delivery is a job written with the event (queue
   * `event.<name>.<subscriber>`). Without an outbox (scripts built without jobs) it runs like `on`.
   */
  durable<K extends DomainEventName>(
    name: K,
    subscriber: string,
    handler: DurableHandler<K>,
    options: { when?: (payload: DomainEventMap[K]) => boolean } = {},
  ): void {
    const list = this.durables.get(name) ?? [];
    // `when` filters before anything is written: most events of a busy kind need no delivery.
    list.push({
      event: name,
      queue: `event.${name}.${subscriber}`,
      handler: handler as DurableHandler<never>,
      when: options.when as ((payload: never) => boolean) | undefined,
    });
    this.durables.set(name, list);
  }

  durableSubscribers(): DurableSubscriber[] {
    return [...this.durables.values()].flat();
  }

  /** Which events have subscribers, of which kind (durable ones by queue): what the modules wired up. */
  subscriptions(): { event: DomainEventName; kind: 'after-commit' | 'durable'; queue?: string }[] {
    return [
      ...[...this.handlers].flatMap(([event, list]) => list.map(() => ({ event: event as DomainEventName, kind: 'after-commit' as const }))),
      ...this.durableSubscribers().map((d) => ({ event: d.event, kind: 'durable' as const, queue: d.queue })),
    ];
  }

  useOutbox(outbox: Outbox): void {
    this.outbox = outbox;
  }

  private deliveries(events: readonly DomainEvent[]) {
    return events.flatMap((e) =>
      (this.durables.get(e.name) ?? [])
        .filter((d) => !d.when || (d.when as (p: unknown) => boolean)(e.payload))
        .map((d) => ({ queue: d.queue, payload: e.payload })),
    );
  }

  /** Writes the durable deliveries of `events` in `tx` (the outbox); job ids to pass to publish. */
  async enqueueDurable(tx: Tx | Pipeline, events: readonly DomainEvent[]): Promise<EnqueuedDelivery[]> {
    const deliveries = this.deliveries(events);
    if (!this.outbox || !deliveries.length) return [];
    return this.outbox.enqueue(deliveries, tx);
  }

  /**
   * Registers work that must commit or roll back with the change itself (writing the realtime
   * log and its NOTIFY). Unlike subscribers, a failing hook fails the transaction.
   */
  beforeCommit(hook: BeforeCommitHook): void {
    this.beforeCommitHooks.push(hook);
  }

  async runBeforeCommit(tx: Tx, events: readonly DomainEvent[]): Promise<void> {
    if (!events.length) return;
    for (const hook of this.beforeCommitHooks) await hook(tx, events);
  }

  /**
   * After commit: runs the in-process subscribers of each event, and starts the durable deliveries
   * enqueued with it (`enqueued`, from enqueueDurable). An event committed without a transaction
   * of ours (a single-statement hot path) has its durable deliveries enqueued now, after its
   * commit: a crash in between loses those. A failing subscriber is logged, never thrown at the caller.
   */
  publish(events: DomainEvent[], enqueued?: EnqueuedDelivery[]): void {
    if (this.outbox) {
      const outbox = this.outbox;
      const late = enqueued ? [] : this.deliveries(events);
      if (enqueued?.length || late.length) {
        const jobs = enqueued ? Promise.resolve(enqueued) : outbox.enqueue(late);
        this.track(
          jobs.then((list) => outbox.started(list)),
          'durable delivery not enqueued',
        );
      }
    }
    for (const event of events) {
      if (!this.outbox) {
        for (const d of this.durables.get(event.name) ?? []) {
          if (d.when && !(d.when as (p: unknown) => boolean)(event.payload)) continue;
          this.track(
            Promise.resolve().then(() => (d.handler as DurableHandler<DomainEventName>)(event.payload, { key: uuidv7() })),
            `subscriber of ${event.name} failed`,
          );
        }
      }
      for (const handler of this.handlers.get(event.name) ?? []) {
        const run = Promise.resolve()
          .then(() => (handler as Handler<DomainEventName>)(event.payload))
          .catch((err: unknown) => this.log.error({ err, event: event.name }, 'domain event subscriber failed'));
        this.inFlight.add(run);
        void run.finally(() => this.inFlight.delete(run));
      }
    }
  }

  private track(work: Promise<unknown>, what: string) {
    const run = work.catch((err: unknown) => this.log.error({ err }, what));
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  /** Resolves when every subscriber started so far has finished (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }
}
