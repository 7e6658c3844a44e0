// A convener opens a period to others (or closes it to them again), chooses how outside comments
// are moderated, and sets the questions respondents are asked.
import type { CommentOpenness, ConsultationQuestionKind, OutsideModeration } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { transact, type Ctx, type Tx } from '../../lib/use-case.ts';
import { authorize, type GroupAccess } from '../groups/groups.policy.ts';

export interface QuestionInput {
  prompt: string;
  kind: ConsultationQuestionKind;
  choices: string[];
  required: boolean;
}

export interface OpennessInput {
  openness: CommentOpenness;
  outsideModeration: OutsideModeration;
  publishMemberComments: boolean;
  consultationIntro: string;
  questions?: QuestionInput[] | undefined;
}

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'periods.openness_changed': { groupId: string; documentId: string; periodId: string; openness: string };
  }
}

export async function configureOpenness(ctx: Ctx, input: { access: GroupAccess; documentId: string; periodId: string; settings: OpennessInput }) {
  authorize(input.access, 'outside.configure');
  const period = await ctx.prisma.commentPeriod.findFirst({
    where: { id: input.periodId, documentId: input.documentId, document: { groupId: input.access.group.id } },
    include: { questions: { orderBy: { position: 'asc' } } },
  });
  if (!period) throw AppError.notFound('That comment period', 'period_not_found');
  const s = input.settings;
  s.questions?.forEach((q, i) => {
    const field = `body.questions.${i}.choices`;
    if (q.kind === 'FREE_TEXT' && q.choices.length) throw AppError.badRequest('question_invalid', `${field}: a free-text question has no options.`, { field });
    if (q.kind !== 'FREE_TEXT' && q.choices.length < 2)
      throw AppError.badRequest('question_invalid', `${field}: a choice question needs at least two options.`, { field });
  });
  return transact(ctx, async (tx, emit) => {
    if (s.questions) {
      // Answers point at their questions' options by position: once anyone answered, the questions stay as they were asked.
      if (await questionsAnswered(tx, period.id))
        throw AppError.conflict('questions_answered', 'Respondents have already answered these questions; they can no longer be changed.');
      await tx.consultationQuestion.deleteMany({ where: { periodId: period.id } });
      await tx.consultationQuestion.createMany({ data: s.questions.map((q, position) => ({ ...q, periodId: period.id, position })) });
    }
    const updated = await tx.commentPeriod.update({
      where: { id: period.id },
      data: {
        openness: s.openness,
        outsideModeration: s.outsideModeration,
        publishMemberComments: s.publishMemberComments,
        consultationIntro: s.consultationIntro,
      },
      include: { questions: { orderBy: { position: 'asc' } } },
    });
    await recordAudit(tx, {
      actorId: input.access.user.id,
      groupId: input.access.group.id,
      action: 'periods.openness_changed',
      entityType: 'comment_period',
      entityId: period.id,
      before: { openness: period.openness, outsideModeration: period.outsideModeration, questions: period.questions.length },
      after: { openness: s.openness, outsideModeration: s.outsideModeration, questions: updated.questions.length },
    });
    emit('periods.openness_changed', { groupId: input.access.group.id, documentId: period.documentId, periodId: period.id, openness: s.openness });
    return updated;
  });
}

/** Whether anyone answered the period's questions (from then on they stay as they were asked). */
export async function questionsAnswered(db: Pick<Tx, 'questionAnswer'>, periodId: string): Promise<boolean> {
  return (await db.questionAnswer.findFirst({ where: { question: { periodId } }, select: { id: true } })) !== null;
}
