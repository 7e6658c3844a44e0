// Helpers for digest tests: groups with subscribers, milestones through the real use cases,
// and waiting on the database for jobs to do their work.
import type { TestApp } from './app.ts';
import { unique } from './app.ts';
import { createGroup, createUser } from './factories.ts';
import { createMilestone } from '../../server/modules/timeframe/manage-milestones.ts';
import { MilestoneKindName } from '../../server/modules/timeframe/timeframe.schemas.ts';
import type { GroupAccess } from '../../server/modules/groups/groups.policy.ts';

export async function createListGroup(app: TestApp, options: { subscribers?: number; visibility?: 'PRIVATE' | 'PUBLIC_OUTPUTS' } = {}) {
  const convener = await createUser(app, { name: 'Convener' });
  const group = await createGroup(app, [{ user: convener, role: 'CONVENER' }], { visibility: options.visibility ?? 'PUBLIC_OUTPUTS' });
  const subscribers = Array.from({ length: options.subscribers ?? 0 }, () => `${unique('sub')}@subscribers.test`);
  if (subscribers.length) {
    await app.prisma.digestSubscription.createMany({
      data: subscribers.map((email) => ({ groupId: group.id, email, state: 'CONFIRMED' as const, confirmedAt: new Date() })),
    });
  }
  return { group, convener, subscribers, listAddress: group.mailingList! };
}

/** A member's access to a group, as loadGroupAccess gives it to use cases. */
export async function accessOf(app: TestApp, group: { id: string }, member: { id: string }): Promise<GroupAccess> {
  const user = await app.prisma.user.findUniqueOrThrow({ where: { id: member.id } });
  const full = await app.prisma.group.findUniqueOrThrow({ where: { id: group.id } });
  const membership = await app.prisma.membership.findFirst({ where: { groupId: group.id, userId: user.id } });
  return { group: full, user, role: membership?.role ?? null };
}

/** A milestone through the same use case as the route (its job is enqueued in that transaction). */
export async function addMilestone(app: TestApp, input: { group: { id: string }; actor: { id: string }; inMs: number; kind?: string; label?: string }) {
  return createMilestone(app.ctx, {
    access: await accessOf(app, input.group, input.actor),
    at: new Date(Date.now() + input.inMs).toISOString(),
    kind: MilestoneKindName.parse(input.kind ?? 'comments_close'),
    label: input.label ?? 'Comments close',
  });
}

type Truthy<T> = Exclude<T, null | undefined | false | 0 | ''>;

export async function until<T>(probe: () => Promise<T> | T, ms = 10_000, what = 'condition'): Promise<Truthy<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves when every delivery of the group's digests has left the PENDING state. */
export async function deliveriesSettled(app: TestApp, groupId: string, digests = 1, ms = 15_000) {
  return until(
    async () => {
      const rows = await app.prisma.digestDelivery.findMany({ where: { digest: { groupId } }, include: { digest: true } });
      const count = new Set(rows.map((r) => r.digestId)).size;
      return count >= digests && rows.every((r) => r.state !== 'PENDING') ? rows : null;
    },
    ms,
    'deliveries to settle',
  );
}
