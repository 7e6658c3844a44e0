// Routes: a group's documents, their revisions (Markdown or .docx, with a preview that stores
// nothing), reading and comparing revisions, publishing.
import multipart from '@fastify/multipart';
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, int32Param, Slug } from '../../lib/schemas.ts';
import { requireUser } from '../../plugins/authenticate.ts';
import { loadGroupAccess } from '../groups/groups.policy.ts';
import { createDocument, listDocuments } from './documents.ts';
import { postRequestedRevision, previewRevision } from './post-revision.ts';
import { compareDocumentRevisions, listDocumentRevisions, readDocument, readDocumentRevision } from './read-revisions.ts';
import { readRevisionInput } from './revision-input.ts';
import { presentComparison, presentDocument, presentImportedClause, presentRevision, presentRevisionSummary } from './revisions.presenter.ts';
import {
  ComparisonSchema,
  CreateDocumentBody,
  DocumentParams,
  DocumentSchema,
  PostedRevisionSchema,
  PreviewSchema,
  RevisionParams,
  RevisionSchema,
  RevisionSummarySchema,
} from './revisions.schemas.ts';
import { resolveDocument, revisionRealtimeEvents } from './revisions.realtime.ts';

const REVISION_BODY_DESCRIPTION =
  'Either JSON `{ label, format: "markdown", source }` or multipart/form-data with a `label` field and the .docx as `file` ' +
  '(limits: file size, zip entries, unpacked size, conversion time; 413/415/422 with the reason, nothing stored).';

const revisionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const { limits } = ctx.config;
  // Only these routes accept uploads; the size limit is enforced while streaming.
  await app.register(multipart, { limits: { fileSize: limits.docxImport.maxBytes, files: 1 } });

  app.get(
    '/api/groups/:slug/documents',
    {
      schema: {
        tags: ['documents'],
        summary: "The group's documents",
        params: z.object({ slug: Slug }),
        response: { 200: z.object({ documents: z.array(DocumentSchema) }), ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      return { documents: (await listDocuments(ctx, { access })).map(presentDocument) };
    },
  );

  app.post(
    '/api/groups/:slug/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'Create a document (conveners, editors)',
        params: z.object({ slug: Slug }),
        body: CreateDocumentBody,
        response: { 201: DocumentSchema, ...errors },
      },
    },
    async (request, reply) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const document = await createDocument(ctx, { access, title: request.body.title });
      return reply.status(201).send(presentDocument(document));
    },
  );

  app.get(
    '/api/groups/:slug/documents/:documentId',
    {
      schema: {
        tags: ['documents'],
        summary: 'A document and its revisions',
        params: DocumentParams,
        response: { 200: DocumentSchema.extend({ revisions: z.array(RevisionSummarySchema) }), ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const { document, revisions } = await readDocument(ctx, { access, documentId: request.params.documentId });
      return { ...presentDocument({ ...document, revisions: [...revisions].reverse() }), revisions: revisions.map(presentRevisionSummary) };
    },
  );

  app.post(
    '/api/groups/:slug/documents/:documentId/revisions/preview',
    {
      schema: {
        tags: ['revisions'],
        summary: 'Preview an import: the clauses and notes, nothing stored',
        description: REVISION_BODY_DESCRIPTION,
        consumes: ['application/json', 'multipart/form-data'],
        params: DocumentParams,
        response: { 200: PreviewSchema, ...errors },
      },
      bodyLimit: 4 * 1024 * 1024,
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const imported = await previewRevision(ctx, { access, documentId: request.params.documentId, read: () => readRevisionInput(request, limits) });
      return { clauses: imported.clauses.map(presentImportedClause), notes: imported.notes, changes: imported.changes };
    },
  );

  app.post(
    '/api/groups/:slug/documents/:documentId/revisions',
    {
      schema: {
        tags: ['revisions'],
        summary: 'Post a revision (conveners, editors); earlier comments are carried forward to it',
        description: REVISION_BODY_DESCRIPTION,
        consumes: ['application/json', 'multipart/form-data'],
        params: DocumentParams,
        response: { 201: PostedRevisionSchema, ...errors },
      },
      bodyLimit: 4 * 1024 * 1024,
    },
    async (request, reply) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const { revision, carried } = await postRequestedRevision(ctx, {
        access,
        documentId: request.params.documentId,
        read: () => readRevisionInput(request, limits),
      });
      return reply.status(201).send({ ...presentRevision(revision), carriedComments: carried.carriedComments });
    },
  );

  app.get(
    '/api/groups/:slug/documents/:documentId/revisions',
    {
      schema: {
        tags: ['revisions'],
        summary: 'Revisions of a document, oldest first',
        params: DocumentParams,
        response: { 200: z.object({ revisions: z.array(RevisionSummarySchema) }), ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      return { revisions: (await listDocumentRevisions(ctx, { access, documentId: request.params.documentId })).map(presentRevisionSummary) };
    },
  );

  app.get(
    '/api/groups/:slug/documents/:documentId/revisions/:sequence',
    {
      schema: {
        tags: ['revisions'],
        summary: 'A revision: its clauses, comment counts, and the earlier comments carried to each clause',
        params: RevisionParams,
        response: { 200: RevisionSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      return presentRevision(await readDocumentRevision(ctx, { access, documentId: request.params.documentId, sequence: request.params.sequence }));
    },
  );

  app.get(
    '/api/groups/:slug/documents/:documentId/compare',
    {
      schema: {
        tags: ['revisions'],
        summary: 'Compare two revisions clause by clause (added, removed, renumbered, changed with a word diff)',
        params: DocumentParams,
        querystring: z.strictObject({
          from: int32Param({ min: 1, error: 'must be a revision number' }).describe('The revision number to compare from'),
          to: int32Param({ min: 1, error: 'must be a revision number' }).describe('The revision number to compare to'),
        }),
        response: { 200: ComparisonSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const { from, to, entries } = await compareDocumentRevisions(ctx, {
        access,
        documentId: request.params.documentId,
        from: request.query.from,
        to: request.query.to,
      });
      return { from: presentRevisionSummary(from), to: presentRevisionSummary(to), clauses: entries.map(presentComparison) };
    },
  );
};

// The module: its socket events, subscribers and jobs, then its routes (encapsulated, in their own plugin).
export default fp(
  async (app) => {
    // Documents are followed live (comments, periods, revisions): realtime asks us where each lives.
    app.realtime.resolveDocuments(resolveDocument);
    app.realtime.register(revisionRealtimeEvents);
    await app.register(revisionRoutes);
  },
  { name: 'modules/revisions', dependencies: ['realtime'] },
);
