// The audit log: every state change, who made it, when (database clock, UTC), before and after.
// Always written with the transaction that makes the change.
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

const toJson = (value: unknown) =>
  value === undefined || value === null ? Prisma.DbNull : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);

const toRow = (entry: AuditInput) => ({
  actorId: entry.actorId,
  groupId: entry.groupId ?? null,
  action: entry.action,
  entityType: entry.entityType,
  entityId: entry.entityId,
  before: toJson(entry.before),
  after: toJson(entry.after),
});

export async function recordAudit(tx: Tx, entry: AuditInput): Promise<void> {
  await tx.auditEntry.create({ data: toRow(entry) });
}

/** Many entries in one statement (bulk changes), in the given order. */
export async function recordAudits(tx: Tx, entries: readonly AuditInput[]): Promise<void> {
  if (entries.length) await tx.auditEntry.createMany({ data: entries.map(toRow) });
}
