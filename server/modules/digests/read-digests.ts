// Reading the digest archive: public for groups that publish their outputs, otherwise for members
// (anyone else gets a 404). Recipients' addresses only for those who manage the digests.
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { lower } from '../../lib/enum-case.ts';
import type { User } from '../../generated/prisma/client.ts';
import { loadGroupAccess } from '../groups/groups.policy.ts';
import { digestPolicy } from './digests.policy.ts';
import { emptyCounts, type DeliveryCounts } from './digests.presenter.ts';

/** Public groups' archives are readable without an account; others only by members (404 otherwise). */
async function loadArchive(ctx: Ctx, slug: string, user: User | null) {
  const group = await ctx.prisma.group.findUnique({ where: { slug } });
  if (group?.visibility === 'PUBLIC_OUTPUTS') {
    const access = user ? await loadGroupAccess(ctx, slug, user).catch(() => null) : null;
    return { group, access };
  }
  if (!user) throw AppError.notFound('That group', 'group_not_found');
  const access = await loadGroupAccess(ctx, slug, user);
  return { group: access.group, access };
}

async function countDeliveries(ctx: Ctx, digestIds: string[]): Promise<Map<string, DeliveryCounts>> {
  const rows = await ctx.prisma.digestDelivery.groupBy({ by: ['digestId', 'state'], where: { digestId: { in: digestIds } }, _count: { _all: true } });
  const counts = new Map<string, DeliveryCounts>(digestIds.map((id) => [id, emptyCounts()]));
  for (const r of rows) {
    const c = counts.get(r.digestId)!;
    c[lower(r.state)] += r._count._all;
    c.total += r._count._all;
  }
  return counts;
}

/** Every digest sent, newest first, each with its delivery counts. */
export async function listDigests(ctx: Ctx, input: { slug: string; user: User | null }) {
  const { group } = await loadArchive(ctx, input.slug, input.user);
  const digests = await ctx.prisma.digest.findMany({ where: { groupId: group.id }, orderBy: { createdAt: 'desc' }, take: 500 });
  const counts = await countDeliveries(
    ctx,
    digests.map((d) => d.id),
  );
  return digests.map((digest) => ({ digest, counts: counts.get(digest.id)! }));
}

/** One digest as sent; its deliveries (with addresses) only for those who manage the digests. */
export async function readDigest(ctx: Ctx, input: { slug: string; user: User | null; digestId: string }) {
  const { group, access } = await loadArchive(ctx, input.slug, input.user);
  const digest = await ctx.prisma.digest.findFirst({ where: { id: input.digestId, groupId: group.id } });
  if (!digest) throw AppError.notFound('That digest', 'digest_not_found');
  const counts = await countDeliveries(ctx, [digest.id]);
  const showRecipients = access !== null && digestPolicy.can(access, 'digests.manage');
  const deliveries = showRecipients ? await ctx.prisma.digestDelivery.findMany({ where: { digestId: digest.id }, orderBy: { recipient: 'asc' } }) : null;
  return { digest, counts: counts.get(digest.id)!, deliveries };
}

/** The HTML of one digest as sent. */
export async function readDigestHtml(ctx: Ctx, input: { slug: string; user: User | null; digestId: string }) {
  const { group } = await loadArchive(ctx, input.slug, input.user);
  const digest = await ctx.prisma.digest.findFirst({ where: { id: input.digestId, groupId: group.id }, select: { html: true } });
  if (!digest) throw AppError.notFound('That digest', 'digest_not_found');
  return digest.html;
}
