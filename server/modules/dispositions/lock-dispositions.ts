// Loading and locking what a change needs, once per request however many comments it names:
// the comments (scoped to the group and document), their disposition rows (created at version 0
// when missing, and locked), the database clock with the open comment periods, and the change's
// references (assignee, implementing revision). Statements on a pipelined transaction
// (transactPipelined): what is sent together costs one round trip.
import type { Pipeline } from '../../lib/use-case.ts';
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

type Person = { id: string; name: string; affiliation: string };
/** What a change names besides its comments, looked up once per request (see resolveReferences). */
export type References = { revisionId: string | null; assignee?: Person | null; revision?: { id: string; sequence: number; label: string }; error?: AppError };

/**
 * Everything a change reads, in one statement, with the disposition rows locked: the comments
 * (scoped to the group and document; anything else is absent, hence a 404), the clock (the
 * database instant, the revisions of those comments with a comment period open at it, the
 * group's setting, read here rather than from the access object, whose group row the groups
 * module loads with a fixed column list), and each comment's disposition row with the people and
 * revision it names — created at version 0 for a comment that can carry one and has none yet.
 *
 * The existing rows are locked FOR UPDATE in commentId order (two overlapping selections never
 * deadlock); a concurrent writer is waited for and its committed version read, so the version
 * checks are exact. The rows this statement creates are its own until it commits. A row someone
 * else created after this statement's snapshot is neither (rare: two first decisions on one
 * comment at once) and is locked by a second statement. Creating before authorizing is harmless:
 * any refusal rolls the whole change back.
 */
export async function loadAndLock(p: Pipeline, groupId: string, documentId: string, commentIds: string[]) {
  const ids = [...new Set(commentIds)].sort();
  const rowIds = ids.map(() => uuidv7());
  const rows = await p.run<LoadRow>(Prisma.sql`
    WITH found AS (
      SELECT c.id, c."documentId", c."revisionId", c."authorId", c."parentId", c.status::text AS status
      FROM "Comment" c JOIN "Document" d ON d.id = c."documentId"
      WHERE c.id = ANY(${ids}::uuid[]) AND c."documentId" = ${documentId}::uuid AND d."groupId" = ${groupId}::uuid
    ),
    created AS (
      INSERT INTO "Disposition" (id, "commentId", "documentId", "updatedAt")
      SELECT n.id, f.id, f."documentId", now()
      FROM found f JOIN unnest(${ids}::uuid[], ${rowIds}::uuid[]) AS n("commentId", id) ON n."commentId" = f.id
      WHERE f."parentId" IS NULL AND f.status = 'OPEN'
      ORDER BY f.id
      ON CONFLICT ("commentId") DO NOTHING
      RETURNING *
    ),
    locked AS (
      SELECT x.* FROM "Disposition" x WHERE x."commentId" IN (SELECT id FROM found) ORDER BY x."commentId" FOR UPDATE
    ),
    rows AS (SELECT * FROM locked UNION ALL SELECT * FROM created),
    presented AS (${withPeopleSql(Prisma.sql`rows`)})
    SELECT h.*, d.*
    FROM (
      SELECT now() AS now,
        coalesce((SELECT json_agg(found) FROM found), '[]'::json) AS comments,
        ARRAY(SELECT DISTINCT cp."revisionId"::text FROM "CommentPeriod" cp
              WHERE cp."revisionId" IN (SELECT "revisionId" FROM found) AND cp."opensAt" <= now() AND now() < cp."closesAt") AS "openRevisions",
        (SELECT g."allowEarlyAdjudication" FROM "Group" g WHERE g.id = ${groupId}::uuid) AS "allowEarly"
    ) h
    LEFT JOIN presented d ON true
    ORDER BY d."commentId"`);
  const head = rows[0]!;
  const clock: Clock = { now: head.now, open: new Set(head.openRevisions), allowEarly: head.allowEarly };
  const locked = new Map<string, DispositionWithPeople>();
  for (const { now: _now, comments: _comments, openRevisions: _open, allowEarly: _early, ...row } of rows) {
    if (row.id !== null) locked.set(row.commentId, row as DispositionWithPeople);
  }
  const unseen = head.comments.filter((c) => c.parentId === null && c.status === 'OPEN' && !locked.has(c.id)).map((c) => c.id);
  if (unseen.length) for (const row of await readDispositions(p, unseen, true)) locked.set(row.commentId, row);
  return { comments: head.comments, clock, locked };
}

type LoadRow = { now: Date; comments: LoadedComment[]; openRevisions: string[]; allowEarly: boolean } & (
  | DispositionWithPeople
  | ({ id: null } & Record<string, never>)
);

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
export async function readDispositions(p: Pipeline, commentIds: string[], lock: boolean): Promise<DispositionWithPeople[]> {
  const rows = lock
    ? Prisma.sql`SELECT * FROM "Disposition" WHERE "commentId" = ANY(${commentIds}::uuid[]) ORDER BY "commentId" FOR UPDATE`
    : Prisma.sql`SELECT * FROM "Disposition" WHERE "commentId" = ANY(${commentIds}::uuid[])`;
  return p.run<DispositionWithPeople>(Prisma.sql`WITH rows AS (${rows}) ${withPeopleSql(Prisma.sql`rows`)} ORDER BY d."commentId"`);
}

/** The presented columns of the disposition rows of `rows` (a CTE or a subquery) with their people and revision. */
function withPeopleSql(rows: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT d.id, d."commentId", d."documentId", d.code::text AS code, d.status::text AS status, d.rationale, d."adoptedText", d.version,
           d."assigneeId", d."draftedById", d."proposedById", d."proposedAt", d."respondBy", d."responseKind"::text AS "responseKind",
           d."responseText", d."respondedAt", d."finalisedById", d."finalisedAt", d."implementedInRevisionId", d."createdAt", d."updatedAt",
           d."finalisedOver"::text AS "finalisedOver",
           ${person('assignee', 'au')}, ${person('draftedBy', 'du')}, ${person('proposedBy', 'pu')}, ${person('finalisedBy', 'fu')},
           CASE WHEN r.id IS NULL THEN NULL ELSE json_build_object('id', r.id, 'sequence', r.sequence, 'label', r.label) END AS "implementedIn"
    FROM ${rows} d
    LEFT JOIN "User" au ON au.id = d."assigneeId"
    LEFT JOIN "User" du ON du.id = d."draftedById"
    LEFT JOIN "User" pu ON pu.id = d."proposedById"
    LEFT JOIN "User" fu ON fu.id = d."finalisedById"
    LEFT JOIN "Revision" r ON r.id = d."implementedInRevisionId"`;
}

/**
 * What the change refers to (the assignee, the implementing revision): the same for every item, so
 * looked up once, sent with the load. A refusal is kept for planChange, which reports it in the
 * order a single request meets its checks.
 */
export async function resolveReferences(p: Pipeline, groupId: string, documentId: string, change: Change): Promise<References> {
  if (change.kind === 'assign' && change.assigneeId !== null) {
    const [member] = await p.run<Person & { role: string }>(Prisma.sql`
      SELECT u.id, u.name, u.affiliation, m.role::text AS role FROM "Membership" m JOIN "User" u ON u.id = m."userId"
      WHERE m."groupId" = ${groupId}::uuid AND m."userId" = ${change.assigneeId}::uuid`);
    if (!member || (member.role !== 'CONVENER' && member.role !== 'EDITOR')) {
      return {
        revisionId: null,
        error: AppError.unprocessable('assignee_not_adjudicator', 'Comments are assigned to a convener or an editor of this group.', {
          field: 'body.assigneeId',
        }),
      };
    }
    return { revisionId: null, assignee: { id: member.id, name: member.name, affiliation: member.affiliation } };
  }
  if (change.kind === 'implement' && change.revision !== null) {
    const [revision] = await p.run<{ id: string; sequence: number; label: string }>(Prisma.sql`
      SELECT id, sequence, label FROM "Revision" WHERE "documentId" = ${documentId}::uuid AND sequence = ${change.revision}`);
    if (!revision) return { revisionId: null, error: AppError.notFound(`Revision ${change.revision} of that document`, 'revision_not_found') };
    return { revisionId: revision.id, revision };
  }
  return { revisionId: null };
}
