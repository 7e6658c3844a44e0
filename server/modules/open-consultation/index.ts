// Routes: open consultations. The public side (/api/open-periods/…) is readable without an
// account where the period is open to anyone; outside people comment after verifying an address
// (or through a liaison's personal link). The group side (conveners) sets a period's openness and
// questions, moderates, analyses and exports the responses.
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/app-error.ts';
import { mainLanguage } from '../../lib/export-language.ts';
import { errors, fileResponse, Message, sendRaw } from '../../lib/schemas.ts';
import { requireUser } from '../../plugins/authenticate.ts';
import { SESSION_COOKIE } from '../auth/session.ts';
import { loadGroupAccess } from '../groups/groups.policy.ts';
import { PeriodParams } from '../periods/periods.schemas.ts';
import { changeDisposition } from '../dispositions/change-disposition.ts';
import { useLiaisonLink } from '../liaisons/send-liaison.ts';
import { analyseResponses, exportResponsesCsv } from './analyse-responses.ts';
import { configureOpenness, questionsAnswered } from './configure-openness.ts';
import { loadConsultationAccess, requireParticipant } from './consultation-access.ts';
import { listModerationQueue, moderateOutsideComment } from './moderation.ts';
import {
  AnalysisQuery,
  AnalysisSchema,
  AnswersBody,
  ConsultationLinkBody,
  ConsultationParams,
  ConsultationSchema,
  LiaisonLinkBody,
  ModerateBody,
  ModeratedSchema,
  ModerationParams,
  MyCommentSchema,
  OpennessBody,
  OpennessSchema,
  OutsideCommentBody,
  OutsideCommentParams,
  ParticipantBody,
  ParticipantParams,
  ParticipantSchema,
  QueueQuery,
  QueueSchema,
  RespondBody,
} from './open-consultation.schemas.ts';
import { presentConsultation, presentOpenness, presentParticipant, presentQueue } from './open-consultation.presenter.ts';
import {
  anonymiseParticipant,
  requestConsultationLink,
  saveAnswers,
  saveParticipantProfile,
  submitOutsideComment,
  withdrawOutsideComment,
} from './outside-participation.ts';
import { readConsultation } from './read-consultation.ts';
import { outsideRespondentData } from './respondent-data.ts';
import { authorize } from '../groups/groups.policy.ts';

const TAGS = ['consultation'];
const LINK_SENT = 'A link to confirm your address is on its way. It is valid for 10 minutes.';

const consultationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx, config } = app;
  const consultation = (request: FastifyRequest<{ Params: { periodId: string } }>) =>
    loadConsultationAccess(ctx, request.params.periodId, request.auth?.user ?? null);
  const page = async (request: FastifyRequest<{ Params: { periodId: string } }>) => {
    const access = await consultation(request);
    return presentConsultation(access, await readConsultation(ctx, access));
  };

  // ── The public side ─────────────────────────────────────────────────────────────────────────
  app.get(
    '/api/open-periods/:periodId',
    {
      config: { session: 'optional' },
      schema: {
        tags: TAGS,
        summary: 'A consultation page: the draft clause by clause, the questions, published comments, and what I did here',
        description: 'Readable without an account when the period is open to anyone; to invited organisations through their liaison link; 404 otherwise.',
        params: ConsultationParams,
        response: { 200: ConsultationSchema, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return page(request);
    },
  );

  app.post(
    '/api/open-periods/:periodId/verify-email',
    {
      config: { csrf: false, session: 'optional' },
      schema: {
        tags: TAGS,
        summary: 'E-mail me a link to take part (public consultations)',
        description: 'Limited per address and per IP (counted in PostgreSQL). The link signs the person in to an account with no membership.',
        params: ConsultationParams,
        body: ConsultationLinkBody,
        response: { 202: Message, ...errors },
      },
    },
    async (request, reply) => {
      checkOrigin(request, config.publicUrl);
      const access = await loadConsultationAccess(ctx, request.params.periodId, null);
      await requestConsultationLink(ctx, { access, email: request.body.email, ip: request.ip, acceptLanguage: request.headers['accept-language'] });
      return reply.status(202).send({ message: LINK_SENT });
    },
  );

  app.post(
    '/api/open-periods/:periodId/liaison-link',
    {
      config: { csrf: false, session: 'optional' },
      schema: {
        tags: TAGS,
        summary: "Use a liaison contact's personal link: signs in as the body's participant",
        params: ConsultationParams,
        body: LiaisonLinkBody,
        response: { 200: z.object({ csrfToken: z.string() }), ...errors },
      },
    },
    async (request, reply) => {
      checkOrigin(request, config.publicUrl);
      const { token, session } = await useLiaisonLink(ctx, {
        periodId: request.params.periodId,
        token: request.body.token,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
      });
      setSessionCookie(reply, token, session.expiresAt);
      reply.header('cache-control', 'no-store');
      return { csrfToken: session.csrfToken };
    },
  );

  app.put(
    '/api/open-periods/:periodId/participant',
    {
      schema: {
        tags: TAGS,
        summary: 'State who I am in this consultation (name, organisation, stakeholder group, country, region, publication consent)',
        params: ConsultationParams,
        body: ParticipantBody,
        response: { 200: ParticipantSchema, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      const access = await consultation(request);
      return presentParticipant(await saveParticipantProfile(ctx, { access, profile: request.body }));
    },
  );

  app.post(
    '/api/open-periods/:periodId/comments',
    {
      schema: {
        tags: TAGS,
        summary: 'Comment on a clause of the draft (outside participants)',
        description: 'Published at once or after review, as the conveners chose for the period. Limited per address and per IP.',
        params: ConsultationParams,
        body: OutsideCommentBody,
        response: { 201: MyCommentSchema, ...errors },
      },
    },
    async (request, reply) => {
      requireUser(request);
      const access = await consultation(request);
      await submitOutsideComment(ctx, { access, comment: request.body, ip: request.ip });
      return reply.status(201).send(await myLatest(request));
    },
  );

  /** The caller's newest submission, as the page shows it. */
  const myLatest = async (request: FastifyRequest<{ Params: { periodId: string } }>, id?: string) => {
    const p = await page(request);
    const mine = id ? p.me.comments.find((c) => c.id === id) : p.me.comments.at(-1);
    if (!mine) throw AppError.notFound('That comment of yours', 'outside_comment_not_found');
    return mine;
  };

  app.post(
    '/api/open-periods/:periodId/comments/:outsideCommentId/withdraw',
    {
      schema: {
        tags: TAGS,
        summary: 'Withdraw my comment (before the deadline)',
        params: OutsideCommentParams,
        response: { 200: MyCommentSchema, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      const access = await consultation(request);
      await withdrawOutsideComment(ctx, { access, outsideCommentId: request.params.outsideCommentId });
      return myLatest(request, request.params.outsideCommentId);
    },
  );

  app.post(
    '/api/open-periods/:periodId/comments/:outsideCommentId/response',
    {
      schema: {
        tags: TAGS,
        summary: "Agree or object to the conveners' proposed disposition of my comment",
        params: OutsideCommentParams,
        body: RespondBody,
        response: { 200: MyCommentSchema, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      const access = await consultation(request);
      const { user, participant } = requireParticipant(access);
      const mine = await ctx.prisma.outsideComment.findFirst({ where: { id: request.params.outsideCommentId, participantId: participant.id } });
      if (!mine?.commentId) throw AppError.notFound('That published comment of yours', 'outside_comment_not_found');
      await changeDisposition(ctx, {
        access: { group: access.period.document.group, user, role: null },
        documentId: access.period.documentId,
        commentId: mine.commentId,
        expectedVersion: request.body.expectedVersion,
        change: { kind: 'respond', response: request.body.response, text: request.body.text },
      });
      return myLatest(request, mine.id);
    },
  );

  app.put(
    '/api/open-periods/:periodId/answers',
    {
      schema: {
        tags: TAGS,
        summary: "Answer the consultation's questions (each answer replaces my earlier one)",
        params: ConsultationParams,
        body: AnswersBody,
        response: { 200: z.object({ answers: z.array(z.object({ questionId: z.string(), text: z.string(), choices: z.array(z.number()) })) }), ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      const access = await consultation(request);
      const answers = await saveAnswers(ctx, { access, answers: request.body.answers });
      return { answers: answers.map((a) => ({ questionId: a.questionId, text: a.text, choices: a.choices })) };
    },
  );

  app.post(
    '/api/open-periods/:periodId/anonymise',
    {
      schema: {
        tags: TAGS,
        summary: 'Remove my name and address from this consultation (my comments stay, anonymised)',
        params: ConsultationParams,
        response: { 200: ParticipantSchema, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      const access = await consultation(request);
      const { user, participant } = requireParticipant(access);
      return presentParticipant(
        await anonymiseParticipant(ctx, { actorId: user.id, participant, groupId: access.period.document.groupId, providers: app.personalData.all() }),
      );
    },
  );

  // ── The group side ──────────────────────────────────────────────────────────────────────────
  const PERIOD = '/api/groups/:slug/documents/:documentId/periods/:periodId';

  app.put(
    `${PERIOD}/openness`,
    {
      schema: {
        tags: TAGS,
        summary: 'Who may comment in this period (members / invited organisations / anyone), moderation and questions (conveners)',
        params: PeriodParams,
        body: OpennessBody,
        response: { 200: OpennessSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const period = await configureOpenness(ctx, { access, documentId: request.params.documentId, periodId: request.params.periodId, settings: request.body });
      return presentOpenness(period, config.publicUrl, await questionsAnswered(ctx.prisma, period.id));
    },
  );

  app.get(
    `${PERIOD}/openness`,
    {
      schema: {
        tags: TAGS,
        summary: "A period's openness, moderation and questions (members)",
        params: PeriodParams,
        response: { 200: OpennessSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      authorize(access, 'group.read');
      const period = await ctx.prisma.commentPeriod.findFirst({
        where: { id: request.params.periodId, documentId: request.params.documentId, document: { groupId: access.group.id } },
        include: { questions: { orderBy: { position: 'asc' } } },
      });
      if (!period) throw AppError.notFound('That comment period', 'period_not_found');
      return presentOpenness(period, config.publicUrl, await questionsAnswered(ctx.prisma, period.id));
    },
  );

  app.get(
    `${PERIOD}/moderation`,
    {
      schema: {
        tags: TAGS,
        summary: 'The moderation queue of outside comments (conveners), oldest first',
        params: PeriodParams,
        querystring: QueueQuery,
        response: { 200: QueueSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const q = request.query;
      const queue = await listModerationQueue(ctx, { access, ...request.params, state: q.state, after: q.after, limit: q.limit });
      return presentQueue(queue, q.limit);
    },
  );

  app.post(
    `${PERIOD}/moderation/:outsideCommentId`,
    {
      schema: {
        tags: TAGS,
        summary: 'Approve (publish) or reject an outside comment, with the reason (conveners)',
        params: ModerationParams,
        body: ModerateBody,
        response: { 200: ModeratedSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const { outsideCommentId, documentId, periodId } = request.params;
      const b = request.body;
      const r = await moderateOutsideComment(ctx, { access, documentId, periodId, outsideCommentId, decision: b.decision, reason: b.reason, note: b.note });
      return { id: r.id, state: r.state.toLowerCase() as 'published' | 'rejected', commentId: r.commentId };
    },
  );

  app.get(
    `${PERIOD}/analysis`,
    {
      schema: {
        tags: TAGS,
        summary: 'Counts by origin, stakeholder group and region; tallies of the choice questions (conveners, editors)',
        params: PeriodParams,
        querystring: AnalysisQuery,
        response: { 200: AnalysisSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      return analyseResponses(ctx, { access, documentId: request.params.documentId, periodId: request.params.periodId, filter: request.query });
    },
  );

  app.get(
    `${PERIOD}/responses.csv`,
    {
      schema: {
        tags: TAGS,
        summary: 'Every outside response as CSV (names only of those who agreed to publication)',
        params: PeriodParams,
        response: { 200: fileResponse('text/csv', 'One row per comment and per answer'), ...errors },
      },
    },
    async (request, reply) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const csv = await exportResponsesCsv(ctx, { access, documentId: request.params.documentId, periodId: request.params.periodId });
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="responses.csv"')
        .header('content-language', mainLanguage(access.group.languages));
      return sendRaw(reply, `\uFEFF${csv}`);
    },
  );

  app.post(
    `${PERIOD}/participants/:participantId/anonymise`,
    {
      schema: {
        tags: TAGS,
        summary: 'Anonymise an outside participant at their request (conveners): comments stay, the identity goes',
        params: ParticipantParams,
        response: { 200: ParticipantSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      authorize(access, 'outside.anonymise');
      const participant = await ctx.prisma.outsideParticipant.findFirst({
        where: {
          id: request.params.participantId,
          periodId: request.params.periodId,
          period: { documentId: request.params.documentId, document: { groupId: access.group.id } },
        },
      });
      if (!participant) throw AppError.notFound('That participant', 'participant_not_found');
      return presentParticipant(
        await anonymiseParticipant(ctx, { actorId: access.user.id, participant, groupId: access.group.id, providers: app.personalData.all() }),
      );
    },
  );
};

/** Cross-site posts to the cookie-less entry points are refused (login CSRF), as for sign-in. */
function checkOrigin(request: FastifyRequest, publicUrl: string) {
  const origin = request.headers.origin;
  if (origin && origin !== new URL(publicUrl).origin) throw AppError.forbidden('Requests from another site are not accepted.', 'origin_not_allowed');
}

const setSessionCookie = (reply: FastifyReply, token: string, expires: Date) =>
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, secure: true, sameSite: 'lax', expires });

export default fp(
  async (app) => {
    app.personalData.register(outsideRespondentData);
    await app.register(consultationRoutes);
  },
  { name: 'modules/open-consultation', dependencies: ['context', 'mail-queue', 'personal-data'] },
);
