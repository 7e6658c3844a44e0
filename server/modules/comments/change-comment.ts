// Editing and withdrawing one's own comment, until the deadline (database clock); a convener's
// replies, allowed at any time, may be edited at any time. Every edit keeps the replaced
// version in CommentEdit.
import { Prisma, type Comment, type CommentType } from '../../generated/prisma/client.ts';
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { auditEntriesSql, auditEntryJson, recordAudit } from '../../lib/audit.ts';
import { uuidv7 } from '../../lib/uuid.ts';
import { eventChannel, realtimeAddress, realtimePendingSql } from '../realtime/record-events.ts';
import { commentRealtimeEvents } from './comments.realtime.ts';
import { presentComment } from './comments.presenter.ts';
import { transact, transactPipelined } from '../../lib/use-case.ts';
import { authorize, can, type GroupAccess } from '../groups/groups.policy.ts';
import type { PersonLike } from '../users/users.presenter.ts';
import { listReplies } from './list-comments.ts';
import { commentWindowClosed, commentWindowSql, toCommentWindow, type CommentWindowRow } from '../periods/comment-window.ts';
import { checkCommentBody, checkQuote, renderCommentBody } from './comment-text.ts';

const withContext = { author: true, revision: { select: { sequence: true } }, clause: { select: { number: true, text: true } } } as const;

type LockedComment = Comment & {
  author: PersonLike;
  revision: { sequence: number };
  clause: { number: string; text: string } | null;
  _count: { replies: number };
};

/**
 * One statement: the comment locked (scoped to the group and document: anything else is a 404),
 * its author, revision and clause, and its comment window by the database clock. The lock is taken
 * in a CTE, so the joins read the row version the lock waited for.
 *
 * FOR NO KEY UPDATE, not FOR UPDATE: edits and withdrawals of one comment still go one at a time,
 * but a reply's foreign-key check on it (KEY SHARE) is not blocked. Under FOR UPDATE a reply batch
 * that already held the document's realtime counter waited on the edit while the edit waited on
 * the counter: a deadlock (seen in bench/deadline-rush.bench.ts).
 */
async function lockOwnComment(query: <T>(sql: Prisma.Sql) => Promise<T[]>, access: GroupAccess, documentId: string, commentId: string) {
  type Row = Comment & {
    authorName: string;
    authorAffiliation: string;
    sequence: number;
    clauseNumber: string | null;
    clauseText: string | null;
    replies: number;
  } & {
    [K in keyof CommentWindowRow as `window_${K}`]: CommentWindowRow[K];
  };
  const [row] = await query<Row>(Prisma.sql`
    WITH locked AS (
      SELECT c.* FROM "Comment" c JOIN "Document" d ON d.id = c."documentId"
      WHERE c.id = ${commentId}::uuid AND c."documentId" = ${documentId}::uuid AND d."groupId" = ${access.group.id}::uuid
      FOR NO KEY UPDATE OF c
    )
    SELECT c.id, c."documentId", c."revisionId", c."clauseId", c."parentId", c."authorId", c.type::text AS type, c.body, c."bodyHtml",
           c."proposedChange", c."quotedText", c.status::text AS status, c.version, c."createdAt", c."updatedAt", c."withdrawnAt",
           u.name AS "authorName", u.affiliation AS "authorAffiliation", r.sequence, cl.number AS "clauseNumber", cl.text AS "clauseText",
           (SELECT count(*)::int FROM "Comment" x WHERE x."parentId" = c.id) AS replies,
           w.now AS window_now, w.id AS window_id, w."opensAt" AS "window_opensAt", w."closesAt" AS "window_closesAt", w.open AS window_open
    FROM locked c
    JOIN "User" u ON u.id = c."authorId"
    JOIN "Revision" r ON r.id = c."revisionId"
    LEFT JOIN "Clause" cl ON cl.id = c."clauseId"
    CROSS JOIN LATERAL (${commentWindowSql(Prisma.sql`c."revisionId"`)}) AS w`);
  if (!row) throw AppError.notFound('That comment', 'comment_not_found');
  const {
    authorName,
    authorAffiliation,
    sequence,
    clauseNumber,
    clauseText,
    replies,
    window_now,
    window_id,
    window_opensAt,
    window_closesAt,
    window_open,
    ...fields
  } = row;
  const comment: LockedComment = {
    ...fields,
    author: { id: fields.authorId, name: authorName, affiliation: authorAffiliation },
    revision: { sequence },
    clause: clauseNumber === null ? null : { number: clauseNumber, text: clauseText ?? '' },
    _count: { replies },
  };
  if (comment.authorId !== access.user.id) throw AppError.forbidden('Only its author may change a comment.', 'not_comment_author');
  if (comment.status === 'WITHDRAWN') throw AppError.conflict('comment_withdrawn', 'This comment has been withdrawn and can no longer change.');
  const window = toCommentWindow({ now: window_now, id: window_id, opensAt: window_opensAt, closesAt: window_closesAt, open: window_open });
  const anyTime = comment.parentId !== null && can(access, 'comments.replyAnyTime');
  if (!window.open && !anyTime) throw commentWindowClosed(window, comment.revision, access.group.timeZone);
  return { comment, now: window.now };
}

/** The comment as written, with the context it was locked with (an edit changes none of it). */
const withLockedContext = (updated: Comment, comment: LockedComment): LockedComment => ({
  ...updated,
  author: comment.author,
  revision: comment.revision,
  clause: comment.clause,
  _count: comment._count,
});

export interface EditCommentInput {
  access: GroupAccess;
  documentId: string;
  commentId: string;
  /** When given, the edit applies only if the comment is still at this version (409 otherwise). */
  version?: number;
  type?: CommentType;
  body?: string;
  proposedChange?: string;
  quotedText?: string | null;
}

export async function editComment(ctx: Ctx, input: EditCommentInput) {
  authorize(input.access, 'comments.create');
  if (input.body !== undefined) checkCommentBody(input.body, ctx.config.limits.commentBodyChars);
  const { group, user } = input.access;
  // Pipelined: the lock goes out with BEGIN, the one writing statement with COMMIT.
  return transactPipelined(ctx, async (p, emit) => {
    const { comment, now } = await lockOwnComment(p.run, input.access, input.documentId, input.commentId);
    if (input.version !== undefined && input.version !== comment.version) {
      throw AppError.conflict('comment_version_conflict', `The comment changed since you loaded it (now version ${comment.version}); reload and edit again.`, {
        version: comment.version,
      });
    }
    if (comment.parentId !== null && (input.type !== undefined || input.proposedChange !== undefined || input.quotedText !== undefined)) {
      throw AppError.badRequest('invalid_request', 'body: a reply has only a body.', { field: 'body' });
    }
    const quotedText =
      input.quotedText === undefined
        ? comment.quotedText
        : checkQuote(
            input.quotedText,
            comment.clause?.text ??
              (
                await p.run<{ heading: string; text: string }>(
                  Prisma.sql`SELECT heading, text FROM "Clause" WHERE "revisionId" = ${comment.revisionId}::uuid ORDER BY position`,
                )
              )
                .map((c) => `${c.heading} ${c.text}`)
                .join(' '),
            comment.clause ? `clause ${comment.clause.number}` : `revision ${comment.revision.sequence}`,
          );
    const body = input.body ?? comment.body;
    const updated: LockedComment = {
      ...comment,
      type: input.type ?? comment.type,
      body,
      bodyHtml: input.body === undefined ? comment.bodyHtml : renderCommentBody(body),
      proposedChange: input.proposedChange ?? comment.proposedChange,
      quotedText,
      version: comment.version + 1,
      updatedAt: now,
    };
    const payload = { groupId: group.id, documentId: comment.documentId, revisionId: comment.revisionId, commentId: comment.id, version: updated.version };
    const audit = auditEntryJson({
      actorId: user.id,
      groupId: group.id,
      action: 'comments.updated',
      entityType: 'comment',
      entityId: comment.id,
      before: {
        version: comment.version,
        type: comment.type?.toLowerCase() ?? null,
        body: comment.body,
        proposedChange: comment.proposedChange,
        quotedText: comment.quotedText,
      },
      after: {
        version: updated.version,
        type: updated.type?.toLowerCase() ?? null,
        body: updated.body,
        proposedChange: updated.proposedChange,
        quotedText: updated.quotedText,
      },
    });
    const address = realtimeAddress('comments.updated', payload, commentRealtimeEvents);
    // One statement: the replaced version kept, the comment written, its audit entry, and its live
    // event queued (the row is locked and its version checked above, so the UPDATE always applies;
    // the event shows what the transaction commits, as the realtime table's own reading would).
    void p.run(Prisma.sql`
      WITH kept AS (
        INSERT INTO "CommentEdit" ("id", "commentId", "version", "type", "body", "bodyHtml", "proposedChange", "quotedText", "editedById", "replacedAt")
        VALUES (${uuidv7()}::uuid, ${comment.id}::uuid, ${comment.version}, ${comment.type}::"CommentType", ${comment.body}, ${comment.bodyHtml},
                ${comment.proposedChange}, ${comment.quotedText}, ${user.id}::uuid, ${now})
      ),
      written AS (
        UPDATE "Comment" SET "type" = ${updated.type}::"CommentType", "body" = ${updated.body}, "bodyHtml" = ${updated.bodyHtml},
               "proposedChange" = ${updated.proposedChange}, "quotedText" = ${updated.quotedText}, "version" = ${updated.version}, "updatedAt" = ${now}
        WHERE "id" = ${comment.id}::uuid
        RETURNING "id"
      ),
      audited AS (${auditEntriesSql(Prisma.sql`(SELECT 1 AS ord, NULL::timestamptz AS "at", ${JSON.stringify(audit)}::jsonb AS entry FROM written)`)}),
      rt_rows AS (
        SELECT 1 AS ord, ${address.stream}::text AS stream, ${address.groupId}::uuid AS "groupId", ${address.read}::text AS read,
               ${JSON.stringify(presentComment(updated))}::jsonb AS data
        FROM written
      ),
      ${realtimePendingSql(eventChannel(ctx.config.realtimeChannel), 'comments.updated', Prisma.sql`rt_rows`)}
      SELECT 1`);
    emit('comments.updated', payload, { recorded: true });
    return updated;
  });
}

export async function withdrawComment(ctx: Ctx, input: { access: GroupAccess; documentId: string; commentId: string }) {
  authorize(input.access, 'comments.create');
  const { group, user } = input.access;
  return transact(ctx, async (tx, emit) => {
    const { comment, now } = await lockOwnComment((sql) => tx.$queryRaw(sql), input.access, input.documentId, input.commentId);
    const written = await tx.comment.update({
      where: { id: comment.id },
      data: { status: 'WITHDRAWN', withdrawnAt: now, updatedAt: now },
    });
    const updated = withLockedContext(written, comment);
    await recordAudit(tx, {
      actorId: user.id,
      groupId: group.id,
      action: 'comments.withdrawn',
      entityType: 'comment',
      entityId: comment.id,
      before: { status: 'open' },
      after: { status: 'withdrawn' },
    });
    emit('comments.withdrawn', { groupId: group.id, documentId: comment.documentId, revisionId: comment.revisionId, commentId: comment.id });
    return updated;
  });
}

/** A comment with its earlier versions and its thread's replies. */
export async function readCommentHistory(ctx: Ctx, input: { access: GroupAccess; documentId: string; commentId: string }) {
  authorize(input.access, 'comments.read');
  const comment = await ctx.prisma.comment.findFirst({
    where: { id: input.commentId, documentId: input.documentId, document: { groupId: input.access.group.id } },
    include: { ...withContext, edits: { orderBy: { version: 'asc' } } },
  });
  if (!comment) throw AppError.notFound('That comment', 'comment_not_found');
  return { comment, replies: await listReplies(ctx, comment.id) };
}
