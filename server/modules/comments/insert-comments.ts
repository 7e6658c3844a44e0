// The one statement that writes comments. Each comment's deadline is decided by the database in
// the very statement that writes: an INSERT … SELECT guarded by the period predicate
// (comment-window.ts) and, for a comment from the API, by the membership and role (the policy's
// roles for comments.create, or the operator), with the audit entry (audit.ts) and the realtime log
// row + NOTIFY (realtime/record-events.ts) in the same statement, written by the helpers every
// other write uses, so a refused comment stores nothing and an accepted one carries, as createdAt,
// exactly the database instant (the statement's now()) that was judged.
//
// A comment whose event has durable subscribers (a reply: its thread notification) needs its
// delivery jobs (the outbox, written by pg-boss's own insert) to commit with it: a batch holding
// one runs its statement and those inserts in one transaction (a round trip or two more, for
// replies only); a batch of top-level comments, the hot path, stays one statement outside any.
//
// Comments that arrive while earlier ones are being written go together (group-commit.ts): the
// statement takes a JSON array, one element per comment, and answers one row per comment, so its
// text never changes (one prepared statement) whether it writes one comment or a hundred.
import { Prisma, type CommentType, type Role } from '../../generated/prisma/client.ts';
import type { Ctx } from '../../lib/use-case.ts';
import type { DomainEvent, EnqueuedDelivery } from '../../lib/domain-events.ts';
import { auditEntriesSql, auditEntryJson, type AuditInput } from '../../lib/audit.ts';
import { groupCommit } from '../../lib/group-commit.ts';
import { rolesAllowed } from '../groups/groups.policy.ts';
import { commentWindowSql, type CommentWindowRow } from '../periods/comment-window.ts';
import { eventChannel, realtimeRecordSql } from '../realtime/record-events.ts';
import { renderCommentBody } from './comment-text.ts';

export interface CommentRow {
  id: string;
  documentId: string;
  revisionId: string;
  clauseId: string | null;
  parentId: string | null;
  authorId: string;
  groupId: string;
  type: CommentType | null;
  body: string;
  bodyHtml: string;
  proposedChange: string;
  quotedText: string | null;
  /** Accepted outside the comment period (a convener's reply). */
  anyTime: boolean;
  /** Set for a comment from the API: the statement itself checks that the group has this slug and the author may comment in it. */
  memberSlug: string | null;
  /** The author is the operator, who may comment in any group (can() in groups.policy.ts). */
  operator: boolean;
  /** The audit entry (auditEntryJson); its instant is the statement's. */
  audit: ReturnType<typeof auditEntryJson>;
  /** The comment as sockets show it; the statement sets its createdAt and updatedAt. */
  presented: unknown;
  /** Its realtime stream (realtimeAddress). */
  stream: string;
  read: string | null;
}

/** A comment to write, with its Markdown not yet rendered: its batch renders it (writeComment). */
export interface CommentDraft extends Omit<CommentRow, 'bodyHtml' | 'presented' | 'audit'> {
  audit: AuditInput;
  /** Its comments.created event, whose durable deliveries are enqueued with the comment (not part of the row). */
  event: DomainEvent<'comments.created'>;
  /** The comment as sockets show it, given its rendered body. */
  present: (bodyHtml: string) => unknown;
}

/** The deciding window, the database instant the comment was stored at (null: not stored) and its rendered body. */
export type CommentWriteOutcome = CommentWindowRow & {
  createdAt: Date | null;
  bodyHtml: string;
  /** The durable deliveries committed with the comment (EventBus.publish's `enqueued`); undefined when it has none. */
  enqueued?: EnqueuedDelivery[];
};

/** The roles the statement accepts for a `memberSlug` row: a fixed list, so the SQL text stays one prepared statement. */
const WRITER_ROLES: readonly Role[] = rolesAllowed('comments.create');

function insertCommentsSql(channel: string, rows: CommentRow[]): Prisma.Sql {
  const iso = Prisma.sql`to_jsonb(to_char(ins."createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
  // All rows as ONE JSON parameter: native JSON.stringify, where 18 array parameters cost pg's
  // JavaScript array escaping (a twentieth of the comment POST's CPU).
  const input = JSON.stringify(rows.map((row, ord) => ({ ...row, ord })));
  return Prisma.sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${input}::jsonb) AS i (
        "id" uuid, "documentId" uuid, "revisionId" uuid, "clauseId" uuid, "parentId" uuid, "authorId" uuid, "groupId" uuid,
        "type" "CommentType", "body" text, "bodyHtml" text, "proposedChange" text, "quotedText" text, "anyTime" boolean,
        "memberSlug" text, "operator" boolean, "audit" jsonb, "presented" jsonb, "stream" text, "read" text, "ord" int
      )
    ),
    win AS (
      SELECT i.ord, w.* FROM input i CROSS JOIN LATERAL (${commentWindowSql(Prisma.sql`i."revisionId"`)}) AS w
    ),
    ins AS (
      INSERT INTO "Comment" ("id", "documentId", "revisionId", "clauseId", "parentId", "authorId", "type", "body", "bodyHtml",
                             "proposedChange", "quotedText", "status", "version", "createdAt", "updatedAt")
      SELECT i."id", i."documentId", i."revisionId", i."clauseId", i."parentId", i."authorId", i."type", i."body", i."bodyHtml",
             i."proposedChange", i."quotedText", 'OPEN', 1, w.now, w.now
      FROM input i JOIN win w ON w.ord = i.ord
      WHERE (w.open OR i."anyTime")
        AND (i."memberSlug" IS NULL OR EXISTS (
          SELECT 1 FROM "Group" g
          WHERE g.id = i."groupId" AND g.slug = i."memberSlug"
            AND (i."operator" OR EXISTS (
              SELECT 1 FROM "Membership" m
              WHERE m."groupId" = g.id AND m."userId" = i."authorId" AND m.role::text IN (${Prisma.join([...WRITER_ROLES])})))))
      ORDER BY i.ord
      RETURNING "id", "createdAt"
    ),
    audit AS (${auditEntriesSql(Prisma.sql`(SELECT i.ord, ins."createdAt" AS "at", i.audit AS entry FROM ins JOIN input i ON i.id = ins.id)`)}
    ),
    rt_rows AS (
      SELECT i.ord, i.stream, i."groupId", i.read,
             jsonb_set(jsonb_set(i.presented, '{createdAt}', ${iso}), '{updatedAt}', ${iso}) AS data
      FROM ins JOIN input i ON i.id = ins.id
    ),
    ${realtimeRecordSql(channel, 'comments.created', Prisma.sql`rt_rows`)}
    SELECT w.now, w.id, w."opensAt", w."closesAt", w.open, ins."createdAt", (SELECT count(*)::int FROM rt_notified) AS notified
    FROM input i JOIN win w ON w.ord = i.ord LEFT JOIN ins ON ins.id = i.id
    ORDER BY i.ord`;
}

/**
 * One batch in the database at a time, of at most 100 comments; the rest coalesce behind it. Batches
 * on one document serialize on its realtime counter row anyway (record-events.ts), so a second one in
 * flight mostly waits on that lock: with 2, the comment bench gave 3-6% fewer comments/s (4 A/B pairs).
 */
const MAX_BATCH = 100;
const MAX_IN_FLIGHT = 1;

const writers = new WeakMap<Ctx, (draft: CommentDraft) => Promise<CommentWriteOutcome>>();

/**
 * Renders the batch's Markdown, all of it back to back just before its statement: marked's code and
 * data stay hot from one comment to the next, which made rendering cost under half as much per
 * comment as one render per request between everything else a request does (15 vs 35 µs measured
 * under the comment bench's load).
 */
function prepare(drafts: CommentDraft[]): CommentRow[] {
  return drafts.map(({ present, event: _event, ...draft }) => {
    const bodyHtml = renderCommentBody(draft.body);
    return { ...draft, bodyHtml, presented: present(bodyHtml), audit: auditEntryJson(draft.audit) };
  });
}

/** Which drafts' events have a durable subscriber that wants them (its `when`): those are enqueued in the transaction. */
function durableDrafts(ctx: Ctx, drafts: CommentDraft[]): boolean[] {
  const subscribers = ctx.events.durableSubscribers().filter((d) => d.event === 'comments.created');
  if (!subscribers.length) return drafts.map(() => false);
  return drafts.map((d) => subscribers.some((s) => !s.when || (s.when as (p: unknown) => boolean)(d.event.payload)));
}

/** Writes one comment (with others arriving at the same time); resolves once it is committed. */
export function writeComment(ctx: Ctx, draft: CommentDraft): Promise<CommentWriteOutcome> {
  let write = writers.get(ctx);
  if (!write) {
    const channel = eventChannel(ctx.config.realtimeChannel);
    write = groupCommit<CommentDraft, CommentWriteOutcome>({
      maxBatch: MAX_BATCH,
      maxInFlight: MAX_IN_FLIGHT,
      write: async (drafts) => {
        const rows = prepare(drafts);
        const sql = insertCommentsSql(channel, rows);
        const durable = durableDrafts(ctx, drafts);
        if (!durable.some(Boolean)) {
          const outcomes = await ctx.runStatement<Omit<CommentWriteOutcome, 'bodyHtml'>>(sql);
          return outcomes.map((outcome, i) => ({ ...outcome, bodyHtml: rows[i]!.bodyHtml }));
        }
        return ctx.prisma.$transaction(async (tx) => {
          const outcomes = await tx.$queryRaw<Omit<CommentWriteOutcome, 'bodyHtml'>[]>(sql);
          const written: CommentWriteOutcome[] = [];
          for (const [i, outcome] of outcomes.entries()) {
            const enqueued = outcome.createdAt && durable[i] ? await ctx.events.enqueueDurable(tx, [drafts[i]!.event]) : undefined;
            written.push({ ...outcome, bodyHtml: rows[i]!.bodyHtml, enqueued });
          }
          return written;
        });
      },
    });
    writers.set(ctx, write);
  }
  return write(draft);
}
