// What a client sends to preview or import a comment template: multipart/form-data with the file
// as `file` and, optionally, `organisation` (for rows that name no member body), `observations`
// ("true": read the observations cells as proposed dispositions) and `mappings` (JSON: row number →
// clause number, "general" or "skip", for the rows the preview listed as unmatched).
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../lib/app-error.ts';
import { requireStorableText } from '../../plugins/text-input.ts';
import { formatSize } from '../revisions/lib/docx-zip-check.ts';
import type { TemplateUpload } from './import-comment-template.ts';

const Mappings = z.record(z.string().regex(/^\d{1,7}$/), z.string().trim().min(1).max(40)).refine((m) => Object.keys(m).length <= 10_000);

function invalid(field: string, message: string): AppError {
  return AppError.badRequest('invalid_request', `${field}: ${message}.`, { field });
}

export async function readTemplateUpload(request: FastifyRequest, maxBytes: number): Promise<TemplateUpload> {
  if (!request.isMultipart()) throw invalid('body', 'send the comment template as multipart/form-data, the file as "file"');
  let file: Buffer | undefined;
  let fileName = '';
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 256 * 1024 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw invalid(`body.${part.fieldname}`, 'unknown file field; send the template as "file"');
        file = await part.toBuffer();
        fileName = part.filename ?? '';
      } else if (['organisation', 'observations', 'mappings'].includes(part.fieldname)) {
        fields[part.fieldname] = String(part.value);
        requireStorableText(fields[part.fieldname], `body.${part.fieldname}`);
      } else {
        throw invalid(`body.${part.fieldname}`, 'unknown field');
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw AppError.tooLarge('file_too_large', `The file is larger than ${formatSize(maxBytes)}.`);
    if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT')
      throw invalid('body', 'send one file and at most the fields organisation, observations and mappings');
    if (error instanceof AppError) throw error;
    throw invalid('body', 'the multipart upload could not be read');
  }
  if (!file || file.length === 0) throw invalid('body.file', 'attach the comment template (.docx, .xlsx or CSV) as "file"');
  const organisation = (fields.organisation ?? '').trim();
  if (organisation.length > 200) throw invalid('body.organisation', 'must be at most 200 characters');
  if (fields.observations !== undefined && !['true', 'false'].includes(fields.observations)) throw invalid('body.observations', 'must be true or false');
  let mappings: Record<string, string> = {};
  if (fields.mappings !== undefined && fields.mappings.trim() !== '') {
    let json: unknown;
    try {
      json = JSON.parse(fields.mappings);
    } catch {
      throw invalid('body.mappings', 'must be JSON: an object of row numbers and clause numbers, "general" or "skip"');
    }
    const parsed = Mappings.safeParse(json);
    if (!parsed.success) throw invalid('body.mappings', 'must be an object of row numbers and clause numbers, "general" or "skip"');
    mappings = parsed.data;
  }
  return { file, fileName: fileName.slice(0, 255), options: { organisation, importObservations: fields.observations === 'true', mappings } };
}
