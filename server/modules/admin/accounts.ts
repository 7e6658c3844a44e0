// The operator's view of accounts: every account, and revoking an account's sessions.
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import type { User } from '../../generated/prisma/client.ts';
import { revokeSessions } from '../auth/sessions.ts';

export async function listAccounts(ctx: Ctx) {
  return ctx.prisma.user.findMany({ orderBy: { name: 'asc' } });
}

/** Revokes the named sessions of an account (all of them when none are named); audited. */
export async function revokeAccountSessions(ctx: Ctx, input: { operator: User; userId: string; sessionIds?: string[] | undefined }) {
  const user = await ctx.prisma.user.findUnique({ where: { id: input.userId } });
  if (!user) throw AppError.notFound('That user', 'user_not_found');
  return revokeSessions(ctx, { actorId: input.operator.id, userId: user.id, sessionIds: input.sessionIds, reason: 'admin.sessions_revoked' });
}
