// Routes: adjudication (dispositions, the consultation loop, the working pile, bulk changes),
// the disposition of comments (table view and exports), the final report, and the public read
// of a published final report.
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { errors, fileResponse, Slug } from '../../lib/schemas.ts';
import { requireUser } from '../../plugins/authenticate.ts';
import { loadGroupAccess, type GroupAccess } from '../groups/groups.policy.ts';
import { readAdjudicationSettings, updateAdjudicationSettings } from './adjudication-settings.ts';
import { changeDispositionsInBulk } from './bulk-dispositions.ts';
import { audienceOf, changeDisposition, type Change } from './change-disposition.ts';
import { presentDisposition } from './dispositions.presenter.ts';
import {
  AssignBody,
  AwaitingSchema,
  BulkBody,
  BulkResultSchema,
  CommentParams,
  ConfirmBody,
  DeadlineBody,
  DecidedQuery,
  DecidedSchema,
  DecisionBody,
  DispositionSchema,
  DocumentParams,
  FinalReportSchema,
  ImplementBody,
  ObjectionsSchema,
  PathSchema,
  PileItemSchema,
  PileQuery,
  PileSchema,
  PublishBody,
  ResolvedByRevisionSchema,
  ResponseBody,
  RevisionParams,
  SettingsBody,
  SettingsSchema,
  TableQuery,
  TableSchema,
  VersionBody,
} from './dispositions.schemas.ts';
import type { DispositionTable } from './export/disposition-table.ts';
import { dispositionTableToCsv } from './export/to-csv.ts';
import { dispositionTableToDocx } from './export/to-docx.ts';
import { dispositionTableToJson } from './export/to-json.ts';
import {
  frozenDispositionTable,
  frozenTable,
  presentFinalReport,
  publishFinalReport,
  readFinalReport,
  readFinalReportSummary,
  readMemberFinalReportSummary,
} from './final-report.ts';
import {
  listAwaitingMyResponse,
  listDecidedDispositions,
  listObjections,
  listResolvedByRevision,
  readCommentPath,
  readDisposition,
  readDispositionTable,
  readPile,
} from './read-dispositions.ts';
import { attachment, exportFileName } from './table-rows.ts';
import { dispositionRealtimeEvents } from './dispositions.realtime.ts';
import { subscribeDispositionEvents } from './dispositions.subscribers.ts';
import { subscribeDispositionNotifications } from './dispositions.notifications.ts';

const TAGS = ['dispositions'];
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** The download's response: the file's bytes with its media type; the .json export is the table itself. */
const Download = (format: 'csv' | 'docx' | 'json') =>
  format === 'json'
    ? TableSchema
    : fileResponse(format === 'csv' ? 'text/csv' : DOCX_TYPE, `The disposition of comments as a .${format} file, as an attachment`);

/** Sends the table in a download format, with a file name derived from group and document. */
async function sendExport(reply: FastifyReply, table: DispositionTable, format: 'csv' | 'docx' | 'json') {
  const name = exportFileName(table.groupAcronym, table.documentTitle, format);
  reply.header('content-disposition', attachment(name));
  // The file's fixed words are in the group's main language.
  if (format !== 'json') reply.header('content-language', table.language ?? 'en');
  if (format === 'docx') return reply.type(DOCX_TYPE).send(await dispositionTableToDocx(table));
  // A Buffer is sent as it is: the byte order mark Excel needs must survive untouched.
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(Buffer.from(dispositionTableToCsv(table), 'utf8'));
  return reply.type('application/json; charset=utf-8').send(Buffer.from(JSON.stringify(dispositionTableToJson(table)), 'utf8'));
}

const dispositionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const access = (request: { params: { slug: string } }, user: Parameters<typeof loadGroupAccess>[2]) => loadGroupAccess(ctx, request.params.slug, user);

  // ── Settings ──────────────────────────────────────────────────────────────────────────────
  app.get(
    '/api/groups/:slug/adjudication-settings',
    {
      schema: { tags: TAGS, summary: 'How this group adjudicates (members)', params: z.object({ slug: Slug }), response: { 200: SettingsSchema, ...errors } },
    },
    async (request) => {
      const a = await access(request, requireUser(request));
      return readAdjudicationSettings(ctx, { access: a });
    },
  );

  app.put(
    '/api/groups/:slug/adjudication-settings',
    {
      schema: {
        tags: TAGS,
        summary: 'Allow or refuse deciding while a comment period is open (conveners)',
        params: z.object({ slug: Slug }),
        body: SettingsBody,
        response: { 200: SettingsSchema, ...errors },
      },
    },
    async (request) => {
      const a = await access(request, requireUser(request));
      return updateAdjudicationSettings(ctx, { access: a, allowEarlyAdjudication: request.body.allowEarlyAdjudication });
    },
  );

  // ── The working pile ──────────────────────────────────────────────────────────────────────
  app.get(
    '/api/groups/:slug/documents/:documentId/dispositions',
    {
      schema: {
        tags: TAGS,
        summary: 'The working pile: comments with their dispositions, filtered, and the progress count (conveners, editors)',
        params: DocumentParams,
        querystring: PileQuery,
        response: { 200: PileSchema, ...errors },
      },
    },
    async (request) => {
      const a = await access(request, requireUser(request));
      return readPile(ctx, { access: a, documentId: request.params.documentId, filter: request.query, audience: audienceOf(a) });
    },
  );

  app.post(
    '/api/groups/:slug/documents/:documentId/dispositions/bulk',
    {
      schema: {
        tags: TAGS,
        summary: 'One change on a selection of comments, all or nothing, with a result per comment',
        description:
          "kind decide (conveners propose, editors draft), assign, set_deadline or finalise. If any comment fails, nothing is written and the answer (4xx) lists each comment's result; those that would have succeeded say not_applied.",
        params: DocumentParams,
        body: BulkBody,
        response: { 200: BulkResultSchema, ...errors },
      },
    },
    async (request) => {
      const a = await access(request, requireUser(request));
      const { action, items } = request.body;
      const change: Change =
        action.kind === 'decide'
          ? { kind: 'decide', code: action.disposition, rationale: action.rationale, adoptedText: action.adoptedText, respondBy: action.respondBy }
          : action;
      const results = await changeDispositionsInBulk(ctx, { access: a, documentId: request.params.documentId, items, change });
      return { ok: true, results };
    },
  );

  // The pile above is the adjudicators' working view (drafts, assignees, filters); members read
  // the decisions themselves here, in one request for the whole document view.
  app.get(
    '/api/groups/:slug/documents/:documentId/dispositions/decided',
    {
      schema: {
        tags: TAGS,
        summary: "The proposed and final dispositions of a document's comments, as every member sees them (members)",
        description:
          "No editor's draft and no assignee, whoever asks (the socket events of dispositions are presented the same way). Filter by the revision the comments were made on.",
        params: DocumentParams,
        querystring: DecidedQuery,
        response: { 200: DecidedSchema, ...errors },
      },
    },
    async (request) => {
      const a = await access(request, requireUser(request));
      return { items: await listDecidedDispositions(ctx, { access: a, documentId: request.params.documentId, revision: request.query.revision }) };
    },
  );

  app.get(
    '/api/groups/:slug/documents/:documentId/objections',
    {
      schema: {
        tags: TAGS,
        summary: "Objections still standing on this document's dispositions (listed again when the next comment period opens)",
        params: DocumentParams,
        response: { 200: ObjectionsSchema, ...errors },
      },
    },
    async (request) => {
      const a = await access(request, requireUser(request));
      return { items: await listObjections(ctx, { access: a, documentId: request.params.documentId }) };
    },
  );

  // ── One comment's disposition ─────────────────────────────────────────────────────────────
  const commentRoute = (summary: string) => ({ tags: TAGS, summary, params: CommentParams });

  app.get(
    '/api/groups/:slug/documents/:documentId/comments/:commentId/disposition',
    {
      schema: {
        ...commentRoute("A comment with its disposition (an editor's draft only to conveners and editors)"),
        response: { 200: PileItemSchema, ...errors },
      },
    },
    async (request) => {
      const a = await access(request, requireUser(request));
      return readDisposition(ctx, { access: a, documentId: request.params.documentId, commentId: request.params.commentId });
    },
  );

  async function change(request: { params: z.output<typeof CommentParams> }, user: Parameters<typeof loadGroupAccess>[2], expectedVersion: number, c: Change) {
    const a: GroupAccess = await access(request, user);
    const after = await changeDisposition(ctx, {
      access: a,
      documentId: request.params.documentId,
      commentId: request.params.commentId,
      expectedVersion,
      change: c,
    });
    return presentDisposition(after, { commentId: after.commentId, documentId: after.documentId }, audienceOf(a));
  }

  app.put(
    '/api/groups/:slug/documents/:documentId/comments/:commentId/disposition',
    {
      schema: {
        ...commentRoute('Decide on a comment: a convener proposes it to the commenter, an editor drafts it for a convener'),
        description:
          'expectedVersion is the version you read (0 when the comment has none); a stale one is a 409 disposition_version_conflict with the current disposition in `current`.',
        body: DecisionBody,
        response: { 200: DispositionSchema, ...errors },
      },
    },
    async (request) => {
      const b = request.body;
      return change(request, requireUser(request), b.expectedVersion, {
        kind: 'decide',
        code: b.disposition,
        rationale: b.rationale,
        adoptedText: b.adoptedText,
        respondBy: b.respondBy,
      });
    },
  );

  app.post(
    '/api/groups/:slug/documents/:documentId/comments/:commentId/disposition/confirm',
    {
      schema: {
        ...commentRoute("Confirm an editor's draft: it is proposed to the commenter (conveners)"),
        body: ConfirmBody,
        response: { 200: DispositionSchema, ...errors },
      },
    },
    async (request) => change(request, requireUser(request), request.body.expectedVersion, { kind: 'confirm', respondBy: request.body.respondBy }),
  );

  app.post(
    '/api/groups/:slug/documents/:documentId/comments/:commentId/disposition/response',
    {
      config: { shedLoad: 'last' },
      schema: {
        ...commentRoute('The commenter agrees or objects to the proposed disposition, before the response deadline'),
        body: ResponseBody,
        response: { 200: DispositionSchema, ...errors },
      },
    },
    async (request) =>
      change(request, requireUser(request), request.body.expectedVersion, { kind: 'respond', response: request.body.response, text: request.body.text }),
  );

  app.post(
    '/api/groups/:slug/documents/:documentId/comments/:commentId/disposition/finalise',
    {
      schema: {
        ...commentRoute('Finalise a proposed disposition; an objection stays on record (conveners)'),
        body: VersionBody,
        response: { 200: DispositionSchema, ...errors },
      },
    },
    async (request) => change(request, requireUser(request), request.body.expectedVersion, { kind: 'finalise' }),
  );

  app.put(
    '/api/groups/:slug/documents/:documentId/comments/:commentId/disposition/assignee',
    {
      schema: {
        ...commentRoute('Assign the comment to a convener or editor, or unassign it (conveners)'),
        body: AssignBody,
        response: { 200: DispositionSchema, ...errors },
      },
    },
    async (request) => change(request, requireUser(request), request.body.expectedVersion, { kind: 'assign', assigneeId: request.body.assigneeId }),
  );

  app.put(
    '/api/groups/:slug/documents/:documentId/comments/:commentId/disposition/deadline',
    {
      schema: {
        ...commentRoute("Set the commenter's response deadline on a proposed disposition (conveners)"),
        body: DeadlineBody,
        response: { 200: DispositionSchema, ...errors },
      },
    },
    async (request) => change(request, requireUser(request), request.body.expectedVersion, { kind: 'set_deadline', respondBy: request.body.respondBy }),
  );

  app.put(
    '/api/groups/:slug/documents/:documentId/comments/:commentId/disposition/implemented-in',
    {
      schema: {
        ...commentRoute('Name the revision that implements an accepted disposition, or clear it (conveners, editors)'),
        body: ImplementBody,
        response: { 200: DispositionSchema, ...errors },
      },
    },
    async (request) => change(request, requireUser(request), request.body.expectedVersion, { kind: 'implement', revision: request.body.revision }),
  );

  app.get(
    '/api/groups/:slug/documents/:documentId/comments/:commentId/path',
    {
      schema: { ...commentRoute("A comment's whole path: comment → disposition → response → revision"), response: { 200: PathSchema, ...errors } },
    },
    async (request) => {
      const a = await access(request, requireUser(request));
      return readCommentPath(ctx, { access: a, documentId: request.params.documentId, commentId: request.params.commentId });
    },
  );

  app.get(
    '/api/groups/:slug/documents/:documentId/revisions/:sequence/resolved-comments',
    {
      schema: {
        tags: TAGS,
        summary: 'Per clause of a revision: the comments whose dispositions it implements',
        params: RevisionParams,
        response: { 200: ResolvedByRevisionSchema, ...errors },
      },
    },
    async (request) => {
      const a = await access(request, requireUser(request));
      return listResolvedByRevision(ctx, { access: a, documentId: request.params.documentId, sequence: request.params.sequence });
    },
  );

  app.get(
    '/api/me/dispositions/awaiting',
    {
      schema: {
        tags: TAGS,
        summary: 'Proposed dispositions of my comments awaiting my response, in all my groups',
        response: { 200: AwaitingSchema, ...errors },
      },
    },
    async (request) => ({ items: await listAwaitingMyResponse(ctx, requireUser(request).id) }),
  );

  // ── The disposition of comments ───────────────────────────────────────────────────────────
  async function memberTable(
    request: { params: z.output<typeof DocumentParams>; query: z.output<typeof TableQuery> },
    user: Parameters<typeof loadGroupAccess>[2],
  ) {
    return readDispositionTable(ctx, { access: await access(request, user), documentId: request.params.documentId, revision: request.query.revision });
  }

  app.get(
    '/api/groups/:slug/documents/:documentId/disposition-table',
    {
      schema: {
        tags: TAGS,
        summary: 'The disposition of comments: rows in the comment-template columns and statistics',
        params: DocumentParams,
        querystring: TableQuery,
        response: { 200: TableSchema, ...errors },
      },
    },
    async (request) => dispositionTableToJson(await memberTable(request, requireUser(request))),
  );

  for (const format of ['csv', 'docx', 'json'] as const) {
    app.get(
      `/api/groups/:slug/documents/:documentId/disposition-table.${format}`,
      {
        schema: {
          tags: TAGS,
          summary: `The disposition of comments as a .${format} download`,
          params: DocumentParams,
          querystring: TableQuery,
          response: { 200: Download(format), ...errors },
        },
      },
      async (request, reply) => sendExport(reply, await memberTable(request, requireUser(request)), format),
    );
  }

  // ── The final report ──────────────────────────────────────────────────────────────────────
  app.post(
    '/api/groups/:slug/documents/:documentId/final-report',
    {
      schema: {
        tags: TAGS,
        summary: 'Publish a revision as the final report with its disposition of comments (conveners)',
        description: 'Every comment needs a final disposition (409 dispositions_not_final). The table is frozen; the document becomes published.',
        params: DocumentParams,
        body: PublishBody,
        response: { 201: FinalReportSchema, ...errors },
      },
    },
    async (request, reply) => {
      const a = await access(request, requireUser(request));
      await publishFinalReport(ctx, { access: a, documentId: request.params.documentId, sequence: request.body.revision, label: request.body.label });
      return reply
        .status(201)
        .send(presentFinalReport(await readFinalReportSummary(ctx, { slug: a.group.slug, documentId: request.params.documentId, publicOnly: false })));
    },
  );

  app.get(
    '/api/groups/:slug/documents/:documentId/final-report',
    {
      schema: { tags: TAGS, summary: 'The published final report (members)', params: DocumentParams, response: { 200: FinalReportSchema, ...errors } },
    },
    async (request) => {
      const a = await access(request, requireUser(request));
      return presentFinalReport(await readMemberFinalReportSummary(ctx, { access: a, documentId: request.params.documentId }));
    },
  );

  // ── Public: a published final report of a group whose outputs are public, nothing else ─────
  const publicReport = (params: z.output<typeof DocumentParams>) => readFinalReport(ctx, { ...params, publicOnly: true });

  app.get(
    '/api/public/groups/:slug/documents/:documentId/final',
    {
      schema: {
        tags: ['public'],
        summary: 'A published final report, without signing in (groups whose outputs are public)',
        params: DocumentParams,
        response: { 200: FinalReportSchema, ...errors },
      },
    },
    async (request) => presentFinalReport(await readFinalReportSummary(ctx, { ...request.params, publicOnly: true })),
  );

  app.get(
    '/api/public/groups/:slug/documents/:documentId/dispositions',
    {
      schema: {
        tags: ['public'],
        summary: 'The disposition of comments of a published final report, without signing in',
        params: DocumentParams,
        response: { 200: TableSchema, ...errors },
      },
    },
    async (request) => frozenTable(await publicReport(request.params)),
  );

  for (const format of ['csv', 'docx'] as const) {
    app.get(
      `/api/public/groups/:slug/documents/:documentId/dispositions.${format}`,
      {
        schema: {
          tags: ['public'],
          summary: `The disposition of comments of a published final report as .${format}, without signing in`,
          params: DocumentParams,
          response: { 200: Download(format), ...errors },
        },
      },
      async (request, reply) => sendExport(reply, frozenDispositionTable(await publicReport(request.params)), format),
    );
  }
};

// The module: its socket events, subscribers and jobs, then its routes (encapsulated, in their own plugin).
export default fp(
  async (app) => {
    app.realtime.register(dispositionRealtimeEvents);
    // Also the conveners' draft and final-report digest sources.
    subscribeDispositionEvents(app);
    subscribeDispositionNotifications(app);
    await app.register(dispositionRoutes);
  },
  { name: 'modules/dispositions', dependencies: ['realtime', 'jobs', 'modules/digests'] },
);
