// Reply addresses: reply+<token>@<reply domain>, unique to one recipient and the one thing the mail
// is about. The token is a random row id (16 characters) and a MAC (16 characters) over that id,
// the user, the purpose, the target and the tag, keyed by the server's secret: knowing one address
// gives no other, and a row altered in the database no longer verifies. Lower-case base32 only, so
// an MTA that lowercases local parts keeps it intact, and the local part stays far below 64 octets.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Ctx } from '../../lib/use-case.ts';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export interface ReplyGrant {
  userId: string;
  purpose: string;
  targetId: string;
  /** Which version of the target the mail showed ('' when any will do). */
  tag: string;
}

const mac = (secret: string, id: string, g: ReplyGrant) =>
  base32(createHmac('sha256', `${secret}:reply-address`).update([id, g.userId, g.purpose, g.targetId, g.tag].join('\n')).digest().subarray(0, 10));

export const replyAddressOf = (ctx: Ctx, token: string) => `reply+${token}@${ctx.config.mailIn.replyDomain}`;

/**
 * The address one member replies to about one target. Issued again for the same grant it is the
 * same address (a reminder and its first mail share it), with the deadline brought up to date.
 */
export async function issueReplyAddress(ctx: Ctx, grant: ReplyGrant & { expiresAt: Date }): Promise<string> {
  const row = await ctx.prisma.replyAddress.upsert({
    where: { userId_purpose_targetId_tag: { userId: grant.userId, purpose: grant.purpose, targetId: grant.targetId, tag: grant.tag } },
    create: { id: base32(randomBytes(10)), userId: grant.userId, purpose: grant.purpose, targetId: grant.targetId, tag: grant.tag, expiresAt: grant.expiresAt },
    update: { expiresAt: grant.expiresAt },
    select: { id: true },
  });
  return replyAddressOf(ctx, row.id + mac(ctx.config.sessionSecret, row.id, grant));
}

const TOKEN = /^reply\+([a-z2-7]{32})@(.+)$/i;

/** The reply token among a message's recipients (envelope first), if any is addressed to our domain. */
export function findReplyToken(ctx: Ctx, recipients: string[]): string | null {
  for (const r of recipients) {
    const m = TOKEN.exec(r.trim());
    if (m && m[2]!.toLowerCase() === ctx.config.mailIn.replyDomain) return m[1]!.toLowerCase();
  }
  return null;
}

/** The grant behind a token, or null when the token is unknown or its MAC does not verify. */
export async function verifyReplyToken(ctx: Ctx, token: string): Promise<(ReplyGrant & { expiresAt: Date }) | null> {
  return (await verifyReplyTokens(ctx, [token])).get(token) ?? null;
}

/** The grants behind many tokens (a batch of messages), read in one statement; null for each that does not verify. */
export async function verifyReplyTokens(ctx: Ctx, tokens: string[]): Promise<Map<string, (ReplyGrant & { expiresAt: Date }) | null>> {
  const rows = tokens.length ? await ctx.prisma.replyAddress.findMany({ where: { id: { in: [...new Set(tokens.map((t) => t.slice(0, 16)))] } } }) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const grants = new Map<string, (ReplyGrant & { expiresAt: Date }) | null>();
  for (const token of tokens) {
    const id = token.slice(0, 16);
    const row = byId.get(id);
    const expected = row ? Buffer.from(mac(ctx.config.sessionSecret, id, row)) : null;
    const given = Buffer.from(token.slice(16));
    grants.set(
      token,
      row && expected && expected.length === given.length && timingSafeEqual(expected, given)
        ? { userId: row.userId, purpose: row.purpose, targetId: row.targetId, tag: row.tag, expiresAt: row.expiresAt }
        : null,
    );
  }
  return grants;
}
