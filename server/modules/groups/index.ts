// Routes: groups, their members and invitations (their timeframe: modules/timeframe).
import fp from 'fastify-plugin';
import { AppError } from '../../lib/app-error.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorSchema, errors, Slug, Uuid } from '../../lib/schemas.ts';
import { requireOperator, requireUser } from '../../plugins/authenticate.ts';
import { loadGroupAccess } from './groups.policy.ts';
import { presentGroup, presentGroupSummary, presentMember } from './groups.presenter.ts';
import { CreateGroupBody, GroupList, GroupSchema, InviteBody, InviteResult, MemberList, MemberSchema, RoleBody, UpdateGroupBody } from './groups.schemas.ts';
import { createGroup, updateGroup } from './manage-groups.ts';
import { changeMemberRole, inviteMembers, listMembers, parseInviteList, removeMember } from './members.ts';
import { groupRealtimeEvents } from './groups.realtime.ts';
import { subscribeGroupEvents } from './groups.subscribers.ts';
import { listMyGroups, readGroup } from './read-groups.ts';
import { presentMilestone } from '../timeframe/timeframe.presenter.ts';

const GroupParams = z.object({ slug: Slug });

const groupRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  async function groupView(slug: string, user: Parameters<typeof loadGroupAccess>[2]) {
    const { access, milestones, memberCount, phase } = await readGroup(ctx, { slug, user });
    return presentGroup(access, milestones, memberCount, phase);
  }

  app.get(
    '/api/groups',
    {
      schema: { tags: ['groups'], summary: 'My groups (the operator sees all)', response: { 200: GroupList, ...errors } },
    },
    async (request) => {
      const groups = await listMyGroups(ctx, { user: requireUser(request) });
      return {
        groups: groups.map(({ group, phase, nextMilestone }) => ({
          ...presentGroupSummary(group, group.memberships[0]?.role ?? null),
          phase,
          nextMilestone: nextMilestone ? presentMilestone(nextMilestone) : null,
        })),
      };
    },
  );

  app.post(
    '/api/groups',
    {
      schema: { tags: ['groups'], summary: 'Create a group (operator)', body: CreateGroupBody, response: { 201: GroupSchema, ...errors } },
    },
    async (request, reply) => {
      const actor = requireOperator(request);
      const group = await createGroup(ctx, { actor, data: request.body });
      return reply.status(201).send(await groupView(group.slug, actor));
    },
  );

  app.get(
    '/api/groups/:slug',
    {
      schema: {
        tags: ['groups'],
        summary: 'A group: terms of reference, timeframe, my role and abilities',
        params: GroupParams,
        response: { 200: GroupSchema, ...errors },
      },
    },
    async (request) => groupView(request.params.slug, requireUser(request)),
  );

  app.patch(
    '/api/groups/:slug',
    {
      schema: {
        tags: ['groups'],
        summary: 'Edit a group (conveners, operator)',
        params: GroupParams,
        body: UpdateGroupBody,
        response: { 200: GroupSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      await updateGroup(ctx, { access, data: request.body });
      return groupView(access.group.slug, access.user);
    },
  );

  app.get(
    '/api/groups/:slug/members',
    {
      schema: { tags: ['members'], summary: 'Members: names, affiliations and roles', params: GroupParams, response: { 200: MemberList, ...errors } },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const { members, showEmails } = await listMembers(ctx, access);
      return { members: members.map((m) => presentMember(m, showEmails || m.userId === access.user.id)) };
    },
  );

  app.post(
    '/api/groups/:slug/invitations',
    {
      schema: {
        tags: ['members'],
        summary: 'Invite people by e-mail (one, many, or a pasted list/CSV)',
        description:
          'Re-inviting a member changes nothing. Each malformed address is reported with status 400 while the rest are invited; the answer is 400 only when nobody could be invited.',
        params: GroupParams,
        body: InviteBody,
        response: { 200: InviteResult, 400: z.union([InviteResult.extend({ code: z.string(), message: z.string() }), ErrorSchema]), ...errors },
      },
    },
    async (request, reply) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const parsed = request.body.list ? parseInviteList(request.body.list) : { invitees: [], errors: [] };
      const result = await inviteMembers(ctx, {
        access,
        invitees: [...(request.body.invitees ?? []), ...parsed.invitees],
        defaultRole: request.body.role,
        parseErrors: parsed.errors,
      });
      const nobody = result.invited.length === 0 && result.alreadyMembers.length === 0;
      // Through the error handler, so the sentences are in the caller's language.
      if (nobody) throw new AppError('nobody_invited', 400, result.errors[0]?.message ?? 'Nobody could be invited.', { ...result });
      return reply.status(200).send(result);
    },
  );

  app.patch(
    '/api/groups/:slug/members/:userId',
    {
      schema: {
        tags: ['members'],
        summary: "Change a member's role",
        params: GroupParams.extend({ userId: Uuid }),
        body: RoleBody,
        response: { 200: MemberSchema, ...errors },
      },
    },
    async (request) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      const member = await changeMemberRole(ctx, { access, userId: request.params.userId, role: request.body.role });
      return presentMember(member, true);
    },
  );

  app.delete(
    '/api/groups/:slug/members/:userId',
    {
      schema: { tags: ['members'], summary: 'Remove a member', params: GroupParams.extend({ userId: Uuid }), response: { 204: z.null(), ...errors } },
    },
    async (request, reply) => {
      const access = await loadGroupAccess(ctx, request.params.slug, requireUser(request));
      await removeMember(ctx, { access, userId: request.params.userId });
      return reply.status(204).send(null);
    },
  );
};

// The module: its socket events, subscribers and jobs, then its routes (encapsulated, in their own plugin).
export default fp(
  async (app) => {
    app.realtime.register(groupRealtimeEvents);
    subscribeGroupEvents(app);
    await app.register(groupRoutes);
  },
  { name: 'modules/groups', dependencies: ['realtime', 'mail-queue'] },
);
