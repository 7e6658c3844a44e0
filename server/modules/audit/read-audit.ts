// Reading the audit log a page at a time, newest first: a group's (its conveners, the operator)
// or the whole server's (the operator, checked by the route's requireOperator).
import type { Ctx } from '../../lib/use-case.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { auditPolicy } from './audit.policy.ts';

export interface AuditPageQuery {
  cursor?: string | undefined;
  limit: number;
}

async function auditPage(ctx: Ctx, where: { groupId?: string }, query: AuditPageQuery) {
  const entries = await ctx.prisma.auditEntry.findMany({
    where: { ...where, ...(query.cursor ? { id: { lt: BigInt(query.cursor) } } : {}) },
    include: { actor: { select: { id: true, name: true } } },
    orderBy: { id: 'desc' },
    take: query.limit + 1,
  });
  const more = entries.length > query.limit;
  const shown = entries.slice(0, query.limit);
  return { entries: shown, nextCursor: more ? shown.at(-1)!.id.toString() : null };
}

export async function readGroupAudit(ctx: Ctx, input: { access: GroupAccess; query: AuditPageQuery }) {
  auditPolicy.authorize(input.access, 'audit.read');
  return auditPage(ctx, { groupId: input.access.group.id }, input.query);
}

export async function readServerAudit(ctx: Ctx, input: { query: AuditPageQuery }) {
  return auditPage(ctx, {}, input.query);
}
