// Creating a comment or a reply. The deadline is decided by the database in the very statement
// that writes (insert-comments.ts), with the audit entry and the realtime log row + NOTIFY, so a
// late comment stores nothing; comments arriving together are written together (group commit).
//
// The hot path (postComment, bench/comments.bench.ts) is ONE round trip: revisions are immutable,
// so where a revision lives and its clause texts are cached per app (revision-snapshots.ts), the
// quote is checked against the cached text, and the statement that writes also checks that the
// user is a member allowed to comment. Whatever that statement does not accept (no membership,
// an observer, the operator, a closed period) and any invalid input go to the full path, which
// reads group, membership, revision and clause (loadCommentTarget), authorizes, and answers with
// the precise error in the usual order (404 for non-members before anything about the document).

import { type Comment, type CommentType, type Group, type Role, type User } from '../../generated/prisma/client.ts';
import { WRITE_DENIED } from './comments.policy.ts';
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { uuidv7 } from '../../lib/uuid.ts';
import { authorize, can, GROUP_ACCESS_COLUMNS, toGroupAccess, type GroupAccess } from '../groups/groups.policy.ts';
import { commentWindowClosed, toCommentWindow, type CommentWindowRow } from '../periods/comment-window.ts';
import { realtimeAddress } from '../realtime/record-events.ts';
import { writeComment } from './insert-comments.ts';
import { commentRealtimeEvents } from './comments.realtime.ts';
import { checkCommentBody, checkQuote, quoteOccurs } from './comment-text.ts';
import { revisionSnapshot } from './revision-snapshots.ts';
import { presentComment, type CommentWithContext } from './comments.presenter.ts';

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    /** Also raised for replies (parentId set). */
    'comments.created': { groupId: string; documentId: string; revisionId: string; commentId: string; clauseId: string | null; parentId: string | null; authorId: string };
    'comments.updated': { groupId: string; documentId: string; revisionId: string; commentId: string; version: number };
    'comments.withdrawn': { groupId: string; documentId: string; revisionId: string; commentId: string };
  }
}

export { WRITE_DENIED };

export interface PostCommentInput {
  slug: string;
  user: User;
  documentId: string;
  sequence: number;
  clauseId: string | null;
  type: CommentType;
  body: string;
  proposedChange: string;
  quotedText?: string | null;
}

/** A comment from the API: the one-statement path when it can decide, else the full path. */
export async function postComment(ctx: Ctx, input: PostCommentInput): Promise<CommentWithContext> {
  const fast = await tryPostCommentInOneStatement(ctx, input);
  if (fast) return fast;
  const { access, target } = await loadCommentTarget(ctx, input);
  authorize(access, 'comments.create', WRITE_DENIED);
  return createComment(ctx, { access, documentId: input.documentId, target: target(), type: input.type, body: input.body, proposedChange: input.proposedChange, quotedText: input.quotedText });
}

/** Null when the statement (or the cached revision) cannot accept it as is; the caller then explains why. */
async function tryPostCommentInOneStatement(ctx: Ctx, input: PostCommentInput): Promise<CommentWithContext | null> {
  if (input.body.length > ctx.config.limits.commentBodyChars) return null;
  const snapshot = await revisionSnapshot(ctx, input.documentId, input.sequence);
  if (!snapshot) return null;
  const clause = input.clauseId === null ? null : snapshot.clauses.get(input.clauseId);
  if (clause === undefined) return null;
  const quotedText = quoteOccurs(input.quotedText, clause ? clause.text : snapshot.wholeText);
  if (quotedText === false) return null;
  const target: Target = { revisionId: snapshot.revisionId, sequence: snapshot.sequence, clauseId: input.clauseId, clauseNumber: clause?.number ?? null };
  const result = await insertComment(ctx, {
    groupId: snapshot.groupId, user: input.user, documentId: input.documentId, target, parentId: null, type: input.type,
    body: input.body, proposedChange: input.proposedChange, quotedText, anyTime: false,
    member: { slug: input.slug },
  });
  return 'comment' in result ? result.comment : null;
}

export interface CreateCommentInput {
  access: GroupAccess;
  documentId: string;
  target: CommentTarget;
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
export type CommentTarget = Target & { clauseText: string | null };

/**
 * Who comments where, in one statement: the group and the user's role (404 unless a member or the
 * operator), the revision of the document in that group (404) and the clause in that revision (404).
 * The route authorizes on the access before anything is written.
 */
export async function loadCommentTarget(ctx: Ctx, input: { slug: string; user: User; documentId: string; sequence: number; clauseId: string | null }): Promise<{ access: GroupAccess; target: () => CommentTarget }> {
  type Row = Group & { memberRole: Role | null; revisionId: string | null; sequence: number | null; clauseId: string | null; clauseNumber: string | null; clauseText: string | null };
  const rows = await ctx.prisma.$queryRaw<Row[]>`
    SELECT ${GROUP_ACCESS_COLUMNS},
           r.id AS "revisionId", r.sequence, c.id AS "clauseId", c.number AS "clauseNumber", c.text AS "clauseText"
    FROM "Group" g
    LEFT JOIN "Membership" m ON m."groupId" = g.id AND m."userId" = ${input.user.id}::uuid
    LEFT JOIN "Document" d ON d.id = ${input.documentId}::uuid AND d."groupId" = g.id
    LEFT JOIN "Revision" r ON r."documentId" = d.id AND r.sequence = ${input.sequence}
    LEFT JOIN "Clause" c ON c."revisionId" = r.id AND c.id = ${input.clauseId}::uuid
    WHERE g.slug = ${input.slug}`;
  const row = rows[0];
  const { revisionId, sequence, clauseId, clauseNumber, clauseText, ...groupRow } = row ?? ({} as Row);
  const access = toGroupAccess(row ? groupRow : undefined, input.user);
  const resolveTarget = (): CommentTarget => {
    if (!revisionId || sequence === null) throw AppError.notFound(`Revision ${input.sequence} of that document`, 'revision_not_found');
    if (input.clauseId && !clauseId) throw AppError.notFound(`That clause in revision ${input.sequence}`, 'clause_not_found');
    return { revisionId, sequence, clauseId, clauseNumber, clauseText };
  };
  // The target's 404s come after the route's role check (an observer gets 403 whatever the target).
  return { access, target: resolveTarget };
}

export async function createComment(ctx: Ctx, input: CreateCommentInput): Promise<CommentWithContext> {
  checkCommentBody(input.body, ctx.config.limits.commentBodyChars);
  const { target } = input;
  const quotedText = target.clauseText !== null
    ? checkQuote(input.quotedText, target.clauseText, `clause ${target.clauseNumber}`)
    : input.quotedText ? checkQuote(input.quotedText, (await revisionSnapshot(ctx, input.documentId, target.sequence))?.wholeText ?? '', `revision ${target.sequence}`) : null;
  return insertOrExplain(ctx, input.access, {
    groupId: input.access.group.id, user: input.access.user, documentId: input.documentId, target, parentId: null, type: input.type,
    body: input.body, proposedChange: input.proposedChange, quotedText, anyTime: false,
  });
}

/** A reply joins the thread of a top-level comment (a reply to a reply joins the same thread). */
export async function replyToComment(ctx: Ctx, input: ReplyInput): Promise<CommentWithContext> {
  authorize(input.access, 'comments.create');
  checkCommentBody(input.body, ctx.config.limits.commentBodyChars);
  const parent = await ctx.prisma.comment.findFirst({
    where: { id: input.parentId, documentId: input.documentId, document: { groupId: input.access.group.id } },
    include: { revision: { select: { sequence: true } }, clause: { select: { number: true } } },
  });
  if (!parent) throw AppError.notFound('That comment', 'comment_not_found');
  const target: Target = { revisionId: parent.revisionId, sequence: parent.revision.sequence, clauseId: parent.clauseId, clauseNumber: parent.clause?.number ?? null };
  return insertOrExplain(ctx, input.access, {
    groupId: input.access.group.id, user: input.access.user, documentId: input.documentId, target, parentId: parent.parentId ?? parent.id, type: null,
    body: input.body, proposedChange: '', quotedText: null, anyTime: can(input.access, 'comments.replyAnyTime'),
  });
}

interface InsertInput {
  groupId: string; user: User; documentId: string; target: Target; parentId: string | null; type: CommentType | null;
  body: string; proposedChange: string; quotedText: string | null; anyTime: boolean;
  /** Checked by the statement itself: the group has this slug and the user may comment in it. */
  member?: { slug: string };
}

/** The full path: access already authorized, so the only refusal left is the period's. */
async function insertOrExplain(ctx: Ctx, access: GroupAccess, input: InsertInput): Promise<CommentWithContext> {
  const result = await insertComment(ctx, input);
  if ('window' in result) throw commentWindowClosed(toCommentWindow(result.window), input.target, access.group.timeZone);
  return result.comment;
}

async function insertComment(ctx: Ctx, input: InsertInput): Promise<{ comment: CommentWithContext } | { window: CommentWindowRow }> {
  const { groupId, user } = input;
  const id = uuidv7();
  const after = {
    documentId: input.documentId, revision: input.target.sequence, clauseId: input.target.clauseId, parentId: input.parentId,
    type: input.type?.toLowerCase() ?? null, body: input.body, proposedChange: input.proposedChange, quotedText: input.quotedText,
  };
  const created = { groupId, documentId: input.documentId, revisionId: input.target.revisionId, commentId: id, clauseId: input.target.clauseId, parentId: input.parentId, authorId: user.id };
  const address = realtimeAddress('comments.created', created, commentRealtimeEvents);
  const outcome = await writeComment(ctx, {
    id, documentId: input.documentId, revisionId: input.target.revisionId, clauseId: input.target.clauseId, parentId: input.parentId,
    authorId: user.id, groupId, type: input.type, body: input.body, proposedChange: input.proposedChange, quotedText: input.quotedText,
    anyTime: input.anyTime, memberSlug: input.member?.slug ?? null, after,
    // As presentCommentEvent shows it: the comment itself, with its (still empty) reply count; its
    // instants are the database's, set by the statement.
    present: (bodyHtml) => presentComment({ ...withContext(input, { id, bodyHtml, createdAt: new Date(0) }), _count: { replies: 0 } }),
    stream: address.stream, read: address.read,
  });
  if (!outcome.createdAt) return { window: outcome };
  // Committed, with its realtime log row and NOTIFY written by the same statement.
  ctx.events.publish([{ name: 'comments.created', payload: created, recorded: true }]);
  return { comment: withContext(input, { id, bodyHtml: outcome.bodyHtml, createdAt: outcome.createdAt }) };
}

function withContext(input: InsertInput, c: { id: string; bodyHtml: string; createdAt: Date }): CommentWithContext {
  const { user } = input;
  const comment: Comment = {
    id: c.id, documentId: input.documentId, revisionId: input.target.revisionId, clauseId: input.target.clauseId, parentId: input.parentId,
    authorId: user.id, type: input.type, body: input.body, bodyHtml: c.bodyHtml, proposedChange: input.proposedChange, quotedText: input.quotedText,
    status: 'OPEN', version: 1, createdAt: c.createdAt, updatedAt: c.createdAt, withdrawnAt: null,
  };
  return { ...comment, author: user, revision: { sequence: input.target.sequence }, clause: input.target.clauseNumber === null ? null : { number: input.target.clauseNumber } };
}
