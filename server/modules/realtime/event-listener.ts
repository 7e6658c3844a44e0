// One LISTEN connection per instance on the realtime channel. Messages are handled strictly one
// after another, so each stream's events reach sockets in sequence order. A lost connection is
// logged and re-opened with backoff; `onReconnect` then lets the hub fetch what it missed.
import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import type { ChannelMessage } from './record-events.ts';

export interface EventListenerOptions {
  connectionString: string;
  channel: string;
  log: FastifyBaseLogger;
  onMessage: (message: ChannelMessage) => Promise<void> | void;
  /** Runs synchronously as each message arrives, before the queued deliveries ahead of it (cache eviction). */
  onArrival?: (message: ChannelMessage) => void;
  onReconnect: () => Promise<void>;
  /** The LISTEN connection was lost: messages may be missed until onReconnect. */
  onDisconnect?: () => void;
}

export class EventListener {
  private client: pg.Client | null = null;
  private closed = false;
  private queue: Promise<void> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs = 250;
  private readonly opts: EventListenerOptions;

  constructor(opts: EventListenerOptions) {
    this.opts = opts;
  }

  /** Resolves once LISTEN is in place (the first time, a failure is thrown: the app cannot start without it). */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.opts.connectionString });
    client.on('error', (err) => this.opts.log.warn({ err }, 'realtime listener connection failed'));
    client.on('notification', (msg) => {
      if (msg.channel !== this.opts.channel || !msg.payload) return;
      let parsed: ChannelMessage;
      try {
        parsed = JSON.parse(msg.payload) as ChannelMessage;
      } catch (err) {
        this.opts.log.error({ err }, 'unreadable realtime notification');
        return;
      }
      try {
        this.opts.onArrival?.(parsed);
      } catch (err) {
        this.opts.log.error({ err }, 'realtime arrival hook failed');
      }
      this.enqueue(() => this.opts.onMessage(parsed));
    });
    client.on('end', () => {
      if (this.client === client) this.client = null;
      this.opts.onDisconnect?.();
      if (!this.closed) this.scheduleReconnect();
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.opts.channel}"`);
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    this.client = client;
    this.retryMs = 250;
  }

  private scheduleReconnect() {
    if (this.retryTimer || this.closed) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
    this.opts.log.warn(`realtime listener disconnected; reconnecting in ${delay} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect()
        .then(() => this.enqueue(() => this.opts.onReconnect()))
        .catch((err: unknown) => {
          this.opts.log.warn({ err }, 'realtime listener could not reconnect');
          this.scheduleReconnect();
        });
    }, delay);
  }

  private enqueue(task: () => Promise<void> | void) {
    this.queue = this.queue.then(task).catch((err: unknown) => this.opts.log.error({ err }, 'realtime dispatch failed'));
  }

  /** Resolves when every message received so far has been handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Drops the connection as a network failure would (tests of the reconnect path). */
  simulateConnectionLoss() {
    (this.client as unknown as { connection?: { stream?: { destroy(err?: Error): void } } } | null)?.connection?.stream?.destroy(
      new Error('simulated connection loss'),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
    await this.queue;
  }
}
