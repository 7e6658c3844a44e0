// Domain events: what happened, named `<resource>.<verb>`, raised inside a use case and
// delivered to subscribers only after the transaction commits (so nobody is told about
// something that was rolled back). Realtime, mail and digests subscribe; routes never emit.
import type { FastifyBaseLogger } from 'fastify';
import type { Tx } from './use-case.ts';

/**
 * Event name → payload. Each module adds its events by declaration merging:
 *   declare module '../../lib/domain-events.ts' { interface DomainEventMap { 'x.y': {...} } }
 */
export interface DomainEventMap {}

export type DomainEventName = keyof DomainEventMap & string;
export interface DomainEvent<K extends DomainEventName = DomainEventName> {
  name: K;
  payload: DomainEventMap[K];
  /** The statement that made the change also wrote its realtime log row and NOTIFY (a hot path): hooks skip it. */
  recorded?: boolean;
}
export interface EmitOptions { recorded?: boolean }
export type EmitFn = <K extends DomainEventName>(name: K, payload: DomainEventMap[K], options?: EmitOptions) => void;
type Handler<K extends DomainEventName> = (payload: DomainEventMap[K]) => unknown;
/** Runs inside the transaction, after the use case, before COMMIT (e.g. the realtime event log). */
export type BeforeCommitHook = (tx: Tx, events: readonly DomainEvent[]) => Promise<void>;

export class EventBus {
  private readonly handlers = new Map<string, Handler<never>[]>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly beforeCommitHooks: BeforeCommitHook[] = [];
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

  /** Runs the subscribers of each event; a failing subscriber is logged, never thrown at the caller. */
  publish(events: DomainEvent[]): void {
    for (const event of events) {
      for (const handler of this.handlers.get(event.name) ?? []) {
        const run = Promise.resolve()
          .then(() => (handler as Handler<DomainEventName>)(event.payload))
          .catch((err: unknown) => this.log.error({ err, event: event.name }, 'domain event subscriber failed'));
        this.inFlight.add(run);
        void run.finally(() => this.inFlight.delete(run));
      }
    }
  }

  /** Resolves when every subscriber started so far has finished (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }
}
