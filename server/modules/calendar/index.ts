// Routes: a member's private calendar subscription of the group's timeframe (issue, reset,
// revoke; session + CSRF), and the feed itself, fetched by calendar apps without a session.
import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, fileResponse, sendRaw } from '../../lib/schemas.ts';
import { requireUser } from '../../plugins/authenticate.ts';
import { loadGroupAccess } from '../groups/groups.policy.ts';
import { issueCalendarFeed, readCalendarFeed, readCalendarFeedStatus, revokeCalendarFeed } from './calendar-feeds.ts';
import { feedUrls, presentFeedLink, presentFeedStatus, renderTimeframeCalendar } from './calendar.presenter.ts';
import { CalendarFeedLinkSchema, CalendarFeedStatusSchema, FeedParams, GroupParams } from './calendar.schemas.ts';

const TAGS = ['calendar'];

const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx, config } = app;

  app.get(
    '/api/groups/:slug/calendar-feed',
    {
      schema: {
        tags: TAGS,
        summary: 'Whether I have a calendar subscription link for this group (never the link itself)',
        params: GroupParams,
        response: { 200: CalendarFeedStatusSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      return presentFeedStatus(await readCalendarFeedStatus(ctx, { access }));
    },
  );

  app.post(
    '/api/groups/:slug/calendar-feed',
    {
      schema: {
        tags: TAGS,
        summary: 'Create or reset my calendar subscription link of the timeframe (members)',
        description: 'Answers the link once: the server keeps only its hash. Calling it again resets the link; the previous one answers 404 from then on.',
        params: GroupParams,
        response: { 200: CalendarFeedLinkSchema, ...errors },
      },
    },
    async (request, reply) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const { feed, token } = await issueCalendarFeed(ctx, { access });
      // The answer carries a credential: no cache may keep it.
      reply.header('cache-control', 'no-store');
      return presentFeedLink(feed, feedUrls(config.publicUrl, token));
    },
  );

  app.delete(
    '/api/groups/:slug/calendar-feed',
    {
      schema: {
        tags: TAGS,
        summary: 'Revoke my calendar subscription link',
        description: 'The link answers 404 from then on.',
        params: GroupParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      await revokeCalendarFeed(ctx, { access });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/calendar/:token.ics',
    {
      schema: {
        tags: TAGS,
        summary: "A member's calendar feed of the group's timeframe (iCalendar), without a session",
        description: 'The URL is the credential. Unknown, reset or revoked links and links of former members answer the same 404.',
        params: FeedParams,
        response: { 200: fileResponse('text/calendar', 'The iCalendar feed'), 304: z.null().describe('Not modified (If-None-Match)'), ...errors },
      },
      // Calendar services fetch many members' feeds from few addresses, and guessing is pointless
      // (256-bit tokens) but should stay slow.
      config: { rateLimit: { max: config.limits.calendarFeedsPerIp, timeWindow: 60_000 } },
      // The URL is a credential: keep it out of the per-request info logs (errors still log).
      logLevel: 'warn',
    },
    async (request, reply) => {
      const { group, milestones } = await readCalendarFeed(ctx, { token: request.params.token });
      const body = Buffer.from(renderTimeframeCalendar({ group, milestones, publicUrl: config.publicUrl }), 'utf8');
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
      reply
        // Personal: no shared cache keeps it; calendar apps may reuse it for a few minutes.
        .header('cache-control', 'private, max-age=300')
        .header('etag', etag)
        .header('x-robots-tag', 'noindex, nofollow')
        .header('referrer-policy', 'no-referrer');
      if (request.headers['if-none-match'] === etag) return reply.status(304).send(null);
      reply.type('text/calendar; charset=utf-8').header('content-disposition', `inline; filename="${group.slug}.ics"`);
      // A Buffer goes out as it is (the response schema would JSON-encode a string).
      return sendRaw(reply, body);
    },
  );
};

// The module: only routes (encapsulated, in their own plugin).
export default fp(
  async (app) => {
    await app.register(calendarRoutes);
  },
  { name: 'modules/calendar', dependencies: ['context'] },
);
