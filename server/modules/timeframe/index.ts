// Routes: the group's timeframe — its phase at an instant.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, Instant, Slug } from '../../lib/schemas.ts';
import { requireUser } from '../../plugins/authenticate.ts';
import { loadGroupAccess } from '../groups/groups.policy.ts';
import { derivePhase } from './phase.ts';
import { PhaseSchema } from './timeframe.schemas.ts';

const timeframeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.get('/api/groups/:slug/phase', {
    schema: {
      tags: ['timeframe'], summary: "The group's current phase (or at a given instant)",
      params: z.object({ slug: Slug }), querystring: z.strictObject({ at: Instant.optional().describe('Default: the database clock now') }), response: { 200: PhaseSchema, ...errors },
    },
  }, async (request) => {
    const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
    return derivePhase(ctx, access.group, request.query.at);
  });
};

export default timeframeRoutes;
