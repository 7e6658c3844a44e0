// Members: invitations (one, a list, or a pasted CSV; re-inviting is harmless), role changes,
// removal. Conveners manage editors, participants and observers; appointing or removing a
// convener is the operator's act (DOMAIN.md), and a group always keeps one convener.
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Ctx, Tx } from '../../lib/use-case.ts';
import { upper } from '../../lib/enum-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { BIDI_CONTROLS, NameText } from '../../lib/schemas.ts';
import { transact } from '../../lib/use-case.ts';
import type { Role } from '../../generated/prisma/client.ts';
import { createSignInToken } from '../auth/sign-in.ts';
import { queueMail } from '../../plugins/mail-queue.ts';
import { emailText, mainLanguage, readerLocale } from '../../../emails/messages.ts';
import { ensureUser } from './manage-groups.ts';
import { can, groupPolicy, type GroupAccess } from './groups.policy.ts';

type RoleName = 'convener' | 'editor' | 'participant' | 'observer';
export interface Invitee {
  email: string;
  name?: string;
  affiliation?: string;
  role?: RoleName;
}
interface EntryError {
  input: string;
  status: number;
  code: string;
  message: string;
}

const EmailCheck = z.email();
// A pasted line's name and affiliation meet the same rules as the fields of the JSON body.
const ListName = NameText(120);
const ListAffiliation = NameText(160);
const ROLE_LABEL: Record<RoleName, string> = { convener: 'a convener', editor: 'an editor', participant: 'a participant', observer: 'an observer' };
const ROLES = new Set(['convener', 'editor', 'participant', 'observer']);

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'members.invited': { groupId: string; userId: string; email: string; name: string; role: RoleName; inviterName: string; url: string };
    'members.role_changed': { groupId: string; userId: string; role: RoleName };
    'members.removed': { groupId: string; userId: string };
  }
}

/**
 * Reads a pasted list: one person per line, as "email", "Name <email>" or CSV
 * "name, affiliation, email[, role]" (any column order: the field with an @ is the address).
 */
export function parseInviteList(list: string): { invitees: Invitee[]; errors: EntryError[] } {
  const invitees: Invitee[] = [];
  const errors: EntryError[] = [];
  const rows = parse(list, { relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true, delimiter: [',', ';', '\t'] }) as string[][];
  for (const row of rows) {
    const cells = row.map((c) => c.trim()).filter(Boolean);
    const raw = row.join(', ');
    if (!cells.length) continue;
    if (/^e-?mail$/i.test(cells.find((c) => /mail/i.test(c)) ?? '') && !cells.some((c) => c.includes('@'))) continue; // header row
    const angle = cells.length === 1 ? /^(.*)<([^>]+)>$/.exec(cells[0]!) : null;
    const add = (invitee: Invitee) => {
      const name = invitee.name === undefined ? undefined : ListName.safeParse(invitee.name);
      const affiliation = invitee.affiliation === undefined ? undefined : ListAffiliation.safeParse(invitee.affiliation);
      const problem = [name, affiliation].find((r) => r && !r.success);
      // The line is echoed without its controls, so the report cannot be reordered by them either.
      const shown = raw.replace(new RegExp(BIDI_CONTROLS.source, 'g'), '');
      if (problem)
        errors.push({
          input: shown,
          status: 400,
          code: 'invalid_request',
          message: `"${shown}": the name or affiliation ${problem.error!.issues[0]!.message}.`,
        });
      else invitees.push({ ...invitee, name: name?.data || undefined, affiliation: affiliation?.data || undefined });
    };
    if (angle) {
      add({ email: angle[2]!.trim(), name: angle[1]!.trim().replace(/^"|"$/g, '') || undefined });
      continue;
    }
    const emailIndex = cells.findIndex((c) => c.includes('@'));
    if (emailIndex < 0) {
      errors.push({ input: raw, status: 400, code: 'invalid_email', message: `"${raw}" contains no e-mail address.` });
      continue;
    }
    const rest = cells.filter((_, i) => i !== emailIndex);
    const role = rest.find((c) => ROLES.has(c.toLowerCase()))?.toLowerCase() as RoleName | undefined;
    const [name, affiliation] = rest.filter((c) => !ROLES.has(c.toLowerCase()));
    add({ email: cells[emailIndex]!, name, affiliation, role });
  }
  return { invitees, errors };
}

export async function inviteMembers(ctx: Ctx, input: { access: GroupAccess; invitees: Invitee[]; defaultRole: RoleName; parseErrors?: EntryError[] }) {
  groupPolicy.authorize(input.access, 'members.invite');
  const { group, user: actor } = input.access;
  const invited: { email: string; role: RoleName; newAccount: boolean }[] = [];
  const alreadyMembers: { email: string; role: string }[] = [];
  const errors: EntryError[] = [...(input.parseErrors ?? [])];
  const seen = new Set<string>();

  for (const entry of input.invitees) {
    const email = entry.email.trim().toLowerCase();
    const role = entry.role ?? input.defaultRole;
    if (!EmailCheck.safeParse(email).success) {
      errors.push({ input: entry.email, status: 400, code: 'invalid_email', message: `"${entry.email}" is not a valid e-mail address.` });
      continue;
    }
    if (role === 'convener' && !actor.isOperator) {
      errors.push({ input: entry.email, status: 403, code: 'forbidden', message: `Only the operator appoints conveners; ${email} was not invited.` });
      continue;
    }
    if (seen.has(email)) continue;
    seen.add(email);
    // One transaction per person: a bad entry never undoes the good ones.
    await transact(ctx, async (tx, emit) => {
      const { user, created } = await ensureUser(tx, { email, name: entry.name, affiliation: entry.affiliation });
      const existing = await tx.membership.findUnique({ where: { groupId_userId: { groupId: group.id, userId: user.id } } });
      if (existing) {
        alreadyMembers.push({ email, role: existing.role.toLowerCase() });
        return;
      }
      const membership = await tx.membership.create({ data: { groupId: group.id, userId: user.id, role: upper(role), invitedById: actor.id } });
      await recordAudit(tx, {
        actorId: actor.id,
        groupId: group.id,
        action: 'members.invited',
        entityType: 'membership',
        entityId: membership.id,
        after: { userId: user.id, email, role },
      });
      const { url } = await createSignInToken(ctx, tx, { email, purpose: 'INVITATION', next: `/groups/${group.slug}` });
      // Someone without an account has chosen no language yet: the group's main one.
      const locale = created ? mainLanguage(group) : readerLocale(user.locale);
      await queueMail(ctx, tx, emit, {
        to: email,
        template: 'invitation',
        props: {
          name: user.name,
          url,
          signInUrl: `${ctx.config.publicUrl}/sign-in`,
          inviterName: actor.name,
          groupName: group.name,
          groupAcronym: group.acronym,
          roleLabel: emailText(locale)(`role.${role}`),
        },
        locale,
      });
      emit('members.invited', { groupId: group.id, userId: user.id, email, name: user.name, role, inviterName: actor.name, url });
      invited.push({ email, role, newAccount: created });
    });
  }
  const summary = `${invited.length} invited, ${alreadyMembers.length} already members, ${errors.length} not invited.`;
  return { invited, alreadyMembers, errors, summary };
}

const ensureManageable = (access: GroupAccess, targetRole: Role, newRole?: Role) => {
  const touchesConvener = targetRole === 'CONVENER' || newRole === 'CONVENER';
  if (touchesConvener && !access.user.isOperator) throw AppError.forbidden('Only the operator appoints or removes conveners.');
};

async function keepOneConvener(tx: Tx, groupId: string) {
  const conveners = await tx.membership.count({ where: { groupId, role: 'CONVENER' } });
  if (conveners < 1) throw AppError.conflict('last_convener', 'A group needs at least one convener; appoint another before removing this one.');
}

export async function changeMemberRole(ctx: Ctx, input: { access: GroupAccess; userId: string; role: RoleName }) {
  groupPolicy.authorize(input.access, 'members.manage');
  const { group, user: actor } = input.access;
  return transact(ctx, async (tx, emit) => {
    const membership = await tx.membership.findUnique({ where: { groupId_userId: { groupId: group.id, userId: input.userId } }, include: { user: true } });
    if (!membership) throw AppError.notFound('That member', 'member_not_found');
    const newRole: Role = upper(input.role);
    ensureManageable(input.access, membership.role, newRole);
    const updated = await tx.membership.update({ where: { id: membership.id }, data: { role: newRole }, include: { user: true } });
    await keepOneConvener(tx, group.id);
    await recordAudit(tx, {
      actorId: actor.id,
      groupId: group.id,
      action: 'members.role_changed',
      entityType: 'membership',
      entityId: membership.id,
      before: { role: membership.role.toLowerCase() },
      after: { role: input.role },
    });
    emit('members.role_changed', { groupId: group.id, userId: input.userId, role: input.role });
    return updated;
  });
}

export async function removeMember(ctx: Ctx, input: { access: GroupAccess; userId: string }) {
  groupPolicy.authorize(input.access, 'members.manage');
  const { group, user: actor } = input.access;
  await transact(ctx, async (tx, emit) => {
    const membership = await tx.membership.findUnique({ where: { groupId_userId: { groupId: group.id, userId: input.userId } } });
    if (!membership) throw AppError.notFound('That member', 'member_not_found');
    ensureManageable(input.access, membership.role);
    await tx.membership.delete({ where: { id: membership.id } });
    await keepOneConvener(tx, group.id);
    await recordAudit(tx, {
      actorId: actor.id,
      groupId: group.id,
      action: 'members.removed',
      entityType: 'membership',
      entityId: membership.id,
      before: { userId: input.userId, role: membership.role.toLowerCase() },
    });
    emit('members.removed', { groupId: group.id, userId: input.userId });
  });
}

export async function listMembers(ctx: Ctx, access: GroupAccess) {
  groupPolicy.authorize(access, 'members.read');
  const members = await ctx.prisma.membership.findMany({
    where: { groupId: access.group.id },
    include: { user: true },
    orderBy: [{ role: 'asc' }, { user: { name: 'asc' } }],
  });
  return { members, showEmails: can(access, 'members.readEmails') };
}

export const roleLabel = (role: RoleName) => ROLE_LABEL[role];
