// Reading groups: one group as its page shows it (timeframe, member count, phase, my abilities),
// and the groups a user belongs to (all of them for the operator).
import type { Ctx } from '../../lib/use-case.ts';
import type { Milestone, User } from '../../generated/prisma/client.ts';
import { derivePhase } from '../timeframe/phase.ts';
import { loadGroupAccess } from './groups.policy.ts';

/** A group the user may see (members and the operator; anyone else 404), with what its page shows. */
export async function readGroup(ctx: Ctx, input: { slug: string; user: User }) {
  const access = await loadGroupAccess(ctx, input.slug, input.user);
  const groupId = access.group.id;
  // The timeframe and the member count in one statement (two model queries cost a round trip and a
  // query plan each; this page is read by every participant at every deadline).
  type MilestoneJson = Omit<Milestone, 'at' | 'createdAt' | 'updatedAt'> & { at: string; createdAt: string; updatedAt: string };
  const [[page], phase] = await Promise.all([
    ctx.prisma.$queryRaw<[{ milestones: MilestoneJson[]; memberCount: number }]>`
      SELECT coalesce((SELECT json_agg(json_build_object('id', m.id, 'groupId', m."groupId", 'at', m.at, 'kind', m.kind, 'label', m.label,
                                        'effect', m.effect, 'revisionId', m."revisionId", 'sequence', m.sequence,
                                        'createdAt', m."createdAt", 'updatedAt', m."updatedAt") ORDER BY m.at, m.id)
                       FROM "Milestone" m WHERE m."groupId" = ${groupId}::uuid), '[]') AS milestones,
             (SELECT count(*)::int FROM "Membership" WHERE "groupId" = ${groupId}::uuid) AS "memberCount"`,
    derivePhase(ctx, access.group),
  ]);
  const milestones: Milestone[] = page.milestones.map((m) => ({
    ...m,
    at: new Date(m.at),
    createdAt: new Date(m.createdAt),
    updatedAt: new Date(m.updatedAt),
  }));
  return { access, milestones, memberCount: page.memberCount, phase };
}

/** My groups, by name, each with my role, its phase and its next milestone (the operator sees every group). */
export async function listMyGroups(ctx: Ctx, input: { user: User }) {
  const { user } = input;
  const groups = await ctx.prisma.group.findMany({
    where: user.isOperator ? {} : { memberships: { some: { userId: user.id } } },
    include: { memberships: { where: { userId: user.id }, select: { role: true } } },
    orderBy: { name: 'asc' },
  });
  // One database instant for the whole list: every group's phase and next date read at it.
  const [{ now }] = await ctx.prisma.$queryRaw<[{ now: Date }]>`SELECT now() AS now`;
  const at = now.toISOString();
  return Promise.all(
    groups.map(async (group) => ({
      group,
      phase: await derivePhase(ctx, group, at),
      nextMilestone: await ctx.prisma.milestone.findFirst({ where: { groupId: group.id, at: { gt: now } }, orderBy: { at: 'asc' } }),
    })),
  );
}
