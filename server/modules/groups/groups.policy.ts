// Who may do what in a group. Three steps, as everywhere: authenticate (401), scope by
// membership (a group you may not see is a 404), then the role policy (403). The group's own
// actions are below; each module declares its own in its `<domain>.policy.ts`, and this file
// gathers them for what spans modules: the abilities sent with the group and the realtime read
// permissions. (Adjudication keeps its separate table: the operator may read but never decide.)
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { definePolicy, type Policy } from '../../lib/policy.ts';
import { Prisma, type Group, type Role, type User } from '../../generated/prisma/client.ts';
import { auditPolicy, type AuditAction } from '../audit/audit.policy.ts';
import { commentPolicy, type CommentAction } from '../comments/comments.policy.ts';
import { digestPolicy, type DigestAction } from '../digests/digests.policy.ts';
import { periodPolicy, type PeriodAction } from '../periods/periods.policy.ts';
import { revisionPolicy, type RevisionAction } from '../revisions/revisions.policy.ts';
import { outsidePolicy, type OutsideAction } from '../open-consultation/open-consultation.policy.ts';

type GroupOwnAction = 'group.read' | 'group.update' | 'members.read' | 'members.readEmails' | 'members.invite' | 'members.manage' | 'milestones.manage';

export const groupPolicy = definePolicy<GroupOwnAction>({
  allowed: {
    'group.read': ['CONVENER', 'EDITOR', 'PARTICIPANT', 'OBSERVER'],
    'members.read': ['CONVENER', 'EDITOR', 'PARTICIPANT', 'OBSERVER'],
    'group.update': ['CONVENER'],
    // Conveners invited these people by address and manage them; nobody else sees addresses.
    'members.readEmails': ['CONVENER'],
    'members.invite': ['CONVENER'],
    'members.manage': ['CONVENER'],
    'milestones.manage': ['CONVENER'],
  },
});

/** Every action on a group and its content, whichever module declares it. */
export type GroupAction = GroupOwnAction | AuditAction | DigestAction | RevisionAction | PeriodAction | CommentAction | OutsideAction;

const POLICIES = [groupPolicy, auditPolicy, digestPolicy, revisionPolicy, periodPolicy, commentPolicy, outsidePolicy] as Policy<string>[];
const OWNER = new Map<string, Policy<string>>(POLICIES.flatMap((p) => p.actions.map((a) => [a, p] as const)));
const policyOf = (action: GroupAction) => OWNER.get(action)!;

export interface GroupAccess {
  group: Group;
  user: User;
  /** The user's role in the group; null for an operator who is not a member. */
  role: Role | null;
}

/** The roles a member needs for `action` (the operator may do everything). */
export const rolesAllowed = (action: GroupAction): readonly Role[] => policyOf(action).allowed[action]!;

export const can = (access: GroupAccess, action: GroupAction): boolean => policyOf(action).can(access, action);

/** 403 with the declaring module's sentence for `action` (or `message`) unless the access allows it. */
export function authorize(access: GroupAccess, action: GroupAction, message?: string): void {
  policyOf(action).authorize(access, action, message);
}

export const abilities = (access: GroupAccess) => Object.assign({}, ...POLICIES.map((p) => p.abilities(access))) as Record<GroupAction, boolean>;

/** The group's columns (alias g) and the user's role (alias m), for one-statement loaders that join more. */
export const GROUP_ACCESS_COLUMNS = Prisma.sql`g.id, g.slug, g.name, g.acronym, g."termsOfReference", g."parentBodies", g."mailingList", g."timeZone",
           g.visibility::text AS visibility, g."createdAt", g."updatedAt", m.role::text AS "memberRole", g.languages`;

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
