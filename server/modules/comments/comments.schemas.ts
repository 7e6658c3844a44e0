import { z } from 'zod';
import { enumIn } from '../../lib/enum-case.ts';
import { int32, int32Param, Uuid, nameSchemas } from '../../lib/schemas.ts';
import { PersonSchema } from '../users/users.presenter.ts';
import { DocumentParams } from '../revisions/revisions.schemas.ts';

export const CommentTypeName = enumIn(['general', 'technical', 'editorial'], { error: 'must be general, technical or editorial' });
// Length is checked in the use case (413 with the limit), not here (which would be a 400).
const Body = z.string().trim().min(1, 'must not be empty');

export const CreateCommentBody = z.strictObject({
  clauseId: Uuid.nullable().default(null).describe('A clause of this revision; null or absent: the document as a whole'),
  type: CommentTypeName,
  body: Body.describe('Markdown'),
  proposedChange: z.string().trim().max(20_000).default(''),
  quotedText: z.string().max(5_000).nullable().optional().describe('Exact words of the clause the comment targets'),
});
export const ReplyBody = z.strictObject({ body: Body.describe('Markdown') });
export const EditCommentBody = z.strictObject({
  version: int32({ min: 1 }).optional().describe('The version you edited; 409 if it changed meanwhile'),
  type: CommentTypeName.optional(),
  body: Body.optional().describe('Markdown'),
  proposedChange: z.string().trim().max(20_000).optional(),
  quotedText: z.string().max(5_000).nullable().optional(),
});

export const CommentParams = DocumentParams.extend({ commentId: Uuid });
export const RevisionCommentParams = DocumentParams.extend({ sequence: int32Param({ min: 1, error: 'must be a revision number' }) });

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
export const ListCommentsQuery = z.strictObject({
  revision: int32Param({ min: 1, error: 'must be a revision number' }).optional(),
  clauseId: Uuid.optional().describe('Only comments on this clause'),
  carried: bool.optional().describe('With clauseId or revision: include earlier comments carried forward to it'),
  type: CommentTypeName.optional().describe('Only comments of this type'),
  status: enumIn(['open', 'withdrawn'], { error: 'must be open or withdrawn' }).optional().describe('Only open or only withdrawn comments'),
  affiliation: z.string().trim().min(1).max(160).optional().describe("Only comments by members of this organisation (the author's affiliation)"),
  authorId: Uuid.optional().describe('Only comments by this member'),
  includeReplies: bool.optional().describe('Also list replies (default: only top-level comments)'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const Carry = z.object({
  revisionId: z.string(),
  revision: z.number().nullable(),
  clauseId: z.string().nullable(),
  clauseNumber: z.string().nullable(),
  reason: z.string(),
  similarity: z.number(),
});
export const CommentSchema = z
  .object({
    id: z.string(),
    documentId: z.string(),
    revisionId: z.string(),
    revision: z.number(),
    clauseId: z.string().nullable(),
    clauseNumber: z.string().nullable(),
    parentId: z.string().nullable(),
    author: PersonSchema,
    type: z.string().nullable().describe('general, technical, editorial; null for replies'),
    body: z.string().describe('Markdown as written: render escaped'),
    bodyHtml: z.string().describe('Sanitized HTML'),
    proposedChange: z.string(),
    quotedText: z.string().nullable(),
    status: z.string(),
    version: z.number(),
    createdAt: z.string().describe('Database clock at acceptance'),
    updatedAt: z.string(),
    withdrawnAt: z.string().nullable(),
    replyCount: z.number().optional(),
    carriedTo: z.array(Carry).optional(),
  })
  .describe('Comment');
export const CommentPageSchema = z.object({
  comments: z.array(CommentSchema),
  nextCursor: z.string().nullable(),
  total: z.number().describe('Comments matching the filters'),
  byClause: z
    .array(z.object({ clauseId: z.string().nullable(), count: z.number() }))
    .describe('Counts per clause over the filters without clauseId; null: document-level'),
});

// Named in the OpenAPI document's components, referred to wherever a route uses them.
nameSchemas({ Comment: CommentSchema, CommentPage: CommentPageSchema });
