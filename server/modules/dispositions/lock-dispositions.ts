// Loading and locking what a change needs, once per request however many comments it names:
// the comments (scoped to the group and document), their disposition rows (created at version 0
// when missing, then locked), the database clock with the open comment periods, and the
// change's references (assignee, implementing revision).
import type { Tx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { uuidv7 } from '../../lib/uuid.ts';
import type { Change } from './plan-change.ts';
import type { DispositionWithPeople } from './dispositions.presenter.ts';
import { Prisma } from '../../generated/prisma/client.ts';

export type LoadedComment = { id: string; documentId: string; revisionId: string; authorId: string; parentId: string | null; status: string };

/** Why a comment cannot carry a disposition at all (checked before anything is locked). */
export function checkAdjudicable(comment: LoadedComment | undefined): asserts comment is LoadedComment {
  if (!comment) throw AppError.notFound('That comment', 'comment_not_found');
  if (comment.parentId !== null)
    throw AppError.conflict('reply_has_no_disposition', 'Replies in a thread are not adjudicated; decide on the comment that started it.');
  if (comment.status !== 'OPEN') throw AppError.conflict('comment_withdrawn', 'The commenter withdrew this comment; there is nothing to decide.');
}

export type Clock = { now: Date; open: Set<string>; allowEarly: boolean };

/**
 * One round trip for everything read before the lock: the comments (scoped to the group and
 * document; anything else is absent, hence a 404), whether each already has its disposition row,
 * and the clock — the database instant, the revisions (of those comments) with a comment period
 * open at it, and the group's setting, read here rather than from the access object (whose group
 * row is loaded with a fixed column list by the groups module).
 */
export async function loadForChange(tx: Tx, groupId: string, documentId: string, commentIds: string[]) {
  const [row] = await tx.$queryRaw<[{ now: Date; comments: Array<LoadedComment & { hasDisposition: boolean }>; openRevisions: string[]; allowEarly: boolean }]>`
    WITH found AS (
      SELECT c.id, c."documentId", c."revisionId", c."authorId", c."parentId", c.status::text AS status,
             EXISTS (SELECT 1 FROM "Disposition" x WHERE x."commentId" = c.id) AS "hasDisposition"
      FROM "Comment" c JOIN "Document" d ON d.id = c."documentId"
      WHERE c.id = ANY(${commentIds}::uuid[]) AND c."documentId" = ${documentId}::uuid AND d."groupId" = ${groupId}::uuid
    )
    SELECT now() AS now,
      coalesce((SELECT json_agg(found) FROM found), '[]'::json) AS comments,
      ARRAY(SELECT DISTINCT p."revisionId"::text FROM "CommentPeriod" p
            WHERE p."revisionId" IN (SELECT "revisionId" FROM found) AND p."opensAt" <= now() AND now() < p."closesAt") AS "openRevisions",
      (SELECT g."allowEarlyAdjudication" FROM "Group" g WHERE g.id = ${groupId}::uuid) AS "allowEarly"`;
  const clock: Clock = { now: row.now, open: new Set(row.openRevisions), allowEarly: row.allowEarly };
  return { comments: row.comments, clock };
}

const person = (column: string, alias: string) =>
  Prisma.raw(
    `CASE WHEN ${alias}.id IS NULL THEN NULL ELSE json_build_object('id', ${alias}.id, 'name', ${alias}.name, 'affiliation', ${alias}.affiliation) END AS "${column}"`,
  );

/**
 * The disposition rows of these comments with the people and revision they name, in one statement
 * (an include costs a query per relation). `lock`: FOR UPDATE, in commentId order, in a CTE so that
 * the joins read the row version the lock waited for (a join in the locking query itself would be
 * rechecked against the people of the version first seen).
 */
export async function readDispositions(tx: Tx, commentIds: string[], lock: boolean): Promise<DispositionWithPeople[]> {
  return withPeople(
    tx,
    lock
      ? Prisma.sql`SELECT * FROM "Disposition" WHERE "commentId" = ANY(${commentIds}::uuid[]) ORDER BY "commentId" FOR UPDATE`
      : Prisma.sql`SELECT * FROM "Disposition" WHERE "commentId" = ANY(${commentIds}::uuid[])`,
  );
}

/**
 * Writes one set of values to these (locked, version-checked) rows, each at its version + 1, and
 * answers them as written with their people: one statement where an update and a read took two.
 * The values are the state machine's (planChange), keyed by column; jsonb_populate_record gives
 * each its column's type (enums, instants) as Prisma would have.
 */
export async function updateDispositions(tx: Tx, rowIds: string[], data: Record<string, unknown>): Promise<DispositionWithPeople[]> {
  const columns = Object.keys(data).filter((k) => data[k] !== undefined);
  const set = Prisma.join(
    columns.map((k) => Prisma.raw(`"${k.replaceAll('"', '')}" = v."${k.replaceAll('"', '')}"`)),
    ', ',
  );
  return withPeople(
    tx,
    Prisma.sql`UPDATE "Disposition" d SET ${set}, version = d.version + 1
      FROM jsonb_populate_record(NULL::"Disposition", ${JSON.stringify(data)}::jsonb) AS v
      WHERE d.id = ANY(${rowIds}::uuid[]) RETURNING d.*`,
  );
}

async function withPeople(tx: Tx, rows: Prisma.Sql): Promise<DispositionWithPeople[]> {
  return tx.$queryRaw<DispositionWithPeople[]>`
    WITH rows AS (${rows})
    SELECT d.id, d."commentId", d."documentId", d.code::text AS code, d.status::text AS status, d.rationale, d."adoptedText", d.version,
           d."assigneeId", d."draftedById", d."proposedById", d."proposedAt", d."respondBy", d."responseKind"::text AS "responseKind",
           d."responseText", d."respondedAt", d."finalisedById", d."finalisedAt", d."implementedInRevisionId", d."createdAt", d."updatedAt",
           d."finalisedOver"::text AS "finalisedOver",
           ${person('assignee', 'au')}, ${person('draftedBy', 'du')}, ${person('proposedBy', 'pu')}, ${person('finalisedBy', 'fu')},
           CASE WHEN r.id IS NULL THEN NULL ELSE json_build_object('id', r.id, 'sequence', r.sequence, 'label', r.label) END AS "implementedIn"
    FROM rows d
    LEFT JOIN "User" au ON au.id = d."assigneeId"
    LEFT JOIN "User" du ON du.id = d."draftedById"
    LEFT JOIN "User" pu ON pu.id = d."proposedById"
    LEFT JOIN "User" fu ON fu.id = d."finalisedById"
    LEFT JOIN "Revision" r ON r.id = d."implementedInRevisionId"
    ORDER BY d."commentId"`;
}

/**
 * Creates the missing rows (version 0; only when the load saw one missing) and locks every row of
 * the selection, in commentId order so that two overlapping selections can never deadlock. A
 * concurrent writer waits here and then reads the committed version, so the version checks below
 * are exact. A row is never deleted but with its comment, so one seen to exist still does.
 */
export async function lockDispositions(tx: Tx, comments: Array<LoadedComment & { hasDisposition?: boolean }>) {
  const commentIds = comments.map((c) => c.id).sort();
  if (!commentIds.length) return new Map<string, DispositionWithPeople>();
  const missing = comments.filter((c) => !c.hasDisposition).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (missing.length) {
    const rowIds = missing.map(() => uuidv7());
    await tx.$executeRaw`
      INSERT INTO "Disposition" (id, "commentId", "documentId", "updatedAt")
      SELECT *, now() FROM unnest(${rowIds}::uuid[], ${missing.map((c) => c.id)}::uuid[], ${missing.map((c) => c.documentId)}::uuid[])
      ON CONFLICT ("commentId") DO NOTHING`;
  }
  const rows = await readDispositions(tx, commentIds, true);
  return new Map(rows.map((r) => [r.commentId, r]));
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
