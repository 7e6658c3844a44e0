// A server that is shutting down (a rollout, a restart) says so to its sockets before it closes
// them. Reconnecting at once, instead of after socket.io's backoff, reaches another instance
// while the view is still current; the subscription then catches up on what it missed.
import type { Socket } from 'socket.io-client';

/** The server's going-away notice: `{ reason: 'server_shutdown', reconnect: true }`. */
export const SERVER_SHUTDOWN_EVENT = 'server:shutdown';

export function reconnectWhenServerLeaves(socket: Socket): void {
  socket.on(SERVER_SHUTDOWN_EVENT, () => {
    // disconnect() then connect() opens a new connection now; a refused attempt falls back to
    // the usual reconnection with backoff.
    socket.disconnect();
    socket.connect();
  });
}
