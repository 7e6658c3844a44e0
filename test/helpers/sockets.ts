// Real socket.io-client connections to an app listening on loopback (port 0).
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import type { TestApp } from './app.ts';

export const TEST_ORIGIN = 'http://localhost:3000'; // testConfig's PUBLIC_URL

export async function listen(app: TestApp): Promise<string> {
  if (!app.server.listening) await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

export interface SocketOptions {
  cookie?: string;
  origin?: string | null;
  namespace?: '/' | '/public';
  transports?: ('websocket' | 'polling')[];
}

/** A client as a browser would open it: websocket first, the session cookie, our Origin. */
export function openSocket(url: string, options: SocketOptions = {}): Socket {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin !== null) headers.origin = options.origin ?? TEST_ORIGIN;
  const socket = io(`${url}${options.namespace === '/public' ? '/public' : ''}`, {
    transports: options.transports ?? ['websocket'],
    extraHeaders: headers,
    forceNew: true,
    reconnection: false,
    timeout: 5_000,
  });
  openSockets.add(socket);
  return socket;
}

const openSockets = new Set<Socket>();
/** Closes every socket a test file opened (afterAll). */
export function closeAllSockets() {
  for (const s of openSockets) s.close();
  openSockets.clear();
}

export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
}

/** Resolves with the connect_error a refused connection gets. */
export function refused(socket: Socket): Promise<Error & { data?: { code?: string } }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('the connection was accepted')));
    socket.once('connect_error', (err) => resolve(err as Error & { data?: { code?: string } }));
  });
}

export async function connect(url: string, options: SocketOptions = {}): Promise<Socket> {
  const socket = openSocket(url, options);
  await connected(socket);
  return socket;
}

export type Ack = { ok: true; stream: string; seq: number; replayed: number; refetch: boolean } | { ok: false; code: string; message: string };

export function send(socket: Socket, event: string, payload: unknown): Promise<Ack> {
  return socket.timeout(5_000).emitWithAck(event, payload) as Promise<Ack>;
}

export async function subscribe(socket: Socket, payload: { kind: 'group' | 'document' | 'public'; id: string; since?: number }) {
  const ack = await send(socket, 'subscribe', payload);
  if (!ack.ok) throw new Error(`subscribe refused: ${ack.code} ${ack.message}`);
  return ack;
}

export interface Received {
  event: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever shape each event carries; the presenters' own tests hold the shapes
  payload: any;
}

/** Everything a socket receives, in order. */
export function record(socket: Socket): Received[] {
  const received: Received[] = [];
  socket.onAny((event: string, payload: unknown) => received.push({ event, payload }));
  return received;
}

export async function waitFor<T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
