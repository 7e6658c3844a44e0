// Routes: comments on a revision's clauses (or the whole document), replies, edits with
// history, withdrawal, filtered listing and the full set for exports.
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, sendJsonText } from '../../lib/schemas.ts';
import { requireUser } from '../../plugins/authenticate.ts';
import { loadGroupAccess } from '../groups/groups.policy.ts';
import { DocumentParams } from '../revisions/revisions.schemas.ts';
import { editComment, readCommentHistory, withdrawComment } from './change-comment.ts';
import { presentComment, presentCommentEdit } from './comments.presenter.ts';
import {
  CommentPageSchema,
  CommentParams,
  CommentSchema,
  CreateCommentBody,
  EditCommentBody,
  ListCommentsQuery,
  ReplyBody,
  RevisionCommentParams,
} from './comments.schemas.ts';
import { postComment, replyToComment } from './create-comment.ts';
import { exportComments, listComments } from './list-comments.ts';
import { commentRealtimeEvents } from './comments.realtime.ts';
import { subscribeCommentNotifications } from './comments.notifications.ts';

const commentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.post(
    '/api/groups/:slug/documents/:documentId/revisions/:sequence/comments',
    {
      config: { shedLoad: 'last' },
      schema: {
        tags: ['comments'],
        summary: 'Comment on a clause (or the whole document) while the period is open',
        description:
          'Late (at or after the deadline, database clock): 409 comment_period_closed, nothing stored. Unknown clause: 404. Quote not in the clause: 422. Body over the limit (20,000 characters): 413.',
        params: RevisionCommentParams,
        body: CreateCommentBody,
        response: { 201: CommentSchema, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const comment = await postComment(ctx, {
        slug: request.params.slug,
        user: requireUser(request),
        documentId: request.params.documentId,
        sequence: request.params.sequence,
        clauseId: b.clauseId,
        type: b.type,
        body: b.body,
        proposedChange: b.proposedChange,
        quotedText: b.quotedText,
      });
      return reply.status(201).send(presentComment(comment));
    },
  );

  app.post(
    '/api/groups/:slug/documents/:documentId/comments/:commentId/replies',
    {
      config: { shedLoad: 'last' },
      schema: {
        tags: ['comments'],
        summary: "Reply in a comment's thread (while the period is open; conveners at any time)",
        params: CommentParams,
        body: ReplyBody,
        response: { 201: CommentSchema, ...errors },
      },
    },
    async (request, reply) => {
      const comment = await replyToComment(ctx, {
        slug: request.params.slug,
        user: requireUser(request),
        documentId: request.params.documentId,
        parentId: request.params.commentId,
        body: request.body.body,
      });
      return reply.status(201).send(presentComment(comment));
    },
  );

  app.patch(
    '/api/groups/:slug/documents/:documentId/comments/:commentId',
    {
      config: { shedLoad: 'last' },
      schema: {
        tags: ['comments'],
        summary: 'Edit my comment until the deadline (the earlier version is kept)',
        params: CommentParams,
        body: EditCommentBody,
        response: { 200: CommentSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const b = request.body;
      const updated = await editComment(ctx, {
        access,
        documentId: request.params.documentId,
        commentId: request.params.commentId,
        version: b.version,
        type: b.type,
        body: b.body,
        proposedChange: b.proposedChange,
        quotedText: b.quotedText,
      });
      return presentComment(updated);
    },
  );

  app.post(
    '/api/groups/:slug/documents/:documentId/comments/:commentId/withdraw',
    {
      config: { shedLoad: 'last' },
      schema: { tags: ['comments'], summary: 'Withdraw my comment until the deadline', params: CommentParams, response: { 200: CommentSchema, ...errors } },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      return presentComment(await withdrawComment(ctx, { access, documentId: request.params.documentId, commentId: request.params.commentId }));
    },
  );

  app.get(
    '/api/groups/:slug/documents/:documentId/comments/:commentId',
    {
      schema: {
        tags: ['comments'],
        summary: 'A comment with its replies and its earlier versions',
        params: CommentParams,
        response: {
          200: CommentSchema.extend({
            replies: z.array(CommentSchema),
            history: z.array(
              z.object({
                version: z.number(),
                type: z.string().nullable(),
                body: z.string(),
                bodyHtml: z.string(),
                proposedChange: z.string(),
                quotedText: z.string().nullable(),
                replacedAt: z.string(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const { comment, replies } = await readCommentHistory(ctx, { access, documentId: request.params.documentId, commentId: request.params.commentId });
      return { ...presentComment(comment), replies: replies.map(presentComment), history: comment.edits.map(presentCommentEdit) };
    },
  );

  app.get(
    '/api/groups/:slug/documents/:documentId/comments',
    {
      schema: {
        tags: ['comments'],
        summary: 'Comments of a document, filtered, oldest first, with a cursor and counts per clause',
        params: DocumentParams,
        querystring: ListCommentsQuery,
        response: { 200: CommentPageSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const { cursor, limit, ...filters } = request.query;
      const page = await listComments(ctx, { access, documentId: request.params.documentId, cursor, limit, filters });
      return { ...page, comments: page.comments.map(presentComment) };
    },
  );

  app.get(
    '/api/groups/:slug/documents/:documentId/comments/export',
    {
      schema: {
        tags: ['comments'],
        summary: "A document's full comment set (every revision, replies, carry-forward) in one response, for exports",
        params: DocumentParams,
        response: { 200: z.object({ documentId: z.string(), comments: z.array(CommentSchema) }), ...errors },
      },
    },
    async (request, reply) => {
      // JSON text already in the response schema's shape (exportCommentsJson), sent as it is.
      return sendJsonText(reply, await exportComments(ctx, { slug: request.params.slug, user: requireUser(request), documentId: request.params.documentId }));
    },
  );
};

// The module: its socket events, subscribers and jobs, then its routes (encapsulated, in their own plugin).
export default fp(
  async (app) => {
    app.realtime.register(commentRealtimeEvents);
    subscribeCommentNotifications(app);
    await app.register(commentRoutes);
  },
  { name: 'modules/comments', dependencies: ['realtime', 'jobs'] },
);
