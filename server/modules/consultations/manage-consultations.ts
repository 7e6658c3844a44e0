// Running a consultation: issue the circular (its drafts are work items of the group, which move
// to "consultation"), invite Administrations with their focal points (each told by e-mail),
// change the drafts it covers. Every write is audited in its transaction; the announcement to
// the list, the reminder and the result are jobs and digests (consultations.announce.ts).
import { describeInstant } from '../../lib/instant.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import type { EmitFn } from '../../lib/domain-events.ts';
import { transact, type Ctx, type Tx } from '../../lib/use-case.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { queueMail } from '../../plugins/mail-queue.ts';
import { mailInstant, readerLocale } from '../../../emails/messages.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { moveWorkItem } from '../work-programme/manage-work-items.ts';
import { authorizeConsultation, type ConsultationAccess } from './consultation-access.ts';
import { consultationPolicy } from './consultations.policy.ts';
import type { AdministrationInputValue, CreateConsultationInput } from './consultations.schemas.ts';
import { scheduleConsultation } from './consultation-jobs.ts';

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'consultations.issued': { groupId: string; consultationId: string };
    'consultations.draftsChanged': { groupId: string; consultationId: string; workItemIds: string[] };
    'consultations.invited': { groupId: string; consultationId: string; administrationIds: string[] };
    'consultations.answered': { groupId: string; consultationId: string; administrationId: string; draftIds: string[] };
    'consultations.deadlineExtended': { groupId: string; consultationId: string; from: string; to: string };
  }
}

/** Texts a consultation may cover: determined (TAP) or consented (AAP), or already under consultation. */
const READY = new Set(['DETERMINED', 'CONSENTED', 'CONSULTATION']);

async function dbNow(tx: Tx): Promise<Date> {
  const [row] = await tx.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  return row!.now;
}

/** The group's work items named, ready for consultation; 400/409 naming the field otherwise. */
async function draftItems(tx: Tx, groupId: string, workItemIds: string[]) {
  if (new Set(workItemIds).size !== workItemIds.length) {
    throw AppError.badRequest('invalid_request', 'body.workItemIds: each draft is named once.', { field: 'body.workItemIds' });
  }
  const items = await tx.workItem.findMany({ where: { groupId, id: { in: workItemIds } } });
  const byId = new Map(items.map((w) => [w.id, w]));
  return workItemIds.map((id, index) => {
    const item = byId.get(id);
    if (!item) {
      throw AppError.badRequest('work_item_not_in_group', `body.workItemIds.${index}: that work item is not in this group's work programme.`, {
        field: `body.workItemIds.${index}`,
      });
    }
    if (!READY.has(item.status)) {
      throw AppError.conflict(
        'work_item_not_ready',
        `${item.number ?? item.acronym} is ${item.status.toLowerCase().replaceAll('_', ' ')}: a consultation covers determined or consented texts.`,
        { field: `body.workItemIds.${index}` },
      );
    }
    return item;
  });
}

async function putUnderConsultation(tx: Tx, emit: EmitFn, groupId: string, items: { id: string; status: string }[], reference: string, actorId: string) {
  for (const item of items) {
    if (item.status === 'CONSULTATION') continue;
    await moveWorkItem(tx, emit, { groupId, workItemId: item.id, to: 'CONSULTATION', note: `Under consultation: ${reference}`, actorId });
  }
}

/** Administrations, their focal points (accounts made for new addresses) and the invitation mails. */
async function invite(
  ctx: Ctx,
  tx: Tx,
  emit: EmitFn,
  input: { access: GroupAccess; consultationId: string; administrations: AdministrationInputValue[]; mail: boolean },
): Promise<string[]> {
  const consultation = await tx.consultation.findUniqueOrThrow({ where: { id: input.consultationId }, include: { _count: { select: { drafts: true } } } });
  const codes = input.administrations.map((a) => a.code);
  const dup = codes.findIndex((c, i) => codes.indexOf(c) !== i);
  if (dup >= 0)
    throw AppError.badRequest('invalid_request', `body.administrations.${dup}.code: each Administration is named once.`, {
      field: `body.administrations.${dup}.code`,
    });
  const invited: string[] = [];
  for (const [index, a] of input.administrations.entries()) {
    const administration = await tx.administration.upsert({ where: { code: a.code }, create: { code: a.code, name: a.name }, update: {} });
    await tx.consultationInvitee.upsert({
      where: { consultationId_administrationId: { consultationId: consultation.id, administrationId: administration.id } },
      create: { consultationId: consultation.id, administrationId: administration.id },
      update: {},
    });
    for (const [j, fp] of a.focalPoints.entries()) {
      const user = await tx.user.upsert({ where: { email: fp.email }, create: { email: fp.email, name: fp.name }, update: {} });
      const existing = await tx.consultationFocalPoint.findUnique({ where: { consultationId_userId: { consultationId: consultation.id, userId: user.id } } });
      if (existing && existing.administrationId !== administration.id) {
        throw AppError.conflict(
          'focal_point_elsewhere',
          `body.administrations.${index}.focalPoints.${j}.email: this person already answers for another Administration in this consultation.`,
          {
            field: `body.administrations.${index}.focalPoints.${j}.email`,
          },
        );
      }
      if (existing) continue;
      await tx.consultationFocalPoint.create({ data: { consultationId: consultation.id, administrationId: administration.id, userId: user.id } });
      if (input.mail) {
        await queueMail(ctx, tx, emit, {
          to: user.email,
          template: 'consultation-invitation',
          props: {
            name: user.name,
            administration: administration.name,
            reference: consultation.reference,
            subject: consultation.subject,
            drafts: consultation._count.drafts,
            deadline: mailInstant(readerLocale(user.locale), consultation.deadline),
            url: `${ctx.config.publicUrl}/groups/${input.access.group.slug}/consultations/${consultation.id}`,
          },
          locale: readerLocale(user.locale),
        });
      }
    }
    invited.push(administration.id);
  }
  await recordAudit(tx, {
    actorId: input.access.user.id,
    groupId: input.access.group.id,
    action: 'consultations.invited',
    entityType: 'Consultation',
    entityId: consultation.id,
    after: { administrations: input.administrations.map((a) => ({ code: a.code, name: a.name, focalPoints: a.focalPoints.map((f) => f.name) })) },
  });
  emit('consultations.invited', { groupId: input.access.group.id, consultationId: consultation.id, administrationIds: invited });
  return invited;
}

export async function createConsultation(ctx: Ctx, input: { access: GroupAccess; fields: CreateConsultationInput }) {
  const { access, fields } = input;
  consultationPolicy.authorize(access, 'consultations.manage');
  try {
    return await transact(ctx, async (tx, emit) => {
      const deadline = new Date(fields.deadline);
      if (deadline <= (await dbNow(tx))) {
        throw AppError.badRequest('deadline_in_past', 'body.deadline: the deadline of a new consultation must be in the future.', { field: 'body.deadline' });
      }
      const items = await draftItems(tx, access.group.id, fields.workItemIds);
      const consultation = await tx.consultation.create({
        data: {
          groupId: access.group.id,
          reference: fields.reference,
          issuedOn: new Date(`${fields.issuedOn}T00:00:00Z`),
          subject: fields.subject,
          ruleText: fields.ruleText ?? '',
          deadline,
          thresholdPercent: fields.thresholdPercent,
          createdById: access.user.id,
          drafts: { create: items.map((w, position) => ({ workItemId: w.id, position })) },
        },
      });
      await putUnderConsultation(tx, emit, access.group.id, items, fields.reference, access.user.id);
      const { administrations, ...circular } = fields;
      await recordAudit(tx, {
        actorId: access.user.id,
        groupId: access.group.id,
        action: 'consultations.issued',
        entityType: 'Consultation',
        entityId: consultation.id,
        after: circular,
      });
      if (administrations?.length) await invite(ctx, tx, emit, { access, consultationId: consultation.id, administrations, mail: true });
      await scheduleConsultation(ctx, tx, consultation);
      emit('consultations.issued', { groupId: access.group.id, consultationId: consultation.id });
      return consultation;
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      throw AppError.conflict('consultation_exists', `This group already has a consultation ${fields.reference}.`, { field: 'body.reference' });
    }
    throw err;
  }
}

/** Locks the consultation row against answers in flight; 409 once its deadline has passed. */
async function lockOpen(tx: Tx, consultationId: string) {
  const [row] = await tx.$queryRaw<{ open: boolean }[]>`SELECT now() < deadline AS open FROM "Consultation" WHERE id = ${consultationId}::uuid FOR UPDATE`;
  if (!row?.open) throw AppError.conflict('consultation_closed', 'The deadline of this consultation has passed: nothing can be added or changed.');
}

export async function setConsultationDrafts(ctx: Ctx, input: { access: ConsultationAccess; workItemIds: string[] }) {
  const { access } = input;
  authorizeConsultation(access, 'consultations.manage');
  return transact(ctx, async (tx, emit) => {
    await lockOpen(tx, access.consultation.id);
    const current = await tx.consultationDraft.findMany({
      where: { consultationId: access.consultation.id },
      include: { workItem: { select: { acronym: true, number: true } }, _count: { select: { answers: true, attachments: true } } },
    });
    const keep = new Set(input.workItemIds);
    const removed = current.filter((d) => !keep.has(d.workItemId));
    const answered = removed.find((d) => d._count.answers > 0 || d._count.attachments > 0);
    if (answered) {
      throw AppError.conflict(
        'draft_has_answers',
        `${answered.workItem.number ?? answered.workItem.acronym} cannot be removed from this consultation: Administrations have answered on it.`,
        { workItemId: answered.workItemId },
      );
    }
    const had = new Set(current.map((d) => d.workItemId));
    const items = await draftItems(tx, access.group.id, input.workItemIds);
    await tx.consultationDraft.deleteMany({ where: { id: { in: removed.map((d) => d.id) } } });
    for (const [position, item] of items.entries()) {
      await tx.consultationDraft.upsert({
        where: { consultationId_workItemId: { consultationId: access.consultation.id, workItemId: item.id } },
        create: { consultationId: access.consultation.id, workItemId: item.id, position },
        update: { position },
      });
    }
    await putUnderConsultation(
      tx,
      emit,
      access.group.id,
      items.filter((w) => !had.has(w.id)),
      access.consultation.reference,
      access.user.id,
    );
    await recordAudit(tx, {
      actorId: access.user.id,
      groupId: access.group.id,
      action: 'consultations.draftsChanged',
      entityType: 'Consultation',
      entityId: access.consultation.id,
      before: { workItemIds: current.map((d) => d.workItemId) },
      after: { workItemIds: input.workItemIds },
    });
    emit('consultations.draftsChanged', { groupId: access.group.id, consultationId: access.consultation.id, workItemIds: input.workItemIds });
  });
}

export async function addInvitees(ctx: Ctx, input: { access: ConsultationAccess; administrations: AdministrationInputValue[] }) {
  authorizeConsultation(input.access, 'consultations.manage');
  return transact(ctx, async (tx, emit) => {
    await lockOpen(tx, input.access.consultation.id);
    return invite(ctx, tx, emit, { access: input.access, consultationId: input.access.consultation.id, administrations: input.administrations, mail: true });
  });
}

/**
 * A later deadline, while the consultation is still open (the row locked, judged by the database
 * clock). The reminder and result jobs are enqueued again for the new deadline; those of the former
 * one find the deadline changed and do nothing. Every focal point is told by e-mail. Shortening is
 * refused: Administrations plan their answer against the deadline they were given.
 */
export async function extendConsultationDeadline(ctx: Ctx, input: { access: ConsultationAccess; deadline: string }) {
  const { access } = input;
  authorizeConsultation(access, 'consultations.manage');
  return transact(ctx, async (tx, emit) => {
    await lockOpen(tx, access.consultation.id);
    const before = await tx.consultation.findUniqueOrThrow({ where: { id: access.consultation.id }, include: { _count: { select: { drafts: true } } } });
    const deadline = new Date(input.deadline);
    if (deadline <= before.deadline) {
      throw AppError.badRequest(
        'deadline_not_later',
        `body.deadline: an extended deadline must be later than the current one (${describeInstant(before.deadline, 'UTC')}).`,
        { field: 'body.deadline' },
      );
    }
    const consultation = await tx.consultation.update({ where: { id: before.id }, data: { deadline } });
    await recordAudit(tx, {
      actorId: access.user.id,
      groupId: access.group.id,
      action: 'consultations.deadlineExtended',
      entityType: 'Consultation',
      entityId: consultation.id,
      before: { deadline: before.deadline.toISOString() },
      after: { deadline: deadline.toISOString() },
    });
    await scheduleConsultation(ctx, tx, consultation);
    const focalPoints = await tx.consultationFocalPoint.findMany({
      where: { consultationId: consultation.id },
      include: { user: { select: { email: true, name: true, locale: true } }, invitee: { include: { administration: { select: { name: true } } } } },
      orderBy: { createdAt: 'asc' },
    });
    for (const fp of focalPoints) {
      const locale = readerLocale(fp.user.locale);
      await queueMail(ctx, tx, emit, {
        to: fp.user.email,
        template: 'consultation-deadline-extended',
        props: {
          name: fp.user.name,
          administration: fp.invitee.administration.name,
          reference: consultation.reference,
          subject: consultation.subject,
          drafts: before._count.drafts,
          deadline: mailInstant(locale, deadline),
          previousDeadline: mailInstant(locale, before.deadline),
          url: `${ctx.config.publicUrl}/groups/${access.group.slug}/consultations/${consultation.id}`,
        },
        locale,
      });
    }
    emit('consultations.deadlineExtended', {
      groupId: access.group.id,
      consultationId: consultation.id,
      from: before.deadline.toISOString(),
      to: deadline.toISOString(),
    });
    return consultation;
  });
}
