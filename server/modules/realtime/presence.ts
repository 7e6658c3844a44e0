// Who is viewing a stream now: every follower socket on every instance (the adapter's
// fetchSockets), one entry per person with their name and role. Recomputed shortly after someone
// comes or goes — coalesced per stream, so a crowd arriving at once costs a few broadcasts, not one each.
import type { FastifyBaseLogger } from 'fastify';
import type { Namespace } from 'socket.io';
import type { FollowerData } from './realtime-hub.ts';

export interface Viewer {
  userId: string;
  name: string;
  role: string;
}
export interface PresenceList {
  stream: string;
  count: number;
  viewers: Viewer[];
}

export class Presence {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly nsp: Namespace;
  private readonly max: number;
  private readonly log: FastifyBaseLogger;
  private readonly delayMs: number;

  constructor(nsp: Namespace, max: number, log: FastifyBaseLogger, delayMs = 50) {
    this.nsp = nsp;
    this.max = max;
    this.log = log;
    this.delayMs = delayMs;
  }

  /** Someone came or went (or changed role): send the new list soon. */
  touch(stream: string) {
    if (this.timers.has(stream)) return;
    this.timers.set(
      stream,
      setTimeout(() => {
        this.timers.delete(stream);
        void this.broadcast(stream);
      }, this.delayMs),
    );
  }

  async list(stream: string): Promise<PresenceList> {
    const sockets = await this.nsp.in(stream).timeout(3_000).fetchSockets();
    const people = new Map<string, Viewer>();
    for (const s of sockets) {
      const data = s.data as FollowerData;
      const follow = data.follows?.[stream];
      // Followers of public outputs are not listed: that would show members' names to outsiders.
      if (!data.userId || !follow || follow.audience === 'public' || people.has(data.userId)) continue;
      people.set(data.userId, { userId: data.userId, name: data.name ?? '', role: follow.audience });
    }
    const viewers = [...people.values()].sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
    return { stream, count: viewers.length, viewers: viewers.slice(0, this.max) };
  }

  private async broadcast(stream: string) {
    try {
      this.nsp.to(stream).emit('presence', await this.list(stream));
    } catch (err) {
      // An instance that does not answer in time (crashed, partitioned): try again later rather than show a wrong list.
      this.log.warn({ err, stream }, 'presence could not be computed');
    }
  }

  close() {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
