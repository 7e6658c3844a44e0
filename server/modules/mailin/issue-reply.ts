// Issuing the reply address a mail carries: what the mail says about replying, and the address,
// expiring with the target's deadline (or after OPEN_ENDED_MS when it has none).
import type { Ctx } from '../../lib/use-case.ts';
import { issueReplyAddress } from './reply-address.ts';
import { DEFAULT_LOCALE, hasMessage, type Locale, translate } from '../../lib/i18n.ts';
import { OPEN_ENDED_MS, replyTarget } from './reply-targets.ts';

export interface ReplyRequest {
  purpose: string;
  targetId: string;
  tag?: string;
}

/**
 * The address and how-to for one member, or null when the purpose is unknown or its deadline has
 * passed. The how-to is in the mail's language (the keywords the reader writes stay as the parser
 * reads them); `howToByAddress` names the address, for a mail that carries several.
 */
export async function issueReply(
  ctx: Ctx,
  userId: string,
  request: ReplyRequest,
  locale: Locale = DEFAULT_LOCALE,
): Promise<{ address: string; howTo: string; howToByAddress: string } | null> {
  const target = replyTarget(request.purpose);
  if (!target) return null;
  const deadline = await target.deadline(ctx, request.targetId);
  if (deadline && deadline.getTime() <= Date.now()) return null;
  const address = await issueReplyAddress(ctx, {
    userId,
    purpose: request.purpose,
    targetId: request.targetId,
    tag: request.tag ?? '',
    expiresAt: deadline ?? new Date(Date.now() + OPEN_ENDED_MS),
  });
  const key = `replyHowTo.${request.purpose}`;
  if (!hasMessage(locale, 'emails', key)) return { address, howTo: target.howTo, howToByAddress: target.howTo };
  const words = (lead: string) => translate(locale, 'emails', key, { lead });
  return {
    address,
    howTo: words(translate(locale, 'emails', 'replyHowTo.lead')),
    howToByAddress: words(translate(locale, 'emails', 'notification.writeTo', { address })),
  };
}

/** At most this many clause links in a digest: a long list would get the mail clipped (Gmail clips past 102 KB). */
const MAX_CLAUSE_LINKS = 60;

/**
 * A member's own digest copy about a revision that takes comments now: the address to reply to (a
 * comment on the revision) and a mailto: per clause with the clause in the subject. Null for
 * anyone else (a subscriber without an account, an observer) and when no period is open.
 */
export async function digestReply(
  ctx: Ctx,
  recipient: string,
  view: { actions: { url: string }[] },
  locale: Locale = DEFAULT_LOCALE,
): Promise<{ address: string; howTo: string; clauses: { number: string; title: string; mailto: string }[] } | null> {
  // The digest links the revision it is about (read it, comment on it).
  const m = view.actions.map((a) => /\/documents\/([0-9a-f-]{36})\/revisions\/(\d+)/.exec(a.url)).find(Boolean);
  if (!m) return null;
  const revision = await ctx.prisma.revision.findFirst({
    where: { documentId: m[1]!, sequence: Number(m[2]) },
    select: { id: true, document: { select: { groupId: true } } },
  });
  const user = await ctx.prisma.user.findFirst({ where: { email: { equals: recipient, mode: 'insensitive' } }, select: { id: true } });
  if (!revision || !user) return null;
  const member = await ctx.prisma.membership.findUnique({
    where: { groupId_userId: { groupId: revision.document.groupId, userId: user.id } },
    select: { role: true },
  });
  if (!member || member.role === 'OBSERVER') return null;
  const [period] = await ctx.prisma.$queryRaw<{ open: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM "CommentPeriod" WHERE "revisionId" = ${revision.id}::uuid AND "opensAt" <= now() AND "closesAt" > now()) AS open`;
  if (!period?.open) return null;
  const reply = await issueReply(ctx, user.id, { purpose: 'clause_comment', targetId: revision.id }, locale);
  if (!reply) return null;
  const clauses = await ctx.prisma.clause.findMany({
    where: { revisionId: revision.id, number: { not: '' } },
    orderBy: { position: 'asc' },
    take: MAX_CLAUSE_LINKS,
    select: { number: true, heading: true },
  });
  return {
    ...reply,
    clauses: clauses.map((c) => ({
      number: c.number,
      title: c.heading,
      mailto: `mailto:${reply.address}?subject=${encodeURIComponent(`Comment on clause ${c.number}`)}`,
    })),
  };
}
