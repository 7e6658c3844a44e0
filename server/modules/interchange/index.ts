// Routes: Word and Excel in and out. A revision as .docx (with tracked changes against another
// revision on request), the final report as .docx with its disposition table as an annex, the
// disposition table as the comment template .xlsx (members, and the public for published reports
// of groups whose outputs are public), and comments imported from the comment template (.docx,
// .xlsx, CSV): a preview that stores nothing, then the import in one transaction.
import multipart from '@fastify/multipart';
import fp from 'fastify-plugin';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors, fileResponse } from '../../lib/schemas.ts';
import { requireUser } from '../../plugins/authenticate.ts';
import { loadGroupAccess } from '../groups/groups.policy.ts';
import {
  type Download,
  exportDispositionTableXlsx,
  exportFinalReportDocx,
  exportPublicDispositionTableXlsx,
  exportPublicFinalReportDocx,
  exportRevisionDocx,
} from './export-documents.ts';
import { importCommentTemplate, previewCommentTemplate, type TemplatePlan } from './import-comment-template.ts';
import { DocumentParams, RevisionDocxQuery, RevisionParams, TableXlsxQuery, TemplateImportSchema, TemplatePreviewSchema } from './interchange.schemas.ts';
import { readTemplateUpload } from './template-upload.ts';
import { interchangeRealtimeEvents } from './interchange.realtime.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TAGS = ['documents'];
/** Most rows one table of a template may have. */
const MAX_TEMPLATE_ROWS = 5000;

const UPLOAD_DESCRIPTION =
  'multipart/form-data: the template as `file` (.docx, .xlsx or CSV in UTF-8); optional `organisation` (the member body of rows that name none), ' +
  '`observations` ("true": the observations cells become proposed dispositions) and `mappings` (JSON: row number → clause number, "general" or "skip"). ' +
  'Limits: file size, zip entries, unpacked size, rows, reading time (413/415/422 with the reason). A table without the template columns is a 422 ' +
  'template_columns_unrecognised naming the expected columns. Outside the comment period only conveners may import.';

function send(reply: FastifyReply, type: string, download: Download) {
  reply.header('content-disposition', `attachment; filename="${download.fileName}"`);
  if (download.language) reply.header('content-language', download.language);
  return reply.type(type).send(download.body);
}

export const presentTemplatePlan = (plan: TemplatePlan) => ({
  format: plan.format,
  table: { name: plan.table.name, headerRow: plan.table.headerRow, headers: plan.table.headers as Record<string, string> },
  periodState: plan.periodState,
  counts: plan.counts,
  rows: plan.rows.map((row) => ({
    ...row,
    member: row.member ? { id: row.member.id, name: row.member.name } : null,
    type: row.type.toLowerCase() as 'general' | 'technical' | 'editorial',
    disposition: row.disposition
      ? {
          code: row.disposition.code.toLowerCase() as 'accepted' | 'accepted_with_modification' | 'rejected' | 'noted' | 'deferred',
          rationale: row.disposition.rationale,
        }
      : null,
  })),
});

const interchangeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const { docxImport } = ctx.config.limits;
  const templateLimits = { ...docxImport, maxRows: MAX_TEMPLATE_ROWS };
  await app.register(multipart, { limits: { fileSize: docxImport.maxBytes, files: 1 } });
  const access = (request: { params: { slug: string } }, user: Parameters<typeof loadGroupAccess>[2]) => loadGroupAccess(ctx, request.params.slug, user);

  app.get(
    '/api/groups/:slug/documents/:documentId/revisions/:sequence/revision.docx',
    {
      schema: {
        tags: TAGS,
        summary: 'A revision as a Word document; with `against`, its changes against that revision as Word tracked changes (members)',
        params: RevisionParams,
        querystring: RevisionDocxQuery,
        response: { 200: fileResponse(DOCX, 'The revision as .docx, as an attachment'), ...errors },
      },
    },
    async (request, reply) => {
      const a = await access(request, requireUser(request));
      const download = await exportRevisionDocx(ctx, {
        access: a,
        documentId: request.params.documentId,
        sequence: request.params.sequence,
        against: request.query.against,
        anchors: request.query.anchors === 'true',
      });
      return send(reply, DOCX, download);
    },
  );

  app.get(
    '/api/groups/:slug/documents/:documentId/final-report.docx',
    {
      schema: {
        tags: TAGS,
        summary: 'The published final report as a Word document, with its disposition of comments as an annex (members)',
        params: DocumentParams,
        response: { 200: fileResponse(DOCX, 'The final report as .docx, as an attachment'), ...errors },
      },
    },
    async (request, reply) => {
      const a = await access(request, requireUser(request));
      return send(reply, DOCX, await exportFinalReportDocx(ctx, { access: a, documentId: request.params.documentId }));
    },
  );

  app.get(
    '/api/groups/:slug/documents/:documentId/disposition-table.xlsx',
    {
      schema: {
        tags: TAGS,
        summary: 'The disposition of comments as the ISO/IEC/ITU comment template in Excel (members)',
        params: DocumentParams,
        querystring: TableXlsxQuery,
        response: { 200: fileResponse(XLSX, 'The comment template as .xlsx, as an attachment'), ...errors },
      },
    },
    async (request, reply) => {
      const a = await access(request, requireUser(request));
      return send(reply, XLSX, await exportDispositionTableXlsx(ctx, { access: a, documentId: request.params.documentId, revision: request.query.revision }));
    },
  );

  app.get(
    '/api/public/groups/:slug/documents/:documentId/final.docx',
    {
      schema: {
        tags: ['public'],
        summary: 'A published final report as a Word document with its disposition of comments, without signing in (groups whose outputs are public)',
        params: DocumentParams,
        response: { 200: fileResponse(DOCX, 'The final report as .docx, as an attachment'), ...errors },
      },
    },
    async (request, reply) => send(reply, DOCX, await exportPublicFinalReportDocx(ctx, request.params)),
  );

  app.get(
    '/api/public/groups/:slug/documents/:documentId/dispositions.xlsx',
    {
      schema: {
        tags: ['public'],
        summary: 'The disposition of comments of a published final report as the comment template .xlsx, without signing in',
        params: DocumentParams,
        response: { 200: fileResponse(XLSX, 'The comment template as .xlsx, as an attachment'), ...errors },
      },
    },
    async (request, reply) => send(reply, XLSX, await exportPublicDispositionTableXlsx(ctx, request.params)),
  );

  app.post(
    '/api/groups/:slug/documents/:documentId/revisions/:sequence/comment-template/preview',
    {
      schema: {
        tags: TAGS,
        summary: 'Preview an import from the comment template: every row with its outcome; nothing stored (conveners)',
        description: UPLOAD_DESCRIPTION,
        consumes: ['multipart/form-data'],
        params: RevisionParams,
        response: { 200: TemplatePreviewSchema, ...errors },
      },
    },
    async (request) => {
      const a = await access(request, requireUser(request));
      const upload = await readTemplateUpload(request, docxImport.maxBytes);
      const plan = await previewCommentTemplate(ctx, {
        access: a,
        documentId: request.params.documentId,
        sequence: request.params.sequence,
        upload,
        limits: templateLimits,
      });
      return presentTemplatePlan(plan);
    },
  );

  app.post(
    '/api/groups/:slug/documents/:documentId/revisions/:sequence/comment-template',
    {
      schema: {
        tags: TAGS,
        summary: 'Import comments from the comment template, all or nothing (conveners)',
        description: `${UPLOAD_DESCRIPTION} Any row still unmatched or invalid is a 422 template_rows_unresolved listing them; nothing is stored.`,
        consumes: ['multipart/form-data'],
        params: RevisionParams,
        response: { 201: TemplateImportSchema, ...errors },
      },
    },
    async (request, reply) => {
      const a = await access(request, requireUser(request));
      const upload = await readTemplateUpload(request, docxImport.maxBytes);
      const result = await importCommentTemplate(ctx, {
        access: a,
        documentId: request.params.documentId,
        sequence: request.params.sequence,
        upload,
        limits: templateLimits,
      });
      return reply.status(201).send(result);
    },
  );
};

export default fp(
  async (app) => {
    app.realtime.register(interchangeRealtimeEvents);
    await app.register(interchangeRoutes);
  },
  { name: 'modules/interchange', dependencies: ['realtime', 'modules/dispositions', 'modules/revisions'] },
);
