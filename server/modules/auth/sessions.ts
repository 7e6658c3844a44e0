// Signing out: this session, one of my sessions, all of them; and the operator's revocation.
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { transact } from '../../lib/use-case.ts';
import { isSessionActive } from './session.ts';
import { sessionCacheOf } from './session-cache.ts';

export async function listSessions(ctx: Ctx, userId: string) {
  const sessions = await ctx.prisma.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { lastSeenAt: 'desc' },
  });
  return sessions.filter((s) => isSessionActive(s, ctx));
}

/**
 * Revokes sessions of `userId` (all, or those listed); returns the ids revoked. Returns once this
 * instance's session cache has dropped them and has heard the revocation on the channel that
 * empties every instance's cache (session-cache.ts).
 */
export async function revokeSessions(ctx: Ctx, input: { actorId: string; userId: string; sessionIds?: string[]; reason: string }) {
  const cache = sessionCacheOf(ctx);
  let heard = async () => {};
  const ids = await transact(ctx, async (tx, emit) => {
    const targets = await tx.session.findMany({
      where: { userId: input.userId, revokedAt: null, ...(input.sessionIds ? { id: { in: input.sessionIds } } : {}) },
      select: { id: true },
    });
    if (input.sessionIds && targets.length === 0) throw AppError.notFound('That session');
    const ids = targets.map((t) => t.id);
    await tx.session.updateMany({ where: { id: { in: ids } }, data: { revokedAt: new Date() } });
    await recordAudit(tx, { actorId: input.actorId, action: input.reason, entityType: 'user', entityId: input.userId, after: { revokedSessionIds: ids } });
    emit('auth.signed_out', { userId: input.userId, sessionIds: ids });
    heard = cache.expectRevocation(ids);
    return ids;
  });
  cache.evict(ids);
  await heard();
  return ids;
}
