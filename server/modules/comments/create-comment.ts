// Creating a comment or a reply, on ONE path: cheap checks (nothing read from the database but
// the cached revision), then the one statement that writes (insert-comments.ts: the deadline by
// the database clock, the membership and role, the comment, its audit entry, its realtime log row
// + NOTIFY), and, when that statement stores nothing, explainRefusal: the one function that says
// why. Comments arriving together are written together (group commit), so the statement is the
// only round trip of an accepted comment (bench/comments.bench.ts).
//
// Revisions are immutable, so where a revision lives and its clause texts are cached per app
// (revision-snapshots.ts) and the quote is checked against the cached text; who may comment and
// when are never cached: the statement decides them. A refusal is rare and may cost more: the
// explanation re-reads group, membership, revision and clause (loadCommentTarget), authorizes with
// the same policy the statement applied, and answers the precise error in the usual order (404 for
// non-members before anything about the document, then 403, then the target's 404s, the body's
// 413, the quote's 422 and the period's 409, judged by the database instant the statement saw).

import { Prisma, type Comment, type CommentType, type Group, type Role, type User } from '../../generated/prisma/client.ts';
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
    'comments.created': {
      groupId: string;
      documentId: string;
      revisionId: string;
      commentId: string;
      clauseId: string | null;
      parentId: string | null;
      authorId: string;
    };
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
  /** The new comment's id when the caller must find it again after a retry (a reply by mail); else a new one. */
  id?: string;
}

/**
 * A comment from the API. A refusal that nothing explains any more (the membership or the period
 * changed between the statement and the re-read, in the writer's favour) is written once more.
 */
export async function postComment(ctx: Ctx, input: PostCommentInput): Promise<CommentWithContext> {
  for (let attempt = 1; ; attempt++) {
    const draft = await cheapChecks(ctx, input);
    const result = draft ? await insertComment(ctx, draft) : null;
    if (result && 'comment' in result) return result.comment;
    const refusal = await explainRefusal(ctx, { kind: 'comment', input, window: result?.window ?? null });
    if (refusal) throw refusal;
    if (attempt === 2) throw new Error('comment refused twice by the write statement, and nothing explains why');
  }
}

/**
 * What can be judged without the database: the body (length and nesting, before the batch renders
 * it), the revision and the clause (cached) and the quote against the clause's text. Null when
 * any fails: explainRefusal then answers, in the order that keeps an outsider from learning anything.
 */
async function cheapChecks(ctx: Ctx, input: PostCommentInput): Promise<InsertInput | null> {
  if (!bodyAcceptable(input.body, ctx.config.limits.commentBodyChars)) return null;
  const snapshot = await revisionSnapshot(ctx, input.documentId, input.sequence);
  if (!snapshot) return null;
  const clause = input.clauseId === null ? null : snapshot.clauses.get(input.clauseId);
  if (clause === undefined) return null;
  const quotedText = quoteOccurs(input.quotedText, clause ? clause.text : snapshot.wholeText);
  if (quotedText === false) return null;
  return {
    groupId: snapshot.groupId,
    user: input.user,
    documentId: input.documentId,
    target: { revisionId: snapshot.revisionId, sequence: snapshot.sequence, clauseId: input.clauseId, clauseNumber: clause?.number ?? null },
    parentId: null,
    type: input.type,
    body: input.body,
    proposedChange: input.proposedChange,
    quotedText,
    anyTime: false,
    member: { slug: input.slug },
    id: input.id,
  };
}

function bodyAcceptable(body: string, maxChars: number): boolean {
  try {
    checkCommentBody(body, maxChars);
    return true;
  } catch {
    return false;
  }
}

/** What the statement was asked to write, and the comment window it judged by (null: never sent, a cheap check failed). */
type Refused =
  | { kind: 'comment'; input: PostCommentInput; window: CommentWindowRow | null }
  | { kind: 'reply'; access: GroupAccess; target: Target; window: CommentWindowRow };

/**
 * Why the statement stored nothing (or would store nothing): the one explanation of a refused
 * comment or reply, with the answer the API gives (404, 403, 413, 422, 409), or null when nothing
 * is wrong any more (a membership or period changed since the statement ran). A reply's access
 * and parent were checked before its statement (the route and replyToComment), so only the period
 * refuses it.
 */
export async function explainRefusal(ctx: Ctx, refused: Refused): Promise<AppError | null> {
  if (refused.kind === 'reply') return closedOrNull(refused.window, refused.target, refused.access);
  const { input } = refused;
  try {
    const { access, target: resolveTarget } = await loadCommentTarget(ctx, input);
    authorize(access, 'comments.create', WRITE_DENIED);
    const target = resolveTarget();
    checkCommentBody(input.body, ctx.config.limits.commentBodyChars);
    if (target.clauseText !== null) checkQuote(input.quotedText, target.clauseText, `clause ${target.clauseNumber}`);
    else if (input.quotedText)
      checkQuote(input.quotedText, (await revisionSnapshot(ctx, input.documentId, target.sequence))?.wholeText ?? '', `revision ${target.sequence}`);
    return refused.window ? closedOrNull(refused.window, target, access) : null;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

const closedOrNull = (window: CommentWindowRow, target: Target, access: GroupAccess) =>
  window.open ? null : commentWindowClosed(toCommentWindow(window), target, access.group.timeZone);

export interface ReplyInput {
  slug: string;
  user: User;
  documentId: string;
  parentId: string;
  body: string;
  /** As PostCommentInput.id. */
  id?: string;
}

interface Target {
  revisionId: string;
  sequence: number;
  clauseId: string | null;
  clauseNumber: string | null;
}
export type CommentTarget = Target & { clauseText: string | null };

/**
 * Who comments where, in one statement: the group and the user's role (404 unless a member or the
 * operator), the revision of the document in that group (404) and the clause in that revision (404).
 * The caller authorizes on the access before resolving the target (an observer gets 403 whatever the target).
 */
async function loadCommentTarget(
  ctx: Ctx,
  input: { slug: string; user: User; documentId: string; sequence: number; clauseId: string | null },
): Promise<{ access: GroupAccess; target: () => CommentTarget }> {
  type Row = Group & {
    memberRole: Role | null;
    revisionId: string | null;
    sequence: number | null;
    clauseId: string | null;
    clauseNumber: string | null;
    clauseText: string | null;
  };
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
  return { access, target: resolveTarget };
}

/**
 * A reply joins the thread of a top-level comment (a reply to a reply joins the same thread). The
 * group, the user's role and the parent comment (in that document of that group) are read in one
 * statement; the write is the comment's own (one more). Errors in the usual order: 404 group, 403,
 * 413 body, 404 comment, 409 period.
 */
export async function replyToComment(ctx: Ctx, input: ReplyInput): Promise<CommentWithContext> {
  type Row = Group & {
    memberRole: Role | null;
    parentRowId: string | null;
    threadId: string | null;
    revisionId: string | null;
    sequence: number | null;
    clauseId: string | null;
    clauseNumber: string | null;
  };
  const [row] = await ctx.runStatement<Row>(Prisma.sql`
    SELECT ${GROUP_ACCESS_COLUMNS},
           p.id AS "parentRowId", p."parentId" AS "threadId", p."revisionId", r.sequence, p."clauseId", c.number AS "clauseNumber"
    FROM "Group" g
    LEFT JOIN "Membership" m ON m."groupId" = g.id AND m."userId" = ${input.user.id}::uuid
    LEFT JOIN "Document" d ON d.id = ${input.documentId}::uuid AND d."groupId" = g.id
    LEFT JOIN "Comment" p ON p.id = ${input.parentId}::uuid AND p."documentId" = d.id
    LEFT JOIN "Revision" r ON r.id = p."revisionId"
    LEFT JOIN "Clause" c ON c.id = p."clauseId"
    WHERE g.slug = ${input.slug}`);
  const { parentRowId, threadId, revisionId, sequence, clauseId, clauseNumber, ...groupRow } = row ?? ({} as Row);
  const access = toGroupAccess(row ? groupRow : undefined, input.user);
  authorize(access, 'comments.create');
  checkCommentBody(input.body, ctx.config.limits.commentBodyChars);
  if (!parentRowId || !revisionId || sequence === null) throw AppError.notFound('That comment', 'comment_not_found');
  const target: Target = { revisionId, sequence, clauseId, clauseNumber };
  const result = await insertComment(ctx, {
    groupId: access.group.id,
    user: access.user,
    documentId: input.documentId,
    target,
    parentId: threadId ?? parentRowId,
    type: null,
    body: input.body,
    proposedChange: '',
    quotedText: null,
    anyTime: can(access, 'comments.replyAnyTime'),
    id: input.id,
  });
  if ('comment' in result) return result.comment;
  const refusal = await explainRefusal(ctx, { kind: 'reply', access, target, window: result.window });
  // A reply is refused by the period only, and a window the statement judged open stores the reply.
  throw refusal ?? new Error('reply refused by the write statement in an open period');
}

interface InsertInput {
  groupId: string;
  user: User;
  documentId: string;
  target: Target;
  parentId: string | null;
  type: CommentType | null;
  body: string;
  proposedChange: string;
  quotedText: string | null;
  anyTime: boolean;
  /** Checked by the statement itself: the group has this slug and the user may comment in it (a member with a writing role, or the operator). */
  member?: { slug: string };
  id?: string | undefined;
}

async function insertComment(ctx: Ctx, input: InsertInput): Promise<{ comment: CommentWithContext } | { window: CommentWindowRow }> {
  const { groupId, user } = input;
  const id = input.id ?? uuidv7();
  const after = {
    documentId: input.documentId,
    revision: input.target.sequence,
    clauseId: input.target.clauseId,
    parentId: input.parentId,
    type: input.type?.toLowerCase() ?? null,
    body: input.body,
    proposedChange: input.proposedChange,
    quotedText: input.quotedText,
  };
  const created = {
    groupId,
    documentId: input.documentId,
    revisionId: input.target.revisionId,
    commentId: id,
    clauseId: input.target.clauseId,
    parentId: input.parentId,
    authorId: user.id,
  };
  const address = realtimeAddress('comments.created', created, commentRealtimeEvents);
  // Its realtime log row and NOTIFY are written by the statement itself.
  const event = { name: 'comments.created', payload: created, recorded: true } as const;
  const outcome = await writeComment(ctx, {
    id,
    documentId: input.documentId,
    revisionId: input.target.revisionId,
    clauseId: input.target.clauseId,
    parentId: input.parentId,
    authorId: user.id,
    groupId,
    type: input.type,
    body: input.body,
    proposedChange: input.proposedChange,
    quotedText: input.quotedText,
    anyTime: input.anyTime,
    memberSlug: input.member?.slug ?? null,
    operator: user.isOperator,
    audit: { actorId: user.id, groupId, action: 'comments.created', entityType: 'comment', entityId: id, after },
    // As presentCommentEvent shows it: the comment itself, with its (still empty) reply count; its
    // instants are the database's, set by the statement.
    present: (bodyHtml) => presentComment({ ...withContext(input, { id, bodyHtml, createdAt: new Date(0) }), _count: { replies: 0 } }),
    stream: address.stream,
    read: address.read,
    event,
  });
  if (!outcome.createdAt) return { window: outcome };
  // Committed, with its realtime log row, NOTIFY and durable deliveries (outcome.enqueued).
  ctx.events.publish([event], outcome.enqueued);
  return { comment: withContext(input, { id, bodyHtml: outcome.bodyHtml, createdAt: outcome.createdAt }) };
}

function withContext(input: InsertInput, c: { id: string; bodyHtml: string; createdAt: Date }): CommentWithContext {
  const { user } = input;
  const comment: Comment = {
    id: c.id,
    documentId: input.documentId,
    revisionId: input.target.revisionId,
    clauseId: input.target.clauseId,
    parentId: input.parentId,
    authorId: user.id,
    type: input.type,
    body: input.body,
    bodyHtml: c.bodyHtml,
    proposedChange: input.proposedChange,
    quotedText: input.quotedText,
    status: 'OPEN',
    version: 1,
    createdAt: c.createdAt,
    updatedAt: c.createdAt,
    withdrawnAt: null,
  };
  return {
    ...comment,
    author: user,
    revision: { sequence: input.target.sequence },
    clause: input.target.clauseNumber === null ? null : { number: input.target.clauseNumber },
  };
}
