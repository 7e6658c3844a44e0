// Routes: comment periods (open on a revision via two milestones, extend with a reason, close
// now).
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors } from '../../lib/schemas.ts';
import { requireUser } from '../../plugins/authenticate.ts';
import { loadGroupAccess } from '../groups/groups.policy.ts';
import { DocumentParams } from '../revisions/revisions.schemas.ts';
import { closePeriod, extendPeriod, listPeriods, openPeriod } from './periods.ts';
import { PeriodSchema, presentPeriod } from './periods.presenter.ts';
import { ClosePeriodBody, ExtendPeriodBody, OpenPeriodBody, PeriodParams } from './periods.schemas.ts';
import { periodRealtimeEvents } from './periods.realtime.ts';
import { registerDocumentDigests } from './periods.digests.ts';

const periodRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.get(
    '/api/groups/:slug/documents/:documentId/periods',
    {
      schema: {
        tags: ['timeframe'],
        summary: "A document's comment periods with their extensions",
        params: DocumentParams,
        response: { 200: z.object({ periods: z.array(PeriodSchema) }), ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const { periods, now } = await listPeriods(ctx, { access, documentId: request.params.documentId });
      return { periods: periods.map((p) => presentPeriod(p, access.group.timeZone, now)) };
    },
  );

  app.post(
    '/api/groups/:slug/documents/:documentId/periods',
    {
      schema: {
        tags: ['timeframe'],
        summary: 'Open a comment period on a revision (conveners): two milestones, open and close',
        description:
          'Comments are accepted while opensAt ≤ now < closesAt, judged by the database clock; a comment at or after closesAt is late (409 comment_period_closed).',
        params: DocumentParams,
        body: OpenPeriodBody,
        response: { 201: PeriodSchema, ...errors },
      },
    },
    async (request, reply) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const b = request.body;
      const period = await openPeriod(ctx, {
        access,
        documentId: request.params.documentId,
        sequence: b.revision,
        opens: { at: b.opensAt, milestoneId: b.opensWithMilestoneId, label: b.openingLabel },
        closes: { at: b.closesAt, milestoneId: b.closesWithMilestoneId, label: b.closingLabel },
      });
      return reply.status(201).send(presentPeriod(period, access.group.timeZone));
    },
  );

  app.post(
    '/api/groups/:slug/documents/:documentId/periods/:periodId/extensions',
    {
      schema: {
        tags: ['timeframe'],
        summary: 'Extend a comment period (conveners): a later deadline and the reason, audited and announced',
        description:
          'A closed period reopens until the new deadline. The new deadline may not run into another comment period of the same revision (409 `extension_overlaps`).',
        params: PeriodParams,
        body: ExtendPeriodBody,
        response: { 200: PeriodSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const period = await extendPeriod(ctx, { access, documentId: request.params.documentId, periodId: request.params.periodId, ...request.body });
      return presentPeriod(period, access.group.timeZone);
    },
  );

  app.post(
    '/api/groups/:slug/documents/:documentId/periods/:periodId/close',
    {
      schema: {
        tags: ['timeframe'],
        summary: 'Close a comment period now (conveners), with the reason',
        params: PeriodParams,
        body: ClosePeriodBody,
        response: { 200: PeriodSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const period = await closePeriod(ctx, { access, documentId: request.params.documentId, periodId: request.params.periodId, reason: request.body.reason });
      return presentPeriod(period, access.group.timeZone);
    },
  );
};

// The module: its socket events, subscribers and jobs, then its routes (encapsulated, in their own plugin).
export default fp(
  async (app) => {
    app.realtime.register(periodRealtimeEvents);
    // The revision and comment-count digest sources, and the "deadline extended" digest.
    registerDocumentDigests(app);
    await app.register(periodRoutes);
  },
  { name: 'modules/periods', dependencies: ['realtime', 'modules/digests'] },
);
