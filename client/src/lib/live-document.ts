// Follows a document live over socket.io (loaded on demand: it is not in the main bundle), as
// server/modules/realtime/README.md describes: subscribe with an ack, keep the last seq, drop
// repeats, resubscribe with `since` after a reconnect, refetch over HTTP when told to. When the
// socket cannot connect (websockets and polling blocked, server restarting) the view refetches
// on a timer instead, so it stays current either way.
import { useEffect, useRef, useState } from 'react';
import type { Socket } from 'socket.io-client';

export type LiveStatus = 'connecting' | 'live' | 'polling';

export interface LiveHandlers {
  /** A domain event of this document ('comments.created', 'periods.extended', …) with its data. */
  event: (name: string, data: unknown) => void;
  /** Reload over HTTP: events may have been missed. */
  refetch: () => void;
}

/** The going-away notice of a server that is shutting down: `{ reason: 'server_shutdown', reconnect: true }`. */
export const SERVER_SHUTDOWN_EVENT = 'server:shutdown';

/**
 * A server that is shutting down (a rollout, a restart) says so before it closes its sockets.
 * Reconnecting at once, instead of after socket.io's backoff, reaches another instance while the
 * view is still current; the subscription then catches up on what it missed. disconnect() then
 * connect() opens a new connection now; a refused attempt falls back to the usual backoff.
 */
export function reconnectWhenServerLeaves(socket: Socket): void {
  socket.on(SERVER_SHUTDOWN_EVENT, () => {
    socket.disconnect();
    socket.connect();
  });
}

export const POLL_INTERVAL_MS = 20_000;
/** A channel that neither connects nor fails (a proxy holding it open) counts as blocked after this. */
export const CONNECT_PATIENCE_MS = 5_000;

// Parts of a view that keep their own data (a comment's disposition under each comment) follow
// the same channel as the view: one socket per document, its events and refetches passed on.
const followers = new Map<string, Set<LiveHandlers>>();

/** Hears the events and refetches of a document while a view follows it live; returns the stop. */
export function followDocument(documentId: string, handlers: LiveHandlers): () => void {
  const set = followers.get(documentId) ?? new Set();
  followers.set(documentId, set);
  set.add(handlers);
  return () => {
    set.delete(handlers);
    if (!set.size) followers.delete(documentId);
  };
}
const tellFollowers = (documentId: string, tell: (h: LiveHandlers) => void) => {
  for (const h of followers.get(documentId) ?? []) tell(h);
};

/** `task` once the browser is idle (at the latest after a second), cancellable. */
function whenIdle(task: () => void): { cancel: () => void } {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(task, { timeout: 1000 });
    return { cancel: () => cancelIdleCallback(id) };
  }
  const id = setTimeout(task, 0);
  return { cancel: () => clearTimeout(id) };
}

interface Envelope {
  stream: string;
  seq: number;
  data: unknown;
}
type Ack = { ok: true; stream: string; seq: number; refetch: boolean } | { ok: false; code: string; message: string };

const isEnvelope = (v: unknown): v is Envelope =>
  typeof v === 'object' && v !== null && typeof (v as Envelope).stream === 'string' && typeof (v as Envelope).seq === 'number';

/**
 * `since`: the stream's sequence number when the view's data was read (the page carries it), if
 * known. The first subscription then asks for what came after it (replayed, or a refetch when too
 * much was missed); without it, the first subscription refetches, as what changed between the
 * view's load and now is unknown.
 */
export function useDocumentLive(documentId: string, handlers: LiveHandlers, since?: number): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const own = useRef(handlers);
  own.current = handlers;
  const loadedAt = useRef(since);

  useEffect(() => {
    const ref = {
      current: {
        event: (name: string, data: unknown) => {
          own.current.event(name, data);
          tellFollowers(documentId, (h) => h.event(name, data));
        },
        refetch: () => {
          own.current.refetch();
          tellFollowers(documentId, (h) => h.refetch());
        },
      },
    };
    const stream = `document:${documentId}`;
    let stopped = false;
    let lastSeq: number | null = loadedAt.current ?? null;
    let poll: ReturnType<typeof setInterval> | undefined;
    let close = () => {};

    const startPolling = () => {
      if (stopped || poll) return;
      setStatus('polling');
      poll = setInterval(() => ref.current.refetch(), POLL_INTERVAL_MS);
    };
    const stopPolling = () => {
      clearInterval(poll);
      poll = undefined;
    };
    const patience = setTimeout(startPolling, CONNECT_PATIENCE_MS);

    // Once the page is idle (its first frame shown), not in the frame that renders the view: nothing
    // is lost meanwhile (the subscription asks for what came after the view's data).
    const connect = () =>
      import('socket.io-client')
        .then(({ io }) => {
          if (stopped) return;
          // Same origin, the session cookie; websocket first, long-polling when websockets are blocked.
          const socket = io({ transports: ['websocket', 'polling'], tryAllTransports: true, reconnectionDelayMax: 10_000 });
          close = () => socket.close();
          reconnectWhenServerLeaves(socket);
          const subscribe = () => {
            socket
              .timeout(10_000)
              .emit('subscribe', { kind: 'document', id: documentId, ...(lastSeq === null ? {} : { since: lastSeq }) }, (error: unknown, ack: Ack) => {
                if (stopped) return;
                if (error || !ack.ok) {
                  startPolling();
                  return;
                }
                // A first subscription without `since`: what changed between the view's load and now was
                // not replayed. With it, the server replayed it (before this ack) or says to refetch.
                const missedSomething = lastSeq === null || ack.refetch;
                lastSeq = Math.max(lastSeq ?? 0, ack.seq);
                clearTimeout(patience);
                stopPolling();
                setStatus('live');
                if (missedSomething) ref.current.refetch();
              });
          };
          socket.on('connect', subscribe);
          socket.on('connect_error', startPolling);
          socket.on('disconnect', startPolling);
          socket.on('refetch', (notice: { stream: string; seq: number }) => {
            if (notice.stream !== stream) return;
            lastSeq = notice.seq;
            ref.current.refetch();
          });
          socket.on('unsubscribed', (notice: { stream: string }) => {
            if (notice.stream === stream) startPolling();
          });
          socket.onAny((name: string, envelope: unknown) => {
            if (!isEnvelope(envelope) || envelope.stream !== stream) return;
            // Just after a subscribe an event may arrive twice: drop what was seen.
            if (lastSeq !== null && envelope.seq <= lastSeq) return;
            lastSeq = envelope.seq;
            ref.current.event(name, envelope.data);
          });
        })
        .catch(startPolling);
    const idle = whenIdle(() => void connect());

    return () => {
      stopped = true;
      idle.cancel();
      clearTimeout(patience);
      stopPolling();
      close();
    };
  }, [documentId]);

  return status;
}
