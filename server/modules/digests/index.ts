// Routes: the digest archive (public for groups with public outputs), subscribing and
// unsubscribing (cookie-less, rate-limited pages), members' own subscription, reminder
// settings, and the operator's view of failed and dead-lettered deliveries.
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { enumIn } from '../../lib/enum-case.ts';
import { Email, ErrorSchema, errors, htmlResponse, sendRaw, Slug, Uuid } from '../../lib/schemas.ts';
import { requireOperator, requireUser } from '../../plugins/authenticate.ts';
import { presentDelivery, presentDigestSummary } from './digests.presenter.ts';
import { linkProblemPage, PROBLEM_STATUS, confirmSubscriptionPage, subscribedPage, unsubscribedPage, unsubscribePage } from './pages.ts';
import { confirmSubscription, inspectConfirmToken, unsubscribeByToken } from './subscriptions.ts';
import { listDigests, readDigest, readDigestHtml } from './read-digests.ts';
import {
  changeMemberSubscription,
  listBounces,
  listDeliveries,
  readDigestSettings,
  readMemberSubscription,
  readUnsubscribeLink,
  retryDelivery,
  subscribeToDigests,
  updateDigestSettings,
} from './manage-digests.ts';
import { DeliverySchema, DigestDetailSchema, DigestSummarySchema, SubscriptionSchema } from './digests.schemas.ts';
import { subscribeDigestEvents } from './digests.subscribers.ts';

const GroupParams = z.object({ slug: Slug });
const DigestSummary = DigestSummarySchema;
const Delivery = DeliverySchema;
const DigestDetail = DigestDetailSchema;
const Subscription = SubscriptionSchema;
const Settings = z.object({ reminderHours: z.array(z.number().int()) });
const Token = z.string().max(200);

const digestRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx, config } = app;
  const listLimit = { rateLimit: { max: config.limits.listRequestsPerIp, timeWindow: 60_000 } };

  // RFC 8058 clients may post multipart/form-data; the body carries nothing we need.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 4096 }, (_req, _body, done) => done(null, {}));

  const html = (reply: FastifyReply, status: number, body: string) =>
    sendRaw(reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store'), body);

  app.get(
    '/api/groups/:slug/digests',
    {
      config: { session: 'optional' },
      schema: {
        tags: ['digests'],
        summary: 'The digest archive: every digest sent, with its delivery status',
        description: 'Readable without signing in when the group publishes its outputs.',
        params: GroupParams,
        response: { 200: z.object({ digests: z.array(DigestSummary) }), ...errors },
      },
    },
    async (request) => {
      const digests = await listDigests(ctx, { slug: request.params.slug, user: request.auth?.user ?? null });
      return { digests: digests.map(({ digest, counts }) => presentDigestSummary(digest, counts)) };
    },
  );

  app.get(
    '/api/groups/:slug/digests/:digestId',
    {
      config: { session: 'optional' },
      schema: {
        tags: ['digests'],
        summary: 'One digest exactly as sent to the list (HTML and text)',
        params: GroupParams.extend({ digestId: Uuid }),
        response: { 200: DigestDetail, ...errors },
      },
    },
    async (request) => {
      const { digest, counts, deliveries } = await readDigest(ctx, {
        slug: request.params.slug,
        user: request.auth?.user ?? null,
        digestId: request.params.digestId,
      });
      return {
        ...presentDigestSummary(digest, counts),
        html: digest.html,
        text: digest.text,
        ...(deliveries ? { deliveries: deliveries.map(presentDelivery) } : {}),
      };
    },
  );

  app.get(
    '/api/groups/:slug/digests/:digestId/html',
    {
      config: { session: 'optional' },
      schema: {
        tags: ['digests'],
        summary: 'The HTML of a digest as sent, for the archive viewer',
        params: GroupParams.extend({ digestId: Uuid }),
        response: { 200: htmlResponse('The digest as sent'), ...errors },
      },
    },
    async (request, reply) => {
      const digestHtml = await readDigestHtml(ctx, { slug: request.params.slug, user: request.auth?.user ?? null, digestId: request.params.digestId });
      // Mail HTML runs nothing: sandboxed, no scripts.
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data: https:")
        .send(digestHtml);
    },
  );

  app.post(
    '/api/groups/:slug/digests/subscribe',
    {
      // Limited per IP and per address in requestSubscription, in the store all instances share.
      config: { csrf: false, ...listLimit },
      schema: {
        tags: ['digests'],
        summary: 'Subscribe an address to the digests (no account; double opt-in)',
        description:
          'Answers 202 whatever the state of the address, so it reveals nothing; a confirmation link is mailed unless the address is already subscribed. Only for groups that publish their outputs. Requests per address (over all groups) and per IP are limited: 429 with Retry-After, for every address alike.',
        params: GroupParams,
        body: z.strictObject({ email: Email }),
        response: { 202: z.object({ message: z.string() }), ...errors },
      },
    },
    async (request, reply) => {
      await subscribeToDigests(ctx, {
        slug: request.params.slug,
        email: request.body.email,
        ip: request.ip,
        acceptLanguage: request.headers['accept-language'],
      });
      return reply.status(202).send({ message: 'Check your inbox: a confirmation link is on its way unless this address is already subscribed.' });
    },
  );

  app.get(
    '/digests/confirm',
    {
      config: listLimit,
      schema: { hide: true, querystring: z.object({ token: Token.optional() }) },
    },
    async (request, reply) => {
      const state = await inspectConfirmToken(ctx, request.query.token ?? '');
      if (!state.subscription) return html(reply, PROBLEM_STATUS[state.problem], linkProblemPage(state.problem));
      return html(reply, 200, confirmSubscriptionPage(request.query.token!, state.subscription.group.name, state.subscription.email));
    },
  );

  app.post(
    '/digests/confirm',
    {
      config: { csrf: false, ...listLimit },
      schema: { hide: true, body: z.object({ token: Token }) },
    },
    async (request, reply) => {
      const result = await confirmSubscription(ctx, request.body.token);
      if ('problem' in result) return html(reply, PROBLEM_STATUS[result.problem], linkProblemPage(result.problem));
      return html(reply, 200, subscribedPage(result.group.name));
    },
  );

  app.get(
    '/digests/unsubscribe',
    {
      config: listLimit,
      schema: { hide: true, querystring: z.object({ token: Token.optional() }) },
    },
    async (request, reply) => {
      const token = request.query.token ?? '';
      const sub = await readUnsubscribeLink(ctx, { token });
      if (!sub) return html(reply, 400, linkProblemPage('invalid'));
      if (sub.state === 'UNSUBSCRIBED') return html(reply, 200, unsubscribedPage(sub.group.name, true));
      return html(reply, 200, unsubscribePage(token, sub.group.name));
    },
  );

  // RFC 8058 one-click: the mail client posts "List-Unsubscribe=One-Click" to the URL in
  // List-Unsubscribe. No cookie is read or set; repeating it changes nothing more.
  app.post(
    '/digests/unsubscribe',
    {
      config: { csrf: false, ...listLimit },
      schema: {
        tags: ['digests'],
        summary: 'One-click unsubscribe (RFC 8058)',
        querystring: z.object({ token: Token.optional() }),
        body: z.looseObject({}).optional(),
        response: {
          200: htmlResponse('The page saying the address is unsubscribed'),
          400: htmlResponse('The page saying the link is not valid'),
          '4xx': ErrorSchema,
          '5xx': ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const result = await unsubscribeByToken(ctx, request.query.token ?? '');
      if ('problem' in result) return html(reply, 400, linkProblemPage('invalid'));
      return html(reply, 200, unsubscribedPage(result.group.name, result.already));
    },
  );

  app.get(
    '/api/groups/:slug/digests/subscription',
    {
      schema: { tags: ['digests'], summary: 'Whether I receive the digests individually', params: GroupParams, response: { 200: Subscription, ...errors } },
    },
    async (request) => {
      return readMemberSubscription(ctx, { slug: request.params.slug, user: requireUser(request) });
    },
  );

  app.put(
    '/api/groups/:slug/digests/subscription',
    {
      schema: {
        tags: ['digests'],
        summary: 'Receive (or stop receiving) the digests individually',
        params: GroupParams,
        body: z.strictObject({ subscribed: z.boolean() }),
        response: { 200: Subscription, ...errors },
      },
    },
    async (request) => {
      return changeMemberSubscription(ctx, { slug: request.params.slug, user: requireUser(request), subscribed: request.body.subscribed });
    },
  );

  app.get(
    '/api/groups/:slug/digest-settings',
    {
      schema: { tags: ['digests'], summary: 'When reminders go out before each comment deadline', params: GroupParams, response: { 200: Settings, ...errors } },
    },
    async (request) => {
      return readDigestSettings(ctx, { slug: request.params.slug, user: requireUser(request) });
    },
  );

  app.put(
    '/api/groups/:slug/digest-settings',
    {
      schema: {
        tags: ['digests'],
        summary: 'Change when reminders go out (hours before each comment deadline)',
        params: GroupParams,
        body: z.strictObject({
          reminderHours: z
            .array(
              z
                .number()
                .int()
                .min(1, 'must be at least 1 hour')
                .max(24 * 60, 'must be at most 60 days'),
            )
            .max(5, 'at most 5 reminders'),
        }),
        response: { 200: Settings, ...errors },
      },
    },
    async (request) => {
      return updateDigestSettings(ctx, { slug: request.params.slug, user: requireUser(request), reminderHours: request.body.reminderHours });
    },
  );

  app.get(
    '/api/admin/deliveries',
    {
      schema: {
        tags: ['admin'],
        summary: 'Digest deliveries by state: dead letters, permanent failures, pending retries (operator)',
        querystring: z.object({
          state: enumIn(['dead', 'failed', 'pending', 'sent'])
            .prefault('dead')
            .describe('Which deliveries: dead letters, permanent failures, pending retries or sent'),
        }),
        response: { 200: z.object({ deliveries: z.array(Delivery) }), ...errors },
      },
    },
    async (request) => {
      requireOperator(request);
      const deliveries = await listDeliveries(ctx, { state: request.query.state });
      return { deliveries: deliveries.map(presentDelivery) };
    },
  );

  app.post(
    '/api/admin/deliveries/:deliveryId/retry',
    {
      schema: {
        tags: ['admin'],
        summary: 'Send a dead-lettered or failed delivery again (operator)',
        params: z.object({ deliveryId: Uuid }),
        response: { 200: Delivery, ...errors },
      },
    },
    async (request) => {
      const operator = requireOperator(request);
      const delivery = await retryDelivery(ctx, { operator, deliveryId: request.params.deliveryId });
      return presentDelivery(delivery);
    },
  );

  app.get(
    '/api/admin/bounces',
    {
      schema: {
        tags: ['admin'],
        summary: 'Addresses marked bouncing (permanent failures) (operator)',
        response: { 200: z.object({ bounces: z.array(z.object({ email: z.string(), reason: z.string(), since: z.string() })) }), ...errors },
      },
    },
    async (request) => {
      requireOperator(request);
      const bounces = await listBounces(ctx);
      return { bounces: bounces.map((b) => ({ email: b.email, reason: b.reason, since: b.createdAt.toISOString() })) };
    },
  );
};

// The module: its socket events, subscribers and jobs, then its routes (encapsulated, in their own plugin).
export default fp(
  async (app) => {
    // Decorates app.digestSources, which the modules that own what a digest talks about fill.
    subscribeDigestEvents(app);
    await app.register(digestRoutes);
  },
  { name: 'modules/digests', dependencies: ['jobs', 'mailer', 'mail-queue'] },
);
