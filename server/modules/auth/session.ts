// Server-side sessions. The cookie holds a random id; PostgreSQL holds its HMAC, the user, a
// CSRF token, and the idle/absolute expiry. A new id is issued at every sign-in.
import type { Ctx, Tx } from '../../lib/use-case.ts';
import { hashToken, randomToken } from '../../lib/tokens.ts';
import type { Session, User } from '../../generated/prisma/client.ts';
import { sessionCacheOf } from './session-cache.ts';

export const SESSION_COOKIE = '__Host-convene_session';
/** lastSeenAt is refreshed at most this often, so reads do not turn into writes. */
const TOUCH_EVERY_MS = 60_000;

export interface Authenticated {
  session: Session;
  user: User;
}

export async function createSession(ctx: Ctx, tx: Tx, input: { userId: string; ip: string; userAgent: string }) {
  const token = randomToken();
  const session = await tx.session.create({
    data: {
      tokenHash: hashToken(ctx.config.sessionSecret, token),
      userId: input.userId,
      csrfToken: randomToken(24),
      ip: input.ip,
      userAgent: input.userAgent.slice(0, 300),
      expiresAt: new Date(Date.now() + ctx.config.sessionAbsoluteMs),
    },
  });
  return { token, session };
}

interface SessionUserRow extends Session {
  email: string;
  name: string;
  affiliation: string;
  locale: string;
  isOperator: boolean;
  userCreatedAt: Date;
  userUpdatedAt: Date;
  anonymisedAt: Date | null;
}

/**
 * The live session behind a cookie value, or null when unknown, revoked, idle too long or expired.
 * Every authenticated request runs this: usually from the session cache (session-cache.ts: a few
 * seconds, emptied by every revocation on every instance), else one statement joining the user
 * (Prisma's include would be two round trips; the request path is bound by database round trips).
 */
export async function resolveSession(ctx: Ctx, token: string): Promise<Authenticated | null> {
  const cache = sessionCacheOf(ctx);
  const now = Date.now();
  let found = cache.get(token, now);
  if (!found) {
    const readAt = cache.generation;
    const loaded = await loadSession(ctx, hashToken(ctx.config.sessionSecret, token));
    if (!loaded) return null;
    found = { ...loaded, cachedAt: now };
    if (isSessionActive(loaded.session, ctx, now)) cache.set(token, loaded.session, loaded.user, readAt, now);
  }
  const { session, user } = found;
  if (!isSessionActive(session, ctx, now)) return null;
  if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await ctx.prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date(now) } });
    session.lastSeenAt = new Date(now); // the cached entry too: idle expiry counts from here
  }
  return { session: { ...session }, user };
}

async function loadSession(ctx: Ctx, tokenHash: string): Promise<Authenticated | null> {
  const rows = await ctx.prisma.$queryRaw<SessionUserRow[]>`
    SELECT s.id, s."tokenHash", s."userId", s."csrfToken", s."userAgent", s.ip, s."createdAt", s."lastSeenAt", s."expiresAt", s."revokedAt",
           u.email, u.name, u.affiliation, u.locale, u."isOperator", u."createdAt" AS "userCreatedAt", u."updatedAt" AS "userUpdatedAt", u."anonymisedAt"
    FROM "Session" s JOIN "User" u ON u.id = s."userId"
    WHERE s."tokenHash" = ${tokenHash}`;
  const found = rows[0];
  if (!found) return null;
  const { email, name, affiliation, locale, isOperator, userCreatedAt, userUpdatedAt, anonymisedAt, ...session } = found;
  const user: User = { id: found.userId, email, name, affiliation, locale, isOperator, createdAt: userCreatedAt, updatedAt: userUpdatedAt, anonymisedAt };
  return { session, user };
}

export const isSessionActive = (s: Session, ctx: Ctx, now = Date.now()) =>
  !s.revokedAt && s.expiresAt.getTime() > now && s.lastSeenAt.getTime() + ctx.config.sessionIdleMs > now;
