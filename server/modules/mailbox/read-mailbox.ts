// Reading the local mailbox (mail kept instead of sent when there is no SMTP_URL).
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';

/** The latest messages, newest first, optionally only those to an address (case-insensitive part match). */
export async function listMailbox(ctx: Ctx, input: { to?: string | undefined; limit: number }) {
  return ctx.prisma.mailboxMessage.findMany({
    where: input.to ? { to: { contains: input.to.toLowerCase() } } : {},
    orderBy: { createdAt: 'desc' },
    take: input.limit,
    select: { id: true, to: true, from: true, subject: true, createdAt: true },
  });
}

export async function readMailboxMessage(ctx: Ctx, input: { id: string }) {
  const m = await ctx.prisma.mailboxMessage.findUnique({ where: { id: input.id } });
  if (!m) throw AppError.notFound('That message', 'message_not_found');
  return m;
}

export async function readMailboxHtml(ctx: Ctx, input: { id: string }) {
  const m = await ctx.prisma.mailboxMessage.findUnique({ where: { id: input.id }, select: { html: true } });
  if (!m) throw AppError.notFound('That message', 'message_not_found');
  return m.html;
}
