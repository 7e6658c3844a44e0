// Reading groups: one group as its page shows it (timeframe, member count, phase, my abilities),
// and the groups a user belongs to (all of them for the operator).
import type { Ctx } from '../../lib/use-case.ts';
import type { User } from '../../generated/prisma/client.ts';
import { derivePhase } from '../timeframe/phase.ts';
import { loadGroupAccess } from './groups.policy.ts';

/** A group the user may see (members and the operator; anyone else 404), with what its page shows. */
export async function readGroup(ctx: Ctx, input: { slug: string; user: User }) {
  const access = await loadGroupAccess(ctx, input.slug, input.user);
  const [milestones, memberCount, phase] = await Promise.all([
    ctx.prisma.milestone.findMany({ where: { groupId: access.group.id }, orderBy: { at: 'asc' } }),
    ctx.prisma.membership.count({ where: { groupId: access.group.id } }),
    derivePhase(ctx, access.group),
  ]);
  return { access, milestones, memberCount, phase };
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
