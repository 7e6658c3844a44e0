// The local mailbox: mail Convene kept instead of sending (no SMTP_URL), for the operator.
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, Uuid } from '../../lib/schemas.ts';
import { requireOperator } from '../../plugins/authenticate.ts';
import { MailboxList, MailboxMessage } from './mailbox.schemas.ts';
import { listMailbox, readMailboxHtml, readMailboxMessage } from './read-mailbox.ts';

const mailboxRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/admin/mailbox',
    {
      schema: {
        tags: ['admin'],
        summary: 'Messages in the local mailbox, newest first (operator)',
        querystring: z.object({
          to: z.string().max(320).optional().describe('Only messages to this address'),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: MailboxList, ...errors },
      },
    },
    async (request) => {
      requireOperator(request);
      const messages = await listMailbox(app.ctx, request.query);
      return { mode: app.mailer.mode, messages: messages.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })) };
    },
  );

  app.get(
    '/api/admin/mailbox/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'One message, HTML and text (operator)',
        operationId: 'getAdminMailboxMessage',
        params: z.object({ id: Uuid.describe("The message's id") }),
        response: { 200: MailboxMessage, ...errors },
      },
    },
    async (request) => {
      requireOperator(request);
      const m = await readMailboxMessage(app.ctx, { id: request.params.id });
      return { ...m, createdAt: m.createdAt.toISOString(), headers: m.headers as Record<string, string> };
    },
  );

  // The HTML part as a document of its own, for a sandboxed iframe: scripts can never run.
  app.get(
    '/api/admin/mailbox/:id/html',
    {
      schema: { hide: true, params: z.object({ id: Uuid }) },
    },
    async (request, reply) => {
      requireOperator(request);
      const html = await readMailboxHtml(app.ctx, { id: request.params.id });
      return reply
        .header('content-security-policy', "sandbox; default-src 'none'; img-src data: https:; style-src 'unsafe-inline'; frame-ancestors 'self'")
        .header('x-frame-options', 'SAMEORIGIN')
        .type('text/html; charset=utf-8')
        .send(html);
    },
  );
};

// The module: only routes (encapsulated, in their own plugin).
export default fp(
  async (app) => {
    await app.register(mailboxRoutes);
  },
  { name: 'modules/mailbox', dependencies: ['mailer'] },
);
