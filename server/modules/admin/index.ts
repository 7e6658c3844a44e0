// Routes for the operator: accounts and their sessions (revocation).
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, Uuid } from '../../lib/schemas.ts';
import { requireOperator } from '../../plugins/authenticate.ts';
import { presentSelf, presentSession } from '../auth/auth.presenter.ts';
import { SelfSchema, SessionItem } from '../auth/index.ts';
import { listSessions } from '../auth/sessions.ts';
import { listAccounts, revokeAccountSessions } from './accounts.ts';
import { listDeadDeliveries, listDeadMail } from './dead-letters.ts';

const DeadMailItem = z.object({
  jobId: z.string(),
  to: z.string(),
  template: z.string(),
  error: z.string().describe('What the SMTP server (or the attempt) answered last'),
  attempts: z.number().int(),
  failedAt: z.string(),
});
const DeadDeliveryItem = z.object({
  jobId: z.string(),
  subscriber: z.string().describe('`<event>.<subscriber>`, e.g. dispositions.proposed.notify-commenter'),
  payload: z.unknown().describe('The event as it was emitted'),
  error: z.string(),
  failedAt: z.string(),
});

const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/admin/users',
    {
      schema: { tags: ['admin'], summary: 'All accounts (operator)', response: { 200: z.object({ users: z.array(SelfSchema) }), ...errors } },
    },
    async (request) => {
      requireOperator(request);
      const users = await listAccounts(app.ctx);
      return { users: users.map(presentSelf) };
    },
  );

  app.get(
    '/api/admin/users/:userId/sessions',
    {
      schema: {
        tags: ['admin'],
        summary: "A user's open sessions (operator)",
        params: z.object({ userId: Uuid }),
        response: { 200: z.object({ sessions: z.array(SessionItem) }), ...errors },
      },
    },
    async (request) => {
      requireOperator(request);
      const sessions = await listSessions(app.ctx, request.params.userId);
      return { sessions: sessions.map((s) => presentSession(s, request.auth!.session.id)) };
    },
  );

  app.post(
    '/api/admin/users/:userId/revoke-sessions',
    {
      schema: {
        tags: ['admin'],
        summary: "Revoke a user's sessions (operator)",
        params: z.object({ userId: Uuid }),
        body: z.strictObject({ sessionIds: z.array(Uuid).max(100).optional() }).default({}),
        response: { 200: z.object({ revoked: z.array(z.string()) }), ...errors },
      },
    },
    async (request) => {
      const operator = requireOperator(request);
      const revoked = await revokeAccountSessions(app.ctx, { operator, userId: request.params.userId, sessionIds: request.body.sessionIds });
      return { revoked };
    },
  );

  app.get(
    '/api/admin/mail/dead-letters',
    {
      schema: {
        tags: ['admin'],
        summary: 'E-mail that could not be sent (operator)',
        description:
          'Messages refused for good by the SMTP server, or still failing after the last attempt. Their content is not kept, as it may hold a sign-in link: ask the person to request a new link, or invite them again.',
        response: { 200: z.object({ messages: z.array(DeadMailItem) }), ...errors },
      },
    },
    async (request) => {
      requireOperator(request);
      return { messages: await listDeadMail(app.jobs) };
    },
  );

  app.get(
    '/api/admin/events/dead-letters',
    {
      schema: {
        tags: ['admin'],
        summary: 'Event deliveries that failed every attempt (operator)',
        description: 'Durable subscribers of domain events (notifications, reminders) whose every attempt failed, with the event and the last error.',
        response: { 200: z.object({ deliveries: z.array(DeadDeliveryItem) }), ...errors },
      },
    },
    async (request) => {
      requireOperator(request);
      return { deliveries: await listDeadDeliveries(app.jobs) };
    },
  );
};

// The module: only routes (encapsulated, in their own plugin).
export default fp(
  async (app) => {
    await app.register(adminRoutes);
  },
  { name: 'modules/admin', dependencies: ['jobs'] },
);
