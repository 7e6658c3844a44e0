// Routes: my profile (name, affiliation, language). Only I see my e-mail address here.
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordAudit } from '../../lib/audit.ts';
import { errors } from '../../lib/schemas.ts';
import { transact } from '../../lib/use-case.ts';
import { requireUser } from '../../plugins/authenticate.ts';
import { presentSelf } from '../auth/auth.presenter.ts';
import { SelfSchema } from '../auth/auth.schemas.ts';
import { ProfileBody } from './users.schemas.ts';
import { sessionCacheOf } from '../auth/session-cache.ts';

const userRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/me',
    {
      schema: { tags: ['me'], summary: 'My profile', response: { 200: SelfSchema, ...errors } },
    },
    async (request) => presentSelf(requireUser(request)),
  );

  app.patch(
    '/api/me',
    {
      schema: { tags: ['me'], summary: 'Edit my name, affiliation or language', body: ProfileBody, response: { 200: SelfSchema, ...errors } },
    },
    async (request) => {
      const me = requireUser(request);
      const updated = await transact(app.ctx, async (tx) => {
        const user = await tx.user.update({ where: { id: me.id }, data: request.body });
        await recordAudit(tx, {
          actorId: me.id,
          action: 'users.profile_updated',
          entityType: 'user',
          entityId: me.id,
          before: { name: me.name, affiliation: me.affiliation, locale: me.locale },
          after: { name: user.name, affiliation: user.affiliation, locale: user.locale },
        });
        return user;
      });
      sessionCacheOf(app.ctx).evictUser(me.id);
      return presentSelf(updated);
    },
  );
};

// The module: only routes (encapsulated, in their own plugin).
export default fp(
  async (app) => {
    await app.register(userRoutes);
  },
  { name: 'modules/users', dependencies: ['context'] },
);
