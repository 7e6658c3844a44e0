// Routes: the digest archive (public for groups with public outputs), subscribing and
// unsubscribing (cookie-less, rate-limited pages), members' own subscription, reminder
// settings, and the operator's view of failed and dead-lettered deliveries.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../lib/app-error.ts';
import { enumIn, lower } from '../../lib/enum-case.ts';
import { Email, ErrorSchema, errors, htmlResponse, sendRaw, Slug, Uuid } from '../../lib/schemas.ts';
import { transact } from '../../lib/use-case.ts';
import { recordAudit } from '../../lib/audit.ts';
import { requireOperator, requireUser } from '../../plugins/authenticate.ts';
import type { User } from '../../generated/prisma/client.ts';
import { authorize, can, loadGroupAccess } from '../groups/groups.policy.ts';
import { DELIVER_QUEUE } from './create-digest.ts';
import { emptyCounts, presentDelivery, presentDigestSummary, type DeliveryCounts } from './digests.presenter.ts';
import { linkProblemPage, PROBLEM_STATUS, confirmSubscriptionPage, subscribedPage, unsubscribedPage, unsubscribePage } from './pages.ts';
import { DEFAULT_REMINDER_HOURS, rescheduleGroupDeadlines } from '../timeframe/schedule-milestone.ts';
import {
  assertPublicSubscriptions, confirmSubscription, inspectConfirmToken, requestSubscription, setMemberSubscription, unsubscribeByToken,
} from './subscriptions.ts';
import { readUnsubscribeToken } from './digest-mail.ts';
import { DeliverySchema, DigestDetailSchema, DigestSummarySchema, SubscriptionSchema } from './digests.schemas.ts';

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

  /** Public groups' archives are readable without an account; others only by members (404 otherwise). */
  async function loadArchive(slug: string, user: User | null) {
    const group = await ctx.prisma.group.findUnique({ where: { slug } });
    if (group?.visibility === 'PUBLIC_OUTPUTS') {
      const access = user ? await loadGroupAccess(ctx, slug, user).catch(() => null) : null;
      return { group, access };
    }
    if (!user) throw AppError.notFound('That group', 'group_not_found');
    const access = await loadGroupAccess(ctx, slug, user);
    return { group: access.group, access };
  }

  async function countDeliveries(digestIds: string[]): Promise<Map<string, DeliveryCounts>> {
    const rows = await ctx.prisma.digestDelivery.groupBy({ by: ['digestId', 'state'], where: { digestId: { in: digestIds } }, _count: { _all: true } });
    const counts = new Map<string, DeliveryCounts>(digestIds.map((id) => [id, emptyCounts()]));
    for (const r of rows) {
      const c = counts.get(r.digestId)!;
      c[lower(r.state)] += r._count._all;
      c.total += r._count._all;
    }
    return counts;
  }

  const html = (reply: FastifyReply, status: number, body: string) =>
    sendRaw(reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store'), body);

  app.get('/api/groups/:slug/digests', {
    config: { session: 'optional' },
    schema: { tags: ['digests'], summary: 'The digest archive: every digest sent, with its delivery status', description: 'Readable without signing in when the group publishes its outputs.', params: GroupParams, response: { 200: z.object({ digests: z.array(DigestSummary) }), ...errors } },
  }, async (request) => {
    const { group } = await loadArchive(request.params.slug, request.auth?.user ?? null);
    const digests = await ctx.prisma.digest.findMany({ where: { groupId: group.id }, orderBy: { createdAt: 'desc' }, take: 500 });
    const counts = await countDeliveries(digests.map((d) => d.id));
    return { digests: digests.map((d) => presentDigestSummary(d, counts.get(d.id)!)) };
  });

  app.get('/api/groups/:slug/digests/:digestId', {
    config: { session: 'optional' },
    schema: { tags: ['digests'], summary: 'One digest exactly as sent to the list (HTML and text)', params: GroupParams.extend({ digestId: Uuid }), response: { 200: DigestDetail, ...errors } },
  }, async (request) => {
    const { group, access } = await loadArchive(request.params.slug, request.auth?.user ?? null);
    const digest = await ctx.prisma.digest.findFirst({ where: { id: request.params.digestId, groupId: group.id } });
    if (!digest) throw AppError.notFound('That digest', 'digest_not_found');
    const counts = await countDeliveries([digest.id]);
    const showRecipients = access !== null && can(access, 'digests.manage');
    const deliveries = showRecipients ? await ctx.prisma.digestDelivery.findMany({ where: { digestId: digest.id }, orderBy: { recipient: 'asc' } }) : null;
    return { ...presentDigestSummary(digest, counts.get(digest.id)!), html: digest.html, text: digest.text, ...(deliveries ? { deliveries: deliveries.map(presentDelivery) } : {}) };
  });

  app.get('/api/groups/:slug/digests/:digestId/html', {
    config: { session: 'optional' },
    schema: { tags: ['digests'], summary: 'The HTML of a digest as sent, for the archive viewer', params: GroupParams.extend({ digestId: Uuid }), response: { 200: htmlResponse('The digest as sent'), ...errors } },
  }, async (request, reply) => {
    const { group } = await loadArchive(request.params.slug, request.auth?.user ?? null);
    const digest = await ctx.prisma.digest.findFirst({ where: { id: request.params.digestId, groupId: group.id }, select: { html: true } });
    if (!digest) throw AppError.notFound('That digest', 'digest_not_found');
    // Mail HTML runs nothing: sandboxed, no scripts.
    return reply.type('text/html; charset=utf-8').header('content-security-policy', "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data: https:").send(digest.html);
  });

  app.post('/api/groups/:slug/digests/subscribe', {
    // Limited per IP and per address in requestSubscription, in the store all instances share.
    config: { csrf: false, ...listLimit },
    schema: {
      tags: ['digests'], summary: 'Subscribe an address to the digests (no account; double opt-in)',
      description: 'Answers 202 whatever the state of the address, so it reveals nothing; a confirmation link is mailed unless the address is already subscribed. Only for groups that publish their outputs. Requests per address (over all groups) and per IP are limited: 429 with Retry-After, for every address alike.',
      params: GroupParams, body: z.strictObject({ email: Email }), response: { 202: z.object({ message: z.string() }), ...errors },
    },
  }, async (request, reply) => {
    const group = assertPublicSubscriptions(await ctx.prisma.group.findUnique({ where: { slug: request.params.slug } }));
    await requestSubscription(ctx, { group, email: request.body.email, ip: request.ip });
    return reply.status(202).send({ message: 'Check your inbox: a confirmation link is on its way unless this address is already subscribed.' });
  });

  app.get('/digests/confirm', {
    config: listLimit,
    schema: { hide: true, querystring: z.object({ token: Token.optional() }) },
  }, async (request, reply) => {
    const state = await inspectConfirmToken(ctx, request.query.token ?? '');
    if (!state.subscription) return html(reply, PROBLEM_STATUS[state.problem], linkProblemPage(state.problem));
    return html(reply, 200, confirmSubscriptionPage(request.query.token!, state.subscription.group.name, state.subscription.email));
  });

  app.post('/digests/confirm', {
    config: { csrf: false, ...listLimit },
    schema: { hide: true, body: z.object({ token: Token }) },
  }, async (request, reply) => {
    const result = await confirmSubscription(ctx, request.body.token);
    if ('problem' in result) return html(reply, PROBLEM_STATUS[result.problem], linkProblemPage(result.problem));
    return html(reply, 200, subscribedPage(result.group.name));
  });

  app.get('/digests/unsubscribe', {
    config: listLimit,
    schema: { hide: true, querystring: z.object({ token: Token.optional() }) },
  }, async (request, reply) => {
    const token = request.query.token ?? '';
    const id = readUnsubscribeToken(config, token);
    const sub = id ? await ctx.prisma.digestSubscription.findUnique({ where: { id }, include: { group: true } }) : null;
    if (!sub) return html(reply, 400, linkProblemPage('invalid'));
    if (sub.state === 'UNSUBSCRIBED') return html(reply, 200, unsubscribedPage(sub.group.name, true));
    return html(reply, 200, unsubscribePage(token, sub.group.name));
  });

  // RFC 8058 one-click: the mail client posts "List-Unsubscribe=One-Click" to the URL in
  // List-Unsubscribe. No cookie is read or set; repeating it changes nothing more.
  app.post('/digests/unsubscribe', {
    config: { csrf: false, ...listLimit },
    schema: { tags: ['digests'], summary: 'One-click unsubscribe (RFC 8058)', querystring: z.object({ token: Token.optional() }), body: z.looseObject({}).optional(),
      response: { 200: htmlResponse('The page saying the address is unsubscribed'), 400: htmlResponse('The page saying the link is not valid'), '4xx': ErrorSchema, '5xx': ErrorSchema } },
  }, async (request, reply) => {
    const result = await unsubscribeByToken(ctx, request.query.token ?? '');
    if ('problem' in result) return html(reply, 400, linkProblemPage('invalid'));
    return html(reply, 200, unsubscribedPage(result.group.name, result.already));
  });

  app.get('/api/groups/:slug/digests/subscription', {
    schema: { tags: ['digests'], summary: 'Whether I receive the digests individually', params: GroupParams, response: { 200: Subscription, ...errors } },
  }, async (request) => {
    const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
    const sub = await ctx.prisma.digestSubscription.findUnique({ where: { groupId_email: { groupId: access.group.id, email: access.user.email } } });
    return { subscribed: sub?.state === 'CONFIRMED' };
  });

  app.put('/api/groups/:slug/digests/subscription', {
    schema: { tags: ['digests'], summary: 'Receive (or stop receiving) the digests individually', params: GroupParams, body: z.strictObject({ subscribed: z.boolean() }), response: { 200: Subscription, ...errors } },
  }, async (request) => {
    const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
    authorize(access, 'group.read');
    const sub = await setMemberSubscription(ctx, { group: access.group, user: access.user, subscribed: request.body.subscribed });
    return { subscribed: sub?.state === 'CONFIRMED' };
  });

  app.get('/api/groups/:slug/digest-settings', {
    schema: { tags: ['digests'], summary: 'When reminders go out before each comment deadline', params: GroupParams, response: { 200: Settings, ...errors } },
  }, async (request) => {
    const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
    const settings = await ctx.prisma.groupDigestSettings.findUnique({ where: { groupId: access.group.id } });
    return { reminderHours: settings?.reminderHours ?? DEFAULT_REMINDER_HOURS };
  });

  app.put('/api/groups/:slug/digest-settings', {
    schema: {
      tags: ['digests'], summary: 'Change when reminders go out (hours before each comment deadline)', params: GroupParams,
      body: z.strictObject({ reminderHours: z.array(z.number().int().min(1, 'must be at least 1 hour').max(24 * 60, 'must be at most 60 days')).max(5, 'at most 5 reminders') }),
      response: { 200: Settings, ...errors },
    },
  }, async (request) => {
    const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
    authorize(access, 'digests.manage');
    const reminderHours = [...new Set(request.body.reminderHours)].sort((a, b) => b - a);
    await transact(ctx, async (tx) => {
      const before = await tx.groupDigestSettings.findUnique({ where: { groupId: access.group.id } });
      await tx.groupDigestSettings.upsert({ where: { groupId: access.group.id }, create: { groupId: access.group.id, reminderHours }, update: { reminderHours } });
      await recordAudit(tx, { actorId: access.user.id, groupId: access.group.id, action: 'digests.settings_updated', entityType: 'group', entityId: access.group.id, before: { reminderHours: before?.reminderHours ?? DEFAULT_REMINDER_HOURS }, after: { reminderHours } });
      await rescheduleGroupDeadlines(ctx, tx, access.group.id);
    });
    return { reminderHours };
  });

  app.get('/api/admin/deliveries', {
    schema: {
      tags: ['admin'], summary: 'Digest deliveries by state: dead letters, permanent failures, pending retries (operator)',
      querystring: z.object({ state: enumIn(['dead', 'failed', 'pending', 'sent']).prefault('dead').describe('Which deliveries: dead letters, permanent failures, pending retries or sent') }),
      response: { 200: z.object({ deliveries: z.array(Delivery) }), ...errors },
    },
  }, async (request) => {
    requireOperator(request);
    const deliveries = await ctx.prisma.digestDelivery.findMany({ where: { state: request.query.state }, orderBy: { updatedAt: 'desc' }, take: 500 });
    return { deliveries: deliveries.map(presentDelivery) };
  });

  app.post('/api/admin/deliveries/:deliveryId/retry', {
    schema: { tags: ['admin'], summary: 'Send a dead-lettered or failed delivery again (operator)', params: z.object({ deliveryId: Uuid }), response: { 200: Delivery, ...errors } },
  }, async (request) => {
    const operator = requireOperator(request);
    const delivery = await transact(ctx, async (tx) => {
      const found = await tx.digestDelivery.findUnique({ where: { id: request.params.deliveryId } });
      if (!found) throw AppError.notFound('That delivery', 'delivery_not_found');
      if (found.state !== 'DEAD' && found.state !== 'FAILED') throw AppError.conflict('delivery_not_failed', 'Only dead-lettered or failed deliveries can be retried.');
      await tx.bouncingAddress.deleteMany({ where: { email: found.recipient } });
      const updated = await tx.digestDelivery.update({ where: { id: found.id }, data: { state: 'PENDING', attempts: 0, nextAttemptAt: new Date(), lastError: null } });
      await recordAudit(tx, { actorId: operator.id, action: 'digests.delivery_retried', entityType: 'digest_delivery', entityId: found.id, before: { state: found.state, lastError: found.lastError } });
      await app.jobs.send(DELIVER_QUEUE, { digestId: found.digestId }, { tx });
      return updated;
    });
    return presentDelivery(delivery);
  });

  app.get('/api/admin/bounces', {
    schema: { tags: ['admin'], summary: 'Addresses marked bouncing (permanent failures) (operator)', response: { 200: z.object({ bounces: z.array(z.object({ email: z.string(), reason: z.string(), since: z.string() })) }), ...errors } },
  }, async (request) => {
    requireOperator(request);
    const bounces = await ctx.prisma.bouncingAddress.findMany({ orderBy: { createdAt: 'desc' }, take: 1000 });
    return { bounces: bounces.map((b) => ({ email: b.email, reason: b.reason, since: b.createdAt.toISOString() })) };
  });
};

export default digestRoutes;
