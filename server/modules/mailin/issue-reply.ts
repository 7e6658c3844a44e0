// Issuing the reply address a mail carries: what the mail says about replying, and the address,
// expiring with the target's deadline (or after OPEN_ENDED_MS when it has none).
import type { Ctx } from '../../lib/use-case.ts';
import { issueReplyAddress } from './reply-address.ts';
import { OPEN_ENDED_MS, replyTarget } from './reply-targets.ts';

export interface ReplyRequest {
  purpose: string;
  targetId: string;
  tag?: string;
}

/** The address and how-to for one member, or null when the purpose is unknown or its deadline has passed. */
export async function issueReply(ctx: Ctx, userId: string, request: ReplyRequest): Promise<{ address: string; howTo: string } | null> {
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
  return { address, howTo: target.howTo };
}
