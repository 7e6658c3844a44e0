// What a client sends to post (or preview) a revision: JSON with Markdown source, or a
// multipart upload of a .docx with a `label` field. Either way the result is the importers'
// clauses and notes; nothing is stored here.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../lib/app-error.ts';
import { requireStorableText } from '../../plugins/text-input.ts';
import type { Config } from '../../config.ts';
import type { RevisionFormat } from '../../generated/prisma/client.ts';
import type { ImportResult } from './lib/clause.ts';
import { importDocx } from './lib/import-docx.ts';
import { importMarkdown } from './lib/import-markdown.ts';
import { formatSize } from './lib/docx-zip-check.ts';

export const RevisionLabel = z.string().trim().min(1, 'must not be empty').max(200);
export const MarkdownRevisionBody = z.strictObject({
  label: RevisionLabel.describe('"Initial baseline", "Conveners\' draft", "Final report"'),
  format: z.literal('markdown', { error: 'must be markdown (upload a .docx as multipart/form-data)' }).default('markdown'),
  source: z.string().min(1, 'must not be empty').max(2_000_000).describe('The whole document in Markdown; every heading opens a clause'),
});

export interface RevisionInput {
  label: string;
  format: RevisionFormat;
  imported: ImportResult;
}

function invalid(field: string, message: string): AppError {
  return AppError.badRequest('invalid_request', `${field}: ${message}.`, { field });
}

export async function readRevisionInput(request: FastifyRequest, limits: Config['limits']): Promise<RevisionInput> {
  if (request.isMultipart()) return readDocxUpload(request, limits);
  const parsed = MarkdownRevisionBody.safeParse(request.body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = ['body', ...issue.path.map(String)].join('.');
    throw invalid(field, issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message.replace(/\.$/, ''));
  }
  return { label: parsed.data.label, format: 'MARKDOWN', imported: importMarkdown(parsed.data.source) };
}

async function readDocxUpload(request: FastifyRequest, limits: Config['limits']): Promise<RevisionInput> {
  const { docxImport } = limits;
  let label: string | undefined;
  let file: Buffer | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: docxImport.maxBytes, files: 1, fields: 5, fieldSize: 1000 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw invalid(`body.${part.fieldname}`, 'unknown file field; send the document as "file"');
        file = await part.toBuffer();
      } else if (part.fieldname === 'label') {
        label = String(part.value);
        requireStorableText(label, 'body.label');
      } else {
        throw invalid(`body.${part.fieldname}`, 'unknown field');
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw AppError.tooLarge('file_too_large', `The file is larger than ${formatSize(docxImport.maxBytes)}.`);
    if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw invalid('body', 'send one file and a label');
    if (error instanceof AppError) throw error;
    throw invalid('body', 'the multipart upload could not be read');
  }
  const parsedLabel = RevisionLabel.safeParse(label ?? '');
  if (!parsedLabel.success) throw invalid('body.label', parsedLabel.error.issues[0]!.message);
  if (!file) throw invalid('body.file', 'attach the .docx as "file"');
  const imported = await importDocx(file, docxImport);
  return { label: parsedLabel.data, format: 'DOCX', imported };
}
