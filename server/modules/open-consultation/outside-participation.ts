// What an outside person does in an open period: verify an address (a sign-in link of the auth
// module, purpose CONSULTATION: the account, with no membership, is made when the link is used),
// state who they are, comment on clauses, answer the group's questions, withdraw a comment before
// the deadline, and have their identity anonymised. Limits per address and per IP are counted in
// PostgreSQL (lib/rate-limit.ts), so every instance meets the same ones.
import countries from 'i18n-iso-countries';
import type { CommentType, OutsideComment, OutsideParticipant, StakeholderGroup, WorldRegion } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { hitRateLimit, type Limit } from '../../lib/rate-limit.ts';
import { transact, type Ctx, type Tx } from '../../lib/use-case.ts';
import type { EmitFn } from '../../lib/domain-events.ts';
import { negotiateLocale } from '../../lib/i18n.ts';
import { queueMail } from '../../plugins/mail-queue.ts';
import { createSignInToken } from '../auth/sign-in.ts';
import { checkCommentBody, checkQuote, renderCommentBody } from '../comments/comment-text.ts';
import { consultationPath, requireOpenWindow, requireParticipant, type ConsultationAccess } from './consultation-access.ts';
import { attributionOf } from './attribution.ts';
import { clearOutsideProfile } from './respondent-data.ts';
import { anonymiseAccount } from '../privacy/anonymise-person.ts';
import type { PersonalDataProvider } from '../../plugins/personal-data.ts';

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'outside_comments.submitted': { groupId: string; periodId: string; outsideCommentId: string; published: boolean };
    'outside_comments.withdrawn': { groupId: string; periodId: string; outsideCommentId: string };
  }
}

async function throttle(ctx: Ctx, key: string, limit: Limit, what: string) {
  const hit = await hitRateLimit(ctx, key, limit);
  if (!hit.allowed) {
    throw AppError.tooManyRequests(`Too many ${what}; wait ${Math.ceil(hit.retryAfterSeconds / 60)} minutes and try again.`, hit.retryAfterSeconds);
  }
}

/** Mails a consultation link to `email`. The answer is the same whoever the address belongs to. */
export async function requestConsultationLink(ctx: Ctx, input: { access: ConsultationAccess; email: string; ip: string; acceptLanguage?: string }) {
  const { period } = input.access;
  // Invited organisations come in through their liaison links; only an open consultation takes addresses.
  if (period.openness !== 'ANYONE') throw AppError.notFound('That consultation', 'open_consultation_not_found');
  await throttle(ctx, `consultation-link:ip:${input.ip}`, ctx.config.limits.consultationLinksPerIp, 'links were requested from your network');
  await throttle(ctx, `consultation-link:address:${input.email}`, ctx.config.limits.consultationLinksPerAddress, 'links were requested for this address');
  await transact(ctx, async (tx, emit) => {
    const { url } = await createSignInToken(ctx, tx, { email: input.email, purpose: 'CONSULTATION', ip: input.ip, next: consultationPath(period.id) });
    await queueMail(ctx, tx, emit, {
      to: input.email,
      template: 'consultation-link',
      props: { groupName: period.document.group.name, documentTitle: period.document.title, url },
      // Someone without an account: the language of the page they asked from.
      locale: negotiateLocale(input.acceptLanguage),
    });
  });
}

export { consultationPath } from './consultation-access.ts';

export interface ParticipantProfileInput {
  name: string;
  organisation: string;
  stakeholderGroup: StakeholderGroup;
  countryCode: string | null;
  region: WorldRegion | null;
  publishName: boolean;
}

/** States (or corrects) who the caller is in this period. Members comment in the group instead. */
export async function saveParticipantProfile(ctx: Ctx, input: { access: ConsultationAccess; profile: ParticipantProfileInput }) {
  const a = input.access;
  if (!a.user) throw AppError.unauthorized('Verify your e-mail address with the link we send you first.');
  if (a.kind === 'member' || a.kind === 'operator') requireParticipant(a);
  if (a.period.openness !== 'ANYONE' && a.kind !== 'liaison_contact') throw AppError.notFound('That consultation', 'open_consultation_not_found');
  const p = input.profile;
  const countryCode = p.countryCode?.toUpperCase() ?? null;
  if (countryCode && !countries.isValid(countryCode)) {
    throw AppError.badRequest('country_unknown', `"${p.countryCode}" is not a country or economy code (ISO 3166-1, e.g. CH or KE).`, {
      field: 'body.countryCode',
    });
  }
  const user = a.user;
  return transact(ctx, async (tx) => {
    const data = { ...p, countryCode };
    // A liaison contact answers for their body: the organisation stays the body's name.
    const organisation = a.participant?.liaisonContactId ? a.participant.organisation : p.organisation;
    const participant = await tx.outsideParticipant.upsert({
      where: { periodId_userId: { periodId: a.period.id, userId: user.id } },
      create: { ...data, periodId: a.period.id, userId: user.id },
      update: { ...data, organisation },
    });
    // The account carries the published attribution, so every list of the group's comments (and the
    // disposition table) shows what the person agreed to, and nothing more.
    // (A member of another group keeps the name that group knows.)
    const shown = attributionOf(participant);
    if ((await tx.membership.count({ where: { userId: user.id } })) === 0) {
      await tx.user.update({ where: { id: user.id }, data: { name: shown.name, affiliation: shown.organisation } });
    }
    await recordAudit(tx, {
      actorId: user.id,
      groupId: a.period.document.groupId,
      action: 'outside_participants.saved',
      entityType: 'outside_participant',
      entityId: participant.id,
      after: { stakeholderGroup: p.stakeholderGroup, region: p.region, countryCode, publishName: p.publishName },
    });
    return participant;
  });
}

export interface OutsideCommentInput {
  clauseId: string | null;
  type: CommentType;
  body: string;
  proposedChange: string;
  quotedText: string | null;
}

export async function submitOutsideComment(ctx: Ctx, input: { access: ConsultationAccess; comment: OutsideCommentInput; ip: string }) {
  const a = input.access;
  const { user, participant } = requireParticipant(a);
  const c = input.comment;
  checkCommentBody(c.body, ctx.config.limits.commentBodyChars);
  checkCommentBody(c.proposedChange, ctx.config.limits.commentBodyChars);
  const clause = c.clauseId ? await ctx.prisma.clause.findFirst({ where: { id: c.clauseId, revisionId: a.period.revisionId } }) : null;
  if (c.clauseId && !clause) throw AppError.notFound('That clause of the draft under consultation', 'clause_not_found');
  let quotedText: string | null = null;
  if (c.quotedText) {
    const text = clause
      ? clause.text
      : (await ctx.prisma.clause.findMany({ where: { revisionId: a.period.revisionId }, orderBy: { position: 'asc' }, select: { text: true } }))
          .map((x) => x.text)
          .join('\n');
    quotedText = checkQuote(c.quotedText, text, clause ? `clause ${clause.number}` : 'the draft');
  }
  await throttle(ctx, `outside-comment:ip:${input.ip}`, ctx.config.limits.outsideCommentsPerIp, 'comments were sent from your network');
  await throttle(ctx, `outside-comment:address:${user.email}`, ctx.config.limits.outsideCommentsPerAddress, 'comments were sent from this address');
  await requireOpenWindow(ctx, a.period);
  const immediate = a.period.outsideModeration === 'IMMEDIATE';
  return transact(ctx, async (tx, emit) => {
    const submitted = await tx.outsideComment.create({
      data: {
        periodId: a.period.id,
        participantId: participant.id,
        clauseId: c.clauseId,
        type: c.type,
        body: c.body,
        proposedChange: c.proposedChange,
        quotedText,
        state: immediate ? 'PUBLISHED' : 'PENDING',
      },
    });
    await recordAudit(tx, {
      actorId: user.id,
      groupId: a.period.document.groupId,
      action: 'outside_comments.submitted',
      entityType: 'outside_comment',
      entityId: submitted.id,
      after: { periodId: a.period.id, clauseId: c.clauseId, type: c.type, state: submitted.state },
    });
    const published = immediate ? await publishOutsideComment(tx, emit, { access: a, submitted, authorId: user.id }) : submitted;
    emit('outside_comments.submitted', { groupId: a.period.document.groupId, periodId: a.period.id, outsideCommentId: submitted.id, published: immediate });
    return published;
  });
}

/** Enters a submission into the group's comment set: a Comment by the participant's account, then adjudicated like any other. */
export async function publishOutsideComment(
  tx: Tx,
  emit: EmitFn,
  input: { access: Pick<ConsultationAccess, 'period'>; submitted: OutsideComment; authorId: string },
) {
  const { period } = input.access;
  const s = input.submitted;
  const comment = await tx.comment.create({
    data: {
      documentId: period.documentId,
      revisionId: period.revisionId,
      clauseId: s.clauseId,
      authorId: input.authorId,
      type: s.type,
      body: s.body,
      bodyHtml: renderCommentBody(s.body),
      proposedChange: s.proposedChange,
      quotedText: s.quotedText,
    },
  });
  emit('comments.created', {
    groupId: period.document.groupId,
    documentId: period.documentId,
    revisionId: period.revisionId,
    commentId: comment.id,
    clauseId: s.clauseId,
    parentId: null,
    authorId: input.authorId,
  });
  return tx.outsideComment.update({ where: { id: s.id }, data: { commentId: comment.id, state: 'PUBLISHED' } });
}

/** Before the deadline the participant may take a comment back; a published one is withdrawn from the group's set too. */
export async function withdrawOutsideComment(ctx: Ctx, input: { access: ConsultationAccess; outsideCommentId: string }) {
  const a = input.access;
  const { user, participant } = requireParticipant(a);
  const found = await ctx.prisma.outsideComment.findFirst({ where: { id: input.outsideCommentId, participantId: participant.id } });
  if (!found) throw AppError.notFound('That comment of yours', 'outside_comment_not_found');
  if (found.withdrawnAt) throw AppError.conflict('outside_comment_withdrawn', 'You have already withdrawn this comment.');
  const now = await requireOpenWindow(ctx, a.period).catch((err: AppError) => {
    throw err.code === 'open_consultation_closed'
      ? AppError.conflict(
          'open_consultation_closed',
          'The deadline has passed: comments can no longer be withdrawn. You may still ask for your name to be removed.',
        )
      : err;
  });
  return transact(ctx, async (tx, emit) => {
    const updated = await tx.outsideComment.update({ where: { id: found.id }, data: { withdrawnAt: now } });
    if (found.commentId) {
      await tx.comment.update({ where: { id: found.commentId }, data: { status: 'WITHDRAWN', withdrawnAt: now } });
      emit('comments.withdrawn', {
        groupId: a.period.document.groupId,
        documentId: a.period.documentId,
        revisionId: a.period.revisionId,
        commentId: found.commentId,
      });
    }
    await recordAudit(tx, {
      actorId: user.id,
      groupId: a.period.document.groupId,
      action: 'outside_comments.withdrawn',
      entityType: 'outside_comment',
      entityId: found.id,
    });
    emit('outside_comments.withdrawn', { groupId: a.period.document.groupId, periodId: a.period.id, outsideCommentId: found.id });
    return updated;
  });
}

export interface AnswerInput {
  questionId: string;
  text?: string | undefined;
  choices?: number[] | undefined;
}

/** Saves the participant's answers (each replaces the earlier one to the same question) while the period is open. */
export async function saveAnswers(ctx: Ctx, input: { access: ConsultationAccess; answers: AnswerInput[] }) {
  const a = input.access;
  const { user, participant } = requireParticipant(a);
  const questions = new Map((await ctx.prisma.consultationQuestion.findMany({ where: { periodId: a.period.id } })).map((q) => [q.id, q]));
  const rows = input.answers.map((answer, i) => {
    const field = `body.answers.${i}`;
    const q = questions.get(answer.questionId);
    if (!q) throw AppError.badRequest('question_not_found', `${field}.questionId: this consultation asks no such question.`, { field: `${field}.questionId` });
    const choices = [...new Set(answer.choices ?? [])];
    if (q.kind === 'FREE_TEXT') {
      if (choices.length) throw AppError.badRequest('answer_invalid', `${field}: "${q.prompt}" is answered in words, not by choosing.`, { field });
    } else {
      if (answer.text) throw AppError.badRequest('answer_invalid', `${field}: "${q.prompt}" is answered by choosing among its options.`, { field });
      if (choices.some((x) => x < 0 || x >= q.choices.length))
        throw AppError.badRequest('answer_invalid', `${field}: a choice is not one of the options.`, { field });
      if (q.kind === 'SINGLE_CHOICE' && choices.length > 1) throw AppError.badRequest('answer_invalid', `${field}: choose one option only.`, { field });
    }
    return { questionId: q.id, text: answer.text ?? '', choices };
  });
  const now = await requireOpenWindow(ctx, a.period);
  await throttle(ctx, `outside-comment:address:${user.email}`, ctx.config.limits.outsideCommentsPerAddress, 'answers were sent from this address');
  return transact(ctx, async (tx) => {
    for (const row of rows) {
      await tx.questionAnswer.upsert({
        where: { participantId_questionId: { participantId: participant.id, questionId: row.questionId } },
        create: { participantId: participant.id, ...row, updatedAt: now },
        update: { text: row.text, choices: row.choices, updatedAt: now },
      });
    }
    await recordAudit(tx, {
      actorId: user.id,
      groupId: a.period.document.groupId,
      action: 'consultation_answers.saved',
      entityType: 'outside_participant',
      entityId: participant.id,
      after: { questions: rows.map((r) => r.questionId) },
    });
    return tx.questionAnswer.findMany({ where: { participantId: participant.id } });
  });
}

/**
 * Removes a participant's identity, keeping what they said: the profile keeps only the stakeholder
 * group and region (the analysis still counts them). When the profile is all the account holds (no
 * membership, no other consultation), the whole account is anonymised through the privacy module's
 * anonymiseAccount, the same path the operator's anonymisation takes (sessions, sign-in links,
 * mail, audit snapshots), under the name the group's record shows for the respondent; that path
 * clears this profile through the module's provider. Otherwise only this profile is cleared.
 */
export async function anonymiseParticipant(
  ctx: Ctx,
  input: { actorId: string; participant: OutsideParticipant; groupId: string; providers: readonly PersonalDataProvider[] },
) {
  const p = input.participant;
  if (p.anonymisedAt) return p;
  const account = p.userId
    ? await ctx.prisma.user.findUnique({
        where: { id: p.userId },
        include: { _count: { select: { memberships: true, outsideParticipations: true } } },
      })
    : null;
  if (account && !account.isOperator && !account.anonymisedAt && account._count.memberships === 0 && account._count.outsideParticipations === 1) {
    const { _count, ...person } = account;
    const replacementName = attributionOf({ ...p, anonymisedAt: new Date() }).name;
    await anonymiseAccount(ctx, { actorId: input.actorId, person, replacementName, keepAffiliation: false, providers: input.providers });
    return ctx.prisma.outsideParticipant.findUniqueOrThrow({ where: { id: p.id } });
  }
  return transact(ctx, (tx) => clearOutsideProfile(tx, { participant: p, actorId: input.actorId, groupId: input.groupId }));
}
