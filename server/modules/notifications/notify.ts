// Personal notifications. The comments and dispositions modules call notify() from their event
// subscribers (comment decided, reply in my thread, disposition awaiting my response, period about
// to close), so every kind goes through one place that honours the member's choice per kind: immediately, in a daily summary, or off.
//
// A notification is a row first (in one transaction with its mail job), then mail: the job sends
// with a deterministic Message-ID and marks the row mailed, so a retried job after a crash
// re-sends the same message rather than losing it.
import { createHmac } from 'node:crypto';
import type { Mailer } from '../../plugins/mailer.ts';
import type { Jobs } from '../../plugins/jobs.ts';
import { upper } from '../../lib/enum-case.ts';
import { transact, type Ctx } from '../../lib/use-case.ts';
import type { NotificationKind, NotificationMode } from '../../generated/prisma/client.ts';

import { NOTIFICATION_KINDS, NOTIFICATION_MODES } from './notifications.schemas.ts';
import { issueReply, type ReplyRequest } from '../mailin/issue-reply.ts';
import { emailText, readerLocale } from '../../../emails/messages.ts';
import type { Locale } from '../../lib/i18n.ts';

export { NOTIFICATION_KINDS, NOTIFICATION_MODES };
export type NotificationKindName = (typeof NOTIFICATION_KINDS)[number];
export type NotificationModeName = (typeof NOTIFICATION_MODES)[number];

/** What a member gets before changing anything: what needs their answer comes at once. */
export const DEFAULT_MODES: Record<NotificationKindName, NotificationModeName> = {
  comment_decided: 'immediately',
  thread_reply: 'daily',
  disposition_awaiting_response: 'immediately',
  period_closing: 'immediately',
};

export const SEND_QUEUE = 'notification-send';
export const DAILY_QUEUE = 'notification-daily';

export async function notificationSettings(ctx: Ctx, userId: string): Promise<Record<NotificationKindName, NotificationModeName>> {
  const rows = await ctx.prisma.notificationSetting.findMany({ where: { userId } });
  const settings = { ...DEFAULT_MODES };
  for (const r of rows) settings[r.kind.toLowerCase() as NotificationKindName] = r.mode.toLowerCase() as NotificationModeName;
  return settings;
}

export async function updateNotificationSettings(ctx: Ctx, userId: string, changes: Partial<Record<NotificationKindName, NotificationModeName>>) {
  await transact(ctx, async (tx) => {
    for (const [kind, mode] of Object.entries(changes) as [NotificationKindName, NotificationModeName][]) {
      await tx.notificationSetting.upsert({
        where: { userId_kind: { userId, kind: upper(kind) as NotificationKind } },
        create: { userId, kind: upper(kind) as NotificationKind, mode: upper(mode) as NotificationMode },
        update: { mode: upper(mode) as NotificationMode },
      });
    }
  });
  return notificationSettings(ctx, userId);
}

export interface NotificationPayload {
  title: string;
  body: string;
  url: string;
  /** What replying to its mail does (a reply target's purpose) and to what; the address is issued when it is mailed. */
  reply?: ReplyRequest;
}

/**
 * Notifies one member. Returns the notification id, or null when their setting is "off".
 * Call it from a durable event subscriber with its delivery key: a retried delivery then finds the
 * notification it made before instead of making a second. The title and body are plain text (escaped in mail).
 */
export async function notify(
  ctx: Ctx,
  kind: NotificationKindName,
  userId: string,
  payload: NotificationPayload,
  options: { key?: string } = {},
): Promise<string | null> {
  const mode = (await notificationSettings(ctx, userId))[kind];
  if (mode === 'off') return null;
  const sourceKey = options.key ?? null;
  if (sourceKey) {
    const made = await ctx.prisma.notification.findUnique({ where: { userId_sourceKey: { userId, sourceKey } }, select: { id: true } });
    if (made) return made.id;
  }
  return transact(ctx, async (tx) => {
    const n = await tx.notification.create({
      data: {
        userId,
        kind: upper(kind) as NotificationKind,
        mode: upper(mode) as NotificationMode,
        title: payload.title.slice(0, 300),
        body: payload.body.slice(0, 2000),
        url: payload.url,
        sourceKey,
        replyPurpose: payload.reply?.purpose ?? null,
        replyTargetId: payload.reply?.targetId ?? null,
        replyTag: payload.reply?.tag ?? null,
      },
    });
    if (mode === 'immediately') {
      // The language is fixed now and kept in the job, so a retry writes in the same one.
      const reader = await tx.user.findUnique({ where: { id: userId }, select: { locale: true } });
      await ctx.jobs?.send(SEND_QUEUE, { userId, notificationIds: [n.id], locale: readerLocale(reader?.locale) }, { tx });
    }
    return n.id;
  });
}

/** One mail of notifications; `locale` absent in jobs queued before languages were kept (the member's setting then). */
export interface NotificationJob {
  userId: string;
  notificationIds: string[];
  locale?: Locale;
}

/** Mails the given notifications of one member in one message (one for "immediately", many for the daily summary). */
export async function mailNotifications(deps: { ctx: Ctx; mailer: Mailer }, job: NotificationJob) {
  const { ctx } = deps;
  const user = await ctx.prisma.user.findUnique({ where: { id: job.userId } });
  const items = await ctx.prisma.notification.findMany({
    where: { id: { in: job.notificationIds }, userId: job.userId, mailedAt: null },
    orderBy: { createdAt: 'asc' },
  });
  if (!user || !items.length) return;
  // An address that bounced for good gets nothing more until the operator clears it.
  if (await ctx.prisma.bouncingAddress.findUnique({ where: { email: user.email.toLowerCase() }, select: { email: true } })) {
    ctx.log.warn({ userId: user.id }, 'notifications not mailed: the address is bouncing');
    return;
  }
  const key = createHmac('sha256', ctx.config.sessionSecret)
    .update(items.map((i) => i.id).join(','))
    .digest('hex')
    .slice(0, 24);
  const locale = readerLocale(job.locale, user.locale);
  const subject = items.length === 1 ? items[0]!.title : emailText(locale)('notification.summarySubject', { count: items.length });
  // Each item that can be answered by mail gets its own reply address; a single item's is the Reply-To.
  const replies = await Promise.all(
    items.map((i) =>
      i.replyPurpose && i.replyTargetId
        ? issueReply(ctx, user.id, { purpose: i.replyPurpose, targetId: i.replyTargetId, tag: i.replyTag ?? '' }, locale)
        : null,
    ),
  );
  const single = items.length === 1 ? replies[0] : null;
  await deps.mailer.send({
    to: user.email,
    template: 'notification',
    props: {
      subject,
      name: user.name,
      items: items.map((i, n) => {
        const reply = replies[n];
        if (!reply) return { title: i.title, body: i.body, url: i.url };
        const howTo = single ? reply.howTo : reply.howToByAddress;
        return { title: i.title, body: i.body, url: i.url, reply: { address: reply.address, howTo } };
      }),
      settingsUrl: `${ctx.config.publicUrl}/settings/notifications`,
    },
    locale,
    options: { messageId: `<notification-${key}@${new URL(ctx.config.publicUrl).hostname}>`, ...(single ? { replyTo: single.address } : {}) },
  });
  await ctx.prisma.notification.updateMany({ where: { id: { in: items.map((i) => i.id) }, mailedAt: null }, data: { mailedAt: new Date() } });
}

/** The daily run: one summary job per member with unmailed daily notifications. */
export async function queueDailySummaries(ctx: Ctx): Promise<number> {
  const pending = await ctx.prisma.notification.findMany({
    where: { mode: 'DAILY', mailedAt: null },
    select: { id: true, userId: true, user: { select: { locale: true } } },
  });
  const byUser = new Map<string, { notificationIds: string[]; locale: Locale }>();
  for (const n of pending) {
    const entry = byUser.get(n.userId) ?? { notificationIds: [], locale: readerLocale(n.user.locale) };
    entry.notificationIds.push(n.id);
    byUser.set(n.userId, entry);
  }
  for (const [userId, entry] of byUser) await ctx.jobs?.send(SEND_QUEUE, { userId, ...entry });
  return byUser.size;
}

export function defineNotificationJobs(deps: { ctx: Ctx; mailer: Mailer; jobs: Jobs }) {
  deps.jobs.define<NotificationJob>(SEND_QUEUE, {
    queue: { retryLimit: 10, retryDelay: 30, retryBackoff: true, retryDelayMax: 3600 },
    handler: async (job) => {
      await mailNotifications(deps, job.data);
    },
  });
  deps.jobs.define<object>(DAILY_QUEUE, {
    queue: { retryLimit: 3 },
    handler: async () => {
      await queueDailySummaries(deps.ctx);
    },
  });
  // Daily summaries at 07:00 UTC; pg-boss runs a schedule once across all instances.
  deps.jobs.onStarted(async () => {
    await deps.jobs.boss.schedule(DAILY_QUEUE, '0 7 * * *', {}, { tz: 'UTC' });
  });
}
