// Inside the transaction of a change: each live event gets the next sequence number of its stream
// and is appended to the RealtimeEvent log, and a NOTIFY carries it to every instance. NOTIFY is
// transactional: it is delivered only if the change commits, and in commit order — and the
// upserted counter row keeps the writers of one stream in line, so commit order is sequence order.
// Two shapes write the same rows: the before-commit hook (through RealtimePending, numbered at
// COMMIT by a deferred trigger) and one-statement writers (realtimeRecordSql, numbered in the
// statement, which commits on its own).
import { Prisma } from '../../generated/prisma/client.ts';
import type { BeforeCommitHook, DomainEvent, DomainEventMap } from '../../lib/domain-events.ts';
import type { Tx } from '../../lib/use-case.ts';
import type { RealtimeEventDefinition, RealtimeTable } from './realtime.registry.ts';
import { streamKey } from './realtime.registry.ts';
import type { DomainEventName } from '../../lib/domain-events.ts';
import type { GroupAction } from '../groups/groups.policy.ts';

/** NOTIFY payloads must stay under 8000 bytes; larger data is read back from the log by id. */
const INLINE_DATA_BYTES = 7000;

/** What travels on the channel: a stream event, or a control message that changes who follows what. */
export type ChannelMessage =
  | { t: 'e'; id: string; stream: string; seq: number; name: string; groupId: string; read: GroupAction | null; at: string; data: unknown | null }
  | { t: 'c'; control: Control };

export type Control =
  | { type: 'sessions_revoked'; sessionIds: string[] }
  | { type: 'access_changed'; groupId: string; userId: string; role: string | null }
  | { type: 'group_visibility'; groupId: string; visibility: string };

export const eventChannel = (prefix: string) => `${prefix}_events`;

/** Domain events that change who may follow what; they ride the same ordered channel. */
async function controlFor(tx: Tx, event: DomainEvent): Promise<Control[]> {
  switch (event.name) {
    case 'auth.signed_out': {
      const { sessionIds } = event.payload as { sessionIds: string[] };
      const chunks: Control[] = [];
      for (let i = 0; i < sessionIds.length; i += 100) chunks.push({ type: 'sessions_revoked', sessionIds: sessionIds.slice(i, i + 100) });
      return chunks;
    }
    case 'members.removed': {
      const p = event.payload as { groupId: string; userId: string };
      return [{ type: 'access_changed', groupId: p.groupId, userId: p.userId, role: null }];
    }
    case 'members.role_changed': {
      const p = event.payload as { groupId: string; userId: string; role: string };
      return [{ type: 'access_changed', groupId: p.groupId, userId: p.userId, role: p.role }];
    }
    case 'groups.updated': {
      const { groupId } = event.payload as { groupId: string };
      const group = await tx.group.findUnique({ where: { id: groupId }, select: { visibility: true } });
      return group ? [{ type: 'group_visibility', groupId, visibility: group.visibility }] : [];
    }
    default:
      return [];
  }
}

/** An event's stream and presented data, or null when it has none. */
async function presentEvent(tx: Tx, event: DomainEvent, def: RealtimeEventDefinition<DomainEventName>) {
  const ref = def.stream(event.payload);
  const data = await def.present(tx, event.payload);
  if (data === null || data === undefined) return null;
  return { ref, data };
}

/**
 * The before-commit hook that makes domain events live. `table` is read at each call (tests add rows).
 * Every event is presented (reads), then all of the transaction's events and control messages are
 * written, in order, to RealtimePending in one statement; a deferred trigger numbers, logs and
 * NOTIFYs them while the transaction commits (see the realtime_pending migration). The stream's
 * counter row is thus locked only during the commit, not from the append until the application's
 * COMMIT comes back through a busy event loop — which serialized every writer of a document.
 */
export function recordRealtimeEvents(channel: string, table: () => RealtimeTable): BeforeCommitHook {
  return async (tx, events) => {
    const rows: Prisma.Sql[] = [];
    for (const event of events) {
      for (const control of await controlFor(tx, event)) {
        rows.push(Prisma.sql`(${channel}, NULL, NULL, NULL::uuid, NULL, NULL::jsonb, ${JSON.stringify(control)}::jsonb)`);
      }
      const def = table()[event.name] as RealtimeEventDefinition<DomainEventName> | undefined;
      const presented =
        !def || event.recorded ? null : event.live !== undefined ? { ref: def.stream(event.payload), data: event.live } : await presentEvent(tx, event, def);
      if (!def || !presented) continue;
      const read = def.read === 'public' ? null : def.read;
      rows.push(
        Prisma.sql`(${channel}, ${streamKey(presented.ref)}, ${event.name}, ${presented.ref.groupId}::uuid, ${read}, ${JSON.stringify(presented.data)}::jsonb, NULL::jsonb)`,
      );
    }
    if (rows.length === 0) return;
    await tx.$executeRaw`
      INSERT INTO "RealtimePending" ("channel", "stream", "name", "groupId", "readAction", "data", "control")
      VALUES ${Prisma.join(rows)}`;
  };
}

/** Where one written row's event goes: its stream's key, its group and who may read it. */
export function realtimeAddress<K extends DomainEventName>(
  name: K,
  payload: DomainEventMap[K],
  table: RealtimeTable,
): { stream: string; groupId: string; read: string | null } {
  const def = table[name] as RealtimeEventDefinition<K> | undefined;
  if (!def) throw new Error(`${name} is not a realtime event`);
  const ref = def.stream(payload);
  return { stream: streamKey(ref), groupId: ref.groupId, read: def.read === 'public' ? null : def.read };
}

/**
 * For a change that writes its rows in one statement inside a transaction: the CTE that queues the
 * written rows' events in RealtimePending, as the before-commit hook would (numbered, logged and
 * NOTIFYed while the transaction commits). `rows` is as for realtimeRecordSql; the statement need
 * not select from it; `name` null: each row's event is named by its `name` column. Emit the events
 * with `{ recorded: true }`.
 */
export function realtimePendingSql(channel: string, name: DomainEventName | null, rows: Prisma.Sql): Prisma.Sql {
  const named = name === null ? Prisma.sql`r.name` : Prisma.sql`${name}::text`;
  return Prisma.sql`
    rt_pending AS (
      INSERT INTO "RealtimePending" ("channel", "stream", "name", "groupId", "readAction", "data")
      SELECT ${channel}::text, r.stream, ${named}, r."groupId", r.read, r.data FROM ${rows} r ORDER BY r.ord
    )`;
}

/**
 * For changes written by one statement (a hot path, see ctx.runStatement and group-commit.ts): the
 * CTEs that append each written row's event to its stream's log with the next sequence numbers and
 * NOTIFY them, exactly as the before-commit hook would, inside that statement. `rows` names a CTE
 * with one row per event: `ord` (their order), `stream`, `"groupId"`, `read` (realtimeAddress) and
 * `data` (the presented JSON, jsonb). Each stream's counter row is bumped once, by its number of
 * events, so the rows of one statement take consecutive numbers in `ord` order and are notified in
 * sequence order. The statement must select from `rt_notified` (a CTE that is not read is not
 * run). Emit the events with `{ recorded: true }`.
 */
export function realtimeRecordSql(channel: string, name: DomainEventName, rows: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    rt_next AS (
      -- In key order: two statements bumping the same streams lock their counter rows in the same order (no deadlock).
      INSERT INTO "RealtimeStream" ("key", "lastSeq") SELECT r.stream, count(*) FROM ${rows} r GROUP BY r.stream ORDER BY r.stream
      ON CONFLICT ("key") DO UPDATE SET "lastSeq" = "RealtimeStream"."lastSeq" + excluded."lastSeq"
      RETURNING "key", "lastSeq"
    ),
    rt_ev AS (
      INSERT INTO "RealtimeEvent" ("stream", "seq", "name", "groupId", "readAction", "data")
      SELECT r.stream, (n."lastSeq" - count(*) OVER (PARTITION BY r.stream) + row_number() OVER (PARTITION BY r.stream ORDER BY r.ord))::int,
             ${name}::text, r."groupId", r.read, r.data
      FROM ${rows} r JOIN rt_next n ON n."key" = r.stream
      RETURNING "id", "stream", "seq", "groupId", "readAction", "createdAt", "data"
    ),
    rt_notified AS (
      -- A subquery with ORDER BY is not flattened: NOTIFYs are queued, and delivered, in this order.
      SELECT pg_notify(${channel}::text, json_build_object(
        't', 'e', 'id', e."id"::text, 'stream', e.stream, 'seq', e.seq, 'name', ${name}::text,
        'groupId', e."groupId"::text, 'read', e."readAction", 'at', e."createdAt",
        'data', CASE WHEN octet_length(e.data::text) <= ${INLINE_DATA_BYTES}::int THEN e.data ELSE NULL END
      )::text)::text AS notified FROM (SELECT * FROM rt_ev ORDER BY stream, seq) e
    )`;
}
