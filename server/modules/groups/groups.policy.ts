// Who may do what in a group. Three steps, as everywhere: authenticate (401), scope by
// membership (a group you may not see is a 404), then the role policy below (403).
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import type { Group, Role, User } from '../../generated/prisma/client.ts';

export type GroupAction =
  | 'group.read' | 'group.update'
  | 'members.read' | 'members.readEmails' | 'members.invite' | 'members.manage'
  | 'milestones.manage' | 'audit.read' | 'digests.manage';

const ALLOWED: Record<GroupAction, readonly Role[]> = {
  'group.read': ['CONVENER', 'EDITOR', 'PARTICIPANT', 'OBSERVER'],
  'members.read': ['CONVENER', 'EDITOR', 'PARTICIPANT', 'OBSERVER'],
  'group.update': ['CONVENER'],
  // Conveners invited these people by address and manage them; nobody else sees addresses.
  'members.readEmails': ['CONVENER'],
  'members.invite': ['CONVENER'],
  'members.manage': ['CONVENER'],
  'milestones.manage': ['CONVENER'],
  'audit.read': ['CONVENER'],
  // Reminder timing of the group's digests; per-recipient delivery status (addresses are PII).
  'digests.manage': ['CONVENER'],
};

export interface GroupAccess {
  group: Group;
  user: User;
  /** The user's role in the group; null for an operator who is not a member. */
  role: Role | null;
}

/** The roles a member needs for `action` (the operator may do everything). */
export const rolesAllowed = (action: GroupAction): readonly Role[] => ALLOWED[action];

export function can(access: GroupAccess, action: GroupAction): boolean {
  if (access.user.isOperator) return true;
  return access.role !== null && ALLOWED[action].includes(access.role);
}

export function authorize(access: GroupAccess, action: GroupAction, message = 'Your role in this group does not allow that.'): void {
  if (!can(access, action)) throw AppError.forbidden(message);
}

export const abilities = (access: GroupAccess) =>
  Object.fromEntries((Object.keys(ALLOWED) as GroupAction[]).map((a) => [a, can(access, a)])) as Record<GroupAction, boolean>;

/** Loads a group the user may see: members and the operator; anyone else gets a 404. */
export async function loadGroupAccess(ctx: Ctx, slug: string, user: User): Promise<GroupAccess> {
  const group = await ctx.prisma.group.findUnique({
    where: { slug },
    include: { memberships: { where: { userId: user.id }, select: { role: true } } },
  });
  const role = group?.memberships[0]?.role ?? null;
  if (!group || (role === null && !user.isOperator)) throw AppError.notFound('That group', 'group_not_found');
  const { memberships: _omit, ...plain } = group;
  return { group: plain, user, role };
}
