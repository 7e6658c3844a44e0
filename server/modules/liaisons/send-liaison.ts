// Outgoing liaison statements: a convener writes to outside bodies (their contacts' addresses),
// for information, action or comment, on a document's revision, with a deadline. Each contact gets
// the statement by mail with a personal link (only its HMAC stored): it signs them in to the
// period's consultation page as their body's participant, so what they answer is attributed to the
// body. A liaison's state is derived, never stored: sent → answered (a comment from any of its
// bodies) or deadline passed.
import type { LiaisonPurpose, StakeholderGroup } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { hashToken, randomToken } from '../../lib/tokens.ts';
import { transact, type Ctx } from '../../lib/use-case.ts';
import { queueMail } from '../../plugins/mail-queue.ts';
import { emailText, mailInstant, mainLanguage } from '../../../emails/messages.ts';
import { createSession } from '../auth/session.ts';
import { authorize, can, type GroupAccess } from '../groups/groups.policy.ts';
import { consultationPath } from '../open-consultation/outside-participation.ts';

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'liaisons.sent': { groupId: string; documentId: string; liaisonId: string };
  }
}

export interface LiaisonInput {
  periodId: string;
  title: string;
  purpose: LiaisonPurpose;
  text: string;
  deadline: string;
  bodies: { name: string; stakeholderGroup: StakeholderGroup; contacts: { email: string; name: string }[] }[];
}

export const liaisonLink = (publicUrl: string, periodId: string, token: string) =>
  `${publicUrl}${consultationPath(periodId)}?liaison=${encodeURIComponent(token)}`;

export async function sendLiaison(ctx: Ctx, input: { access: GroupAccess; documentId: string; liaison: LiaisonInput }) {
  authorize(input.access, 'liaisons.manage');
  const l = input.liaison;
  const period = await ctx.prisma.commentPeriod.findFirst({
    where: { id: l.periodId, documentId: input.documentId, document: { groupId: input.access.group.id } },
    include: { document: true, revision: { select: { label: true, sequence: true } } },
  });
  if (!period) throw AppError.notFound('That comment period', 'period_not_found');
  const deadline = new Date(l.deadline);
  if (deadline > period.closesAt) {
    throw AppError.badRequest('liaison_deadline_after_period', `The deadline must not be after the comment period closes (${period.closesAt.toISOString()}).`, {
      field: 'body.deadline',
    });
  }
  const emails = l.bodies.flatMap((b) => b.contacts.map((c) => c.email));
  if (new Set(emails).size !== emails.length)
    throw AppError.badRequest('liaison_contact_repeated', 'Each contact address may appear only once.', { field: 'body.bodies' });
  const group = input.access.group;
  return transact(ctx, async (tx, emit) => {
    // A liaison invites its bodies in: a period open to members only becomes open to invited organisations.
    if (period.openness === 'MEMBERS') await tx.commentPeriod.update({ where: { id: period.id }, data: { openness: 'INVITED_ORGANISATIONS' } });
    const liaison = await tx.liaison.create({
      data: {
        groupId: group.id,
        documentId: period.documentId,
        periodId: period.id,
        title: l.title,
        purpose: l.purpose,
        text: l.text,
        deadline,
        createdById: input.access.user.id,
      },
    });
    for (const b of l.bodies) {
      const body = await tx.liaisonBody.create({ data: { liaisonId: liaison.id, name: b.name, stakeholderGroup: b.stakeholderGroup } });
      for (const c of b.contacts) {
        const token = randomToken();
        // A contact of another body has no account here: the group's main language.
        const locale = mainLanguage(group);
        const t = emailText(locale);
        await tx.liaisonContact.create({ data: { bodyId: body.id, email: c.email, name: c.name, tokenHash: hashToken(ctx.config.sessionSecret, token) } });
        await queueMail(ctx, tx, emit, {
          to: c.email,
          template: 'liaison-statement',
          props: {
            groupName: group.name,
            groupAcronym: group.acronym,
            title: l.title,
            purpose: t(`purpose.${l.purpose.toLowerCase()}`),
            bodyName: b.name,
            contactName: c.name || b.name,
            documentTitle: period.document.title,
            revisionLabel: t('label.revision', { sequence: period.revision.sequence, label: period.revision.label }),
            deadline: mailInstant(locale, deadline),
            paragraphs: l.text
              .split(/\n\s*\n/)
              .map((text) => ({ text: text.trim() }))
              .filter((p) => p.text),
            url: liaisonLink(ctx.config.publicUrl, period.id, token),
          },
          locale,
        });
      }
    }
    await recordAudit(tx, {
      actorId: input.access.user.id,
      groupId: group.id,
      action: 'liaisons.sent',
      entityType: 'liaison',
      entityId: liaison.id,
      after: { periodId: period.id, title: l.title, purpose: l.purpose, deadline: l.deadline, bodies: l.bodies.map((b) => b.name), contacts: emails.length },
    });
    emit('liaisons.sent', { groupId: group.id, documentId: period.documentId, liaisonId: liaison.id });
    return liaison.id;
  });
}

export type LiaisonState = 'SENT' | 'ANSWERED' | 'DEADLINE_PASSED';

/** The document's liaisons with their state; contacts' addresses only for those who see members' addresses (conveners). */
export async function listLiaisons(ctx: Ctx, input: { access: GroupAccess; documentId: string }) {
  authorize(input.access, 'liaisons.read');
  const showEmails = can(input.access, 'members.readEmails');
  const [liaisons, [{ now }]] = await Promise.all([
    ctx.prisma.liaison.findMany({
      where: { documentId: input.documentId, groupId: input.access.group.id },
      orderBy: { sentAt: 'desc' },
      include: {
        period: { select: { closesAt: true, revision: { select: { sequence: true } } } },
        bodies: {
          orderBy: { name: 'asc' },
          include: {
            contacts: {
              include: { participants: { select: { _count: { select: { comments: { where: { withdrawnAt: null, state: { not: 'REJECTED' } } } } } } } },
            },
          },
        },
      },
    }),
    ctx.prisma.$queryRaw<[{ now: Date }]>`SELECT now() AS now`,
  ]);
  return liaisons.map((l) => {
    const bodies = l.bodies.map((b) => {
      const answers = b.contacts.reduce((s, c) => s + c.participants.reduce((t, p) => t + p._count.comments, 0), 0);
      return {
        id: b.id,
        name: b.name,
        stakeholderGroup: b.stakeholderGroup,
        answers,
        contacts: b.contacts.map((c) => ({ id: c.id, name: c.name, email: showEmails ? c.email : null, opened: c.usedAt !== null })),
      };
    });
    const answered = bodies.some((b) => b.answers > 0);
    const state: LiaisonState = answered ? 'ANSWERED' : l.deadline <= now ? 'DEADLINE_PASSED' : 'SENT';
    return {
      id: l.id,
      periodId: l.periodId,
      revision: l.period.revision.sequence,
      title: l.title,
      purpose: l.purpose,
      text: l.text,
      deadline: l.deadline,
      sentAt: l.sentAt,
      state,
      bodies,
    };
  });
}

/**
 * A contact follows their personal link: they are signed in (an account with no membership, made
 * on first use) and become their body's participant in the period. The link stays valid for the
 * contact (they may come back until the period closes, and answer dispositions after).
 */
export async function useLiaisonLink(ctx: Ctx, input: { periodId: string; token: string; ip: string; userAgent: string }) {
  const contact = await ctx.prisma.liaisonContact.findUnique({
    where: { tokenHash: hashToken(ctx.config.sessionSecret, input.token) },
    include: { body: { include: { liaison: { select: { periodId: true, groupId: true } } } } },
  });
  if (!contact || contact.body.liaison.periodId !== input.periodId) {
    throw AppError.badRequest('liaison_link_invalid', 'This liaison link is not valid. Ask the group that sent the liaison statement for a new one.');
  }
  return transact(ctx, async (tx, emit) => {
    const user =
      (await tx.user.findUnique({ where: { email: contact.email } })) ??
      (await tx.user.create({ data: { email: contact.email, name: contact.body.name, affiliation: contact.body.name } }));
    await tx.outsideParticipant.upsert({
      where: { periodId_userId: { periodId: input.periodId, userId: user.id } },
      create: {
        periodId: input.periodId,
        userId: user.id,
        liaisonContactId: contact.id,
        name: contact.name,
        organisation: contact.body.name,
        stakeholderGroup: contact.body.stakeholderGroup,
        publishName: false,
      },
      update: { liaisonContactId: contact.id, organisation: contact.body.name },
    });
    await tx.liaisonContact.update({ where: { id: contact.id }, data: { usedAt: contact.usedAt ?? new Date() } });
    const { token, session } = await createSession(ctx, tx, { userId: user.id, ip: input.ip, userAgent: input.userAgent });
    await recordAudit(tx, {
      actorId: user.id,
      groupId: contact.body.liaison.groupId,
      action: 'auth.signed_in',
      entityType: 'session',
      entityId: session.id,
      after: { ip: input.ip, via: 'liaison' },
    });
    emit('auth.signed_in', { userId: user.id, sessionId: session.id });
    return { token, session, user };
  });
}
