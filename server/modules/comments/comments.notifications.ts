// Personal notifications about comments, through notify() so each member's settings apply: a
// reply in a thread I am in, and, at the group's last reminder before a deadline, "the period is about to close" to the
// members who can comment and have not. Both are durable subscribers of domain events: they run
// at least once after commit, and the delivery key keeps a retry from notifying twice.
import type { FastifyInstance } from 'fastify';
import { emailText, mailInstant, readerLocale } from '../../../emails/messages.ts';
import { htmlToPlainText } from '../revisions/lib/markdown.ts';
import { notify } from '../notifications/notify.ts';
import { DEFAULT_REMINDER_HOURS } from '../timeframe/schedule-milestone.ts';
import { documentUrl } from '../periods/periods.digests.ts';

// Each notice is written in its reader's language when it is made (the mail shows it as stored).
const clauseName = (t: ReturnType<typeof emailText>, clause: { number: string } | null) =>
  clause?.number ? t('notices.clause', { number: clause.number }) : t('notices.wholeDocument');
const localesOf = async (ctx: FastifyInstance['ctx'], userIds: string[]) =>
  new Map((await ctx.prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, locale: true } })).map((u) => [u.id, readerLocale(u.locale)]));
const excerpt = (html: string, max = 500) => {
  const text = htmlToPlainText(html);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

export function subscribeCommentNotifications(app: FastifyInstance) {
  const { ctx, config } = app;

  // The comment's author and everyone who replied before, except the replier; only people who
  // are still members (anyone else may no longer read the thread).
  ctx.events.durable(
    'comments.created',
    'notify-thread',
    async ({ parentId, commentId, groupId, documentId }, { key }) => {
      if (!parentId) return;
      const reply = await ctx.prisma.comment.findUnique({
        where: { id: commentId },
        include: {
          author: { select: { id: true, name: true } },
          clause: { select: { number: true } },
          document: { select: { title: true, group: { select: { slug: true } } } },
        },
      });
      if (!reply) return;
      const thread = await ctx.prisma.comment.findMany({
        where: { OR: [{ id: parentId }, { parentId, createdAt: { lte: reply.createdAt } }], id: { not: reply.id } },
        select: { authorId: true },
      });
      const candidates = [...new Set(thread.map((c) => c.authorId))].filter((id) => id !== reply.authorId);
      if (!candidates.length) return;
      const members = await ctx.prisma.membership.findMany({ where: { groupId, userId: { in: candidates } }, select: { userId: true } });
      const url = `${documentUrl(config, reply.document.group.slug, documentId)}?comment=${parentId}`;
      const locales = await localesOf(
        ctx,
        members.map((m) => m.userId),
      );
      for (const { userId } of members) {
        const t = emailText(locales.get(userId) ?? 'en');
        await notify(
          ctx,
          'thread_reply',
          userId,
          {
            title: t('notices.threadReply', { author: reply.author.name, where: clauseName(t, reply.clause), document: reply.document.title }),
            body: excerpt(reply.bodyHtml),
            url,
            reply: { purpose: 'thread_reply', targetId: parentId },
          },
          { key },
        );
      }
    },
    { when: (e) => e.parentId !== null },
  );

  ctx.events.durable('digests.reminder_sent', 'notify-period-closing', async ({ groupId, milestoneId, hours }, { key }) => {
    // Once per deadline: at the last reminder the group has set (by default 24 hours before).
    const settings = await ctx.prisma.groupDigestSettings.findUnique({ where: { groupId }, select: { reminderHours: true } });
    const reminders = settings?.reminderHours.length ? settings.reminderHours : DEFAULT_REMINDER_HOURS;
    if (hours !== Math.min(...reminders)) return;
    const period = await ctx.prisma.commentPeriod.findUnique({
      where: { closingMilestoneId: milestoneId },
      include: {
        revision: { select: { id: true, sequence: true, label: true } },
        document: { select: { title: true, group: { select: { slug: true, timeZone: true } } } },
      },
    });
    if (!period) return;
    // Members who may comment (conveners run the period) and have no comment of their own on it.
    const silent = await ctx.prisma.membership.findMany({
      where: {
        groupId,
        role: { in: ['PARTICIPANT', 'EDITOR'] },
        user: { comments: { none: { revisionId: period.revision.id, parentId: null, status: 'OPEN' } } },
      },
      select: { userId: true },
    });
    const { group } = period.document;
    const locales = await localesOf(
      ctx,
      silent.map((m) => m.userId),
    );
    for (const { userId } of silent) {
      const locale = locales.get(userId) ?? 'en';
      const t = emailText(locale);
      const when = hours % 24 === 0 ? t('notices.days', { count: hours / 24 }) : t('notices.hours', { count: hours });
      const { sequence, label } = period.revision;
      await notify(
        ctx,
        'period_closing',
        userId,
        {
          title: t('notices.periodClosing.title', { document: period.document.title, sequence, when }),
          body: t('notices.periodClosing.body', { sequence, label, deadline: mailInstant(locale, period.closesAt, group.timeZone) }),
          url: `${documentUrl(config, group.slug, period.documentId)}/revisions/${period.revision.sequence}`,
          reply: { purpose: 'clause_comment', targetId: period.revision.id },
        },
        { key },
      );
    }
  });
}
