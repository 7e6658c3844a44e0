// Creating and editing groups. The operator creates groups and appoints their conveners.
import type { Ctx, Tx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { transact } from '../../lib/use-case.ts';
import type { Role, User } from '../../generated/prisma/client.ts';
import type { z } from 'zod';
import type { CreateGroupBody, UpdateGroupBody } from './groups.schemas.ts';
import { groupPolicy, type GroupAccess } from './groups.policy.ts';

type CreateGroupInput = z.output<typeof CreateGroupBody>;
type UpdateGroupInput = z.output<typeof UpdateGroupBody>;

/** Finds or creates the account for an address (name defaults to the address's local part). */
export async function ensureUser(tx: Tx, input: { email: string; name?: string; affiliation?: string }): Promise<{ user: User; created: boolean }> {
  const existing = await tx.user.findUnique({ where: { email: input.email } });
  if (existing) return { user: existing, created: false };
  const user = await tx.user.create({
    data: { email: input.email, name: input.name?.trim() || input.email.split('@')[0]!, affiliation: input.affiliation?.trim() ?? '' },
  });
  return { user, created: true };
}

export async function createGroup(ctx: Ctx, input: { actor: User; data: CreateGroupInput }) {
  const { conveners, ...fields } = input.data;
  return transact(ctx, async (tx, emit) => {
    if (await tx.group.findUnique({ where: { slug: fields.slug } })) {
      throw AppError.conflict('group_slug_taken', `A group named "${fields.slug}" already exists; choose another URL name.`);
    }
    const group = await tx.group.create({ data: fields });
    await recordAudit(tx, { actorId: input.actor.id, groupId: group.id, action: 'groups.created', entityType: 'group', entityId: group.id, after: group });
    for (const c of conveners) {
      const { user } = await ensureUser(tx, c);
      const membership = await tx.membership.create({ data: { groupId: group.id, userId: user.id, role: 'CONVENER' as Role, invitedById: input.actor.id } });
      await recordAudit(tx, {
        actorId: input.actor.id,
        groupId: group.id,
        action: 'members.added',
        entityType: 'membership',
        entityId: membership.id,
        after: { userId: user.id, role: 'convener' },
      });
    }
    emit('groups.created', { groupId: group.id });
    return group;
  });
}

export async function updateGroup(ctx: Ctx, input: { access: GroupAccess; data: UpdateGroupInput }) {
  groupPolicy.authorize(input.access, 'group.update');
  const {
    group: { id: groupId },
    user: actor,
  } = input.access;
  return transact(ctx, async (tx, emit) => {
    const before = await tx.group.findUniqueOrThrow({ where: { id: groupId } });
    const group = await tx.group.update({
      where: { id: groupId },
      data: input.data,
    });
    await recordAudit(tx, { actorId: actor.id, groupId: group.id, action: 'groups.updated', entityType: 'group', entityId: group.id, before, after: group });
    emit('groups.updated', { groupId: group.id });
    return group;
  });
}

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'groups.created': { groupId: string };
    'groups.updated': { groupId: string };
  }
}
