// Routes: outgoing liaison statements of a document (conveners send; members see their state).
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { enumIn } from '../../lib/enum-case.ts';
import { lower } from '../../lib/enum-case.ts';
import { Email, errors, Instant, NameText, nameSchemas, Uuid } from '../../lib/schemas.ts';
import { requireUser } from '../../plugins/authenticate.ts';
import { loadGroupAccess } from '../groups/groups.policy.ts';
import { DocumentParams } from '../revisions/revisions.schemas.ts';
import { STAKEHOLDER_GROUPS } from '../open-consultation/open-consultation.schemas.ts';
import { listLiaisons, sendLiaison } from './send-liaison.ts';

const PURPOSES = ['information', 'action', 'comment'] as const;

const LiaisonBody = z.strictObject({
  periodId: Uuid.describe('The comment period the bodies answer in'),
  title: z.string().trim().min(1, 'must not be empty').max(300),
  purpose: enumIn(PURPOSES),
  text: z.string().trim().min(1, 'must not be empty').max(50_000),
  deadline: Instant,
  bodies: z
    .array(
      z.strictObject({
        name: NameText(200, { required: true }).describe('e.g. ISO/IEC JTC 1/SC 27'),
        stakeholderGroup: enumIn(STAKEHOLDER_GROUPS).prefault('technical_community'),
        contacts: z
          .array(z.strictObject({ email: Email, name: NameText(200).default('') }))
          .min(1)
          .max(20),
      }),
    )
    .min(1)
    .max(20),
});

const LiaisonSchema = z.object({
  id: z.string(),
  periodId: z.string(),
  revision: z.number(),
  title: z.string(),
  purpose: z.enum(PURPOSES),
  text: z.string(),
  deadline: z.string(),
  sentAt: z.string(),
  state: z.enum(['sent', 'answered', 'deadline_passed']),
  bodies: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      stakeholderGroup: z.enum(STAKEHOLDER_GROUPS),
      answers: z.number(),
      contacts: z.array(z.object({ id: z.string(), name: z.string(), email: z.string().nullable().describe('Conveners only'), opened: z.boolean() })),
    }),
  ),
});
nameSchemas({ Liaison: LiaisonSchema, LiaisonStatement: LiaisonBody });

const liaisonRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const present = (l: Awaited<ReturnType<typeof listLiaisons>>[number]) => ({
    ...l,
    purpose: lower(l.purpose),
    state: lower(l.state),
    deadline: l.deadline.toISOString(),
    sentAt: l.sentAt.toISOString(),
    bodies: l.bodies.map((b) => ({ ...b, stakeholderGroup: lower(b.stakeholderGroup) })),
  });

  app.get(
    '/api/groups/:slug/documents/:documentId/liaisons',
    {
      schema: {
        tags: ['liaisons'],
        summary: "A document's liaison statements and their state (sent, answered, deadline passed)",
        params: DocumentParams,
        response: { 200: z.object({ liaisons: z.array(LiaisonSchema) }), ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      return { liaisons: (await listLiaisons(ctx, { access, documentId: request.params.documentId })).map(present) };
    },
  );

  app.post(
    '/api/groups/:slug/documents/:documentId/liaisons',
    {
      schema: {
        tags: ['liaisons'],
        summary: 'Send a liaison statement to outside bodies (conveners): each contact gets it by mail with a personal link',
        params: DocumentParams,
        body: LiaisonBody,
        response: { 201: LiaisonSchema, ...errors },
      },
    },
    async (request, reply) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const id = await sendLiaison(ctx, { access, documentId: request.params.documentId, liaison: request.body });
      const all = await listLiaisons(ctx, { access, documentId: request.params.documentId });
      return reply.status(201).send(present(all.find((l) => l.id === id)!));
    },
  );
};

export default fp(
  async (app) => {
    await app.register(liaisonRoutes);
  },
  { name: 'modules/liaisons', dependencies: ['context', 'mail-queue'] },
);
