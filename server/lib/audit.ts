// The audit log: every state change, who made it, when (database clock, UTC), before and after.
// Always written with the transaction (or the one statement) that makes the change.
//
// What an audit row is, column by column, is defined once, by auditEntriesSql: recordAudit(s)
// run it inside a use case's transaction, and a hot path that writes in one statement (the
// comment writer, ctx.runStatement) embeds it as a CTE, so both write exactly the same row.
import type { Tx } from './use-case.ts';
import { Prisma } from '../generated/prisma/client.ts';

export interface AuditInput {
  actorId: string | null;
  groupId?: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** An entry as the JSON that auditEntriesSql reads (JSON.stringify it, or embed it in a larger JSON parameter). */
export const auditEntryJson = (entry: AuditInput) => ({
  actorId: entry.actorId,
  groupId: entry.groupId ?? null,
  action: entry.action,
  entityType: entry.entityType,
  entityId: entry.entityId,
  before: entry.before ?? null,
  after: entry.after ?? null,
});

/**
 * `INSERT INTO "AuditEntry" …` for each row of `source`: a FROM item with the columns `ord` (the
 * order to write in), `at` (timestamptz; null: the statement's now(), the database clock) and
 * `entry` (jsonb, auditEntryJson). JSON null before/after are stored as SQL NULL, as Prisma's DbNull.
 */
export function auditEntriesSql(source: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "AuditEntry" ("at", "actorId", "groupId", "action", "entityType", "entityId", "before", "after")
    SELECT coalesce(s."at", now()), e."actorId", e."groupId", e."action", e."entityType", e."entityId", e."before", e."after"
    FROM ${source} AS s
    CROSS JOIN LATERAL jsonb_to_record(s.entry) AS e (
      "actorId" uuid, "groupId" uuid, "action" text, "entityType" text, "entityId" text, "before" jsonb, "after" jsonb
    )
    ORDER BY s.ord`;
}

export async function recordAudit(tx: Tx, entry: AuditInput): Promise<void> {
  await recordAudits(tx, [entry]);
}

/** Many entries in one statement (bulk changes), in the given order. */
export async function recordAudits(tx: Tx, entries: readonly AuditInput[]): Promise<void> {
  if (!entries.length) return;
  const json = JSON.stringify(entries.map(auditEntryJson));
  await tx.$executeRaw(
    auditEntriesSql(Prisma.sql`(
    SELECT x.ord, NULL::timestamptz AS "at", x.entry FROM jsonb_array_elements(${json}::jsonb) WITH ORDINALITY AS x(entry, ord)
  )`),
  );
}
