// Routes: a group's Member State consultations (issue, drafts, invitees), the focal points'
// answers (Annex 2), the tally and the results table (.docx, CSV); a focal point's own list.
import multipart from '@fastify/multipart';
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/app-error.ts';
import { mainLanguage } from '../../lib/export-language.ts';
import { errors, fileResponse, sendJsonText, sendRaw } from '../../lib/schemas.ts';
import { requireUser } from '../../plugins/authenticate.ts';
import { loadGroupAccess } from '../groups/groups.policy.ts';
import { submitAnswers } from './answer-consultation.ts';
import { isClosed, loadConsultationAccess } from './consultation-access.ts';
import { registerConsultationJobs } from './consultation-jobs.ts';
import {
  attachmentDisposition,
  attachToAnswer,
  presentAttachment,
  readAttachment,
  readAttachmentUpload,
  removeAttachment,
} from './consultation-attachments.ts';
import { resultsCsv, resultsDocx } from './consultation-results.ts';
import { addInvitees, createConsultation, extendConsultationDeadline, setConsultationDrafts } from './manage-consultations.ts';
import { presentAnswer } from './consultations.presenter.ts';
import { consultationPolicy } from './consultations.policy.ts';
import { listConsultations, myConsultations, readConsultation, readTally } from './read-consultations.ts';
import {
  AddInviteesBody,
  AnswerSchema,
  AttachmentParams,
  AttachmentSchema,
  ConsultationParams,
  ConsultationSchema,
  ConsultationSummarySchema,
  CreateConsultationBody,
  DraftParams,
  ExtendDeadlineBody,
  GroupParams,
  SetDraftsBody,
  SubmitAnswersBody,
  TallySchema,
} from './consultations.schemas.ts';

const routes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['consultations'];
  const access = (request: { params: { slug: string; consultationId: string } }, user: ReturnType<typeof requireUser>) =>
    loadConsultationAccess(ctx, request.params.slug, request.params.consultationId, user);
  const { docxImport } = ctx.config.limits;
  // Only the attachment upload reads multipart; the size limit is enforced while streaming.
  await app.register(multipart, { limits: { fileSize: docxImport.maxBytes, files: 1 } });

  app.get(
    '/api/consultations/mine',
    {
      schema: {
        tags,
        summary: 'The consultations I answer for as a focal point, in every group',
        response: { 200: z.object({ consultations: z.array(ConsultationSummarySchema) }), ...errors },
      },
    },
    async (request) => ({ consultations: await myConsultations(ctx, { userId: requireUser(request).id }) }),
  );

  app.get(
    '/api/groups/:slug/consultations',
    {
      schema: {
        tags,
        summary: "The group's consultations",
        params: GroupParams,
        response: { 200: z.object({ consultations: z.array(ConsultationSummarySchema), abilities: z.object({ manage: z.boolean() }) }), ...errors },
      },
    },
    async (request) => {
      const groupAccess = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const consultations = await listConsultations(ctx, { access: groupAccess });
      return { consultations, abilities: { manage: consultationPolicy.can(groupAccess, 'consultations.manage') } };
    },
  );

  app.post(
    '/api/groups/:slug/consultations',
    {
      schema: {
        tags,
        summary: 'Issue a Member State consultation (conveners, the secretariat)',
        description:
          'Its drafts are determined or consented work items of the group, which move to "consultation". Focal points are told by e-mail; the list gets a digest now, a reminder and the result at the deadline.',
        params: GroupParams,
        body: CreateConsultationBody,
        response: { 201: ConsultationSchema, ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const groupAccess = await loadGroupAccess(ctx, request.params.slug, user);
      const created = await createConsultation(ctx, { access: groupAccess, fields: request.body });
      const view = await readConsultation(ctx, { access: await loadConsultationAccess(ctx, request.params.slug, created.id, user) });
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/api/groups/:slug/consultations/:consultationId',
    {
      schema: {
        tags,
        summary: 'A consultation: the circular, its drafts, the invited Administrations and, for a focal point, their answers',
        params: ConsultationParams,
        response: { 200: ConsultationSchema, ...errors },
      },
    },
    async (request) => readConsultation(ctx, { access: await access(request, requireUser(request)) }),
  );

  app.put(
    '/api/groups/:slug/consultations/:consultationId/drafts',
    {
      schema: {
        tags,
        summary: 'Change the drafts a consultation covers (conveners), before its deadline',
        description: 'Removing a draft on which Administrations have answered is 409 draft_has_answers.',
        params: ConsultationParams,
        body: SetDraftsBody,
        response: { 200: ConsultationSchema, ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await setConsultationDrafts(ctx, { access: await access(request, user), workItemIds: request.body.workItemIds });
      return readConsultation(ctx, { access: await access(request, user) });
    },
  );

  app.post(
    '/api/groups/:slug/consultations/:consultationId/invitees',
    {
      schema: {
        tags,
        summary: 'Invite Administrations with their focal points (conveners), before the deadline; each focal point is told by e-mail',
        params: ConsultationParams,
        body: AddInviteesBody,
        response: { 200: ConsultationSchema, ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await addInvitees(ctx, { access: await access(request, user), administrations: request.body.administrations });
      return readConsultation(ctx, { access: await access(request, user) });
    },
  );

  app.post(
    '/api/groups/:slug/consultations/:consultationId/deadline',
    {
      schema: {
        tags,
        summary: 'Extend the deadline (conveners), before it passes; each focal point is told by e-mail',
        description:
          'The new deadline must be later than the current one (400 deadline_not_later); once the deadline has passed, by the database clock, 409 consultation_closed. The reminder and the result are rescheduled for the new deadline.',
        params: ConsultationParams,
        body: ExtendDeadlineBody,
        response: { 200: ConsultationSchema, ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await extendConsultationDeadline(ctx, { access: await access(request, user), deadline: request.body.deadline });
      return readConsultation(ctx, { access: await access(request, user) });
    },
  );

  app.put(
    '/api/groups/:slug/consultations/:consultationId/answers',
    {
      schema: {
        tags,
        summary: 'Answer for my Administration (focal points): per draft, assigns authority or not, signed',
        description:
          'One answer per Administration per draft: expectedVersion 0 writes a first answer, the version read replaces it; a stale one is 409 answer_changed with the answer that won. After the deadline (database clock) 409 consultation_closed; nothing is stored.',
        params: ConsultationParams,
        body: SubmitAnswersBody,
        response: { 200: z.object({ answers: z.array(AnswerSchema) }), ...errors },
      },
    },
    async (request) => {
      const answers = await submitAnswers(ctx, { access: await access(request, requireUser(request)), ...request.body });
      return { answers: answers.map(presentAnswer) };
    },
  );

  app.post(
    '/api/groups/:slug/consultations/:consultationId/drafts/:draftId/attachments',
    {
      schema: {
        tags,
        summary: "Attach a file to my Administration's answer on a draft (focal points), before the deadline",
        description:
          'multipart/form-data with the file as `file`: a PDF or a Word document (.docx), told by its first bytes (415 attachment_type_not_allowed otherwise), within the upload size limit (413) and, for a .docx, the zip checks of the revision import. At most 5 per draft and Administration (409 too_many_attachments). After the deadline 409 consultation_closed; nothing is stored.',
        consumes: ['multipart/form-data'],
        params: DraftParams,
        response: { 201: AttachmentSchema, ...errors },
      },
    },
    async (request, reply) => {
      const a = await access(request, requireUser(request));
      const attachment = await attachToAnswer(ctx, {
        access: a,
        draftId: request.params.draftId,
        upload: await readAttachmentUpload(request, docxImport.maxBytes),
      });
      return reply.status(201).send(presentAttachment(attachment));
    },
  );

  app.get(
    '/api/groups/:slug/consultations/:consultationId/attachments/:attachmentId',
    {
      schema: {
        tags,
        summary: 'Download an attachment: the secretariat and the Administration at any time, the group after the deadline',
        params: AttachmentParams,
        response: {
          200: {
            description: 'The file as uploaded',
            content: {
              'application/pdf': { schema: z.string().meta({ format: 'binary' }) },
              'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { schema: z.string().meta({ format: 'binary' }) },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const attachment = await readAttachment(ctx, { access: await access(request, requireUser(request)), attachmentId: request.params.attachmentId });
      reply
        .type(attachment.contentType)
        .header('content-disposition', attachmentDisposition(attachment.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store');
      return sendRaw(reply, Buffer.from(attachment.content));
    },
  );

  app.delete(
    '/api/groups/:slug/consultations/:consultationId/attachments/:attachmentId',
    {
      schema: {
        tags,
        summary: "Remove an attachment from my Administration's answer (focal points), before the deadline",
        params: AttachmentParams,
        response: { 204: z.null().describe('Removed'), ...errors },
      },
    },
    async (request, reply) => {
      await removeAttachment(ctx, { access: await access(request, requireUser(request)), attachmentId: request.params.attachmentId });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/groups/:slug/consultations/:consultationId/tally',
    {
      schema: {
        tags,
        summary: 'The tally: progress for the secretariat before the deadline; counts, outcome and reasons after it',
        params: ConsultationParams,
        response: { 200: TallySchema, ...errors },
      },
    },
    // A closed consultation of the whole Union is a thousand rows: written as JSON text here (the
    // response schema's per-field encoding cost more than the query); consultations.test.ts holds
    // the text to TallySchema.
    async (request, reply) => sendJsonText(reply, JSON.stringify(await readTally(ctx, { access: await access(request, requireUser(request)) }))),
  );

  for (const format of ['csv', 'docx'] as const) {
    app.get(
      `/api/groups/:slug/consultations/:consultationId/results.${format}`,
      {
        schema: {
          tags,
          summary: `The results table as ${format === 'csv' ? 'CSV' : 'a Word document'}, after the deadline`,
          params: ConsultationParams,
          response: {
            200: fileResponse(format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'The results table'),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const a = await access(request, requireUser(request));
        if (!isClosed(a)) throw AppError.conflict('consultation_open', 'The results are announced after the deadline.');
        const tally = await readTally(ctx, { access: a });
        const name = `${a.consultation.reference.replace(/[^\w.-]+/g, '-')}-results.${format}`;
        const language = mainLanguage(a.group.languages);
        const body = format === 'csv' ? Buffer.from(resultsCsv(tally, language)) : await resultsDocx(tally, language);
        reply.header('content-language', language);
        reply
          .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
          .header('content-disposition', `attachment; filename="${name}"`);
        return sendRaw(reply, body);
      },
    );
  }
};

export default fp(
  async (app) => {
    registerConsultationJobs(app);
    await app.register(routes);
  },
  { name: 'modules/consultations', dependencies: ['jobs', 'mailer', 'modules/work-programme'] },
);
