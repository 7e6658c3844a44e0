// The deadline rule, in one place: a comment is accepted when opensAt ≤ arrival < closesAt,
// where "arrival" is the DATABASE clock (`now()`, the transaction's start) — never the app
// server's clock, which may be skewed. A comment arriving at or after closesAt is late.
// Timestamps are stored with millisecond precision (timestamptz(3)), so "1 ms before" is exact.
import { Prisma } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import { describeInstant } from '../../lib/instant.ts';
import type { Tx } from '../../lib/use-case.ts';

/** The SQL predicate, shared by every query that decides (see createComment's single statement). */
export const PERIOD_OPEN_SQL = Prisma.sql`p."opensAt" <= now() AND now() < p."closesAt"`;

export interface CommentWindow {
  /** The database's clock, as seen by this transaction. */
  now: Date;
  open: boolean;
  /** The period that decides: the open one, else the last closed, else the next to open. */
  period: { id: string; opensAt: Date; closesAt: Date } | null;
}

type Db = Pick<Tx, '$queryRaw'>;

/**
 * One row: the database's now, the deciding period (the open one, else the last closed, else the
 * next to open) and whether it is open. A fragment, so the comment insert can decide in the
 * same statement that writes; `revisionId` is an id, or a column of that statement (one window per row).
 */
export const commentWindowSql = (revisionId: string | Prisma.Sql) => Prisma.sql`
    SELECT now() AS now, p.id, p."opensAt", p."closesAt", coalesce(${PERIOD_OPEN_SQL}, false) AS open
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (
      SELECT * FROM "CommentPeriod" AS p WHERE p."revisionId" = ${typeof revisionId === 'string' ? Prisma.sql`${revisionId}::uuid` : revisionId}
      ORDER BY (${PERIOD_OPEN_SQL}) DESC, (p."closesAt" <= now()) DESC,
               CASE WHEN p."closesAt" <= now() THEN p."closesAt" END DESC NULLS LAST, p."opensAt" ASC
      LIMIT 1
    ) AS p ON true`;

export interface CommentWindowRow {
  now: Date;
  id: string | null;
  opensAt: Date | null;
  closesAt: Date | null;
  open: boolean;
}

export function toCommentWindow(row: CommentWindowRow): CommentWindow {
  return { now: row.now, open: row.open, period: row.id ? { id: row.id, opensAt: row.opensAt!, closesAt: row.closesAt! } : null };
}

export async function readCommentWindow(db: Db, revisionId: string): Promise<CommentWindow> {
  const rows = await db.$queryRaw<CommentWindowRow[]>(commentWindowSql(revisionId));
  return toCommentWindow(rows[0]!);
}

/** The 409 for a comment (or edit) outside the period, with the deadline in the message. */
export function commentWindowClosed(window: CommentWindow, revision: { sequence: number }, timeZone: string): AppError {
  const { period, now } = window;
  if (period && period.closesAt.getTime() <= now.getTime()) {
    return AppError.conflict(
      'comment_period_closed',
      `The comment period on revision ${revision.sequence} closed at ${describeInstant(period.closesAt, timeZone)}; nothing was stored.`,
      { closesAt: period.closesAt.toISOString() },
    );
  }
  if (period) {
    return AppError.conflict(
      'comment_period_not_open',
      `Comments on revision ${revision.sequence} open at ${describeInstant(period.opensAt, timeZone)}; nothing was stored.`,
      { opensAt: period.opensAt.toISOString() },
    );
  }
  return AppError.conflict('comment_period_not_open', `No comment period has been opened on revision ${revision.sequence}; nothing was stored.`);
}

export async function assertCommentWindowOpen(tx: Db, revision: { id: string; sequence: number }, timeZone: string): Promise<CommentWindow> {
  const window = await readCommentWindow(tx, revision.id);
  if (!window.open) throw commentWindowClosed(window, revision, timeZone);
  return window;
}
