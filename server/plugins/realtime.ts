// Realtime: socket.io on Fastify's own HTTP server (no wrapper plugin), for browsers that follow
// groups and documents live. Two namespaces: `/` needs a signed-in session; `/public` is for
// anyone, and serves only the published outputs of public groups.
//
// How an event travels: a use case emits a domain event inside `transact`; the before-commit hook
// appends it to the RealtimeEvent log with the stream's next sequence number and NOTIFYs the
// realtime channel (transactional: sent only on commit, in commit order). Every instance LISTENs
// and emits to its own sockets — so instances on one database form a cluster with nothing else to
// run. The socket.io PostgreSQL adapter links the instances' socket.io servers for what needs
// them all at once: presence (fetchSockets) and presence broadcasts.
import fp from 'fastify-plugin';
import pg from 'pg';
import { Server, type DefaultEventsMap, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config.ts';
import { resolveSession, SESSION_COOKIE } from '../modules/auth/session.ts';
import { sessionCacheOf } from '../modules/auth/session-cache.ts';
import { EventListener } from '../modules/realtime/event-listener.ts';
import { eventChannel, recordRealtimeEvents } from '../modules/realtime/record-events.ts';
import { RealtimeHub, sessionRoom, userRoom, type FollowerData } from '../modules/realtime/realtime-hub.ts';
import { attachSocketHandlers } from '../modules/realtime/socket-handlers.ts';
import { errorSentence } from '../lib/error-sentence.ts';
import { negotiateLocale } from '../lib/i18n.ts';

declare module 'fastify' {
  interface FastifyInstance {
    realtime: RealtimeHub & { io: Server; listener: EventListener };
  }
}

/** The going-away notice (client/src/lib/live-document.ts reconnects on it). */
export const SERVER_SHUTDOWN_EVENT = 'server:shutdown';

/** How often each instance closes the sockets of sessions that ended without an event (expiry). */
const SESSION_SWEEP_MS = 60_000;

/** Socket.io hard limit per packet; above it the transport closes. Handlers refuse far smaller messages politely. */
const TRANSPORT_MAX_BYTES = 64 * 1024;

/**
 * Cross-site WebSocket hijacking guard. Browsers always send Origin on WebSocket upgrades and on
 * cross-origin requests; they omit it only on same-origin GETs (the polling handshake), and a
 * non-browser client holding the cookie gains nothing from forging it. So: present → must match.
 */
export function originAllowed(req: IncomingMessage, config: Config): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return req.headers['sec-fetch-site'] !== 'cross-site';
  return origin === new URL(config.publicUrl).origin;
}

/** What instances ask each other: drop these sessions now, and answer when done. */
interface InstanceEvents {
  sessions_revoked: (ids: string[], ack: (ok: boolean) => void) => void;
}

export default fp<{ databaseUrl: string }>(
  async (app, { databaseUrl }) => {
    const { config, ctx } = app;
    const io = new Server<DefaultEventsMap, DefaultEventsMap, InstanceEvents>(app.server, {
      serveClient: false,
      transports: ['polling', 'websocket'], // clients should try websocket first; polling remains a fallback
      maxHttpBufferSize: TRANSPORT_MAX_BYTES,
      allowRequest: (req, done) => done(null, originAllowed(req, config)),
    });

    // The adapter's own pool. Its LISTEN client has no error listener of its own: without ours a
    // dropped connection would be an unhandled 'error' and end the process.
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    pool.on('error', (err) => app.log.warn({ err }, 'socket.io adapter: idle database connection lost'));
    pool.on('connect', (client) => {
      client.on('error', (err) => app.log.warn({ err }, 'socket.io adapter: database connection failed'));
      // A checked-out client that dies would otherwise hold its pool slot forever.
      client.on('end', () => {
        try {
          (client as pg.PoolClient).release?.(true);
        } catch {
          /* already released */
        }
      });
    });
    io.adapter(
      createAdapter(pool, {
        channelPrefix: `${config.realtimeChannel}_sio`,
        errorHandler: (err) => app.log.warn({ err }, 'socket.io adapter error'),
        heartbeatInterval: 5_000,
        heartbeatTimeout: 12_000,
      }),
    );

    const main = io.of('/');
    const publicOutputs = io.of('/public');
    const hub = new RealtimeHub({ ctx, main, publicOutputs });
    // The session cache is trusted only while this channel carries every revocation to it.
    const sessions = sessionCacheOf(ctx);
    const listener = new EventListener({
      connectionString: databaseUrl,
      channel: eventChannel(config.realtimeChannel),
      log: app.log,
      onMessage: (message) => hub.deliver(message),
      // At once, not behind the deliveries queued before it: a revoked session must stop working now.
      onArrival: (message) => {
        if (message.t === 'c' && message.control.type === 'sessions_revoked') sessions.heard(message.control.sessionIds);
      },
      onReconnect: async () => {
        sessions.setListening(true);
        await hub.resync();
      },
      onDisconnect: () => sessions.setListening(false),
    });
    await listener.start();
    sessions.setListening(true);
    // A sign-out on another instance asks this one to drop the sessions now and answers when done.
    main.on('sessions_revoked', (ids, ack) => {
      if (Array.isArray(ids)) sessions.heard(ids);
      ack?.(true);
    });
    sessions.setConfirmer(async (ids) => {
      // Instances that do not answer in time are down or cut off: their listener is then too, which bypasses their cache.
      // (The adapter's own request timeout applies; the sign-out waits at most 2 s in all, session-cache.ts.)
      await main.serverSideEmitWithAck('sessions_revoked', ids);
    });
    ctx.events.beforeCommit(recordRealtimeEvents(eventChannel(config.realtimeChannel), () => hub.events));
    app.decorate('realtime', Object.assign(hub, { io, listener }));

    // The handshake: a live session, read from the cookie exactly as HTTP requests are.
    main.use((socket, next) => {
      const token = app.parseCookie(socket.request.headers.cookie ?? '')[SESSION_COOKIE];
      // The refusal in the browser's language (no user yet), as HTTP errors are worded.
      const accepted = socket.request.headers['accept-language'];
      const worded = (code: string, message: string) =>
        errorSentence(negotiateLocale(Array.isArray(accepted) ? accepted.join(',') : accepted), { code, message }).message;
      const refuse = () => next(Object.assign(new Error(worded('unauthenticated', 'Sign in to follow live updates.')), { data: { code: 'unauthenticated' } }));
      if (!token) return refuse();
      resolveSession(ctx, token).then(
        (auth) => {
          if (!auth) return refuse();
          socket.data = {
            userId: auth.user.id,
            name: auth.user.name,
            sessionId: auth.session.id,
            follows: {},
            locale: auth.user.locale,
          } satisfies FollowerData;
          next();
        },
        (err: unknown) => {
          app.log.error({ err }, 'socket handshake failed');
          next(Object.assign(new Error(worded('internal_error', 'The server could not check your session; try again.')), { data: { code: 'internal_error' } }));
        },
      );
    });
    main.on('connection', (socket: Socket) => {
      const data = socket.data as FollowerData;
      void socket.join([userRoom(data.userId!), sessionRoom(data.sessionId!)]);
      attachSocketHandlers(socket, hub, config, app.log);
    });
    publicOutputs.on('connection', (socket: Socket) => {
      socket.data = { userId: null, name: null, sessionId: null, follows: {} } satisfies FollowerData;
      attachSocketHandlers(socket, hub, config, app.log);
    });
    const sweep = setInterval(() => {
      hub.sweepSessions().catch((err: unknown) => app.log.warn({ err }, 'realtime session sweep failed'));
    }, SESSION_SWEEP_MS);
    sweep.unref();
    io.engine.on('connection_error', (err: { code: number; message: string }) =>
      app.log.debug({ code: err.code, reason: err.message }, 'socket connection refused'),
    );

    // Drain (plugins/drain.ts, the server no longer accepts connections): tell every socket the
    // server is going away, so clients reconnect at once (to another instance) rather than after
    // their backoff, then close each transport once the notice is written (not discarding it).
    app.drain.onStart(() => {
      clearInterval(sweep);
      const notice = { reason: 'server_shutdown', reconnect: true };
      // .local: only this instance's sockets; the others stay.
      for (const nsp of [main, publicOutputs]) nsp.local.emit(SERVER_SHUTDOWN_EVENT, notice);
      for (const nsp of [main, publicOutputs]) for (const socket of nsp.sockets.values()) socket.conn.close();
    });

    // Shutdown: close every transport at once (clients reconnect to another instance and catch
    // up), then stop the adapter and the listener, before Fastify closes the HTTP server.
    app.addHook('preClose', async () => {
      clearInterval(sweep);
      hub.presence.close();
      io.engine.close();
      await Promise.allSettled([main, publicOutputs].map((nsp) => nsp.adapter.close()));
      sessions.setListening(false);
      sessions.setConfirmer(null);
      await listener.close();
      await pool.end().catch((err: unknown) => app.log.warn({ err }, 'socket.io adapter pool did not close cleanly'));
    });
  },
  { name: 'realtime', dependencies: ['context', 'security', 'drain'] },
);
