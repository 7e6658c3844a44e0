// May this follower read that stream? Checked at every subscribe, against the database (a role
// changed a second ago counts). Anything a user may not see reads as not found, as over HTTP.
import { AppError } from '../../lib/app-error.ts';
import type { Ctx } from '../../lib/use-case.ts';
import type { User } from '../../generated/prisma/client.ts';
import { isSessionActive } from '../auth/session.ts';
import type { Audience, DocumentResolver, ReadPermission, StreamKind, StreamRef } from './realtime.registry.ts';
import { audienceMayRead, streamKey } from './realtime.registry.ts';

export interface StreamTarget {
  kind: StreamKind;
  id: string;
}

export interface Follow {
  stream: string;
  ref: StreamRef;
  audience: Audience;
  requires: ReadPermission;
}

/** The user behind a socket's session, re-read so a revoked or expired session stops here; null when no longer valid. */
export async function loadSessionUser(ctx: Ctx, sessionId: string): Promise<User | null> {
  const session = await ctx.prisma.session.findUnique({ where: { id: sessionId }, include: { user: true } });
  return session && isSessionActive(session, ctx) ? session.user : null;
}

async function audienceInGroup(ctx: Ctx, groupId: string, user: User): Promise<Audience | null> {
  if (user.isOperator) return 'operator';
  const membership = await ctx.prisma.membership.findUnique({ where: { groupId_userId: { groupId, userId: user.id } }, select: { role: true } });
  return membership ? (membership.role.toLowerCase() as Audience) : null;
}

export async function authorizeFollow(ctx: Ctx, user: User | null, target: StreamTarget, documents: DocumentResolver | null): Promise<Follow> {
  if (target.kind === 'public') {
    const group = await ctx.prisma.group.findUnique({ where: { slug: target.id }, select: { id: true, visibility: true } });
    if (group?.visibility !== 'PUBLIC_OUTPUTS') throw AppError.notFound('That public group', 'group_not_found');
    const ref: StreamRef = { kind: 'public', id: group.id, groupId: group.id };
    return { stream: streamKey(ref), ref, audience: 'public', requires: 'public' };
  }
  if (!user) throw AppError.unauthorized('Sign in to follow a group or a document.');

  if (target.kind === 'group') {
    const group = await ctx.prisma.group.findUnique({ where: { slug: target.id }, select: { id: true } });
    const audience = group ? await audienceInGroup(ctx, group.id, user) : null;
    if (!group || !audience) throw AppError.notFound('That group', 'group_not_found');
    const ref: StreamRef = { kind: 'group', id: group.id, groupId: group.id };
    return { stream: streamKey(ref), ref, audience, requires: 'group.read' };
  }

  const located = documents ? await documents(ctx.prisma, target.id) : null;
  const audience = located ? await audienceInGroup(ctx, located.groupId, user) : null;
  const requires = located?.readAction ?? 'group.read';
  if (!located || !audience || !audienceMayRead(audience, requires)) throw AppError.notFound('That document', 'document_not_found');
  const ref: StreamRef = { kind: 'document', id: target.id, groupId: located.groupId };
  return { stream: streamKey(ref), ref, audience, requires };
}
