// Routes: a group's work programme (list, filter, CSV), one work item's page, writing work
// items and moving their status; the public read for groups whose outputs are public.
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { upper } from '../../lib/enum-case.ts';
import { errors, fileResponse, sendRaw, Slug } from '../../lib/schemas.ts';
import { z } from 'zod';
import { requireUser } from '../../plugins/authenticate.ts';
import { loadGroupAccess } from '../groups/groups.policy.ts';
import { changeWorkItemStatus, createWorkItem, updateWorkItem } from './manage-work-items.ts';
import { listPublicWorkItems, listWorkItems, readPublicWorkItem, readWorkItem, type WorkItemFilter } from './read-work-items.ts';
import { workProgrammeCsv } from './work-programme.csv.ts';
import { workProgrammePolicy } from './work-programme.policy.ts';
import { presentWorkItem, presentWorkItemSummary } from './work-programme.presenter.ts';
import {
  ChangeStatusBody,
  CreateWorkItemBody,
  ListWorkItemsQuery,
  UpdateWorkItemBody,
  WorkItemListSchema,
  WorkItemParams,
  WorkItemSchema,
} from './work-programme.schemas.ts';

const GroupParams = z.strictObject({ slug: Slug });
const filterOf = (q: z.output<typeof ListWorkItemsQuery>): WorkItemFilter => ({
  status: q.status ? upper(q.status) : undefined,
  approvalProcess: q.approvalProcess ? upper(q.approvalProcess) : undefined,
  question: q.question,
  q: q.q,
});

const routes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['work programme'];

  app.get(
    '/api/groups/:slug/work-items',
    {
      schema: {
        tags,
        summary: "The group's work programme, filtered",
        params: GroupParams,
        querystring: ListWorkItemsQuery,
        response: { 200: WorkItemListSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const items = await listWorkItems(ctx, { access, filter: filterOf(request.query) });
      return { workItems: items.map(presentWorkItemSummary), abilities: { manage: workProgrammePolicy.can(access, 'workItems.manage') } };
    },
  );

  app.get(
    '/api/groups/:slug/work-items.csv',
    {
      schema: {
        tags,
        summary: 'The work programme as CSV (same filters)',
        params: GroupParams,
        querystring: ListWorkItemsQuery,
        response: { 200: fileResponse('text/csv', 'The work programme, one work item per row'), ...errors },
      },
    },
    async (request, reply) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const items = await listWorkItems(ctx, { access, filter: filterOf(request.query) });
      reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${access.group.slug}-work-programme.csv"`);
      return sendRaw(reply, Buffer.from(workProgrammeCsv(access.group.acronym, items.map(presentWorkItemSummary))));
    },
  );

  app.post(
    '/api/groups/:slug/work-items',
    {
      schema: {
        tags,
        summary: 'Add a work item to the programme (conveners, the secretariat)',
        params: GroupParams,
        body: CreateWorkItemBody,
        response: { 201: WorkItemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const item = await createWorkItem(ctx, { access, fields: request.body });
      return reply.status(201).send(presentWorkItem(await readWorkItem(ctx, { access, workItemId: item.id }), { manage: true }));
    },
  );

  app.get(
    '/api/groups/:slug/work-items/:workItemId',
    {
      schema: {
        tags,
        summary: 'A work item with the whole history of its text',
        params: WorkItemParams,
        response: { 200: WorkItemSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const page = await readWorkItem(ctx, { access, workItemId: request.params.workItemId });
      return presentWorkItem(page, { manage: workProgrammePolicy.can(access, 'workItems.manage') });
    },
  );

  app.patch(
    '/api/groups/:slug/work-items/:workItemId',
    {
      schema: {
        tags,
        summary: "Change a work item's fields, editors or documents (conveners)",
        description: 'expectedVersion is the version read; a stale one is 409 work_item_changed.',
        params: WorkItemParams,
        body: UpdateWorkItemBody,
        response: { 200: WorkItemSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      await updateWorkItem(ctx, { access, workItemId: request.params.workItemId, fields: request.body });
      return presentWorkItem(await readWorkItem(ctx, { access, workItemId: request.params.workItemId }), { manage: true });
    },
  );

  app.post(
    '/api/groups/:slug/work-items/:workItemId/status',
    {
      schema: {
        tags,
        summary: 'Move a work item along its lifecycle (conveners), dated and audited',
        description: 'A move the lifecycle does not allow is 409 status_transition_not_allowed, with the allowed next statuses.',
        params: WorkItemParams,
        body: ChangeStatusBody,
        response: { 200: WorkItemSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      await changeWorkItemStatus(ctx, { access, workItemId: request.params.workItemId, ...request.body });
      return presentWorkItem(await readWorkItem(ctx, { access, workItemId: request.params.workItemId }), { manage: true });
    },
  );

  app.get(
    '/api/public/groups/:slug/work-items',
    {
      schema: {
        tags,
        summary: 'The work programme of a group whose outputs are public (no sign-in)',
        params: GroupParams,
        querystring: ListWorkItemsQuery,
        response: { 200: WorkItemListSchema, ...errors },
      },
    },
    async (request) => {
      const items = await listPublicWorkItems(ctx, { slug: request.params.slug, filter: filterOf(request.query) });
      return { workItems: items.map(presentWorkItemSummary), abilities: { manage: false } };
    },
  );

  app.get(
    '/api/public/groups/:slug/work-items/:workItemId',
    {
      schema: {
        tags,
        summary: 'A work item of a group whose outputs are public: its fields, status history and published outputs',
        params: WorkItemParams,
        response: { 200: WorkItemSchema, ...errors },
      },
    },
    async (request) => presentWorkItem(await readPublicWorkItem(ctx, request.params), { manage: false }),
  );
};

export default fp(
  async (app) => {
    await app.register(routes);
  },
  { name: 'modules/work-programme' },
);
