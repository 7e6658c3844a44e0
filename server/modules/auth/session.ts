// Server-side sessions. The cookie holds a random id; PostgreSQL holds its HMAC, the user, a
// CSRF token, and the idle/absolute expiry. A new id is issued at every sign-in.
import type { Ctx, Tx } from '../../lib/use-case.ts';
import { hashToken, randomToken } from '../../lib/tokens.ts';
import type { Session, User } from '../../generated/prisma/client.ts';

export const SESSION_COOKIE = '__Host-convene_session';
/** lastSeenAt is refreshed at most this often, so reads do not turn into writes. */
const TOUCH_EVERY_MS = 60_000;

export interface Authenticated { session: Session; user: User }

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
  email: string; name: string; affiliation: string; locale: string; isOperator: boolean; userCreatedAt: Date; userUpdatedAt: Date;
}

/**
 * The live session behind a cookie value, or null when unknown, revoked, idle too long or expired.
 * Every authenticated request runs this: one statement joining the user (Prisma's include would
 * be two round trips; profiling showed the request path bound by database round trips).
 */
export async function resolveSession(ctx: Ctx, token: string): Promise<Authenticated | null> {
  const rows = await ctx.prisma.$queryRaw<SessionUserRow[]>`
    SELECT s.id, s."tokenHash", s."userId", s."csrfToken", s."userAgent", s.ip, s."createdAt", s."lastSeenAt", s."expiresAt", s."revokedAt",
           u.email, u.name, u.affiliation, u.locale, u."isOperator", u."createdAt" AS "userCreatedAt", u."updatedAt" AS "userUpdatedAt"
    FROM "Session" s JOIN "User" u ON u.id = s."userId"
    WHERE s."tokenHash" = ${hashToken(ctx.config.sessionSecret, token)}`;
  const found = rows[0];
  if (!found || found.revokedAt) return null;
  const now = Date.now();
  if (found.expiresAt.getTime() <= now) return null;
  if (found.lastSeenAt.getTime() + ctx.config.sessionIdleMs <= now) return null;
  if (now - found.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await ctx.prisma.session.update({ where: { id: found.id }, data: { lastSeenAt: new Date(now) } });
  }
  const { email, name, affiliation, locale, isOperator, userCreatedAt, userUpdatedAt, ...session } = found;
  const user: User = { id: found.userId, email, name, affiliation, locale, isOperator, createdAt: userCreatedAt, updatedAt: userUpdatedAt };
  return { session, user };
}

export const isSessionActive = (s: Session, ctx: Ctx, now = Date.now()) =>
  !s.revokedAt && s.expiresAt.getTime() > now && s.lastSeenAt.getTime() + ctx.config.sessionIdleMs > now;
