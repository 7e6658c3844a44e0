// Individual digest subscribers: members opt in from their account; people without an account
// subscribe by address and confirm by e-mail (double opt-in). Unsubscribing is one click.
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { hitRateLimit } from '../../lib/rate-limit.ts';
import { hashToken, randomToken } from '../../lib/tokens.ts';
import { transact, type Ctx } from '../../lib/use-case.ts';
import type { DigestSubscription, Group, User } from '../../generated/prisma/client.ts';
import { readUnsubscribeToken } from './digest-mail.ts';
import { queueMail } from '../../plugins/mail-queue.ts';
import { negotiateLocale } from '../../lib/i18n.ts';
import { mainLanguage } from '../../../emails/messages.ts';

export const CONFIRM_DAYS = 7;

/**
 * Always answers the same way whatever the address's state, so it reveals nothing about who subscribed.
 * Anyone can type anyone's address here, so the confirmation mails an address can be sent are
 * limited (over all groups, as sign-in links are), and so are one IP's requests. Both limits count
 * every request, for subscribed, pending and unknown addresses alike: being refused reveals nothing either.
 */
export async function requestSubscription(ctx: Ctx, input: { group: Group; email: string; ip: string; acceptLanguage?: string }): Promise<void> {
  const { subscribePerIp, subscribePerAddress } = ctx.config.limits;
  const byIp = await hitRateLimit(ctx, `subscribe:ip:${input.ip}`, subscribePerIp);
  if (!byIp.allowed) {
    throw AppError.tooManyRequests(
      `Too many subscription requests came from your network; wait ${minutes(byIp.retryAfterSeconds)} and try again.`,
      byIp.retryAfterSeconds,
    );
  }
  const byAddress = await hitRateLimit(ctx, `subscribe:email:${input.email}`, subscribePerAddress);
  if (!byAddress.allowed) {
    throw AppError.tooManyRequests(
      `Too many confirmation links were requested for this address; wait ${minutes(byAddress.retryAfterSeconds)} and try again.`,
      byAddress.retryAfterSeconds,
    );
  }
  const token = randomToken();
  await transact(ctx, async (tx, emit) => {
    const existing = await tx.digestSubscription.findUnique({ where: { groupId_email: { groupId: input.group.id, email: input.email } } });
    if (existing?.state === 'CONFIRMED') return;
    const data = {
      state: 'PENDING' as const,
      confirmTokenHash: hashToken(ctx.config.sessionSecret, token),
      confirmExpiresAt: new Date(Date.now() + CONFIRM_DAYS * 86_400_000),
      unsubscribedAt: null,
    };
    // An upsert (INSERT … ON CONFLICT), so two first requests at once both answer 202.
    const sub = await tx.digestSubscription.upsert({
      where: { groupId_email: { groupId: input.group.id, email: input.email } },
      update: data,
      create: { ...data, groupId: input.group.id, email: input.email },
    });
    await recordAudit(tx, {
      actorId: null,
      groupId: input.group.id,
      action: 'digests.subscription_requested',
      entityType: 'digest_subscription',
      entityId: sub.id,
    });
    const url = `${ctx.config.publicUrl}/digests/confirm?token=${token}`;
    await queueMail(ctx, tx, emit, {
      to: input.email,
      template: 'digest-subscribe-confirm',
      props: { groupName: input.group.name, groupAcronym: input.group.acronym, url, days: CONFIRM_DAYS },
      // An address without an account: the language of the page it was typed on, else the group's.
      locale: input.acceptLanguage ? negotiateLocale(input.acceptLanguage) : mainLanguage(input.group),
    });
    emit('digests.subscription_requested', { groupId: input.group.id, email: input.email, url });
  });
}

const minutes = (seconds: number) => (seconds <= 60 ? 'a minute' : `${Math.ceil(seconds / 60)} minutes`);

export type LinkProblem = 'invalid' | 'expired' | 'used';

export async function inspectConfirmToken(
  ctx: Ctx,
  token: string,
): Promise<{ problem: LinkProblem; subscription?: undefined } | { problem?: undefined; subscription: DigestSubscription & { group: Group } }> {
  const sub = token
    ? await ctx.prisma.digestSubscription.findUnique({ where: { confirmTokenHash: hashToken(ctx.config.sessionSecret, token) }, include: { group: true } })
    : null;
  if (!sub) return { problem: 'invalid' as const };
  if (sub.state !== 'PENDING') return { problem: 'used' as const };
  if (!sub.confirmExpiresAt || sub.confirmExpiresAt <= new Date()) return { problem: 'expired' as const };
  return { subscription: sub };
}

export async function confirmSubscription(ctx: Ctx, token: string): Promise<{ group: Group } | { problem: LinkProblem }> {
  return transact(ctx, async (tx) => {
    const sub = await tx.digestSubscription.findUnique({ where: { confirmTokenHash: hashToken(ctx.config.sessionSecret, token) }, include: { group: true } });
    if (!sub) return { problem: 'invalid' as const };
    // Compare against the database clock, like every deadline.
    const [row] = await tx.$queryRaw<{ pending: boolean; fresh: boolean }[]>`
      SELECT (state = 'PENDING') AS pending, coalesce("confirmExpiresAt" > now(), false) AS fresh FROM "DigestSubscription" WHERE id = ${sub.id}::uuid FOR UPDATE`;
    if (!row?.pending) return { problem: 'used' as const };
    if (!row.fresh) return { problem: 'expired' as const };
    // The token hash stays, so a second use is recognised as "already used", not "unknown".
    await tx.digestSubscription.update({ where: { id: sub.id }, data: { state: 'CONFIRMED', confirmedAt: new Date() } });
    await recordAudit(tx, { actorId: null, groupId: sub.groupId, action: 'digests.subscribed', entityType: 'digest_subscription', entityId: sub.id });
    return { group: sub.group };
  });
}

/** Idempotent: unsubscribing twice is fine and says so. */
export async function unsubscribeByToken(ctx: Ctx, token: string): Promise<{ group: Group; already: boolean } | { problem: 'invalid' }> {
  const id = readUnsubscribeToken(ctx.config, token);
  if (!id) return { problem: 'invalid' };
  return transact(ctx, async (tx) => {
    const sub = await tx.digestSubscription.findUnique({ where: { id }, include: { group: true } });
    if (!sub) return { problem: 'invalid' as const };
    if (sub.state === 'UNSUBSCRIBED') return { group: sub.group, already: true };
    await tx.digestSubscription.update({ where: { id }, data: { state: 'UNSUBSCRIBED', unsubscribedAt: new Date(), confirmTokenHash: null } });
    await recordAudit(tx, { actorId: sub.userId, groupId: sub.groupId, action: 'digests.unsubscribed', entityType: 'digest_subscription', entityId: sub.id });
    return { group: sub.group, already: false };
  });
}

/** A member's own subscription: their account address is already verified, so no double opt-in. */
export async function setMemberSubscription(ctx: Ctx, input: { group: Group; user: User; subscribed: boolean }) {
  return transact(ctx, async (tx) => {
    const existing = await tx.digestSubscription.findUnique({ where: { groupId_email: { groupId: input.group.id, email: input.user.email } } });
    if (!input.subscribed && (!existing || existing.state === 'UNSUBSCRIBED')) return existing;
    const sub = existing
      ? await tx.digestSubscription.update({
          where: { id: existing.id },
          data: input.subscribed
            ? { state: 'CONFIRMED', userId: input.user.id, confirmedAt: existing.confirmedAt ?? new Date(), unsubscribedAt: null, confirmTokenHash: null }
            : { state: 'UNSUBSCRIBED', unsubscribedAt: new Date(), confirmTokenHash: null },
        })
      : await tx.digestSubscription.create({
          data: { groupId: input.group.id, email: input.user.email, userId: input.user.id, state: 'CONFIRMED', confirmedAt: new Date() },
        });
    await recordAudit(tx, {
      actorId: input.user.id,
      groupId: input.group.id,
      action: input.subscribed ? 'digests.subscribed' : 'digests.unsubscribed',
      entityType: 'digest_subscription',
      entityId: sub.id,
    });
    return sub;
  });
}

export function assertPublicSubscriptions(group: Group | null): Group {
  // A private group's digests are for its members: anyone else cannot even learn it exists.
  if (group?.visibility !== 'PUBLIC_OUTPUTS') throw AppError.notFound('That group', 'group_not_found');
  return group;
}

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'digests.subscription_requested': { groupId: string; email: string; url: string };
  }
}
