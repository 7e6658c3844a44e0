// Who may do what in a group. Three steps, as everywhere: authenticate (401), scope by
// membership (a group you may not see is a 404), then the role policy below (403).
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { Prisma, type Group, type Role, type User } from '../../generated/prisma/client.ts';

export type GroupAction =
  | 'group.read' | 'group.update'
  | 'members.read' | 'members.readEmails' | 'members.invite' | 'members.manage'
  | 'milestones.manage' | 'audit.read' | 'digests.manage'
  | 'documents.read' | 'documents.create' | 'revisions.post'
  | 'periods.manage' | 'comments.read' | 'comments.create' | 'comments.replyAnyTime';

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
  'documents.read': ['CONVENER', 'EDITOR', 'PARTICIPANT', 'OBSERVER'],
  'documents.create': ['CONVENER', 'EDITOR'],
  // Editors prepare revisions for the conveners (DOMAIN.md); conveners post them too.
  'revisions.post': ['CONVENER', 'EDITOR'],
  // Opening, closing and extending comment periods is the conveners' act.
  'periods.manage': ['CONVENER'],
  'comments.read': ['CONVENER', 'EDITOR', 'PARTICIPANT', 'OBSERVER'],
  // Observers read, never write.
  'comments.create': ['CONVENER', 'EDITOR', 'PARTICIPANT'],
  // Conveners answer commenters in threads after the deadline (adjudication in consultation).
  'comments.replyAnyTime': ['CONVENER'],
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

/** The group's columns (alias g) and the user's role (alias m), for one-statement loaders that join more. */
export const GROUP_ACCESS_COLUMNS = Prisma.sql`g.id, g.slug, g.name, g.acronym, g."termsOfReference", g."parentBodies", g."mailingList", g."timeZone",
           g.visibility::text AS visibility, g."createdAt", g."updatedAt", m.role::text AS "memberRole"`;

/** The access a row with GROUP_ACCESS_COLUMNS gives: members and the operator; anyone else gets a 404. */
export function toGroupAccess(row: (Group & { memberRole: Role | null }) | undefined, user: User): GroupAccess {
  const role = row?.memberRole ?? null;
  if (!row || (role === null && !user.isOperator)) throw AppError.notFound('That group', 'group_not_found');
  const { memberRole: _omit, ...group } = row;
  return { group, user, role };
}

/**
 * Loads a group the user may see: members and the operator; anyone else gets a 404. One
 * statement (group and the user's membership joined): it runs on nearly every request.
 */
export async function loadGroupAccess(ctx: Ctx, slug: string, user: User): Promise<GroupAccess> {
  const rows = await ctx.prisma.$queryRaw<Array<Group & { memberRole: Role | null }>>`
    SELECT ${GROUP_ACCESS_COLUMNS}
    FROM "Group" g LEFT JOIN "Membership" m ON m."groupId" = g.id AND m."userId" = ${user.id}::uuid
    WHERE g.slug = ${slug}`;
  return toGroupAccess(rows[0], user);
}
