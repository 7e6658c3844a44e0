// A member's private calendar subscription of the group's timeframe. Calendar apps send no
// cookies, so the feed's URL is the credential (a capability URL): 32 random bytes, of which
// the database keeps only the HMAC (lib/tokens.ts). One feed per membership: issuing again
// resets it (the previous URL stops working at once), revoking deletes it, and removing the
// member deletes it with the membership (foreign key, ON DELETE CASCADE), so a former member's
// URL answers 404 at its next fetch and stays dead if they are invited back.
import type { Ctx } from '../../lib/use-case.ts';
import { transact } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { hashToken, randomToken } from '../../lib/tokens.ts';
import { uuidv7 } from '../../lib/uuid.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import type { FeedMilestone } from './calendar.presenter.ts';
import type { Group } from '../../generated/prisma/client.ts';

/** 32 bytes in base64url, as randomToken() writes them. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Every role may subscribe (observers too: the timeframe is what they read). The operator may
 * see a group without belonging to it, but a feed belongs to a membership.
 */
function requireMembership(access: GroupAccess): void {
  if (access.role === null) throw AppError.forbidden('Only members of this group can subscribe to its calendar.', 'calendar_members_only');
}

export async function readCalendarFeedStatus(ctx: Ctx, input: { access: GroupAccess }) {
  return ctx.prisma.calendarFeed.findUnique({
    where: { groupId_userId: { groupId: input.access.group.id, userId: input.access.user.id } },
    select: { issuedAt: true },
  });
}

/** Creates the member's feed, or resets it: a new token replaces the old one. Returns the token, which is never shown again. */
export async function issueCalendarFeed(ctx: Ctx, input: { access: GroupAccess }) {
  const { group, user } = input.access;
  requireMembership(input.access);
  const token = randomToken(32);
  const tokenHash = hashToken(ctx.config.sessionSecret, token);
  const feed = await transact(ctx, async (tx) => {
    // One statement for create-or-reset, so two clicks at once leave one feed (the later token).
    const [row] = await tx.$queryRaw<[{ id: string; issuedAt: Date; reset: boolean }]>`
      INSERT INTO "CalendarFeed" (id, "groupId", "userId", "tokenHash")
      VALUES (${uuidv7()}::uuid, ${group.id}::uuid, ${user.id}::uuid, ${tokenHash})
      ON CONFLICT ("groupId", "userId") DO UPDATE SET "tokenHash" = EXCLUDED."tokenHash", "issuedAt" = now()
      RETURNING id, "issuedAt", "issuedAt" > "createdAt" AS reset`;
    await recordAudit(tx, {
      actorId: user.id,
      groupId: group.id,
      action: row.reset ? 'calendar_feeds.reset' : 'calendar_feeds.created',
      entityType: 'calendar_feed',
      entityId: row.id,
      after: { issuedAt: row.issuedAt },
    });
    return row;
  });
  return { feed, token };
}

export async function revokeCalendarFeed(ctx: Ctx, input: { access: GroupAccess }) {
  const { group, user } = input.access;
  await transact(ctx, async (tx) => {
    const [row] = await tx.$queryRaw<Array<{ id: string; issuedAt: Date }>>`
      DELETE FROM "CalendarFeed" WHERE "groupId" = ${group.id}::uuid AND "userId" = ${user.id}::uuid RETURNING id, "issuedAt"`;
    if (!row) throw AppError.notFound('Your calendar subscription link', 'calendar_feed_not_found');
    await recordAudit(tx, {
      actorId: user.id,
      groupId: group.id,
      action: 'calendar_feeds.revoked',
      entityType: 'calendar_feed',
      entityId: row.id,
      before: { issuedAt: row.issuedAt },
    });
  });
}

/**
 * The group and timeframe behind a feed token. Unknown, malformed, reset and revoked tokens
 * and former members' tokens all end in the same 404: nothing tells a guesser which it was.
 */
export async function readCalendarFeed(ctx: Ctx, input: { token: string }): Promise<{ group: Group; milestones: FeedMilestone[] }> {
  const notFound = () => AppError.notFound('That calendar', 'calendar_not_found');
  if (!TOKEN_SHAPE.test(input.token)) throw notFound();
  // The feed row exists only while its membership does (cascade), so finding it IS the
  // membership check, made at every fetch.
  const feed = await ctx.prisma.calendarFeed.findUnique({
    where: { tokenHash: hashToken(ctx.config.sessionSecret, input.token) },
    select: {
      membership: {
        select: {
          group: {
            include: {
              milestones: {
                orderBy: [{ at: 'asc' }, { id: 'asc' }],
                include: { revision: { select: { sequence: true, label: true, document: { select: { title: true } } } } },
              },
            },
          },
        },
      },
    },
  });
  if (!feed) throw notFound();
  const { milestones, ...group } = feed.membership.group;
  return { group, milestones };
}
