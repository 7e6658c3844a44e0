// The fair baselines of bench/hot-routes.bench.ts: bare Fastify + pg, each route a hand-written
// handler running the SQL such a handler needs to give the same answer — the session looked up by
// its token's HMAC, membership checked, the same rows read (or written: the row, its audit entry
// and its realtime event with the next sequence number, in one statement), the same JSON fields.
// No cache, no schema, no hooks: what the answer costs the database and Node at least.
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyRequest } from 'fastify';
import pg from 'pg';
import { Prisma } from '../../server/generated/prisma/client.ts';
import { auditEntriesSql } from '../../server/lib/audit.ts';
import { hashToken } from '../../server/lib/tokens.ts';
import { realtimeRecordSql } from '../../server/modules/realtime/record-events.ts';

// biome-ignore lint/suspicious/noExplicitAny: rows of hand-written SQL, read as a hand-written handler reads them
type Row = Record<string, any>;

// The actions the group page lists (groups.policy.ts abilities), decided here by role as a hand-written handler would.
const ABILITIES = [
  'group.read',
  'group.update',
  'members.read',
  'members.readEmails',
  'members.invite',
  'members.manage',
  'milestones.manage',
  'audit.read',
  'digests.read',
  'digests.manage',
  'documents.read',
  'revisions.post',
  'documents.create',
  'periods.manage',
  'comments.read',
  'comments.create',
  'comments.reply',
  'comments.replyAnyTime',
  'comments.editOwn',
  'comments.withdrawOwn',
];
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const lower = (s: string | null) => (s ? s.toLowerCase() : null);
const person = (id: string | null, name: string | null, affiliation: string | null) => (id ? { id, name, affiliation } : null);

export async function startBareRoutes(
  databaseUrl: string,
  options: {
    sessionSecret: string;
    channel: string;
    /** After a write commits: the bare fan-out (the deadline rush broadcasts it with socket.io). */
    onWrite?: (documentId: string, name: 'comments.created' | 'comments.updated', comment: Record<string, unknown>) => void;
  },
) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  pool.on('error', () => {});
  const q = async <T = Row>(text: string, values: unknown[] = []) => (await pool.query(text, values)).rows as T[];
  const run = async <T = Row>(sql: Prisma.Sql) => (await pool.query(sql.text, sql.values)).rows as T[];
  const app = Fastify({ logger: false });

  const token = (request: FastifyRequest) => {
    const raw = /__Host-convene_session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1] ?? '';
    return hashToken(options.sessionSecret, raw);
  };
  /** Session, user, group and membership in one statement; null when any is missing. */
  const access = async (request: FastifyRequest, slug: string) => {
    const [row] = await q(
      `SELECT u.id AS "userId", u.name AS "userName", u.affiliation AS "userAffiliation", u."isOperator", s."csrfToken",
              g.id, g.slug, g.name, g.acronym, g."parentBodies", g.visibility::text, g."termsOfReference", g."mailingList", g."timeZone", g."createdAt",
              m.role::text AS role
       FROM "Session" s JOIN "User" u ON u.id = s."userId" JOIN "Group" g ON g.slug = $2
       LEFT JOIN "Membership" m ON m."groupId" = g.id AND m."userId" = u.id
       WHERE s."tokenHash" = $1 AND s."revokedAt" IS NULL AND s."expiresAt" > now()`,
      [token(request), slug],
    );
    return row && (row.role || row.isOperator) ? row : null;
  };

  app.get<{ Params: { slug: string } }>('/api/groups/:slug', async (request, reply) => {
    const a = await access(request, request.params.slug);
    if (!a) return reply.status(404).send({ code: 'group_not_found' });
    const [milestones, [count], periods] = await Promise.all([
      q(`SELECT id, at, kind::text, label, effect::text, "revisionId", sequence FROM "Milestone" WHERE "groupId" = $1 ORDER BY at`, [a.id]),
      q(`SELECT count(*)::int AS n FROM "Membership" WHERE "groupId" = $1`, [a.id]),
      q(
        `SELECT p.id, p."documentId", p."opensAt", p."closesAt", r.id AS "revisionId", r.sequence, r.label, now() AS now
         FROM "CommentPeriod" p JOIN "Document" d ON d.id = p."documentId" JOIN "Revision" r ON r.id = p."revisionId"
         WHERE d."groupId" = $1 ORDER BY p."closesAt", p.id`,
        [a.id],
      ),
    ]);
    const now = periods[0]?.now ?? new Date();
    const open = periods.find((p) => p.opensAt <= now && now < p.closesAt);
    const at = (d: Date) => ({ utc: d.toISOString(), zone: a.timeZone, local: d.toISOString() });
    return {
      slug: a.slug,
      name: a.name,
      acronym: a.acronym,
      parentBodies: a.parentBodies,
      visibility: lower(a.visibility),
      myRole: lower(a.role),
      id: a.id,
      termsOfReference: a.termsOfReference,
      mailingList: a.mailingList,
      timeZone: a.timeZone,
      memberCount: count!.n,
      milestones: milestones.map((m) => ({
        id: m.id,
        at: m.at.toISOString(),
        kind: lower(m.kind),
        label: m.label,
        effect: lower(m.effect),
        revisionId: m.revisionId,
      })),
      phase: {
        at: at(now),
        kind: open ? 'comments_open' : 'preparation',
        text: open ? `Comments open on rev ${open.sequence} until ${open.closesAt.toISOString()}` : 'In preparation',
        documentId: open?.documentId ?? null,
        revision: open ? { id: open.revisionId, sequence: open.sequence, label: open.label } : null,
        periodId: open?.id ?? null,
        deadline: open ? at(open.closesAt) : null,
        next: null,
      },
      abilities: Object.fromEntries(ABILITIES.map((k) => [k, a.role === 'CONVENER' || k.endsWith('.read')])),
      createdAt: a.createdAt.toISOString(),
    };
  });

  app.get<{ Params: { slug: string; documentId: string; sequence: string } }>(
    '/api/groups/:slug/documents/:documentId/revisions/:sequence',
    async (request, reply) => {
      const a = await access(request, request.params.slug);
      if (!a) return reply.status(404).send({ code: 'group_not_found' });
      const [r] = await q(
        `SELECT r.*, r.format::text AS format, u.name AS "posterName", u.affiliation AS "posterAffiliation"
         FROM "Revision" r JOIN "Document" d ON d.id = r."documentId" LEFT JOIN "User" u ON u.id = r."postedById"
         WHERE d.id = $1 AND d."groupId" = $2 AND r.sequence = $3`,
        [request.params.documentId, a.id, Number(request.params.sequence)],
      );
      if (!r) return reply.status(404).send({ code: 'revision_not_found' });
      const [clauses, counts, carried, periods] = await Promise.all([
        q(`SELECT id, position, number, heading, html FROM "Clause" WHERE "revisionId" = $1 ORDER BY position`, [r.id]),
        q(`SELECT "clauseId", count(*)::int AS n FROM "Comment" WHERE "revisionId" = $1 AND "parentId" IS NULL AND status = 'OPEN' GROUP BY "clauseId"`, [
          r.id,
        ]),
        q(
          `SELECT cf."clauseId", cf."commentId", cf.reason::text, cf.similarity, c.type::text, c.status::text, rv.sequence, cl.number
           FROM "CommentCarryForward" cf JOIN "Comment" c ON c.id = cf."commentId" JOIN "Revision" rv ON rv.id = c."revisionId"
           LEFT JOIN "Clause" cl ON cl.id = c."clauseId" WHERE cf."revisionId" = $1 ORDER BY c."createdAt"`,
          [r.id],
        ),
        q(`SELECT id, "opensAt", "closesAt" FROM "CommentPeriod" WHERE "revisionId" = $1 ORDER BY "opensAt"`, [r.id]),
      ]);
      const countOf = new Map(counts.map((c) => [c.clauseId, c.n]));
      const link = (l: Row) => ({
        commentId: l.commentId,
        fromRevision: l.sequence,
        fromClauseNumber: l.number,
        type: lower(l.type),
        status: lower(l.status),
        reason: lower(l.reason),
        similarity: l.similarity,
      });
      return {
        id: r.id,
        documentId: r.documentId,
        sequence: r.sequence,
        label: r.label,
        format: lower(r.format),
        notes: r.notes,
        postedBy: person(r.postedById, r.posterName, r.posterAffiliation),
        postedAt: r.postedAt.toISOString(),
        clauses: clauses.map((c) => ({ ...c, commentCount: countOf.get(c.id) ?? 0, earlierComments: carried.filter((l) => l.clauseId === c.id).map(link) })),
        documentCommentCount: countOf.get(null) ?? 0,
        orphanedComments: carried.filter((l) => l.reason === 'ORPHANED').map(link),
        periods: periods.map((p) => ({ id: p.id, opensAt: p.opensAt.toISOString(), closesAt: p.closesAt.toISOString() })),
      };
    },
  );

  const presentComment = (c: Row) => ({
    id: c.id,
    documentId: c.documentId,
    revisionId: c.revisionId,
    revision: c.sequence,
    clauseId: c.clauseId,
    clauseNumber: c.number,
    parentId: c.parentId,
    author: { id: c.authorId, name: c.authorName, affiliation: c.authorAffiliation },
    type: lower(c.type),
    body: c.body,
    bodyHtml: c.bodyHtml,
    proposedChange: c.proposedChange,
    quotedText: c.quotedText,
    status: lower(c.status),
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    withdrawnAt: iso(c.withdrawnAt),
    ...(c.replyCount === undefined ? {} : { replyCount: c.replyCount }),
  });
  const COMMENT_COLUMNS = `c.id, c."documentId", c."revisionId", rv.sequence, c."clauseId", cl.number, c."parentId", c."authorId", u.name AS "authorName",
    u.affiliation AS "authorAffiliation", c.type::text, c.body, c."bodyHtml", c."proposedChange", c."quotedText", c.status::text, c.version,
    c."createdAt", c."updatedAt", c."withdrawnAt"`;
  const COMMENT_JOINS = `JOIN "Revision" rv ON rv.id = c."revisionId" LEFT JOIN "Clause" cl ON cl.id = c."clauseId" JOIN "User" u ON u.id = c."authorId"`;

  app.get<{ Params: { slug: string; documentId: string } }>('/api/groups/:slug/documents/:documentId/comments', async (request, reply) => {
    const a = await access(request, request.params.slug);
    if (!a) return reply.status(404).send({ code: 'group_not_found' });
    const documentId = request.params.documentId;
    const [rows, byClause, [total]] = await Promise.all([
      q(
        `SELECT ${COMMENT_COLUMNS}, (SELECT count(*)::int FROM "Comment" x WHERE x."parentId" = c.id) AS "replyCount"
         FROM "Comment" c ${COMMENT_JOINS} JOIN "Document" d ON d.id = c."documentId"
         WHERE c."documentId" = $1 AND d."groupId" = $2 AND c."parentId" IS NULL ORDER BY c."createdAt", c.id LIMIT 51`,
        [documentId, a.id],
      ),
      q(`SELECT "clauseId", count(*)::int AS count FROM "Comment" WHERE "documentId" = $1 AND "parentId" IS NULL GROUP BY "clauseId"`, [documentId]),
      q(`SELECT count(*)::int AS n FROM "Comment" WHERE "documentId" = $1 AND "parentId" IS NULL`, [documentId]),
    ]);
    const page = rows.slice(0, 50);
    return {
      comments: page.map(presentComment),
      nextCursor: rows.length > 50 ? Buffer.from(`${page.at(-1)!.createdAt.toISOString()}|${page.at(-1)!.id}`).toString('base64url') : null,
      total: total!.n,
      byClause,
    };
  });

  app.get('/api/me/dispositions/awaiting', async (request, reply) => {
    const [me] = await q(`SELECT "userId" FROM "Session" WHERE "tokenHash" = $1 AND "revokedAt" IS NULL AND "expiresAt" > now()`, [token(request)]);
    if (!me) return reply.status(401).send({ code: 'unauthorized' });
    const rows = await q(
      `SELECT ${COMMENT_COLUMNS}, cl.heading, g.slug, g.name AS "groupName", g.acronym, d.title,
              p.id AS "dispositionId", p.code::text, p.status::text AS "dispositionStatus", p.rationale, p."adoptedText", p.version AS "dispositionVersion",
              p."proposedById", pu.name AS "proposerName", pu.affiliation AS "proposerAffiliation", p."proposedAt", p."respondBy"
       FROM "Comment" c ${COMMENT_JOINS} JOIN "Document" d ON d.id = c."documentId" JOIN "Group" g ON g.id = d."groupId"
       JOIN "Membership" m ON m."groupId" = g.id AND m."userId" = $1
       JOIN "Disposition" p ON p."commentId" = c.id LEFT JOIN "User" pu ON pu.id = p."proposedById"
       WHERE c."authorId" = $1 AND c."parentId" IS NULL AND c.status = 'OPEN' AND p.status = 'PROPOSED' AND p."responseKind" IS NULL
         AND (p."respondBy" IS NULL OR p."respondBy" > now())
       ORDER BY p."respondBy" ASC NULLS LAST, c."createdAt"`,
      [me.userId],
    );
    return {
      items: rows.map((r) => ({
        group: { slug: r.slug, name: r.groupName, acronym: r.acronym },
        document: { id: r.documentId, title: r.title },
        comment: {
          id: r.id,
          revision: r.sequence,
          clauseNumber: r.number,
          clauseHeading: r.heading,
          type: lower(r.type ?? 'GENERAL'),
          author: { id: r.authorId, name: r.authorName, affiliation: r.authorAffiliation },
          body: r.body,
          bodyHtml: r.bodyHtml,
          proposedChange: r.proposedChange,
          quotedText: r.quotedText,
          createdAt: r.createdAt.toISOString(),
        },
        disposition: {
          id: r.dispositionId,
          commentId: r.id,
          documentId: r.documentId,
          disposition: lower(r.code),
          status: lower(r.dispositionStatus),
          rationale: r.rationale,
          adoptedText: r.adoptedText,
          version: r.dispositionVersion,
          assignee: null,
          draftedBy: null,
          proposedBy: person(r.proposedById, r.proposerName, r.proposerAffiliation),
          proposedAt: iso(r.proposedAt),
          finalisedBy: null,
          finalisedAt: null,
          respondBy: iso(r.respondBy),
          response: null,
          implementedIn: null,
        },
      })),
    };
  });

  app.get<{ Params: { slug: string; documentId: string } }>('/api/public/groups/:slug/documents/:documentId/final', async (request, reply) => {
    const [[r], clauses] = await Promise.all([
      q(
        `SELECT f."publishedAt", f."dispositionTable"->'statistics' AS statistics, g.slug, g.name AS "groupName", g.acronym, d.id AS "documentId", d.title,
                d.state::text, rv.id AS "revisionId", rv.sequence, rv.label, u.name AS "publisherName", u.affiliation AS "publisherAffiliation"
         FROM "FinalReport" f JOIN "Document" d ON d.id = f."documentId" JOIN "Group" g ON g.id = d."groupId" JOIN "Revision" rv ON rv.id = f."revisionId"
         LEFT JOIN "User" u ON u.id = f."publishedById"
         WHERE f."documentId" = $1 AND d.state = 'PUBLISHED' AND g.slug = $2 AND g.visibility = 'PUBLIC_OUTPUTS'`,
        [request.params.documentId, request.params.slug],
      ),
      q(
        `SELECT c.number, c.heading, c.html FROM "Clause" c JOIN "FinalReport" f ON f."revisionId" = c."revisionId" WHERE f."documentId" = $1 ORDER BY c.position`,
        [request.params.documentId],
      ),
    ]);
    if (!r) return reply.status(404).send({ code: 'final_report_not_found' });
    return {
      group: { slug: r.slug, name: r.groupName, acronym: r.acronym },
      document: { id: r.documentId, title: r.title, state: lower(r.state) },
      revision: { id: r.revisionId, sequence: r.sequence, label: r.label },
      publishedAt: r.publishedAt.toISOString(),
      publishedBy: r.publisherName === null ? null : { name: r.publisherName, affiliation: r.publisherAffiliation },
      clauses,
      statistics: r.statistics,
    };
  });

  /** The row's realtime event and audit entry with it, in the one statement that writes it. */
  const withAuditAndEvent = (
    change: Prisma.Sql,
    name: 'dispositions.proposed' | 'comments.updated' | 'comments.created',
    audit: Prisma.Sql,
    event: Prisma.Sql,
    before: Prisma.Sql = Prisma.empty,
  ) =>
    Prisma.sql`WITH ${before} changed AS (${change}),
      audited AS (${auditEntriesSql(Prisma.sql`(SELECT 1 AS ord, NULL::timestamptz AS "at", ${audit} AS entry FROM changed)`)} RETURNING 1),
      rt_rows AS (SELECT 1 AS ord, ${event}),
      ${realtimeRecordSql(options.channel, name, Prisma.sql`rt_rows`)}
      SELECT changed.*, (SELECT count(*) FROM audited) AS audited, (SELECT count(*) FROM rt_notified) AS notified FROM changed`;

  app.put<{ Params: { slug: string; documentId: string; commentId: string }; Body: Row }>(
    '/api/groups/:slug/documents/:documentId/comments/:commentId/disposition',
    async (request, reply) => {
      const a = await access(request, request.params.slug);
      if (a?.role !== 'CONVENER' || request.headers['x-csrf-token'] !== a.csrfToken) return reply.status(403).send({ code: 'forbidden' });
      const b = request.body;
      const [row] = await run(
        withAuditAndEvent(
          Prisma.sql`UPDATE "Disposition" p SET code = ${b.disposition.toUpperCase()}::"DispositionCode", status = 'PROPOSED', rationale = ${b.rationale ?? ''},
             "adoptedText" = ${b.adoptedText ?? ''}, version = p.version + 1, "proposedById" = ${a.userId}::uuid, "proposedAt" = now(), "updatedAt" = now()
             FROM "Comment" c JOIN "Document" d ON d.id = c."documentId"
             WHERE p."commentId" = ${request.params.commentId}::uuid AND c.id = p."commentId" AND d.id = ${request.params.documentId}::uuid
               AND d."groupId" = ${a.id}::uuid AND p.version = ${b.expectedVersion}::int
             RETURNING p.*, p.code::text AS code, p.status::text AS status`,
          'dispositions.proposed',
          Prisma.sql`jsonb_build_object('actorId', ${a.userId}::uuid, 'groupId', ${a.id}::uuid, 'action', 'dispositions.proposed', 'entityType', 'disposition',
                     'entityId', changed.id::text, 'after', to_jsonb(changed))`,
          Prisma.sql`${`document:${request.params.documentId}`}::text AS stream, ${a.id}::uuid AS "groupId", 'comments.read'::text AS read,
                     to_jsonb(changed) AS data FROM changed`,
        ),
      );
      if (!row) return reply.status(409).send({ code: 'disposition_version_conflict' });
      return {
        id: row.id,
        commentId: row.commentId,
        documentId: row.documentId,
        disposition: lower(row.code),
        status: lower(row.status),
        rationale: row.rationale,
        adoptedText: row.adoptedText,
        version: row.version,
        assignee: null,
        draftedBy: null,
        proposedBy: { id: a.userId, name: a.userName, affiliation: a.userAffiliation },
        proposedAt: iso(row.proposedAt),
        finalisedBy: null,
        finalisedAt: null,
        respondBy: iso(row.respondBy),
        response: null,
        implementedIn: null,
      };
    },
  );

  const commentWrite = (sql: Prisma.Sql, name: 'comments.created' | 'comments.updated', a: Row, documentId: string, before?: Prisma.Sql) =>
    run(
      withAuditAndEvent(
        sql,
        name,
        Prisma.sql`jsonb_build_object('actorId', ${a.userId}::uuid, 'groupId', ${a.id}::uuid, 'action', ${name}::text, 'entityType', 'comment',
                   'entityId', changed.id::text, 'after', to_jsonb(changed))`,
        Prisma.sql`${`document:${documentId}`}::text AS stream, ${a.id}::uuid AS "groupId", 'comments.read'::text AS read,
                   to_jsonb(changed) AS data FROM changed`,
        before,
      ),
    );
  const commentAnswer = (row: Row, a: Row) => presentComment({ ...row, authorName: a.userName, authorAffiliation: a.userAffiliation, replyCount: undefined });

  app.post<{ Params: { slug: string; documentId: string; commentId: string }; Body: { body: string } }>(
    '/api/groups/:slug/documents/:documentId/comments/:commentId/replies',
    async (request, reply) => {
      const a = await access(request, request.params.slug);
      if (!a || request.headers['x-csrf-token'] !== a.csrfToken) return reply.status(403).send({ code: 'forbidden' });
      const body = request.body.body;
      const [row] = await commentWrite(
        Prisma.sql`INSERT INTO "Comment" (id, "documentId", "revisionId", "clauseId", "parentId", "authorId", body, "bodyHtml", "updatedAt")
           SELECT gen_random_uuid(), p."documentId", p."revisionId", p."clauseId", p.id, ${a.userId}::uuid, ${body}, ${`<p>${body}</p>`}, now()
           FROM "Comment" p JOIN "Document" d ON d.id = p."documentId" JOIN "CommentPeriod" cp ON cp."revisionId" = p."revisionId"
           JOIN "Revision" rv ON rv.id = p."revisionId" LEFT JOIN "Clause" cl ON cl.id = p."clauseId"
           WHERE p.id = ${request.params.commentId}::uuid AND d.id = ${request.params.documentId}::uuid AND d."groupId" = ${a.id}::uuid
             AND cp."opensAt" <= now() AND now() < cp."closesAt"
           RETURNING *, type::text AS type, status::text AS status, (SELECT sequence FROM "Revision" WHERE id = "revisionId") AS sequence,
             (SELECT number FROM "Clause" WHERE id = "clauseId") AS number`,
        'comments.created',
        a,
        request.params.documentId,
      );
      if (!row) return reply.status(409).send({ code: 'comment_period_closed' });
      const answer = commentAnswer(row, a);
      options.onWrite?.(request.params.documentId, 'comments.created', answer);
      return reply.status(201).send(answer);
    },
  );

  app.patch<{ Params: { slug: string; documentId: string; commentId: string }; Body: Row }>(
    '/api/groups/:slug/documents/:documentId/comments/:commentId',
    async (request, reply) => {
      const a = await access(request, request.params.slug);
      if (!a || request.headers['x-csrf-token'] !== a.csrfToken) return reply.status(403).send({ code: 'forbidden' });
      const b = request.body;
      const [row] = await commentWrite(
        Prisma.sql`UPDATE "Comment" c SET body = ${b.body}, "bodyHtml" = ${`<p>${b.body}</p>`}, "proposedChange" = ${b.proposedChange ?? ''},
             type = ${(b.type ?? 'technical').toUpperCase()}::"CommentType", version = c.version + 1, "updatedAt" = now()
           FROM old WHERE c.id = old.id AND (SELECT count(*) FROM kept) = 1
           RETURNING c.*, c.type::text AS type, c.status::text AS status, (SELECT sequence FROM "Revision" WHERE id = c."revisionId") AS sequence,
             (SELECT number FROM "Clause" WHERE id = c."clauseId") AS number`,
        'comments.updated',
        a,
        request.params.documentId,
        Prisma.sql`old AS (
             SELECT c.* FROM "Comment" c JOIN "Document" d ON d.id = c."documentId" JOIN "CommentPeriod" cp ON cp."revisionId" = c."revisionId"
             WHERE c.id = ${request.params.commentId}::uuid AND d.id = ${request.params.documentId}::uuid AND d."groupId" = ${a.id}::uuid
               AND c."authorId" = ${a.userId}::uuid AND c.version = ${b.version}::int AND cp."opensAt" <= now() AND now() < cp."closesAt" FOR UPDATE OF c
           ), kept AS (
             INSERT INTO "CommentEdit" (id, "commentId", version, type, body, "bodyHtml", "proposedChange", "quotedText", "editedById", "replacedAt")
             SELECT gen_random_uuid(), id, version, type, body, "bodyHtml", "proposedChange", "quotedText", ${a.userId}::uuid, now() FROM old RETURNING 1
           ),`,
      );
      if (!row) return reply.status(409).send({ code: 'comment_period_closed_or_version_conflict' });
      const answer = commentAnswer(row, a);
      options.onWrite?.(request.params.documentId, 'comments.updated', answer);
      return answer;
    },
  );

  app.post<{ Params: { slug: string; documentId: string; sequence: string }; Body: Row }>(
    '/api/groups/:slug/documents/:documentId/revisions/:sequence/comments',
    async (request, reply) => {
      const a = await access(request, request.params.slug);
      if (!a || request.headers['x-csrf-token'] !== a.csrfToken) return reply.status(403).send({ code: 'forbidden' });
      const b = request.body;
      const [row] = await commentWrite(
        Prisma.sql`INSERT INTO "Comment" (id, "documentId", "revisionId", "clauseId", "authorId", type, body, "bodyHtml", "proposedChange", "quotedText", "updatedAt")
           SELECT gen_random_uuid(), d.id, rv.id, cl.id, ${a.userId}::uuid, ${(b.type ?? 'general').toUpperCase()}::"CommentType", ${b.body},
                  ${`<p>${b.body}</p>`}, ${b.proposedChange ?? ''}, ${b.quotedText ?? null}, now()
           FROM "Document" d JOIN "Revision" rv ON rv."documentId" = d.id AND rv.sequence = ${Number(request.params.sequence)}::int
           JOIN "CommentPeriod" cp ON cp."revisionId" = rv.id LEFT JOIN "Clause" cl ON cl.id = ${b.clauseId ?? null}::uuid AND cl."revisionId" = rv.id
           WHERE d.id = ${request.params.documentId}::uuid AND d."groupId" = ${a.id}::uuid AND cp."opensAt" <= now() AND now() < cp."closesAt"
           RETURNING *, type::text AS type, status::text AS status, ${Number(request.params.sequence)}::int AS sequence,
             (SELECT number FROM "Clause" WHERE id = "clauseId") AS number`,
        'comments.created',
        a,
        request.params.documentId,
      );
      if (!row) return reply.status(409).send({ code: 'comment_period_closed' });
      const answer = commentAnswer(row, a);
      options.onWrite?.(request.params.documentId, 'comments.created', answer);
      return reply.status(201).send(answer);
    },
  );

  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    close: async () => {
      await app.close();
      await pool.end();
    },
  };
}
