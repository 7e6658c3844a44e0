// Routes: the group's timeframe — its milestones, and its phase at an instant.
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, Instant, Slug, Uuid } from '../../lib/schemas.ts';
import { requireUser } from '../../plugins/authenticate.ts';
import { loadGroupAccess } from '../groups/groups.policy.ts';
import { createMilestone, deleteMilestone, listMilestones, updateMilestone } from './manage-milestones.ts';
import { fireMilestone } from './fire-milestone.ts';
import { derivePhase } from './phase.ts';
import { FIRE_QUEUE, TIMED_JOB, type FireJob } from './schedule-milestone.ts';
import { presentMilestone } from './timeframe.presenter.ts';
import { timeframeRealtimeEvents } from './timeframe.realtime.ts';
import { MilestoneBody, MilestoneSchema, PhaseSchema, Timeframe } from './timeframe.schemas.ts';

const GroupParams = z.object({ slug: Slug });

const timeframeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.get(
    '/api/groups/:slug/phase',
    {
      schema: {
        tags: ['timeframe'],
        summary: "The group's current phase (or at a given instant)",
        params: GroupParams,
        querystring: z.strictObject({ at: Instant.optional().describe('Default: the database clock now') }),
        response: { 200: PhaseSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      return derivePhase(ctx, access.group, request.query.at);
    },
  );

  app.get(
    '/api/groups/:slug/milestones',
    {
      schema: { tags: ['timeframe'], summary: 'The timeframe, in order', params: GroupParams, response: { 200: Timeframe, ...errors } },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const milestones = await listMilestones(ctx, { access });
      return { timeZone: access.group.timeZone, milestones: milestones.map(presentMilestone) };
    },
  );

  app.post(
    '/api/groups/:slug/milestones',
    {
      schema: { tags: ['timeframe'], summary: 'Add a milestone', params: GroupParams, body: MilestoneBody, response: { 201: MilestoneSchema, ...errors } },
    },
    async (request, reply) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const milestone = await createMilestone(ctx, { access, ...request.body });
      return reply.status(201).send(presentMilestone(milestone));
    },
  );

  app.patch(
    '/api/groups/:slug/milestones/:milestoneId',
    {
      schema: {
        tags: ['timeframe'],
        summary: 'Move or rename a milestone',
        params: GroupParams.extend({ milestoneId: Uuid }),
        body: MilestoneBody.partial().strict(),
        response: { 200: MilestoneSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const milestone = await updateMilestone(ctx, { access, milestoneId: request.params.milestoneId, ...request.body });
      return presentMilestone(milestone);
    },
  );

  app.delete(
    '/api/groups/:slug/milestones/:milestoneId',
    {
      schema: { tags: ['timeframe'], summary: 'Delete a milestone', params: GroupParams.extend({ milestoneId: Uuid }), response: { 204: z.null(), ...errors } },
    },
    async (request, reply) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      await deleteMilestone(ctx, { access, milestoneId: request.params.milestoneId });
      return reply.status(204).send(null);
    },
  );
};

// The module: its socket events, subscribers and jobs, then its routes (encapsulated, in their own plugin).
export default fp(
  async (app) => {
    app.realtime.register(timeframeRealtimeEvents);
    // A milestone's instant come: it is reached (fire-milestone.ts) and milestones.reached published.
    app.jobs.define<FireJob>(FIRE_QUEUE, {
      queue: TIMED_JOB,
      handler: async (job) => {
        await fireMilestone(app.ctx, job.data);
      },
    });
    await app.register(timeframeRoutes);
  },
  { name: 'modules/timeframe', dependencies: ['realtime', 'jobs'] },
);
