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
      },
    });
    if (mode === 'immediately') await ctx.jobs?.send(SEND_QUEUE, { userId, notificationIds: [n.id] }, { tx });
    return n.id;
  });
}

/** Mails the given notifications of one member in one message (one for "immediately", many for the daily summary). */
export async function mailNotifications(deps: { ctx: Ctx; mailer: Mailer }, job: { userId: string; notificationIds: string[] }) {
  const { ctx } = deps;
  const user = await ctx.prisma.user.findUnique({ where: { id: job.userId } });
  const items = await ctx.prisma.notification.findMany({
    where: { id: { in: job.notificationIds }, userId: job.userId, mailedAt: null },
    orderBy: { createdAt: 'asc' },
  });
  if (!user || !items.length) return;
  const key = createHmac('sha256', ctx.config.sessionSecret)
    .update(items.map((i) => i.id).join(','))
    .digest('hex')
    .slice(0, 24);
  const subject = items.length === 1 ? items[0]!.title : `Your Convene summary: ${items.length} updates`;
  await deps.mailer.send({
    to: user.email,
    template: 'notification',
    props: {
      subject,
      name: user.name,
      items: items.map((i) => ({ title: i.title, body: i.body, url: i.url })),
      settingsUrl: `${ctx.config.publicUrl}/settings/notifications`,
    },
    options: { messageId: `<notification-${key}@${new URL(ctx.config.publicUrl).hostname}>` },
  });
  await ctx.prisma.notification.updateMany({ where: { id: { in: items.map((i) => i.id) }, mailedAt: null }, data: { mailedAt: new Date() } });
}

/** The daily run: one summary job per member with unmailed daily notifications. */
export async function queueDailySummaries(ctx: Ctx): Promise<number> {
  const pending = await ctx.prisma.notification.findMany({ where: { mode: 'DAILY', mailedAt: null }, select: { id: true, userId: true } });
  const byUser = new Map<string, string[]>();
  for (const n of pending) byUser.set(n.userId, [...(byUser.get(n.userId) ?? []), n.id]);
  for (const [userId, notificationIds] of byUser) await ctx.jobs?.send(SEND_QUEUE, { userId, notificationIds });
  return byUser.size;
}

export function defineNotificationJobs(deps: { ctx: Ctx; mailer: Mailer; jobs: Jobs }) {
  deps.jobs.define<{ userId: string; notificationIds: string[] }>(SEND_QUEUE, {
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
