// Who reaches a consultation: members of its group and the operator, as for everything in a
// group, and also the focal points of its invited Administrations, who are usually not members
// (a Member State's delegate answers a study group's circular). Anyone else gets a 404, as for a
// group they may not see. One statement: group, membership, consultation and focal point joined.
import { AppError } from '../../lib/app-error.ts';
import type { Ctx } from '../../lib/use-case.ts';
import { Prisma, type Consultation, type Group, type Role, type User } from '../../generated/prisma/client.ts';
import { GROUP_ACCESS_COLUMNS, type GroupAccess } from '../groups/groups.policy.ts';
import { consultationPolicy, type ConsultationAction } from './consultations.policy.ts';

export interface ConsultationAccess extends GroupAccess {
  consultation: Consultation;
  /** The Administration the user answers for in this consultation (a focal point), else null. */
  administrationId: string | null;
  /** The database clock when access was checked. */
  now: Date;
}

type Row = Group & {
  memberRole: Role | null;
  consultation: Consultation & { deadline: string | Date; issuedOn: string | Date; createdAt: string | Date; updatedAt: string | Date };
  administrationId: string | null;
  dbNow: Date;
};

export async function loadConsultationAccess(ctx: Ctx, slug: string, consultationId: string, user: User): Promise<ConsultationAccess> {
  const rows = await ctx.prisma.$queryRaw<Row[]>(Prisma.sql`
    SELECT ${GROUP_ACCESS_COLUMNS}, to_jsonb(c) AS consultation, fp."administrationId", now() AS "dbNow"
    FROM "Group" g
    JOIN "Consultation" c ON c."groupId" = g.id AND c.id = ${consultationId}::uuid
    LEFT JOIN "Membership" m ON m."groupId" = g.id AND m."userId" = ${user.id}::uuid
    LEFT JOIN "ConsultationFocalPoint" fp ON fp."consultationId" = c.id AND fp."userId" = ${user.id}::uuid
    WHERE g.slug = ${slug}`);
  const row = rows[0];
  if (!row || (row.memberRole === null && !user.isOperator && row.administrationId === null)) {
    throw AppError.notFound('That consultation', 'consultation_not_found');
  }
  const { memberRole, consultation: c, administrationId, dbNow, ...group } = row;
  return {
    group,
    user,
    role: memberRole,
    administrationId,
    now: dbNow,
    consultation: {
      ...c,
      deadline: new Date(c.deadline),
      issuedOn: new Date(c.issuedOn),
      createdAt: new Date(c.createdAt),
      updatedAt: new Date(c.updatedAt),
    },
  };
}

export const isClosed = (access: ConsultationAccess) => access.now.getTime() >= access.consultation.deadline.getTime();

/** Focal points read the circular they answer and, after the deadline, its result. */
export function canConsultation(access: ConsultationAccess, action: ConsultationAction): boolean {
  if (consultationPolicy.can(access, action)) return true;
  if (access.administrationId === null) return false;
  return action === 'consultations.read' || (action === 'consultations.readResults' && isClosed(access));
}

export function authorizeConsultation(access: ConsultationAccess, action: ConsultationAction): void {
  if (canConsultation(access, action)) return;
  consultationPolicy.authorize({ ...access, user: { isOperator: false }, role: null }, action);
}
