import { z } from 'zod';
import { int32Param, Slug, Uuid, nameSchemas } from '../../lib/schemas.ts';
import { PersonSchema } from '../users/users.presenter.ts';

export const DocumentParams = z.object({ slug: Slug, documentId: Uuid });
export const RevisionParams = DocumentParams.extend({ sequence: int32Param({ min: 1, error: 'must be a revision number' }) });

export const CreateDocumentBody = z.strictObject({ title: z.string().trim().min(1, 'must not be empty').max(300) });

export const RevisionSummarySchema = z.object({
  id: z.string(),
  documentId: z.string(),
  sequence: z.number(),
  label: z.string(),
  format: z.string(),
  notes: z.array(z.string()),
  postedBy: PersonSchema.nullable(),
  postedAt: z.string(),
  clauseCount: z.number().optional(),
});
export const DocumentSchema = z.object({
  id: z.string(),
  title: z.string(),
  state: z.string(),
  createdAt: z.string(),
  latestRevision: RevisionSummarySchema.nullable(),
});

const CarriedComment = z.object({
  commentId: z.string(),
  fromRevision: z.number(),
  fromClauseNumber: z.string().nullable(),
  type: z.string().nullable(),
  status: z.string(),
  reason: z.string().describe('same_number_and_heading, same_heading, text_similarity, document_level or orphaned'),
  similarity: z.number(),
});
export const RevisionSchema = RevisionSummarySchema.extend({
  clauses: z.array(
    z.object({
      id: z.string(),
      position: z.number(),
      number: z.string(),
      heading: z.string().describe('Plain text: escape it'),
      html: z.string().describe('Sanitized HTML'),
      commentCount: z.number(),
      earlierComments: z.array(CarriedComment).describe('Comments on earlier revisions carried forward to this clause'),
    }),
  ),
  documentCommentCount: z.number(),
  orphanedComments: z.array(CarriedComment),
  periods: z.array(z.object({ id: z.string(), opensAt: z.string(), closesAt: z.string() })),
});
export const PostedRevisionSchema = RevisionSchema.extend({ carriedComments: z.number(), orphanedComments: z.array(CarriedComment) });
export const PreviewSchema = z.object({
  clauses: z.array(z.object({ position: z.number(), number: z.string(), heading: z.string(), html: z.string() })),
  notes: z.array(z.string()),
  changes: z
    .array(
      z.object({
        kind: z
          .enum(['markup_as_text', 'image_dropped', 'link_removed'])
          .describe('markup_as_text: raw HTML shown as typed; image_dropped: its description kept; link_removed: a relative or unsafe link kept as its words'),
        clause: z.object({ number: z.string(), heading: z.string() }).nullable().describe('Where it was; null: before the first clause'),
        count: z.number(),
        examples: z
          .array(z.string())
          .describe('Up to five distinct instances: tags as typed (e.g. a script or style element), image descriptions, link targets'),
      }),
    )
    .describe('What the import changed on the way to the allowed markup; posting records the same as notes'),
});
const DiffPart = z.object({ op: z.string(), text: z.string() });
export const ComparisonSchema = z.object({
  from: RevisionSummarySchema,
  to: RevisionSummarySchema,
  clauses: z.array(
    z.object({
      status: z.enum(['unchanged', 'changed', 'renumbered', 'added', 'removed']),
      from: z.object({ number: z.string(), heading: z.string() }).nullable(),
      to: z.object({ number: z.string(), heading: z.string() }).nullable(),
      match: z.string().nullable(),
      contentChanged: z.boolean(),
      diff: z
        .object({
          heading: z.array(DiffPart),
          text: z.array(DiffPart),
          blocks: z
            .array(
              z.object({
                op: z.enum(['equal', 'changed', 'inserted', 'deleted']),
                kind: z.enum(['paragraph', 'item', 'row', 'code', 'heading']),
                parts: z.array(DiffPart),
              }),
            )
            .describe('Block by block (paragraphs, list items, table rows); words compared within a changed block'),
        })
        .nullable(),
    }),
  ),
});

// Named in the OpenAPI document's components, referred to wherever a route uses them.
nameSchemas({
  RevisionSummary: RevisionSummarySchema,
  Document: DocumentSchema,
  CarriedComment,
  Revision: RevisionSchema,
  PostedRevision: PostedRevisionSchema,
  RevisionPreview: PreviewSchema,
  RevisionComparison: ComparisonSchema,
});
