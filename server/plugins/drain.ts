// Graceful shutdown without resetting anyone. Node's server.close() destroys idle kept-alive
// connections at once, and a client that has just sent a request on one gets ECONNRESET: it
// cannot know whether its comment was stored. So the drain, before Fastify closes:
//   1. stops accepting connections but keeps the open ones;
//   2. tells those who listen (sockets) that the server is going away;
//   3. answers every new request 503 + Connection: close (the client retries elsewhere), lets
//      requests in flight finish (their response also says Connection: close);
//   4. after the drain window, closes the connections still idle, and waits for requests in flight.
// Then app.close() runs the plugins' onClose hooks: the database closes after the last request.
import net from 'node:net';
import fp from 'fastify-plugin';
import { AppError } from '../lib/app-error.ts';

export interface Drain {
  readonly draining: boolean;
  /** Requests admitted and not yet answered (load shedding bounds it too; one count for both). */
  readonly inFlight: number;
  /** Runs when the drain starts, after the server stopped accepting connections. */
  onStart(fn: () => void): void;
  /** Resolves when no request is in flight and no connection is left (or the window passed and only idle ones were). */
  run(options: { windowMs: number }): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    drain: Drain;
  }
}

export default fp(
  async (app) => {
    let draining = false;
    let inFlight = 0;
    let idle: (() => void) | null = null;
    const starters: (() => void)[] = [];

    // Callback hooks, not async ones: they run on every request, and an async hook costs a promise each.
    app.addHook('onRequest', (request, reply, done) => {
      if (draining) {
        request.log.info('request during shutdown drain: answered 503');
        // Through the error handler (503 with its wait, the sentence in the caller's language).
        reply.header('connection', 'close');
        done(new AppError('server_shutting_down', 503, 'This server is restarting; try again in a moment.', { retryAfterSeconds: 1 }));
        return;
      }
      inFlight++;
      reply.raw.once('close', onClose);
      done();
    });
    const onClose = () => {
      inFlight--;
      if (inFlight === 0) idle?.();
    };
    app.addHook('onSend', (_request, reply, payload, done) => {
      // A response finished during the drain closes its connection after it, so the client's next
      // request opens a new one (to another instance) instead of racing the close.
      if (draining) reply.header('connection', 'close');
      done(null, payload);
    });

    const noneInFlight = () =>
      new Promise<void>((resolve) => {
        if (inFlight === 0) return resolve();
        idle = resolve;
      });

    app.decorate('drain', {
      get draining() {
        return draining;
      },
      get inFlight() {
        return inFlight;
      },
      onStart(fn: () => void) {
        starters.push(fn);
      },
      async run({ windowMs }: { windowMs: number }) {
        if (draining) return;
        draining = true;
        const server = app.server;
        if (!server.listening) return;
        // net.Server's close, not http's: stop listening but keep kept-alive connections open, so a
        // request already on its way on one is answered rather than reset.
        const allClosed = new Promise<void>((resolve) => {
          net.Server.prototype.close.call(server, () => resolve());
        });
        for (const fn of starters) {
          try {
            fn();
          } catch (err) {
            app.log.warn({ err }, 'drain: a start hook failed');
          }
        }
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          allClosed,
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, windowMs);
          }),
        ]);
        clearTimeout(timer);
        // Clients that sent nothing during the window: their connections are closed while idle.
        server.closeIdleConnections();
        await noneInFlight();
      },
    } satisfies Drain);
  },
  { name: 'drain' },
);
