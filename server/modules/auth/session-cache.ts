// A short-lived, in-process cache of live sessions, so that an authenticated request does not
// cost a database round trip (the request path is bound by round trips, bench/comments.bench.ts).
//
// Revocation must still take effect at once on every instance, so the cache is only trusted
// while it hears every revocation:
//   - revokeSessions evicts locally, in the request that signs out, before answering;
//   - every instance evicts when `auth.signed_out` arrives on the realtime channel (NOTIFY, in
//     commit order) — but another instance's backend may hand it over a few ms later than ours,
//     so before answering, the signing-out request also asks every other instance it knows
//     (socket.io's server-side emit with acknowledgements) to evict, and waits for their answers;
//   - while that channel is down (a revocation could be missed) the cache is emptied and bypassed;
//   - an entry lives at most TTL_MS, whatever happens; idle and absolute expiry are checked
//     against the cached times at every use, and lastSeenAt is still written once a minute.
//
// Entries are keyed by the cookie's value itself, held in memory no longer than the requests that
// carry it: a cached request then computes no HMAC (the database keeps only hashes, so a leaked
// table replays nothing; that is unchanged). OpenSSL 3's HMAC set-up per call was about a tenth of
// the comment POST's throughput.
import type { Ctx } from '../../lib/use-case.ts';
import type { Session, User } from '../../generated/prisma/client.ts';

const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;
/** How long a sign-out waits for its own instance to hear the revocation on the channel. */
const CONFIRM_TIMEOUT_MS = 2_000;

interface Entry {
  session: Session;
  user: User;
  cachedAt: number;
}

export class SessionCache {
  private readonly byToken = new Map<string, Entry>();
  private readonly tokenById = new Map<string, string>();
  /** Session ids revoked here whose channel message has not been heard yet → resolvers. */
  private readonly awaiting = new Map<string, Array<() => void>>();
  private live = false;
  /** Asks every other instance to evict and resolves when they all answered (set by the realtime plugin). */
  private confirmer: ((sessionIds: string[]) => Promise<void>) | null = null;
  /**
   * Bumped by every eviction. A session read from the database is cached only if no eviction
   * happened since the read began: a revocation committed during the read must not be undone
   * by caching what the read saw before it.
   */
  generation = 0;

  /** Trusted only while the revocation channel is listening (the realtime plugin says so). */
  setListening(listening: boolean) {
    this.live = listening;
    if (!listening) this.clear();
  }

  get enabled() {
    return this.live;
  }

  setConfirmer(confirm: ((sessionIds: string[]) => Promise<void>) | null) {
    this.confirmer = confirm;
  }

  get(token: string, now = Date.now()): Entry | null {
    if (!this.live) return null;
    const entry = this.byToken.get(token);
    if (!entry) return null;
    if (now - entry.cachedAt > TTL_MS) {
      this.drop(token, entry.session.id);
      return null;
    }
    return entry;
  }

  /** `readAt`: the generation when the database read began. */
  set(token: string, session: Session, user: User, readAt: number, now = Date.now()) {
    if (!this.live || readAt !== this.generation) return;
    if (this.byToken.size >= MAX_ENTRIES) this.clear();
    this.byToken.set(token, { session, user, cachedAt: now });
    this.tokenById.set(session.id, token);
  }

  /** Revoked sessions leave the cache (locally at sign-out, and when the channel says so). */
  evict(sessionIds: readonly string[]) {
    this.generation++;
    for (const id of sessionIds) {
      const token = this.tokenById.get(id);
      if (token) this.drop(token, id);
    }
  }

  /**
   * The user's profile changed: their sessions are read again here. (Other instances may show the
   * former name for at most TTL_MS; nothing about access depends on it.)
   */
  evictUser(userId: string) {
    const ids: string[] = [];
    for (const entry of this.byToken.values()) if (entry.user.id === userId) ids.push(entry.session.id);
    this.evict(ids);
  }

  /** The channel's `auth.signed_out` reached this instance. */
  heard(sessionIds: readonly string[]) {
    this.evict(sessionIds);
    for (const id of sessionIds) {
      for (const resolve of this.awaiting.get(id) ?? []) resolve();
      this.awaiting.delete(id);
    }
  }

  /**
   * Resolves when this instance has heard the revocation of `sessionIds` on the channel (or at
   * once when the channel is down: then no instance's cache is trusted). Call it before the
   * transaction commits, so the message cannot arrive first.
   */
  expectRevocation(sessionIds: readonly string[]): () => Promise<void> {
    if (!this.live || !sessionIds.length) return async () => {};
    const heard = sessionIds.map((id) => new Promise<void>((resolve) => this.awaiting.set(id, [...(this.awaiting.get(id) ?? []), resolve])));
    const confirmer = this.confirmer;
    return async () => {
      let timer: NodeJS.Timeout | undefined;
      const everywhere = confirmer ? confirmer([...sessionIds]).catch(() => {}) : Promise.resolve();
      await Promise.race([
        Promise.all([...heard, everywhere]),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CONFIRM_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
      for (const id of sessionIds) this.awaiting.delete(id);
    };
  }

  clear() {
    this.generation++;
    this.byToken.clear();
    this.tokenById.clear();
  }

  private drop(token: string, id: string) {
    this.byToken.delete(token);
    this.tokenById.delete(id);
  }
}

// One cache per app (its Ctx): apps in one process (tests of two instances) never share one.
const caches = new WeakMap<Ctx, SessionCache>();
export function sessionCacheOf(ctx: Ctx): SessionCache {
  let cache = caches.get(ctx);
  if (!cache) {
    cache = new SessionCache();
    caches.set(ctx, cache);
  }
  return cache;
}
