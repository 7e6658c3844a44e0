// Sign-in by e-mail link. The link is single use, valid 10 minutes, stored as an HMAC, and
// rate limited per address and per IP. The answer never reveals whether the address is known.
import type { Ctx, Tx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { hashToken, randomToken } from '../../lib/tokens.ts';
import { sessionCacheOf } from './session-cache.ts';
import { transact } from '../../lib/use-case.ts';
import { createSession } from './session.ts';
import { queueMail } from '../../plugins/mail-queue.ts';
import { readerLocale } from '../../../emails/messages.ts';
import type { SignInPurpose } from '../../generated/prisma/client.ts';

export const SIGN_IN_TTL_MS = 10 * 60_000;
export const INVITATION_TTL_MS = 7 * 86_400_000;

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'auth.sign_in_requested': { userId: string; email: string; name: string; url: string };
    'auth.signed_in': { userId: string; sessionId: string };
    'auth.signed_out': { userId: string; sessionIds: string[] };
  }
}

/** Only paths on this server may follow sign-in (no open redirect). */
export const safeNext = (next: string | undefined | null) => (next && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : null);

export async function createSignInToken(ctx: Ctx, tx: Tx, input: { email: string; purpose: SignInPurpose; ip?: string; next?: string | null }) {
  const token = randomToken();
  const ttl = input.purpose === 'INVITATION' ? INVITATION_TTL_MS : SIGN_IN_TTL_MS;
  await tx.signInToken.create({
    data: {
      tokenHash: hashToken(ctx.config.sessionSecret, token),
      email: input.email,
      purpose: input.purpose,
      ip: input.ip ?? null,
      next: safeNext(input.next),
      expiresAt: new Date(Date.now() + ttl),
    },
  });
  return { token, url: `${ctx.config.publicUrl}/sign-in/verify?token=${encodeURIComponent(token)}` };
}

export async function requestSignIn(ctx: Ctx, input: { email: string; ip: string; next?: string }): Promise<void> {
  const { windowMs, max } = ctx.config.limits.signInPerAddress;
  const since = new Date(Date.now() - windowMs);
  // Counted for known and unknown addresses alike, so the limit reveals nothing either.
  const recent = await ctx.prisma.signInToken.count({ where: { email: input.email, purpose: 'SIGN_IN', createdAt: { gt: since } } });
  if (recent >= max) {
    throw AppError.tooManyRequests(
      `Too many sign-in links were requested for this address; wait ${Math.round(windowMs / 60_000)} minutes and try again.`,
      Math.round(windowMs / 1000),
    );
  }
  await transact(ctx, async (tx, emit) => {
    const user = await tx.user.findUnique({ where: { email: input.email } });
    const { url } = await createSignInToken(ctx, tx, { email: input.email, purpose: 'SIGN_IN', ip: input.ip, next: input.next });
    if (!user) return;
    await queueMail(ctx, tx, emit, { to: user.email, template: 'sign-in', props: { name: user.name, url }, locale: readerLocale(user.locale) });
    emit('auth.sign_in_requested', { userId: user.id, email: user.email, name: user.name, url });
  });
}

type TokenState = { state: 'valid'; email: string; purpose: SignInPurpose } | { state: 'invalid' | 'expired' | 'used' };

/** Looks at a link without using it (for the confirmation page). */
export async function inspectSignInToken(ctx: Ctx, token: string): Promise<TokenState> {
  const row = await ctx.prisma.signInToken.findUnique({ where: { tokenHash: hashToken(ctx.config.sessionSecret, token) } });
  if (!row) return { state: 'invalid' };
  if (row.usedAt) return { state: 'used' };
  if (row.expiresAt.getTime() <= Date.now()) return { state: 'expired' };
  const user = await ctx.prisma.user.findUnique({ where: { email: row.email }, select: { id: true } });
  // A consultation link creates its account on first use (outside respondents are never invited).
  return user || row.purpose === 'CONSULTATION' ? { state: 'valid', email: row.email, purpose: row.purpose } : { state: 'invalid' };
}

export function signInLinkError(state: 'invalid' | 'expired' | 'used'): AppError {
  switch (state) {
    case 'used':
      return AppError.gone('sign_in_link_used', 'This sign-in link has already been used. Ask for a new one on the sign-in page.');
    case 'expired':
      return AppError.gone('sign_in_link_expired', 'This sign-in link has expired (links are valid for 10 minutes). Ask for a new one on the sign-in page.');
    default:
      return AppError.badRequest('sign_in_link_invalid', 'This sign-in link is not valid. Ask for a new one on the sign-in page.');
  }
}

/**
 * Uses a link: marks it used (atomically, so two clicks cannot both succeed), revokes the session
 * the browser had, and opens a new one with a fresh id.
 */
export async function verifySignIn(ctx: Ctx, input: { token: string; ip: string; userAgent: string; previousSessionToken?: string }) {
  const tokenHash = hashToken(ctx.config.sessionSecret, input.token);
  const replacedIds: string[] = [];
  const signedIn = await transact(ctx, async (tx, emit) => {
    const claimed = await tx.signInToken.updateManyAndReturn({
      where: { tokenHash, usedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date() },
    });
    const row = claimed[0];
    if (!row) {
      const state = await inspectSignInToken(ctx, input.token);
      throw signInLinkError(state.state === 'valid' ? 'used' : state.state);
    }
    const user =
      (await tx.user.findUnique({ where: { email: row.email } })) ??
      // An outside respondent: an account with no membership, named by the profile they state next.
      (row.purpose === 'CONSULTATION' ? await tx.user.create({ data: { email: row.email, name: '' } }) : null);
    if (!user) throw signInLinkError('invalid');
    if (input.previousSessionToken) {
      const replaced = await tx.session.updateManyAndReturn({
        where: { tokenHash: hashToken(ctx.config.sessionSecret, input.previousSessionToken), revokedAt: null },
        data: { revokedAt: new Date() },
        select: { id: true, userId: true },
      });
      // Like a sign-out: its sockets close and every instance's session cache drops it.
      for (const r of replaced) emit('auth.signed_out', { userId: r.userId, sessionIds: [r.id] });
      replacedIds.push(...replaced.map((r) => r.id));
    }
    const { token, session } = await createSession(ctx, tx, { userId: user.id, ip: input.ip, userAgent: input.userAgent });
    await recordAudit(tx, {
      actorId: user.id,
      action: 'auth.signed_in',
      entityType: 'session',
      entityId: session.id,
      after: { ip: input.ip, via: row.purpose.toLowerCase() },
    });
    emit('auth.signed_in', { userId: user.id, sessionId: session.id });
    return { token, session, user, next: row.next };
  });
  sessionCacheOf(ctx).evict(replacedIds);
  return signedIn;
}
