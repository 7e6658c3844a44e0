// Reading consultations: the group's list, the circular with its drafts and invitees (and, for a
// focal point, their Administration's answers), a focal point's own consultations, and the
// tally: progress (who has answered) for the secretariat before the deadline, the counts, the
// outcome against the threshold and the gathered reasons for everyone who reads it after.
import type { Ctx } from '../../lib/use-case.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { lower } from '../../lib/enum-case.ts';
import { authorizeConsultation, canConsultation, isClosed, type ConsultationAccess } from './consultation-access.ts';
import { consultationPolicy } from './consultations.policy.ts';
import { answerInclude, presentAnswer, presentConsultationSummary } from './consultations.presenter.ts';
import { tallyDraft } from './tally.ts';

const dbNow = async (ctx: Ctx) => (await ctx.prisma.$queryRaw<{ now: Date }[]>`SELECT now() AS now`)[0]!.now;

export async function listConsultations(ctx: Ctx, input: { access: GroupAccess }) {
  consultationPolicy.authorize(input.access, 'consultations.read');
  const [rows, now] = await Promise.all([
    ctx.prisma.consultation.findMany({ where: { groupId: input.access.group.id }, orderBy: { deadline: 'desc' } }),
    dbNow(ctx),
  ]);
  return rows.map((c) => presentConsultationSummary(c, input.access.group, now));
}

/** The open consultations the user answers for, in every group (their home screen's list). */
export async function myConsultations(ctx: Ctx, input: { userId: string }) {
  const [rows, now] = await Promise.all([
    ctx.prisma.consultationFocalPoint.findMany({
      where: { userId: input.userId },
      include: { consultation: { include: { group: { select: { slug: true, acronym: true, name: true } } } } },
      orderBy: { consultation: { deadline: 'asc' } },
    }),
    dbNow(ctx),
  ]);
  return rows.map((r) => presentConsultationSummary(r.consultation, r.consultation.group, now));
}

export async function readConsultation(ctx: Ctx, input: { access: ConsultationAccess }) {
  const { access } = input;
  authorizeConsultation(access, 'consultations.read');
  const manage = canConsultation(access, 'consultations.manage');
  const id = access.consultation.id;
  const [drafts, invitees, mine] = await Promise.all([
    ctx.prisma.consultationDraft.findMany({
      where: { consultationId: id },
      orderBy: { position: 'asc' },
      include: { workItem: true, _count: { select: { answers: true } } },
    }),
    ctx.prisma.consultationInvitee.findMany({
      where: { consultationId: id },
      include: { administration: true, focalPoints: { include: { user: { select: { id: true, name: true, email: true } } }, orderBy: { createdAt: 'asc' } } },
      orderBy: { administration: { name: 'asc' } },
    }),
    access.administrationId
      ? Promise.all([
          ctx.prisma.administration.findUniqueOrThrow({ where: { id: access.administrationId } }),
          ctx.prisma.consultationAnswer.findMany({ where: { consultationId: id, administrationId: access.administrationId }, include: answerInclude }),
        ])
      : null,
  ]);
  return {
    ...presentConsultationSummary(access.consultation, access.group, access.now),
    ruleText: access.consultation.ruleText,
    now: access.now.toISOString(),
    drafts: drafts.map((d) => ({
      id: d.id,
      workItemId: d.workItemId,
      acronym: d.workItem.acronym,
      number: d.workItem.number,
      title: d.workItem.title,
      summary: d.workItem.summary,
      // How many answered is progress: the secretariat's, or everyone's after the deadline.
      answers: canConsultation(access, isClosed(access) ? 'consultations.readResults' : 'consultations.readProgress') ? d._count.answers : 0,
    })),
    invitees: invitees.map((i) => ({
      id: i.administration.id,
      code: i.administration.code,
      name: i.administration.name,
      focalPoints: i.focalPoints.map((f) => ({ id: f.user.id, name: f.user.name, ...(manage ? { email: f.user.email } : {}) })),
    })),
    mine: mine ? { administration: { id: mine[0].id, code: mine[0].code, name: mine[0].name }, answers: mine[1].map(presentAnswer) } : null,
    abilities: {
      manage,
      answer: access.administrationId !== null && !isClosed(access),
      readProgress: canConsultation(access, 'consultations.readProgress'),
      readResults: isClosed(access) && canConsultation(access, 'consultations.readResults'),
    },
  };
}

interface TallyRow {
  draftId: string;
  replies: number;
  inSupport: number;
}
interface AnsweredRow {
  draftId: string;
  id: string;
  code: string;
  name: string;
  answeredAt: Date;
  position: 'ASSIGNS_AUTHORITY' | 'DOES_NOT_ASSIGN_AUTHORITY';
  option: 'NO_COMMENTS' | 'COMMENTS_ATTACHED' | null;
  text: string;
}

/** The tally: counted by the database in one statement, the answering Administrations in a second. */
export async function readTally(ctx: Ctx, input: { access: ConsultationAccess }) {
  const { access } = input;
  const closed = isClosed(access);
  authorizeConsultation(access, closed ? 'consultations.readResults' : 'consultations.readProgress');
  const c = access.consultation;
  const [drafts, counts, answered, notAnswered, invited] = await Promise.all([
    ctx.prisma.consultationDraft.findMany({
      where: { consultationId: c.id },
      orderBy: { position: 'asc' },
      include: { workItem: { select: { acronym: true, number: true, title: true } } },
    }),
    ctx.prisma.$queryRaw<TallyRow[]>`
      SELECT "draftId", count(*)::int AS replies, count(*) FILTER (WHERE position = 'ASSIGNS_AUTHORITY')::int AS "inSupport"
      FROM "ConsultationAnswer" WHERE "consultationId" = ${c.id}::uuid GROUP BY "draftId"`,
    ctx.prisma.$queryRaw<AnsweredRow[]>`
      SELECT a."draftId", ad.id, ad.code, ad.name, a."answeredAt", a.position::text AS position, a.option::text AS option, a.text
      FROM "ConsultationAnswer" a JOIN "Administration" ad ON ad.id = a."administrationId"
      WHERE a."consultationId" = ${c.id}::uuid ORDER BY ad.name`,
    ctx.prisma.$queryRaw<{ id: string; code: string; name: string }[]>`
      SELECT ad.id, ad.code, ad.name FROM "ConsultationInvitee" i JOIN "Administration" ad ON ad.id = i."administrationId"
      WHERE i."consultationId" = ${c.id}::uuid
        AND (SELECT count(*) FROM "ConsultationAnswer" a WHERE a."consultationId" = i."consultationId" AND a."administrationId" = i."administrationId")
            < (SELECT count(*) FROM "ConsultationDraft" d WHERE d."consultationId" = i."consultationId")
      ORDER BY ad.name`,
    ctx.prisma.consultationInvitee.count({ where: { consultationId: c.id } }),
  ]);
  const countOf = new Map(counts.map((r) => [r.draftId, r]));
  const answeredOf = Map.groupBy(answered, (r) => r.draftId);
  return {
    consultation: presentConsultationSummary(c, access.group, access.now),
    invited,
    announced: closed,
    rows: drafts.map((d) => {
      const n = countOf.get(d.id);
      const t = tallyDraft(d.id, n?.inSupport ?? 0, n?.replies ?? 0, c.thresholdPercent, closed);
      const rows = answeredOf.get(d.id) ?? [];
      return {
        draftId: d.id,
        acronym: d.workItem.acronym,
        number: d.workItem.number,
        title: d.workItem.title,
        replies: t.replies,
        // Before the deadline, who has answered but not how: the outcome is not announced early.
        inSupport: closed ? t.inSupport : null,
        notInSupport: closed ? t.notInSupport : null,
        percentInSupport: closed ? t.percentInSupport : null,
        outcome: t.outcome,
        answered: rows.map((r) => ({ id: r.id, code: r.code, name: r.name, answeredAt: r.answeredAt.toISOString() })),
        // Reasons (and attached comments) gathered for the study group, once announced.
        reasons: closed
          ? rows
              .filter((r) => r.text)
              .map((r) => ({ administration: r.name, position: lower(r.position), option: r.option ? lower(r.option) : null, text: r.text }))
          : [],
      };
    }),
    notAnswered,
  };
}

export type Tally = Awaited<ReturnType<typeof readTally>>;
