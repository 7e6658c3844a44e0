// Loading and locking what a change needs, once per request however many comments it names:
// the comments (scoped to the group and document), their disposition rows (created at version 0
// when missing, then locked), the database clock with the open comment periods, and the
// change's references (assignee, implementing revision).
import type { Tx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { uuidv7 } from '../../lib/uuid.ts';
import type { Change } from './plan-change.ts';
import { dispositionInclude, type DispositionWithPeople } from './dispositions.presenter.ts';

export type LoadedComment = { id: string; documentId: string; revisionId: string; authorId: string; parentId: string | null; status: string };

/** Why a comment cannot carry a disposition at all (checked before anything is locked). */
export function checkAdjudicable(comment: LoadedComment | undefined): asserts comment is LoadedComment {
  if (!comment) throw AppError.notFound('That comment', 'comment_not_found');
  if (comment.parentId !== null)
    throw AppError.conflict('reply_has_no_disposition', 'Replies in a thread are not adjudicated; decide on the comment that started it.');
  if (comment.status !== 'OPEN') throw AppError.conflict('comment_withdrawn', 'The commenter withdrew this comment; there is nothing to decide.');
}

/**
 * Creates the missing rows (version 0) and locks every row of the selection, in commentId order
 * so that two overlapping selections can never deadlock. A concurrent writer waits here and then
 * reads the committed version, so the version checks below are exact.
 */
export async function lockDispositions(tx: Tx, comments: LoadedComment[]) {
  const commentIds = comments.map((c) => c.id).sort();
  if (!commentIds.length) return new Map<string, DispositionWithPeople>();
  const documentIds = commentIds.map((id) => comments.find((c) => c.id === id)!.documentId);
  const rowIds = commentIds.map(() => uuidv7());
  await tx.$executeRaw`
    INSERT INTO "Disposition" (id, "commentId", "documentId", "updatedAt")
    SELECT * FROM unnest(${rowIds}::uuid[], ${commentIds}::uuid[], ${documentIds}::uuid[]), now()
    ON CONFLICT ("commentId") DO NOTHING`;
  await tx.$queryRaw`SELECT id FROM "Disposition" WHERE "commentId" = ANY(${commentIds}::uuid[]) ORDER BY "commentId" FOR UPDATE`;
  const rows = await tx.disposition.findMany({ where: { commentId: { in: commentIds } }, include: dispositionInclude });
  return new Map(rows.map((r) => [r.commentId, r]));
}

/**
 * The database clock, the revisions (of those given) with a comment period open now, and the
 * group's setting — read here, in the transaction, rather than from the access object (whose
 * group row is loaded with a fixed column list by the groups module).
 */
export async function readClock(tx: Tx, revisionIds: string[], groupId: string) {
  const [row] = await tx.$queryRaw<[{ now: Date; openRevisions: string[]; allowEarly: boolean }]>`
    SELECT now() AS now,
      ARRAY(SELECT DISTINCT p."revisionId"::text FROM "CommentPeriod" p
            WHERE p."revisionId" = ANY(${revisionIds}::uuid[]) AND p."opensAt" <= now() AND now() < p."closesAt") AS "openRevisions",
      (SELECT g."allowEarlyAdjudication" FROM "Group" g WHERE g.id = ${groupId}::uuid) AS "allowEarly"`;
  return { now: row.now, open: new Set(row.openRevisions), allowEarly: row.allowEarly };
}

/** What the change refers to (the assignee, the implementing revision): the same for every item, so looked up once. */
export async function resolveReferences(tx: Tx, groupId: string, documentId: string, change: Change) {
  try {
    if (change.kind === 'assign' && change.assigneeId !== null) await checkAssignee(tx, groupId, change.assigneeId);
    if (change.kind === 'implement' && change.revision !== null) return { revisionId: await findRevisionId(tx, documentId, change.revision) };
    return { revisionId: null };
  } catch (err) {
    if (err instanceof AppError) return { error: err, revisionId: null };
    throw err;
  }
}

async function checkAssignee(tx: Tx, groupId: string, userId: string) {
  const member = await tx.membership.findUnique({ where: { groupId_userId: { groupId, userId } }, select: { role: true } });
  if (!member || (member.role !== 'CONVENER' && member.role !== 'EDITOR')) {
    throw AppError.unprocessable('assignee_not_adjudicator', 'Comments are assigned to a convener or an editor of this group.', { field: 'body.assigneeId' });
  }
}

async function findRevisionId(tx: Tx, documentId: string, sequence: number) {
  const revision = await tx.revision.findUnique({ where: { documentId_sequence: { documentId, sequence } }, select: { id: true } });
  if (!revision) throw AppError.notFound(`Revision ${sequence} of that document`, 'revision_not_found');
  return revision.id;
}
