// One instance's side of realtime: it delivers what arrives on the channel to its own sockets
// (the channel reaches every instance, so each emits locally), keeps each socket's follows in
// line with the database, and replays what a reconnecting client missed.
import type { FastifyBaseLogger } from 'fastify';
import type { Namespace, Socket } from 'socket.io';
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import type { ChannelMessage, Control } from './record-events.ts';
import { readLoggedEvent, readMissedEvents } from './catch-up.ts';
import { Presence } from './presence.ts';
import { authorizeFollow, loadSessionUser, type StreamTarget } from './stream-access.ts';
import { isSessionActive } from '../auth/session.ts';
import type { Audience, DocumentResolver, ReadPermission, RealtimeTable } from './realtime.registry.ts';
import { audienceMayRead, audienceRoom, roomsAllowed } from './realtime.registry.ts';
import { wordedFor } from './socket-locale.ts';

/** What a socket carries (plain data: the adapter ships it to other instances for presence). */
export interface FollowerData {
  userId: string | null;
  name: string | null;
  sessionId: string | null;
  follows: Record<string, { groupId: string; audience: Audience; requires: ReadPermission }>;
  /** The signed-in user's language setting: refusals are worded in it. */
  locale?: string | null;
}

export interface Envelope {
  stream: string;
  seq: number;
  at: string;
  data: unknown;
}

export type SubscribeAck = { ok: true; stream: string; seq: number; replayed: number; refetch: boolean } | { ok: false; code: string; message: string };

/** Rounds of "read what was missed" before giving up and telling the client to refetch (a very busy stream). */
const MAX_CATCH_UP_ROUNDS = 10;

export const userRoom = (userId: string) => `user:${userId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
const isStreamRoom = (room: string) => /^(group|document|public):[^#]+$/.test(room);

export class RealtimeHub {
  readonly main: Namespace;
  readonly publicOutputs: Namespace;
  readonly presence: Presence;
  private readonly ctx: Ctx;
  private readonly log: FastifyBaseLogger;
  /** Filled by the modules, each registering its own events' rows (register). */
  private readonly table: RealtimeTable = {};
  private documents: DocumentResolver | null = null;
  /** Highest sequence this instance has delivered per stream (orders subscribes against live delivery). */
  private readonly delivered = new Map<string, number>();
  /** Told, per event emitted to local followers, how long after its commit it left (metrics). */
  private readonly deliveryObservers: ((ms: number, name: string) => void)[] = [];

  constructor(opts: { ctx: Ctx; main: Namespace; publicOutputs: Namespace }) {
    this.ctx = opts.ctx;
    this.log = opts.ctx.log;
    this.main = opts.main;
    this.publicOutputs = opts.publicOutputs;
    this.presence = new Presence(opts.main, opts.ctx.config.limits.realtime.presenceMax, this.log);
  }

  /** Adds or replaces rows of the event table: each module's own `<domain>.realtime.ts` rows, tests' rows. */
  register(table: RealtimeTable) {
    Object.assign(this.table, table);
  }

  get events(): RealtimeTable {
    return this.table;
  }

  /** The revisions module tells realtime where a document lives (its documents are followed). */
  resolveDocuments(resolver: DocumentResolver) {
    this.documents = resolver;
  }

  // ---- delivery -------------------------------------------------------------------------------

  async deliver(message: ChannelMessage): Promise<void> {
    if (message.t === 'c') return this.applyControl(message.control);
    // Nobody here follows the stream (every follower is in its room): nothing to read or encode.
    // Still counted as delivered, which orders a later subscribe against live delivery (follow()).
    if (!this.followedHere(message.stream)) {
      this.delivered.set(message.stream, Math.max(this.delivered.get(message.stream) ?? 0, message.seq));
      return;
    }
    let data = message.data;
    if (data === null) {
      const row = await readLoggedEvent(this.ctx.prisma, message.id);
      if (!row) return;
      data = row.data;
    }
    const envelope: Envelope = { stream: message.stream, seq: message.seq, at: new Date(message.at).toISOString(), data };
    this.main.local.to(roomsAllowed(message.stream, message.read)).emit(message.name, envelope);
    if (message.read === null) this.publicOutputs.local.to(message.stream).emit(message.name, envelope);
    this.delivered.set(message.stream, Math.max(this.delivered.get(message.stream) ?? 0, message.seq));
    if (this.deliveryObservers.length) {
      const ms = Date.now() - Date.parse(message.at);
      for (const observe of this.deliveryObservers) observe(ms, message.name);
    }
  }

  /** `observe(ms, name)` after each live event is written to this instance's sockets; `ms` runs from its log row's createdAt (the database clock when the writing transaction began). */
  observeDeliveries(observe: (ms: number, name: string) => void) {
    this.deliveryObservers.push(observe);
  }

  /** After the channel was down: deliver from the log what each locally followed stream missed. */
  async resync(): Promise<void> {
    const streams = new Set<string>();
    for (const nsp of [this.main, this.publicOutputs]) for (const room of nsp.adapter.rooms.keys()) if (isStreamRoom(room)) streams.add(room);
    for (const stream of streams) {
      const since = this.delivered.get(stream) ?? 0;
      const missed = await readMissedEvents(this.ctx.prisma, stream, since, this.ctx.config.limits.realtime.replayMax);
      if (missed.refetch) {
        for (const nsp of [this.main, this.publicOutputs]) nsp.local.to(stream).emit('refetch', { stream, seq: missed.head });
        this.delivered.set(stream, missed.head);
        continue;
      }
      for (const e of missed.events)
        await this.deliver({ t: 'e', id: '0', stream, seq: e.seq, name: e.name, groupId: '', read: e.read, at: e.at, data: e.data });
    }
  }

  private followedHere(stream: string): boolean {
    return (this.main.adapter.rooms.get(stream)?.size ?? 0) > 0 || (this.publicOutputs.adapter.rooms.get(stream)?.size ?? 0) > 0;
  }

  private localSockets(nsp: Namespace, room: string): Socket[] {
    return [...(nsp.adapter.rooms.get(room) ?? [])].map((id) => nsp.sockets.get(id)).filter((s): s is Socket => !!s);
  }

  private applyControl(control: Control) {
    switch (control.type) {
      case 'sessions_revoked':
        // A server-side disconnect: the client does not reconnect on its own (it is signed out).
        this.main.local.in(control.sessionIds.map(sessionRoom)).disconnectSockets(true);
        return;
      case 'access_changed':
        for (const socket of this.localSockets(this.main, userRoom(control.userId))) this.refreshAccess(socket, control.groupId, control.role);
        return;
      case 'group_visibility':
        if (control.visibility === 'PUBLIC_OUTPUTS') return;
        for (const nsp of [this.main, this.publicOutputs]) {
          for (const socket of this.localSockets(nsp, `public:${control.groupId}`)) {
            this.unfollow(socket, `public:${control.groupId}`, { code: 'group_not_public', message: 'This group no longer publishes its outputs.' });
          }
        }
    }
  }

  /** A member's role changed or they left the group: move or drop each of their follows in it, at once. */
  private refreshAccess(socket: Socket, groupId: string, role: string | null) {
    const data = socket.data as FollowerData;
    for (const [stream, follow] of Object.entries(data.follows)) {
      if (follow.groupId !== groupId || follow.audience === 'operator' || follow.audience === 'public') continue;
      const audience = role ? (role.toLowerCase() as Audience) : null;
      if (!audience || !audienceMayRead(audience, follow.requires)) {
        this.unfollow(socket, stream, { code: 'access_revoked', message: 'You may no longer follow this; your membership changed.' });
        continue;
      }
      void socket.leave(audienceRoom(stream, follow.audience));
      void socket.join(audienceRoom(stream, audience));
      follow.audience = audience;
      this.presence.touch(stream);
    }
  }

  // ---- following ------------------------------------------------------------------------------

  async follow(socket: Socket, target: StreamTarget, since: number | null): Promise<SubscribeAck> {
    const data = socket.data as FollowerData;
    let user = null;
    if (data.sessionId) {
      user = await loadSessionUser(this.ctx, data.sessionId);
      if (!user) {
        setImmediate(() => socket.disconnect(true));
        throw AppError.unauthorized('Your session has ended; sign in again.');
      }
      data.name = user.name;
    }
    const follow = await authorizeFollow(this.ctx, user, target, this.documents);
    const { stream, audience } = follow;
    const max = this.ctx.config.limits.realtime.replayMax;

    let cursor = since;
    let replayed = 0;
    let refetch = false;
    for (let round = 0; ; round++) {
      const missed = await readMissedEvents(this.ctx.prisma, stream, cursor, max);
      if (missed.refetch || round === MAX_CATCH_UP_ROUNDS) {
        refetch = true;
        cursor = missed.head;
      } else {
        for (const e of missed.events) {
          if (audienceMayRead(audience, e.read)) {
            socket.emit(e.name, { stream, seq: e.seq, at: e.at, data: e.data } satisfies Envelope);
            replayed++;
          }
        }
        cursor = Math.max(cursor ?? 0, missed.head, missed.events.at(-1)?.seq ?? 0);
      }
      // No await between this check and the join: whatever this instance delivers from now on
      // reaches the socket, and nothing after `cursor` was delivered before it.
      if (refetch || (this.delivered.get(stream) ?? 0) <= cursor) break;
    }
    if (!socket.connected) return { ok: false, code: 'disconnected', message: 'The connection closed while subscribing.' };
    const previous = data.follows[stream];
    if (previous && previous.audience !== audience) void socket.leave(audienceRoom(stream, previous.audience));
    void socket.join([stream, audienceRoom(stream, audience)]);
    data.follows[stream] = { groupId: follow.ref.groupId, audience, requires: follow.requires };
    if (!this.delivered.has(stream)) this.delivered.set(stream, cursor);
    if (data.userId && audience !== 'public') this.presence.touch(stream);
    return { ok: true, stream, seq: cursor, replayed, refetch };
  }

  unfollow(socket: Socket, stream: string, notice?: { code: string; message: string }): boolean {
    const data = socket.data as FollowerData;
    const follow = data.follows[stream];
    if (!follow) return false;
    void socket.leave(stream);
    void socket.leave(audienceRoom(stream, follow.audience));
    delete data.follows[stream];
    if (notice) socket.emit('unsubscribed', { stream, ...wordedFor(socket, notice) });
    if (data.userId && follow.audience !== 'public') this.presence.touch(stream);
    return true;
  }

  /**
   * Sessions end without an event too (idle timeout, absolute expiry), and a revocation may have
   * been sent while this instance's listener was down: close the sockets of every session that is
   * no longer live. Run periodically by the plugin.
   */
  async sweepSessions(): Promise<number> {
    const ids = [...new Set([...this.main.sockets.values()].map((s) => (s.data as FollowerData).sessionId).filter((id): id is string => !!id))];
    const ended: string[] = [];
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      const live = await this.ctx.prisma.session.findMany({ where: { id: { in: chunk } } });
      const active = new Set(live.filter((s) => isSessionActive(s, this.ctx)).map((s) => s.id));
      ended.push(...chunk.filter((id) => !active.has(id)));
    }
    if (ended.length) this.main.local.in(ended.map(sessionRoom)).disconnectSockets(true);
    return ended.length;
  }

  /** A socket went away: the lists it was on change. */
  left(data: FollowerData) {
    if (!data.userId) return;
    for (const [stream, follow] of Object.entries(data.follows ?? {})) if (follow.audience !== 'public') this.presence.touch(stream);
  }
}
