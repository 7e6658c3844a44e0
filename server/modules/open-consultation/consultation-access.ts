// Who is looking at an open period, and what they may do there. A period's openness decides who
// besides the members takes part: MEMBERS (nobody else), INVITED_ORGANISATIONS (the contacts of
// its liaisons, through their personal links) or ANYONE (whoever verifies an address). A period
// an outside caller may not take part in is a 404, as a group they are not in is: its existence
// is not theirs to learn.
import type { CommentPeriod, Document, Group, OutsideParticipant, Role, User } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import type { Ctx } from '../../lib/use-case.ts';

/** The caller's kind, from the period's point of view. */
export type CallerKind = 'anonymous' | 'outsider' | 'participant' | 'liaison_contact' | 'member' | 'operator';

export interface ConsultationAccess {
  period: CommentPeriod & { document: Document & { group: Group } };
  user: User | null;
  role: Role | null;
  participant: OutsideParticipant | null;
  kind: CallerKind;
}

/** The public page of a period open to others (the client's route), where outside people take part. */
export const consultationPath = (periodId: string) => `/consult/${periodId}`;

const PERIOD_NOT_FOUND = () => AppError.notFound('That consultation', 'open_consultation_not_found');

export async function loadConsultationAccess(ctx: Ctx, periodId: string, user: User | null): Promise<ConsultationAccess> {
  const period = await ctx.prisma.commentPeriod.findUnique({ where: { id: periodId }, include: { document: { include: { group: true } } } });
  if (!period) throw PERIOD_NOT_FOUND();
  const [membership, participant] = user
    ? await Promise.all([
        ctx.prisma.membership.findUnique({ where: { groupId_userId: { groupId: period.document.groupId, userId: user.id } }, select: { role: true } }),
        ctx.prisma.outsideParticipant.findUnique({ where: { periodId_userId: { periodId, userId: user.id } } }),
      ])
    : [null, null];
  const role = membership?.role ?? null;
  const kind: CallerKind = !user
    ? 'anonymous'
    : role
      ? 'member'
      : user.isOperator
        ? 'operator'
        : participant?.liaisonContactId
          ? 'liaison_contact'
          : participant
            ? 'participant'
            : 'outsider';
  const access = { period, user, role, participant, kind };
  if (!mayRead(access)) throw PERIOD_NOT_FOUND();
  return access;
}

/** Members and the operator read every period; others only what its openness lets them into. */
function mayRead(a: ConsultationAccess): boolean {
  if (a.kind === 'member' || a.kind === 'operator') return true;
  if (a.period.openness === 'ANYONE') return true;
  if (a.period.openness === 'INVITED_ORGANISATIONS') return a.kind === 'liaison_contact';
  return false;
}

/** The outside participant who may comment here, or the reason they may not (401, 409). */
export function requireParticipant(a: ConsultationAccess): { user: User; participant: OutsideParticipant } {
  if (!a.user) throw AppError.unauthorized('Verify your e-mail address with the link we send you before you comment.');
  if (a.kind === 'member' || a.kind === 'operator') {
    throw AppError.conflict(
      'consultation_member_comments_in_group',
      "You are a member of this group: comment from the document's page in the group, not through the public consultation.",
    );
  }
  if (!a.participant || a.participant.anonymisedAt) {
    throw AppError.conflict('participant_profile_required', 'Tell us your name, stakeholder group and whether your name may be published before you comment.');
  }
  return { user: a.user, participant: a.participant };
}

/** 409 unless the period accepts comments now (the database's clock, as for members' comments). */
export async function requireOpenWindow(ctx: Ctx, period: CommentPeriod): Promise<Date> {
  const [{ now }] = await ctx.prisma.$queryRaw<[{ now: Date }]>`SELECT now() AS now`;
  if (now < period.opensAt) {
    throw AppError.conflict(
      'consultation_not_open_yet',
      `This consultation opens on ${period.opensAt.toISOString()} (UTC); comments are not accepted before.`,
      {
        opensAt: period.opensAt.toISOString(),
      },
    );
  }
  if (now >= period.closesAt) {
    throw AppError.conflict(
      'open_consultation_closed',
      `This consultation closed on ${period.closesAt.toISOString()} (UTC); comments are no longer accepted.`,
      {
        closesAt: period.closesAt.toISOString(),
      },
    );
  }
  return now;
}
