// The personal data of the core modules (accounts, sessions, groups, comments, adjudication,
// digests, notifications, calendars, the audit log), as providers of the personal-data registry
// (plugins/personal-data.ts). Other modules register their own the same way.
import { Prisma } from '../../generated/prisma/client.ts';
import type { AnonymiseOptions, DataSubject, PersonalDataProvider } from '../../plugins/personal-data.ts';
import type { Tx } from '../../lib/use-case.ts';

/** Where a removed address is needed as a value (unique columns): RFC 2606's never-deliverable domain. */
export const removedAddress = (userId: string) => `anonymised-${userId}@removed.invalid`;

const account: PersonalDataProvider = {
  name: 'account',
  async collect(ctx, { userId }) {
    const user = await ctx.prisma.user.findUniqueOrThrow({
      where: { id: userId },
      include: {
        memberships: { include: { group: { select: { slug: true, name: true } } }, orderBy: { createdAt: 'asc' } },
        notificationSettings: true,
      },
    });
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      affiliation: user.affiliation,
      locale: user.locale,
      isOperator: user.isOperator,
      createdAt: user.createdAt,
      memberships: user.memberships.map((m) => ({ group: m.group.slug, groupName: m.group.name, role: m.role.toLowerCase(), since: m.createdAt })),
      notificationSettings: user.notificationSettings.map((s) => ({ kind: s.kind.toLowerCase(), mode: s.mode.toLowerCase() })),
    };
  },
  async anonymise(tx, { userId }, options) {
    await tx.user.update({
      where: { id: userId },
      data: {
        name: options.replacementName,
        affiliation: options.keepAffiliation ? undefined : '',
        email: removedAddress(userId),
        locale: 'en',
        anonymisedAt: new Date(),
      },
    });
    // Membership ends (the group keeps the contributions); calendar feeds go with it (cascade).
    const memberships = await tx.membership.deleteMany({ where: { userId } });
    const settings = await tx.notificationSetting.deleteMany({ where: { userId } });
    return { memberships: memberships.count, notificationSettings: settings.count };
  },
};

const signIns: PersonalDataProvider = {
  name: 'sign_ins',
  async collect(ctx, { userId, email }) {
    const [sessions, links] = await Promise.all([
      ctx.prisma.session.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } }),
      ctx.prisma.signInToken.findMany({ where: { email }, orderBy: { createdAt: 'asc' } }),
    ]);
    return {
      // Token hashes and CSRF tokens are secrets, not data about the person: left out.
      sessions: sessions.map((s) => ({
        createdAt: s.createdAt,
        lastSeenAt: s.lastSeenAt,
        expiresAt: s.expiresAt,
        revokedAt: s.revokedAt,
        ip: s.ip,
        userAgent: s.userAgent,
      })),
      signInLinks: links.map((l) => ({ purpose: l.purpose.toLowerCase(), createdAt: l.createdAt, expiresAt: l.expiresAt, usedAt: l.usedAt, ip: l.ip })),
    };
  },
  async anonymise(tx, { userId, email }) {
    const sessions = await tx.session.deleteMany({ where: { userId } });
    const links = await tx.signInToken.deleteMany({ where: { email } });
    return { sessions: sessions.count, signInLinks: links.count };
  },
};

const comments: PersonalDataProvider = {
  name: 'comments',
  async collect(ctx, { userId }) {
    const rows = await ctx.prisma.comment.findMany({
      where: { authorId: userId },
      orderBy: { createdAt: 'asc' },
      include: {
        document: { select: { title: true, group: { select: { slug: true } } } },
        revision: { select: { sequence: true, label: true } },
        clause: { select: { number: true } },
        edits: { orderBy: { version: 'asc' } },
        disposition: true,
      },
    });
    return rows.map((c) => ({
      id: c.id,
      group: c.document.group.slug,
      document: c.document.title,
      revision: c.revision.sequence,
      clause: c.clause?.number ?? null,
      inReplyTo: c.parentId,
      type: c.type?.toLowerCase() ?? null,
      body: c.body,
      proposedChange: c.proposedChange,
      quotedText: c.quotedText,
      status: c.status.toLowerCase(),
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      earlierVersions: c.edits.map((e) => ({ version: e.version, body: e.body, proposedChange: e.proposedChange, replacedAt: e.replacedAt })),
      disposition: c.disposition
        ? {
            code: c.disposition.code?.toLowerCase() ?? null,
            status: c.disposition.status.toLowerCase(),
            rationale: c.disposition.rationale,
            yourResponse: c.disposition.responseKind ? { kind: c.disposition.responseKind.toLowerCase(), text: c.disposition.responseText } : null,
          }
        : null,
    }));
  },
  // Comments are the group's record: they stay, under the replacement name (the account's).
};

const work: PersonalDataProvider = {
  name: 'group_work',
  async collect(ctx, { userId }) {
    const [dispositions, revisions, extensions] = await Promise.all([
      ctx.prisma.disposition.findMany({
        where: { OR: [{ assigneeId: userId }, { draftedById: userId }, { proposedById: userId }, { finalisedById: userId }] },
        select: { commentId: true, status: true, assigneeId: true, draftedById: true, proposedById: true, finalisedById: true, updatedAt: true },
      }),
      ctx.prisma.revision.findMany({ where: { postedById: userId }, select: { id: true, label: true, postedAt: true, document: { select: { title: true } } } }),
      ctx.prisma.periodExtension.findMany({ where: { actorId: userId }, select: { previousClosesAt: true, newClosesAt: true, reason: true, at: true } }),
    ]);
    return {
      dispositions: dispositions.map((d) => ({
        commentId: d.commentId,
        status: d.status.toLowerCase(),
        roles: [
          d.assigneeId === userId && 'assignee',
          d.draftedById === userId && 'drafter',
          d.proposedById === userId && 'proposer',
          d.finalisedById === userId && 'finaliser',
        ].filter(Boolean),
        updatedAt: d.updatedAt,
      })),
      revisionsPosted: revisions.map((r) => ({ id: r.id, document: r.document.title, label: r.label, postedAt: r.postedAt })),
      deadlineChanges: extensions,
    };
  },
};

const mail: PersonalDataProvider = {
  name: 'mail',
  async collect(ctx, { userId, email }) {
    const [subscriptions, feeds, deliveries, notifications, bouncing] = await Promise.all([
      ctx.prisma.digestSubscription.findMany({ where: { OR: [{ userId }, { email }] }, include: { group: { select: { slug: true } } } }),
      ctx.prisma.calendarFeed.findMany({ where: { userId }, include: { membership: { select: { group: { select: { slug: true } } } } } }),
      ctx.prisma.digestDelivery.findMany({ where: { recipient: email }, include: { digest: { select: { subject: true } } }, orderBy: { updatedAt: 'asc' } }),
      ctx.prisma.notification.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } }),
      ctx.prisma.bouncingAddress.findUnique({ where: { email } }),
    ]);
    return {
      digestSubscriptions: subscriptions.map((s) => ({
        group: s.group.slug,
        state: s.state.toLowerCase(),
        createdAt: s.createdAt,
        confirmedAt: s.confirmedAt,
      })),
      calendarFeeds: feeds.map((f) => ({ group: f.membership.group.slug, issuedAt: f.issuedAt })),
      digestsSent: deliveries.map((d) => ({ subject: d.digest.subject, state: d.state.toLowerCase(), sentAt: d.sentAt })),
      notifications: notifications.map((n) => ({ kind: n.kind.toLowerCase(), title: n.title, body: n.body, createdAt: n.createdAt, mailedAt: n.mailedAt })),
      addressBouncing: bouncing ? { reason: bouncing.reason, since: bouncing.createdAt } : null,
    };
  },
  async anonymise(tx, { userId, email }) {
    const subscriptions = await tx.digestSubscription.deleteMany({ where: { OR: [{ userId }, { email }] } });
    const notifications = await tx.notification.deleteMany({ where: { userId } });
    // The delivery log stays (it is how "sent once" is proved) without the address.
    const deliveries = await tx.digestDelivery.updateMany({ where: { recipient: email }, data: { recipient: removedAddress(userId), lastError: null } });
    const bouncing = await tx.bouncingAddress.deleteMany({ where: { email } });
    const mailbox = await tx.mailboxMessage.deleteMany({ where: { to: email } });
    return {
      digestSubscriptions: subscriptions.count,
      notifications: notifications.count,
      digestDeliveries: deliveries.count,
      bouncing: bouncing.count,
      localMailbox: mailbox.count,
    };
  },
};

const activity: PersonalDataProvider = {
  name: 'activity',
  async collect(ctx, { userId }) {
    const entries = await ctx.prisma.auditEntry.findMany({
      where: { actorId: userId },
      orderBy: { at: 'asc' },
      select: { at: true, action: true, entityType: true, entityId: true, group: { select: { slug: true } } },
    });
    return entries.map((e) => ({ at: e.at, action: e.action, entityType: e.entityType, entityId: e.entityId, group: e.group?.slug ?? null }));
  },
  async anonymise(tx, subject, options) {
    return { auditEntries: await scrubAudit(tx, subject), finalReports: await scrubFinalReports(tx, subject, options) };
  },
};

/**
 * The audit log keeps who did what (the actor is the anonymised account), but its before/after
 * snapshots may hold the person's address (an invitation, a subscription): replaced in place.
 */
async function scrubAudit(tx: Tx, { userId, email }: DataSubject): Promise<number> {
  const quoted = JSON.stringify(email);
  const replacement = JSON.stringify(removedAddress(userId));
  return tx.$executeRaw`
    UPDATE "AuditEntry" SET
      "before" = CASE WHEN "before" IS NULL THEN NULL ELSE replace("before"::text, ${quoted}, ${replacement})::jsonb END,
      "after" = CASE WHEN "after" IS NULL THEN NULL ELSE replace("after"::text, ${quoted}, ${replacement})::jsonb END
    WHERE strpos(coalesce("before"::text, '') || coalesce("after"::text, ''), ${quoted}) > 0`;
}

/** Published final reports froze the commenter as "Name — Affiliation": rewritten with the replacement name. */
async function scrubFinalReports(tx: Tx, { name }: DataSubject, options: AnonymiseOptions): Promise<number> {
  const candidates = await tx.$queryRaw<{ id: string }[]>(
    Prisma.sql`SELECT id FROM "FinalReport" WHERE strpos("dispositionTable"::text, ${JSON.stringify(name).slice(0, -1)}) > 0`,
  );
  let changed = 0;
  for (const { id } of candidates) {
    const report = await tx.finalReport.findUniqueOrThrow({ where: { id } });
    const table = report.dispositionTable as { rows?: { commenter?: string; organisation?: string }[] };
    let touched = false;
    for (const row of table.rows ?? []) {
      if (row.commenter !== name && !row.commenter?.startsWith(`${name} — `)) continue;
      const organisation = options.keepAffiliation ? (row.organisation ?? '') : '';
      row.commenter = organisation ? `${options.replacementName} — ${organisation}` : options.replacementName;
      row.organisation = organisation;
      touched = true;
    }
    if (touched) {
      await tx.finalReport.update({ where: { id }, data: { dispositionTable: table as Prisma.InputJsonValue } });
      changed++;
    }
  }
  return changed;
}

export const CORE_PROVIDERS: readonly PersonalDataProvider[] = [account, signIns, comments, work, mail, activity];
