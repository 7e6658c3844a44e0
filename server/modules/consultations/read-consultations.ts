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
import { listAttachments, presentAttachment } from './consultation-attachments.ts';

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
  const [drafts, invitees, mine, attachments] = await Promise.all([
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
    listAttachments(ctx, access),
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
    attachments: attachments.map(presentAttachment),
    abilities: {
      manage,
      answer: access.administrationId !== null && !isClosed(access),
      readProgress: canConsultation(access, 'consultations.readProgress'),
      readResults: isClosed(access) && canConsultation(access, 'consultations.readResults'),
    },
  };
}

interface AnsweredRow {
  id: string;
  code: string;
  name: string;
  answeredAt: string;
  position: 'ASSIGNS_AUTHORITY' | 'DOES_NOT_ASSIGN_AUTHORITY';
  option: 'NO_COMMENTS' | 'COMMENTS_ATTACHED' | null;
  text: string;
}
interface TallyData {
  invited: number;
  drafts: { id: string; acronym: string; number: string | null; title: string; replies: number; inSupport: number; answered: AnsweredRow[] }[];
  notAnswered: { id: string; code: string; name: string }[];
}

/**
 * Counted and gathered by the database in one statement that returns its JSON as text: a closed
 * consultation of the whole Union is a thousand answers, and one round trip with one parse keeps
 * the results page within its budget (bench/consultation-tally.bench.ts).
 */
async function tallyData(ctx: Ctx, consultationId: string): Promise<TallyData> {
  const [row] = await ctx.prisma.$queryRaw<{ tally: string }[]>`
    WITH d AS (
      SELECT cd.id, cd.position, w.acronym, w.number, w.title
      FROM "ConsultationDraft" cd JOIN "WorkItem" w ON w.id = cd."workItemId"
      WHERE cd."consultationId" = ${consultationId}::uuid
    ), a AS (
      SELECT a."draftId", a."administrationId", a.position::text AS position, a.option::text AS option, a.text,
             to_char(a."answeredAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "answeredAt", ad.code, ad.name
      FROM "ConsultationAnswer" a JOIN "Administration" ad ON ad.id = a."administrationId"
      WHERE a."consultationId" = ${consultationId}::uuid
    ), per_admin AS (
      SELECT "administrationId", count(*) AS n FROM a GROUP BY 1
    )
    SELECT json_build_object(
      'invited', (SELECT count(*) FROM "ConsultationInvitee" WHERE "consultationId" = ${consultationId}::uuid),
      'drafts', (
        SELECT coalesce(json_agg(json_build_object(
          'id', d.id, 'acronym', d.acronym, 'number', d.number, 'title', d.title,
          'replies', coalesce(x.replies, 0), 'inSupport', coalesce(x."inSupport", 0), 'answered', coalesce(x.answered, '[]'::json)
        ) ORDER BY d.position), '[]'::json)
        FROM d LEFT JOIN LATERAL (
          SELECT count(*) AS replies, count(*) FILTER (WHERE a.position = 'ASSIGNS_AUTHORITY') AS "inSupport",
                 json_agg(json_build_object('id', a."administrationId", 'code', a.code, 'name', a.name, 'answeredAt', a."answeredAt",
                                            'position', a.position, 'option', a.option, 'text', a.text) ORDER BY a.name) AS answered
          FROM a WHERE a."draftId" = d.id
        ) x ON true
      ),
      'notAnswered', (
        SELECT coalesce(json_agg(json_build_object('id', ad.id, 'code', ad.code, 'name', ad.name) ORDER BY ad.name), '[]'::json)
        FROM "ConsultationInvitee" i
        JOIN "Administration" ad ON ad.id = i."administrationId"
        LEFT JOIN per_admin p ON p."administrationId" = i."administrationId"
        WHERE i."consultationId" = ${consultationId}::uuid AND coalesce(p.n, 0) < (SELECT count(*) FROM d)
      )
    )::text AS tally`;
  return JSON.parse(row!.tally) as TallyData;
}

/** The tally: progress for the secretariat before the deadline, counts, outcome and reasons after it. */
export async function readTally(ctx: Ctx, input: { access: ConsultationAccess }) {
  const { access } = input;
  const closed = isClosed(access);
  authorizeConsultation(access, closed ? 'consultations.readResults' : 'consultations.readProgress');
  const c = access.consultation;
  const data = await tallyData(ctx, c.id);
  return {
    consultation: presentConsultationSummary(c, access.group, access.now),
    invited: data.invited,
    announced: closed,
    rows: data.drafts.map((d) => {
      const t = tallyDraft(d.id, d.inSupport, d.replies, c.thresholdPercent, closed);
      return {
        draftId: d.id,
        acronym: d.acronym,
        number: d.number,
        title: d.title,
        replies: t.replies,
        // Before the deadline, who has answered but not how: the outcome is not announced early.
        inSupport: closed ? t.inSupport : null,
        notInSupport: closed ? t.notInSupport : null,
        percentInSupport: closed ? t.percentInSupport : null,
        outcome: t.outcome,
        answered: d.answered.map((r) => ({ id: r.id, code: r.code, name: r.name, answeredAt: r.answeredAt })),
        // Reasons (and attached comments) gathered for the study group, once announced.
        reasons: closed
          ? d.answered
              .filter((r) => r.text)
              .map((r) => ({ administration: r.name, position: lower(r.position), option: r.option ? lower(r.option) : null, text: r.text }))
          : [],
      };
    }),
    notAnswered: data.notAnswered,
  };
}

export type Tally = Awaited<ReturnType<typeof readTally>>;
