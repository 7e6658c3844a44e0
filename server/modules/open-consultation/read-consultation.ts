// The public consultation page's data: the draft clause by clause, the questions, how to take part,
// the published comments (outside ones with the attribution their authors agreed to; the members'
// only where the period publishes them), and what the caller has done here. Nothing else of the group.
import type { ConsultationAccess } from './consultation-access.ts';
import type { Ctx } from '../../lib/use-case.ts';

export async function readConsultation(ctx: Ctx, access: ConsultationAccess) {
  const { period } = access;
  const [revision, questions, published, memberComments, mine, answers, liaisons, clock] = await Promise.all([
    ctx.prisma.revision.findUniqueOrThrow({
      where: { id: period.revisionId },
      select: { sequence: true, label: true, clauses: { orderBy: { position: 'asc' }, select: { id: true, number: true, heading: true, html: true } } },
    }),
    ctx.prisma.consultationQuestion.findMany({ where: { periodId: period.id }, orderBy: { position: 'asc' } }),
    ctx.prisma.outsideComment.findMany({
      where: { periodId: period.id, state: 'PUBLISHED', withdrawnAt: null },
      orderBy: { id: 'asc' },
      take: 500,
      include: { participant: true, comment: { select: { bodyHtml: true, createdAt: true } } },
    }),
    period.publishMemberComments
      ? ctx.prisma.comment.findMany({
          where: { revisionId: period.revisionId, parentId: null, status: 'OPEN', outside: null },
          orderBy: { createdAt: 'asc' },
          take: 500,
          include: { author: { select: { name: true, affiliation: true } } },
        })
      : Promise.resolve([]),
    access.participant
      ? ctx.prisma.outsideComment.findMany({
          where: { participantId: access.participant.id },
          orderBy: { id: 'asc' },
          include: { comment: { select: { disposition: true } } },
        })
      : Promise.resolve([]),
    access.participant ? ctx.prisma.questionAnswer.findMany({ where: { participantId: access.participant.id } }) : Promise.resolve([]),
    access.participant?.liaisonContactId
      ? ctx.prisma.liaison.findMany({
          where: { periodId: period.id, bodies: { some: { contacts: { some: { id: access.participant.liaisonContactId } } } } },
          select: { id: true, title: true, purpose: true, text: true, deadline: true },
        })
      : Promise.resolve([]),
    ctx.prisma.$queryRaw<[{ now: Date }]>`SELECT now() AS now`,
  ]);
  return { period, revision, questions, published, memberComments, mine, answers, liaisons, now: clock[0].now };
}
export type ConsultationView = Awaited<ReturnType<typeof readConsultation>>;
