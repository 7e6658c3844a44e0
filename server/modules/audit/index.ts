// Routes: the audit log of a group (its conveners, the operator) and of the whole server (operator).
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, Slug } from '../../lib/schemas.ts';
import { requireOperator, requireUser } from '../../plugins/authenticate.ts';
import { loadGroupAccess } from '../groups/groups.policy.ts';
import { readGroupAudit, readServerAudit } from './read-audit.ts';
import type { AuditEntry, User } from '../../generated/prisma/client.ts';

const AuditSchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});
const Page = z.object({ entries: z.array(AuditSchema), nextCursor: z.string().nullable() });
const PageQuery = z.object({
  // Entry ids are PostgreSQL bigints: a longer number would fail in the database, not here.
  cursor: z
    .string()
    .regex(/^\d{1,18}$/, 'must be a cursor from a previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const presentAuditEntry = (e: AuditEntry & { actor: Pick<User, 'id' | 'name'> | null }) => ({
  id: e.id.toString(),
  at: e.at.toISOString(),
  actor: e.actor ? { id: e.actor.id, name: e.actor.name } : null,
  action: e.action,
  entityType: e.entityType,
  entityId: e.entityId,
  before: e.before,
  after: e.after,
});

const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/groups/:slug/audit',
    {
      schema: {
        tags: ['audit'],
        summary: "The group's audit log, newest first",
        params: z.object({ slug: Slug }),
        querystring: PageQuery,
        response: { 200: Page, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(app.ctx, request.params.slug, requireUser(request));
      const { entries, nextCursor } = await readGroupAudit(app.ctx, { access, query: request.query });
      return { entries: entries.map(presentAuditEntry), nextCursor };
    },
  );

  app.get(
    '/api/admin/audit',
    {
      schema: { tags: ['admin'], summary: 'The whole audit log (operator)', querystring: PageQuery, response: { 200: Page, ...errors } },
    },
    async (request) => {
      requireOperator(request);
      const { entries, nextCursor } = await readServerAudit(app.ctx, { query: request.query });
      return { entries: entries.map(presentAuditEntry), nextCursor };
    },
  );
};

// The module: only routes (encapsulated, in their own plugin).
export default fp(
  async (app) => {
    await app.register(auditRoutes);
  },
  { name: 'modules/audit', dependencies: ['context'] },
);
