// The privacy module: a person downloads what Convene holds about them, the operator anonymises a
// person on request, and a daily job prunes what is kept only for a while. The providers and
// retention rules of other modules join through app.personalData / app.retention.
import fp from 'fastify-plugin';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, fileResponse, Uuid } from '../../lib/schemas.ts';
import { requireOperator, requireUser } from '../../plugins/authenticate.ts';
import { anonymisePerson } from './anonymise-person.ts';
import { CORE_PROVIDERS } from './core-providers.ts';
import { exportCommentsCsv, exportPersonalData } from './export-personal-data.ts';
import { CORE_RETENTION_RULES, defineRetentionJob } from './retention.ts';

const PersonalDataSchema = z
  .object({
    generatedAt: z.string(),
    person: z.object({ id: z.string(), name: z.string(), email: z.string() }),
    sections: z
      .record(z.string(), z.unknown())
      .describe('One section per kind of data (account, sign_ins, comments, group_work, mail, activity, and those of other modules)'),
  })
  .meta({ id: 'PersonalData' });

const AnonymiseBody = z.strictObject({
  keepAffiliation: z.boolean().describe('Whether the person allowed their affiliation to stay beside their contributions'),
});
const AnonymisedSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    affiliation: z.string(),
    anonymisedAt: z.string(),
    changed: z.record(z.string(), z.record(z.string(), z.number())).describe('What each kind of data had removed or replaced (counts)'),
  })
  .meta({ id: 'AnonymisedPerson' });

/** A Buffer is sent as it is: the byte order mark Excel needs must survive untouched (and no JSON schema applies). */
function sendCsv(reply: FastifyReply, csv: string) {
  return reply.type('text/csv; charset=utf-8').send(Buffer.from(csv, 'utf8'));
}

const privacyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/me/personal-data',
    {
      schema: {
        tags: ['me'],
        summary: 'Everything Convene holds about me (JSON download)',
        response: { 200: PersonalDataSchema, ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      reply.header('content-disposition', 'attachment; filename="convene-personal-data.json"');
      return exportPersonalData(app.ctx, { user, providers: app.personalData.all() });
    },
  );

  app.get(
    '/api/me/personal-data/comments.csv',
    {
      schema: {
        tags: ['me'],
        summary: 'My comments, with the decision on each (CSV download)',
        response: { 200: fileResponse('text/csv', 'One comment per row, UTF-8 with a byte order mark'), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const csv = await exportCommentsCsv(app.ctx, { user });
      reply.header('content-disposition', 'attachment; filename="convene-my-comments.csv"');
      return sendCsv(reply, csv);
    },
  );

  app.post(
    '/api/admin/users/:userId/anonymise',
    {
      schema: {
        tags: ['admin'],
        summary: 'Anonymise a person on their request (operator)',
        description:
          'Irreversible. Name replaced by "A former participant" (affiliation kept only if the person allowed it), e-mail address removed, sessions, sign-in links, subscriptions, notifications and memberships deleted; comments and dispositions stay on the groups’ record under the new name. Audited.',
        params: z.object({ userId: Uuid }),
        body: AnonymiseBody,
        response: { 200: AnonymisedSchema, ...errors },
      },
    },
    async (request) => {
      const operator = requireOperator(request);
      const { user, changed } = await anonymisePerson(app.ctx, {
        operator,
        userId: request.params.userId,
        keepAffiliation: request.body.keepAffiliation,
        providers: app.personalData.all(),
      });
      return { id: user.id, name: user.name, affiliation: user.affiliation, anonymisedAt: user.anonymisedAt!.toISOString(), changed };
    },
  );
};

export default fp(
  async (app) => {
    for (const provider of CORE_PROVIDERS) app.personalData.register(provider);
    for (const rule of CORE_RETENTION_RULES) app.retention.register(rule);
    defineRetentionJob(app.ctx, app.jobs, app.retention);
    await app.register(privacyRoutes);
  },
  { name: 'modules/privacy', dependencies: ['personal-data', 'jobs'] },
);
