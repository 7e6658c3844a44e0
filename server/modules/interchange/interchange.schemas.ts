import { z } from 'zod';
import { int32Param, nameSchemas, Slug, Uuid } from '../../lib/schemas.ts';

export const DocumentParams = z.object({ slug: Slug, documentId: Uuid });
export const RevisionParams = DocumentParams.extend({ sequence: int32Param({ min: 1, error: 'must be a revision number' }) });

export const RevisionDocxQuery = z.strictObject({
  against: int32Param({ min: 1, error: 'must be a revision number' })
    .optional()
    .describe('Mark the changes against this earlier (or any other) revision as Word tracked changes'),
  anchors: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .describe('With `against`: a Word comment on each clause naming the Convene comments whose disposition it implements'),
});
export const TableXlsxQuery = z.strictObject({ revision: int32Param({ min: 1, error: 'must be a revision number' }).optional() });

const Outcome = z.enum(['ready', 'unmatched', 'skipped', 'invalid']);
const Type = z.enum(['general', 'technical', 'editorial']);
const Code = z.enum(['accepted', 'accepted_with_modification', 'rejected', 'noted', 'deferred']);

export const TemplateRowSchema = z.object({
  row: z.number().int().describe('The row number in the file (Word: within its table)'),
  outcome: Outcome,
  notes: z.array(z.string()),
  memberBody: z.string(),
  member: z.object({ id: z.string(), name: z.string() }).nullable().describe('The group member the row names, by name or by an affiliation only they have'),
  line: z.string(),
  clauseAsWritten: z.string(),
  clause: z.object({ id: z.string(), number: z.string(), heading: z.string() }).nullable().describe('null with outcome ready: the whole document'),
  suggestion: z.string().nullable(),
  paragraph: z.string(),
  type: Type,
  comment: z.string(),
  proposedChange: z.string(),
  observations: z.string(),
  disposition: z.object({ code: Code, rationale: z.string() }).nullable(),
});

export const TemplatePreviewSchema = z.object({
  format: z.enum(['docx', 'xlsx', 'csv']),
  table: z.object({ name: z.string(), headerRow: z.number().int(), headers: z.record(z.string(), z.string()) }),
  periodState: z.enum(['open', 'closed', 'not_open']).describe('closed: after the deadline (conveners only; recorded on the import)'),
  counts: z.object({ ready: z.number(), unmatched: z.number(), skipped: z.number(), invalid: z.number(), dispositions: z.number() }),
  rows: z.array(TemplateRowSchema),
});

export const TemplateImportSchema = z.object({
  importId: z.string(),
  documentId: z.string(),
  revision: z.number().int(),
  fileName: z.string(),
  format: z.enum(['docx', 'xlsx', 'csv']),
  comments: z.number().int(),
  dispositions: z.number().int(),
  skipped: z.number().int(),
  periodState: z.enum(['open', 'closed', 'not_open']),
  afterDeadline: z.boolean(),
});

nameSchemas({ TemplateRow: TemplateRowSchema, TemplatePreview: TemplatePreviewSchema, TemplateImport: TemplateImportSchema });
