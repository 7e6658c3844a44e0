// The review queue of a period's outside comments: approve (the comment enters the group's comment
// set) or reject as spam / off-topic / other, with the reason kept. A rejected comment is never
// published; an approved one cannot be rejected later (it may already have a disposition).
import type { OutsideComment, OutsideCommentState, OutsideRejectionReason } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { transact, type Ctx } from '../../lib/use-case.ts';
import { authorize, type GroupAccess } from '../groups/groups.policy.ts';
import { publishOutsideComment } from './outside-participation.ts';

async function loadPeriod(ctx: Ctx, access: GroupAccess, documentId: string, periodId: string) {
  const period = await ctx.prisma.commentPeriod.findFirst({
    where: { id: periodId, documentId, document: { groupId: access.group.id } },
    include: { document: { include: { group: true } } },
  });
  if (!period) throw AppError.notFound('That comment period', 'period_not_found');
  return period;
}

export const QUEUE_PAGE = 50;

/** One page of the queue, oldest first (ids are time-ordered UUIDv7), with the respondents' addresses (moderators are conveners). */
export async function listModerationQueue(
  ctx: Ctx,
  input: { access: GroupAccess; documentId: string; periodId: string; state: OutsideCommentState; after?: string | undefined; limit: number },
) {
  authorize(input.access, 'outside.readQueue');
  const period = await loadPeriod(ctx, input.access, input.documentId, input.periodId);
  const where = { periodId: period.id, state: input.state, withdrawnAt: null };
  const [items, total] = await Promise.all([
    ctx.prisma.outsideComment.findMany({
      where: input.after ? { ...where, id: { gt: input.after } } : where,
      orderBy: { id: 'asc' },
      take: input.limit,
      include: { participant: { include: { user: { select: { email: true } } } } },
    }),
    ctx.prisma.outsideComment.count({ where }),
  ]);
  return { items, total, period };
}

export async function moderateOutsideComment(
  ctx: Ctx,
  input: {
    access: GroupAccess;
    documentId: string;
    periodId: string;
    outsideCommentId: string;
    decision: 'approve' | 'reject';
    reason?: OutsideRejectionReason | undefined;
    note: string;
  },
) {
  authorize(input.access, 'outside.moderate');
  const period = await loadPeriod(ctx, input.access, input.documentId, input.periodId);
  if (input.decision === 'reject' && !input.reason) {
    throw AppError.badRequest('rejection_reason_required', 'Say why the comment is rejected: spam, off-topic or other.', { field: 'body.reason' });
  }
  return transact(ctx, async (tx, emit) => {
    // Locked, so two moderators deciding at once cannot both act on it.
    const [row] = await tx.$queryRaw<
      { id: string }[]
    >`SELECT id FROM "OutsideComment" WHERE id = ${input.outsideCommentId}::uuid AND "periodId" = ${period.id}::uuid FOR UPDATE`;
    if (!row) throw AppError.notFound('That outside comment', 'outside_comment_not_found');
    const submitted = await tx.outsideComment.findUniqueOrThrow({ where: { id: row.id }, include: { participant: true } });
    if (submitted.withdrawnAt) throw AppError.conflict('outside_comment_withdrawn', 'The respondent withdrew this comment; there is nothing to moderate.');
    if (submitted.state !== 'PENDING') {
      throw AppError.conflict('outside_comment_moderated', `This comment was already ${submitted.state === 'PUBLISHED' ? 'published' : 'rejected'}.`, {
        state: submitted.state,
      });
    }
    const moderated = { moderatedById: input.access.user.id, moderatedAt: new Date(), moderationNote: input.note };
    let result: OutsideComment;
    if (input.decision === 'approve') {
      if (!submitted.participant.userId)
        throw AppError.conflict('participant_anonymised', 'The respondent was anonymised before approval; the comment can only be rejected.');
      await tx.outsideComment.update({ where: { id: submitted.id }, data: moderated });
      result = await publishOutsideComment(tx, emit, { access: { period }, submitted, authorId: submitted.participant.userId });
    } else {
      result = await tx.outsideComment.update({ where: { id: submitted.id }, data: { ...moderated, state: 'REJECTED', rejectionReason: input.reason! } });
    }
    await recordAudit(tx, {
      actorId: input.access.user.id,
      groupId: input.access.group.id,
      action: input.decision === 'approve' ? 'outside_comments.approved' : 'outside_comments.rejected',
      entityType: 'outside_comment',
      entityId: submitted.id,
      before: { state: submitted.state },
      after: { state: result.state, reason: input.reason ?? null, note: input.note },
    });
    return result;
  });
}
