// Subscriptions and settings of a group's digests, and the operator's view of deliveries that
// failed. Each function is what one route does; authorization after loading, as everywhere.
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { transact } from '../../lib/use-case.ts';
import type { DeliveryState, User } from '../../generated/prisma/client.ts';
import { authorize, loadGroupAccess } from '../groups/groups.policy.ts';
import { DEFAULT_REMINDER_HOURS, rescheduleGroupDeadlines } from '../timeframe/schedule-milestone.ts';
import { DELIVER_QUEUE } from './create-digest.ts';
import { readUnsubscribeToken } from './digest-mail.ts';
import { digestPolicy } from './digests.policy.ts';
import { assertPublicSubscriptions, requestSubscription, setMemberSubscription } from './subscriptions.ts';

/** Asks for a confirmation link (double opt-in); only groups that publish their outputs take subscribers. */
export async function subscribeToDigests(ctx: Ctx, input: { slug: string; email: string; ip: string; acceptLanguage?: string }) {
  const group = assertPublicSubscriptions(await ctx.prisma.group.findUnique({ where: { slug: input.slug } }));
  await requestSubscription(ctx, { group, email: input.email, ip: input.ip, acceptLanguage: input.acceptLanguage });
}

/** The subscription an unsubscribe link names, with its group; null when the link is not valid. */
export async function readUnsubscribeLink(ctx: Ctx, input: { token: string }) {
  const id = readUnsubscribeToken(ctx.config, input.token);
  return id ? ctx.prisma.digestSubscription.findUnique({ where: { id }, include: { group: true } }) : null;
}

/** Whether a member receives the digests individually. */
export async function readMemberSubscription(ctx: Ctx, input: { slug: string; user: User }) {
  const access = await loadGroupAccess(ctx, input.slug, input.user);
  const sub = await ctx.prisma.digestSubscription.findUnique({ where: { groupId_email: { groupId: access.group.id, email: access.user.email } } });
  return { subscribed: sub?.state === 'CONFIRMED' };
}

export async function changeMemberSubscription(ctx: Ctx, input: { slug: string; user: User; subscribed: boolean }) {
  const access = await loadGroupAccess(ctx, input.slug, input.user);
  authorize(access, 'group.read');
  const sub = await setMemberSubscription(ctx, { group: access.group, user: access.user, subscribed: input.subscribed });
  return { subscribed: sub?.state === 'CONFIRMED' };
}

/** Hours before each comment deadline at which reminders go out. */
export async function readDigestSettings(ctx: Ctx, input: { slug: string; user: User }) {
  const access = await loadGroupAccess(ctx, input.slug, input.user);
  const settings = await ctx.prisma.groupDigestSettings.findUnique({ where: { groupId: access.group.id } });
  return { reminderHours: settings?.reminderHours ?? DEFAULT_REMINDER_HOURS };
}

/** New reminder hours (largest first, no repeats), audited; pending reminders are rescheduled. */
export async function updateDigestSettings(ctx: Ctx, input: { slug: string; user: User; reminderHours: number[] }) {
  const access = await loadGroupAccess(ctx, input.slug, input.user);
  digestPolicy.authorize(access, 'digests.manage');
  const reminderHours = [...new Set(input.reminderHours)].sort((a, b) => b - a);
  await transact(ctx, async (tx) => {
    const before = await tx.groupDigestSettings.findUnique({ where: { groupId: access.group.id } });
    await tx.groupDigestSettings.upsert({
      where: { groupId: access.group.id },
      create: { groupId: access.group.id, reminderHours },
      update: { reminderHours },
    });
    await recordAudit(tx, {
      actorId: access.user.id,
      groupId: access.group.id,
      action: 'digests.settings_updated',
      entityType: 'group',
      entityId: access.group.id,
      before: { reminderHours: before?.reminderHours ?? DEFAULT_REMINDER_HOURS },
      after: { reminderHours },
    });
    await rescheduleGroupDeadlines(ctx, tx, access.group.id);
  });
  return { reminderHours };
}

/** The operator's view: the latest deliveries in one state. */
export async function listDeliveries(ctx: Ctx, input: { state: DeliveryState }) {
  return ctx.prisma.digestDelivery.findMany({ where: { state: input.state }, orderBy: { updatedAt: 'desc' }, take: 500 });
}

/** Sends a dead-lettered or failed delivery again; its address is no longer treated as bouncing. */
export async function retryDelivery(ctx: Ctx, input: { operator: User; deliveryId: string }) {
  return transact(ctx, async (tx) => {
    const found = await tx.digestDelivery.findUnique({ where: { id: input.deliveryId } });
    if (!found) throw AppError.notFound('That delivery', 'delivery_not_found');
    if (found.state !== 'DEAD' && found.state !== 'FAILED')
      throw AppError.conflict('delivery_not_failed', 'Only dead-lettered or failed deliveries can be retried.');
    await tx.bouncingAddress.deleteMany({ where: { email: found.recipient } });
    const updated = await tx.digestDelivery.update({
      where: { id: found.id },
      data: { state: 'PENDING', attempts: 0, nextAttemptAt: new Date(), lastError: null },
    });
    await recordAudit(tx, {
      actorId: input.operator.id,
      action: 'digests.delivery_retried',
      entityType: 'digest_delivery',
      entityId: found.id,
      before: { state: found.state, lastError: found.lastError },
    });
    await ctx.jobs?.send(DELIVER_QUEUE, { digestId: found.digestId }, { tx });
    return updated;
  });
}

/** Addresses marked bouncing after a permanent failure, newest first. */
export async function listBounces(ctx: Ctx) {
  return ctx.prisma.bouncingAddress.findMany({ orderBy: { createdAt: 'desc' }, take: 1000 });
}
