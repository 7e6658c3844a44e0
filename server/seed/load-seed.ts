// Loads the demo groups. Idempotent: groups that exist (by URL name) are left as they are,
// so it is safe at every start and as `npm run db:seed`.
import type { Ctx } from '../lib/use-case.ts';
import { recordAudit } from '../lib/audit.ts';
import { transact } from '../lib/use-case.ts';
import { SEED_GROUPS, type SeedGroup } from './seed-data.ts';

export async function ensureOperator(ctx: Ctx) {
  return ctx.prisma.user.upsert({
    where: { email: ctx.config.operatorEmail },
    create: { email: ctx.config.operatorEmail, name: 'Operator', affiliation: 'Convene', isOperator: true },
    update: { isOperator: true },
  });
}

async function loadGroup(ctx: Ctx, operatorId: string, seed: SeedGroup): Promise<boolean> {
  return transact(ctx, async (tx) => {
    if (await tx.group.findUnique({ where: { slug: seed.slug } })) return false;
    const { people, milestones, ...fields } = seed;
    const group = await tx.group.create({ data: fields });
    await recordAudit(tx, { actorId: operatorId, groupId: group.id, action: 'groups.created', entityType: 'group', entityId: group.id, after: { ...fields, source: 'seed' } });
    for (const p of people) {
      const user = await tx.user.upsert({ where: { email: p.email }, create: { email: p.email, name: p.name, affiliation: p.affiliation }, update: {} });
      const m = await tx.membership.create({ data: { groupId: group.id, userId: user.id, role: p.role, invitedById: operatorId } });
      await recordAudit(tx, { actorId: operatorId, groupId: group.id, action: 'members.added', entityType: 'membership', entityId: m.id, after: { userId: user.id, role: p.role.toLowerCase() } });
    }
    await tx.milestone.createMany({ data: milestones.map((m) => ({ groupId: group.id, at: new Date(m.at), kind: m.kind, label: m.label })) });
    return true;
  });
}

/** Returns the slugs of the groups it created. */
export async function loadSeed(ctx: Ctx): Promise<string[]> {
  const operator = await ensureOperator(ctx);
  const created: string[] = [];
  for (const seed of SEED_GROUPS) if (await loadGroup(ctx, operator.id, seed)) created.push(seed.slug);
  return created;
}
