// An Administration's answer (Annex 2 of the circular): per draft, assigns authority (no
// comments / comments attached) or does not (with reasons), signed with the respondent's name and
// official role. One answer per Administration per draft, whichever focal point writes it: the
// first write inserts (expectedVersion 0) and a second focal point who read nothing gets a 409
// with the answer that won, which they may then replace (expectedVersion = its version). The
// deadline is judged by the database clock in the same transaction: late → 409, nothing stored.
import { AppError } from '../../lib/app-error.ts';
import { recordAudits } from '../../lib/audit.ts';
import { transact } from '../../lib/use-case.ts';
import type { Ctx } from '../../lib/use-case.ts';
import { uuidv7 } from '../../lib/uuid.ts';
import type { ConsultationAnswer } from '../../generated/prisma/client.ts';
import type { ConsultationAccess } from './consultation-access.ts';
import type { AnswerInputValue } from './consultations.schemas.ts';
import { answerInclude, presentAnswer } from './consultations.presenter.ts';

/** The form's rules, each a 400 naming the field (zod has checked the shapes). */
export function checkAnswers(answers: AnswerInputValue[], draftIds: ReadonlySet<string>): void {
  const seen = new Set<string>();
  answers.forEach((a, i) => {
    const at = (field: string) => `body.answers.${i}.${field}`;
    if (!draftIds.has(a.draftId)) {
      throw AppError.badRequest('draft_not_in_consultation', `${at('draftId')}: that draft is not part of this consultation.`, { field: at('draftId') });
    }
    if (seen.has(a.draftId))
      throw AppError.badRequest('invalid_request', `${at('draftId')}: each draft is answered once per submission.`, { field: at('draftId') });
    seen.add(a.draftId);
    const text = (a.text ?? '').trim();
    if (a.position === 'ASSIGNS_AUTHORITY') {
      if (!a.option) {
        throw AppError.badRequest('answer_option_required', `${at('option')}: when assigning authority, choose "no comments" or "comments attached".`, {
          field: at('option'),
        });
      }
      if (a.option === 'COMMENTS_ATTACHED' && !text) {
        throw AppError.badRequest('answer_comments_required', `${at('text')}: give the comments and suggested changes you attach.`, { field: at('text') });
      }
    } else {
      if (a.option) {
        throw AppError.badRequest('answer_option_not_applicable', `${at('option')}: the options apply only when assigning authority.`, { field: at('option') });
      }
      if (!text) {
        throw AppError.badRequest(
          'answer_reasons_required',
          `${at('text')}: an Administration that does not assign authority gives its reasons and the changes that would let the work progress.`,
          { field: at('text') },
        );
      }
    }
  });
}

const snapshot = (a: ConsultationAnswer) => ({
  position: a.position,
  option: a.option,
  text: a.text,
  signedName: a.signedName,
  signedRole: a.signedRole,
  version: a.version,
});

export async function submitAnswers(ctx: Ctx, input: { access: ConsultationAccess; answers: AnswerInputValue[]; signedName: string; signedRole: string }) {
  const { access } = input;
  const administrationId = access.administrationId;
  if (!administrationId) {
    throw AppError.forbidden('Only the focal points of an Administration invited to this consultation answer it.', 'not_focal_point');
  }
  const consultationId = access.consultation.id;
  const drafts = await ctx.prisma.consultationDraft.findMany({ where: { consultationId }, select: { id: true } });
  checkAnswers(input.answers, new Set(drafts.map((d) => d.id)));

  return transact(ctx, async (tx, emit) => {
    // FOR SHARE: answers go on side by side, while a change of drafts (FOR UPDATE) waits for them.
    const [clock] = await tx.$queryRaw<{ open: boolean }[]>`SELECT now() < deadline AS open FROM "Consultation" WHERE id = ${consultationId}::uuid FOR SHARE`;
    if (!clock?.open) throw AppError.conflict('consultation_closed', 'The deadline of this consultation has passed: answers are no longer accepted.');
    const before = await tx.consultationAnswer.findMany({ where: { consultationId, administrationId, draftId: { in: input.answers.map((a) => a.draftId) } } });
    const beforeOf = new Map(before.map((a) => [a.draftId, a]));
    const stale: string[] = [];
    for (const a of input.answers) {
      const text = (a.text ?? '').trim();
      const option = a.option ?? null;
      // Unqualified now(): the database clock, the same instant the deadline was judged by.
      const rows =
        a.expectedVersion === 0
          ? await tx.$queryRaw<{ id: string }[]>`
              INSERT INTO "ConsultationAnswer" (id, "consultationId", "draftId", "administrationId", position, option, text, "signedName", "signedRole", "answeredById", version, "answeredAt")
              VALUES (${uuidv7()}::uuid, ${consultationId}::uuid, ${a.draftId}::uuid, ${administrationId}::uuid, ${a.position}::"ConsultationPosition",
                      ${option}::"ConsultationOption", ${text}, ${input.signedName}, ${input.signedRole}, ${access.user.id}::uuid, 1, now())
              ON CONFLICT ("draftId", "administrationId") DO NOTHING
              RETURNING id`
          : await tx.$queryRaw<{ id: string }[]>`
              UPDATE "ConsultationAnswer"
              SET position = ${a.position}::"ConsultationPosition", option = ${option}::"ConsultationOption", text = ${text},
                  "signedName" = ${input.signedName}, "signedRole" = ${input.signedRole}, "answeredById" = ${access.user.id}::uuid,
                  version = version + 1, "answeredAt" = now()
              WHERE "draftId" = ${a.draftId}::uuid AND "administrationId" = ${administrationId}::uuid AND version = ${a.expectedVersion}
              RETURNING id`;
      if (!rows.length) stale.push(a.draftId);
    }
    if (stale.length) {
      // Rolled back: nothing of this submission is stored. The sender sees what won.
      const current = await ctx.prisma.consultationAnswer.findMany({ where: { administrationId, draftId: { in: stale } }, include: answerInclude });
      throw AppError.conflict(
        'answer_changed',
        'Another focal point of your Administration answered on this draft since you opened the form. Their answer is shown; you may replace it.',
        { current: current.map(presentAnswer) },
      );
    }
    const after = await tx.consultationAnswer.findMany({ where: { consultationId, administrationId, draftId: { in: input.answers.map((a) => a.draftId) } } });
    await recordAudits(
      tx,
      after.map((a) => ({
        actorId: access.user.id,
        groupId: access.group.id,
        action: beforeOf.has(a.draftId) ? 'consultations.answerReplaced' : 'consultations.answered',
        entityType: 'ConsultationAnswer',
        entityId: a.id,
        before: beforeOf.has(a.draftId) ? snapshot(beforeOf.get(a.draftId)!) : null,
        after: { ...snapshot(a), draftId: a.draftId, administrationId },
      })),
    );
    emit('consultations.answered', { groupId: access.group.id, consultationId, administrationId, draftIds: after.map((a) => a.draftId) });
    return tx.consultationAnswer.findMany({ where: { consultationId, administrationId }, include: answerInclude });
  });
}
