// Files attached to an answer ("comments attached" in Annex 2 of the circular): per draft and
// Administration, uploaded by its focal points before the deadline, a PDF or a Word document.
// The defences are those of the revision import: the size limit while streaming, the type told by
// the file's first bytes (never by its name or the browser's claim), a .docx checked as a zip
// against bombs. Stored in the database with the answer. The secretariat reads them at any time,
// the Administration's own focal points too; the group and the other focal points once the
// deadline has passed, as they read the reasons.
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { transact, type Ctx } from '../../lib/use-case.ts';
import type { Config } from '../../config.ts';
import { requireStorableText } from '../../plugins/text-input.ts';
import { assertSafeDocxZip, formatSize, hasZipMagic } from '../revisions/lib/docx-zip-check.ts';
import { canConsultation, isClosed, type ConsultationAccess } from './consultation-access.ts';

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'consultations.attached': { groupId: string; consultationId: string; administrationId: string; draftId: string; attachmentId: string };
    'consultations.attachmentRemoved': { groupId: string; consultationId: string; administrationId: string; draftId: string; attachmentId: string };
  }
}

/** Enough for a marked-up draft and a cover letter; more is a sign of a mistaken upload. */
export const MAX_ATTACHMENTS_PER_ANSWER = 5;
export const PDF_TYPE = 'application/pdf';
export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
type AttachmentType = typeof PDF_TYPE | typeof DOCX_TYPE;

/** Everything but the bytes. */
const listed = {
  id: true,
  draftId: true,
  fileName: true,
  contentType: true,
  size: true,
  uploadedAt: true,
  uploadedBy: { select: { id: true, name: true } },
  administration: { select: { id: true, code: true, name: true } },
} as const;
const PDF_MAGIC = Buffer.from('%PDF-');

export interface AttachmentUpload {
  fileName: string;
  content: Buffer;
}

function invalid(field: string, message: string): AppError {
  return AppError.badRequest('invalid_request', `${field}: ${message}.`, { field });
}

/** The name as the browser sent it, without any path or control characters. */
function cleanFileName(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  return base
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200);
}

export async function readAttachmentUpload(request: FastifyRequest, maxBytes: number): Promise<AttachmentUpload> {
  if (!request.isMultipart()) throw invalid('body', 'send the file as multipart/form-data, as "file"');
  let file: AttachmentUpload | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 0 } })) {
      if (part.type !== 'file') throw invalid(`body.${part.fieldname}`, 'unknown field');
      if (part.fieldname !== 'file') throw invalid(`body.${part.fieldname}`, 'unknown file field; send the attachment as "file"');
      file = { fileName: cleanFileName(part.filename ?? ''), content: await part.toBuffer() };
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw AppError.tooLarge('file_too_large', `The file is larger than ${formatSize(maxBytes)}.`);
    if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw invalid('body', 'send one file, as "file"');
    if (error instanceof AppError) throw error;
    throw invalid('body', 'the multipart upload could not be read');
  }
  if (!file || file.content.length === 0) throw invalid('body.file', 'attach a PDF or a Word document (.docx) as "file"');
  requireStorableText(file.fileName, 'body.file');
  return file;
}

/** The file's type from its first bytes: a PDF, or a .docx that passes the import's zip checks; 415 otherwise. */
export async function attachmentType(content: Buffer, limits: Config['limits']['docxImport']): Promise<AttachmentType> {
  if (content.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) return PDF_TYPE;
  if (hasZipMagic(content)) {
    await assertSafeDocxZip(content, limits);
    return DOCX_TYPE;
  }
  throw AppError.unsupportedMediaType('attachment_type_not_allowed', 'Attach a PDF or a Word document (.docx).');
}

export async function attachToAnswer(ctx: Ctx, input: { access: ConsultationAccess; draftId: string; upload: AttachmentUpload }) {
  const { access, upload } = input;
  const administrationId = access.administrationId;
  if (!administrationId) {
    throw AppError.forbidden('Only the focal points of an Administration invited to this consultation attach files to its answers.', 'not_focal_point');
  }
  const consultationId = access.consultation.id;
  const draft = await ctx.prisma.consultationDraft.findFirst({ where: { id: input.draftId, consultationId }, select: { id: true } });
  if (!draft) throw AppError.notFound('That draft of this consultation');
  const contentType = await attachmentType(upload.content, ctx.config.limits.docxImport);
  const extension = contentType === PDF_TYPE ? '.pdf' : '.docx';
  const fileName = upload.fileName || `attachment${extension}`;
  return transact(ctx, async (tx, emit) => {
    // FOR SHARE, as answers: judged by the database clock; a change of drafts waits.
    const [clock] = await tx.$queryRaw<{ open: boolean }[]>`SELECT now() < deadline AS open FROM "Consultation" WHERE id = ${consultationId}::uuid FOR SHARE`;
    if (!clock?.open) throw AppError.conflict('consultation_closed', 'The deadline of this consultation has passed: answers are no longer accepted.');
    // Serialises two focal points of one Administration attaching at once, so the cap holds.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${draft.id}:${administrationId}`}, 0))`;
    const count = await tx.consultationAttachment.count({ where: { draftId: draft.id, administrationId } });
    if (count >= MAX_ATTACHMENTS_PER_ANSWER) {
      throw AppError.conflict(
        'too_many_attachments',
        `An answer carries at most ${MAX_ATTACHMENTS_PER_ANSWER} attachments on each draft; remove one before adding another.`,
      );
    }
    const attachment = await tx.consultationAttachment.create({
      data: {
        consultationId,
        draftId: draft.id,
        administrationId,
        fileName,
        contentType,
        size: upload.content.length,
        content: new Uint8Array(upload.content),
        uploadedById: access.user.id,
      },
      select: listed,
    });
    await recordAudit(tx, {
      actorId: access.user.id,
      groupId: access.group.id,
      action: 'consultations.attached',
      entityType: 'ConsultationAttachment',
      entityId: attachment.id,
      after: { draftId: draft.id, administrationId, fileName, contentType, size: attachment.size },
    });
    emit('consultations.attached', { groupId: access.group.id, consultationId, administrationId, draftId: draft.id, attachmentId: attachment.id });
    return attachment;
  });
}

export async function removeAttachment(ctx: Ctx, input: { access: ConsultationAccess; attachmentId: string }) {
  const { access } = input;
  const administrationId = access.administrationId;
  if (!administrationId) {
    throw AppError.forbidden('Only the focal points of an Administration invited to this consultation attach files to its answers.', 'not_focal_point');
  }
  const consultationId = access.consultation.id;
  return transact(ctx, async (tx, emit) => {
    const [clock] = await tx.$queryRaw<{ open: boolean }[]>`SELECT now() < deadline AS open FROM "Consultation" WHERE id = ${consultationId}::uuid FOR SHARE`;
    if (!clock?.open) throw AppError.conflict('consultation_closed', 'The deadline of this consultation has passed: answers are no longer accepted.');
    // Another Administration's file reads as not found: its existence is not for this focal point.
    const attachment = await tx.consultationAttachment.findFirst({
      where: { id: input.attachmentId, consultationId, administrationId },
      omit: { content: true },
    });
    if (!attachment) throw AppError.notFound('That attachment');
    await tx.consultationAttachment.delete({ where: { id: attachment.id } });
    await recordAudit(tx, {
      actorId: access.user.id,
      groupId: access.group.id,
      action: 'consultations.attachmentRemoved',
      entityType: 'ConsultationAttachment',
      entityId: attachment.id,
      before: { draftId: attachment.draftId, administrationId, fileName: attachment.fileName, contentType: attachment.contentType, size: attachment.size },
    });
    emit('consultations.attachmentRemoved', {
      groupId: access.group.id,
      consultationId,
      administrationId,
      draftId: attachment.draftId,
      attachmentId: attachment.id,
    });
  });
}

/** Whose attachments the reader sees: every Administration's, only their own, or none. */
export function attachmentScope(access: ConsultationAccess): 'all' | 'own' | 'none' {
  if (canConsultation(access, 'consultations.manage')) return 'all';
  if (isClosed(access) && canConsultation(access, 'consultations.readResults')) return 'all';
  return access.administrationId ? 'own' : 'none';
}

export async function readAttachment(ctx: Ctx, input: { access: ConsultationAccess; attachmentId: string }) {
  const { access } = input;
  const scope = attachmentScope(access);
  const attachment = await ctx.prisma.consultationAttachment.findFirst({
    where: { id: input.attachmentId, consultationId: access.consultation.id, ...(scope === 'own' ? { administrationId: access.administrationId! } : {}) },
  });
  if (!attachment) throw AppError.notFound('That attachment');
  if (scope === 'none') {
    throw AppError.forbidden('The Administrations’ attachments are shared with the group after the deadline; until then only the secretariat reads them.');
  }
  return attachment;
}

export async function listAttachments(ctx: Ctx, access: ConsultationAccess) {
  const scope = attachmentScope(access);
  if (scope === 'none') return [];
  return ctx.prisma.consultationAttachment.findMany({
    where: { consultationId: access.consultation.id, ...(scope === 'own' ? { administrationId: access.administrationId! } : {}) },
    select: listed,
    orderBy: { uploadedAt: 'asc' },
  });
}

type Listed = Awaited<ReturnType<typeof listAttachments>>[number];

export const presentAttachment = (a: Listed) => ({
  id: a.id,
  draftId: a.draftId,
  administration: a.administration,
  fileName: a.fileName,
  contentType: a.contentType as AttachmentType,
  size: a.size,
  uploadedAt: a.uploadedAt.toISOString(),
  uploadedBy: a.uploadedBy,
});

/** Content-Disposition for a name a person chose: an ASCII fallback and the exact name (RFC 6266). */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const exact = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}
