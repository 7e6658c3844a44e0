// Creating a comment or a reply. The deadline is decided by the database in the very statement
// that writes: one INSERT … SELECT guarded by the period predicate (comment-window.ts), with
// its audit entry in the same statement, so a late comment stores nothing and an accepted one
// carries, as createdAt, exactly the database instant (the transaction's now()) that was judged.
// One statement also keeps this hot path to few round trips (bench/comments.bench.ts).

import type { Comment, CommentType } from '../../generated/prisma/client.ts';
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { uuidv7 } from '../../lib/uuid.ts';
import { transact } from '../../lib/use-case.ts';
import { can, type GroupAccess } from '../groups/groups.policy.ts';
import { commentWindowClosed, commentWindowSql, toCommentWindow, type CommentWindowRow } from '../periods/comment-window.ts';
import { checkBodyLength, checkQuote, renderCommentBody } from './comment-text.ts';
import type { CommentWithContext } from './comments.presenter.ts';

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    /** Also raised for replies (parentId set). */
    'comments.created': { groupId: string; documentId: string; revisionId: string; commentId: string; clauseId: string | null; parentId: string | null; authorId: string };
    'comments.updated': { groupId: string; documentId: string; revisionId: string; commentId: string; version: number };
    'comments.withdrawn': { groupId: string; documentId: string; revisionId: string; commentId: string };
  }
}

export interface CreateCommentInput {
  access: GroupAccess;
  documentId: string;
  sequence: number;
  clauseId: string | null;
  type: CommentType;
  body: string;
  proposedChange: string;
  quotedText?: string | null;
}

export interface ReplyInput {
  access: GroupAccess;
  documentId: string;
  parentId: string;
  body: string;
}

interface Target { revisionId: string; sequence: number; clauseId: string | null; clauseNumber: string | null }

async function loadTarget(ctx: Ctx, input: CreateCommentInput): Promise<Target & { clauseText: string | null }> {
  const rows = await ctx.prisma.$queryRaw<Array<{ revisionId: string; sequence: number; clauseId: string | null; clauseNumber: string | null; clauseText: string | null }>>`
    SELECT r.id AS "revisionId", r.sequence, c.id AS "clauseId", c.number AS "clauseNumber", c.text AS "clauseText"
    FROM "Revision" r
    JOIN "Document" d ON d.id = r."documentId" AND d."groupId" = ${input.access.group.id}::uuid
    LEFT JOIN "Clause" c ON c."revisionId" = r.id AND c.id = ${input.clauseId}::uuid
    WHERE r."documentId" = ${input.documentId}::uuid AND r.sequence = ${input.sequence}`;
  const row = rows[0];
  if (!row) throw AppError.notFound(`Revision ${input.sequence} of that document`, 'revision_not_found');
  if (input.clauseId && !row.clauseId) throw AppError.notFound(`That clause in revision ${input.sequence}`, 'clause_not_found');
  return row;
}

async function wholeRevisionText(ctx: Ctx, revisionId: string): Promise<string> {
  const clauses = await ctx.prisma.clause.findMany({ where: { revisionId }, orderBy: { position: 'asc' }, select: { heading: true, text: true } });
  return clauses.map((c) => `${c.heading} ${c.text}`).join(' ');
}

export async function createComment(ctx: Ctx, input: CreateCommentInput): Promise<CommentWithContext> {
  checkBodyLength(input.body, ctx.config.limits.commentBodyChars);
  const target = await loadTarget(ctx, input);
  const quotedText = target.clauseText !== null
    ? checkQuote(input.quotedText, target.clauseText, `clause ${target.clauseNumber}`)
    : input.quotedText ? checkQuote(input.quotedText, await wholeRevisionText(ctx, target.revisionId), `revision ${target.sequence}`) : null;
  return insertComment(ctx, {
    access: input.access, documentId: input.documentId, target, parentId: null, type: input.type,
    body: input.body, proposedChange: input.proposedChange, quotedText, anyTime: false,
  });
}

/** A reply joins the thread of a top-level comment (a reply to a reply joins the same thread). */
export async function replyToComment(ctx: Ctx, input: ReplyInput): Promise<CommentWithContext> {
  checkBodyLength(input.body, ctx.config.limits.commentBodyChars);
  const parent = await ctx.prisma.comment.findFirst({
    where: { id: input.parentId, documentId: input.documentId, document: { groupId: input.access.group.id } },
    include: { revision: { select: { sequence: true } }, clause: { select: { number: true } } },
  });
  if (!parent) throw AppError.notFound('That comment', 'comment_not_found');
  const target: Target = { revisionId: parent.revisionId, sequence: parent.revision.sequence, clauseId: parent.clauseId, clauseNumber: parent.clause?.number ?? null };
  return insertComment(ctx, {
    access: input.access, documentId: input.documentId, target, parentId: parent.parentId ?? parent.id, type: null,
    body: input.body, proposedChange: '', quotedText: null, anyTime: can(input.access, 'comments.replyAnyTime'),
  });
}

interface InsertInput {
  access: GroupAccess; documentId: string; target: Target; parentId: string | null; type: CommentType | null;
  body: string; proposedChange: string; quotedText: string | null; anyTime: boolean;
}

async function insertComment(ctx: Ctx, input: InsertInput): Promise<CommentWithContext> {
  const { group, user } = input.access;
  const id = uuidv7();
  const bodyHtml = renderCommentBody(input.body);
  const after = {
    documentId: input.documentId, revision: input.target.sequence, clauseId: input.target.clauseId, parentId: input.parentId,
    type: input.type?.toLowerCase() ?? null, body: input.body, proposedChange: input.proposedChange, quotedText: input.quotedText,
  };
  // In a transaction (not autocommit) so before-commit hooks (the realtime log) see the event.
  const createdAt = await transact(ctx, async (tx, emit) => {
    const rows = await tx.$queryRaw<Array<CommentWindowRow & { createdAt: Date | null }>>`
      WITH win AS (${commentWindowSql(input.target.revisionId)}),
      ins AS (
        INSERT INTO "Comment" ("id", "documentId", "revisionId", "clauseId", "parentId", "authorId", "type", "body", "bodyHtml",
                               "proposedChange", "quotedText", "status", "version", "createdAt", "updatedAt")
        SELECT ${id}::uuid, ${input.documentId}::uuid, ${input.target.revisionId}::uuid, ${input.target.clauseId}::uuid, ${input.parentId}::uuid,
               ${user.id}::uuid, ${input.type}::"CommentType", ${input.body}, ${bodyHtml}, ${input.proposedChange}, ${input.quotedText},
               'OPEN', 1, win.now, win.now
        FROM win WHERE win.open OR ${input.anyTime}::boolean
        RETURNING "id", "createdAt"
      ),
      audit AS (
        INSERT INTO "AuditEntry" ("at", "actorId", "groupId", "action", "entityType", "entityId", "after")
        SELECT ins."createdAt", ${user.id}::uuid, ${group.id}::uuid, 'comments.created', 'comment', ins.id::text, ${JSON.stringify(after)}::jsonb
        FROM ins
      )
      SELECT win.*, ins."createdAt" FROM win LEFT JOIN ins ON true`;
    const row = rows[0]!;
    if (!row.createdAt) throw commentWindowClosed(toCommentWindow(row), input.target, group.timeZone);

    emit('comments.created', { groupId: group.id, documentId: input.documentId, revisionId: input.target.revisionId, commentId: id, clauseId: input.target.clauseId, parentId: input.parentId, authorId: user.id });
    return row.createdAt;
  });
  const comment: Comment = {
    id, documentId: input.documentId, revisionId: input.target.revisionId, clauseId: input.target.clauseId, parentId: input.parentId,
    authorId: user.id, type: input.type, body: input.body, bodyHtml, proposedChange: input.proposedChange, quotedText: input.quotedText,
    status: 'OPEN', version: 1, createdAt, updatedAt: createdAt, withdrawnAt: null,
  };
  return { ...comment, author: user, revision: { sequence: input.target.sequence }, clause: input.target.clauseNumber === null ? null : { number: input.target.clauseNumber } };
}

