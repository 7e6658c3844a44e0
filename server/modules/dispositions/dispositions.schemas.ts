// Request and response schemas of adjudication. Bodies are strict: an unknown field is a 400
// naming it, so a typo ("rational") never silently drops the rationale.
import { z } from 'zod';
import { Instant, int32, int32Param, Slug, Uuid, nameSchemas } from '../../lib/schemas.ts';
import { CODES } from './disposition-state.ts';

export const DispositionCodeName = z
  .enum(CODES as [string, ...string[]], {
    error: 'must be accepted, accepted_with_modification, rejected, noted or deferred',
  })
  .transform((v) => v as (typeof CODES)[number]);

const ExpectedVersion = int32({ min: 0, error: 'must be the version you last read (0 for a comment without a disposition)' });
const Rationale = z.string().trim().max(10_000, 'must be at most 10,000 characters');
const AdoptedText = z.string().trim().max(20_000, 'must be at most 20,000 characters');

export const DocumentParams = z.object({ slug: Slug, documentId: Uuid });
export const CommentParams = DocumentParams.extend({ commentId: Uuid });
export const RevisionParams = DocumentParams.extend({ sequence: int32Param({ min: 1, error: 'must be a revision number' }) });

export const DecisionBody = z.strictObject({
  disposition: DispositionCodeName,
  rationale: Rationale.default(''),
  adoptedText: AdoptedText.default(''),
  /** Until when the commenter may respond (conveners only; ignored for an editor's draft is refused). */
  respondBy: Instant.optional(),
  expectedVersion: ExpectedVersion,
});

export const VersionBody = z.strictObject({ expectedVersion: ExpectedVersion });
export const ConfirmBody = z.strictObject({ expectedVersion: ExpectedVersion, respondBy: Instant.optional() });

export const ResponseBody = z.strictObject({
  response: z.enum(['agree', 'object'], { error: 'must be agree or object' }),
  text: z.string().trim().max(10_000, 'must be at most 10,000 characters').default(''),
  expectedVersion: ExpectedVersion,
});

export const AssignBody = z.strictObject({ assigneeId: Uuid.nullable(), expectedVersion: ExpectedVersion });
export const DeadlineBody = z.strictObject({ respondBy: Instant, expectedVersion: ExpectedVersion });
export const ImplementBody = z.strictObject({
  /** The revision's number in the document (rev 3), or null to clear. */
  revision: int32({ min: 1, error: 'must be a revision number' }).nullable(),
  expectedVersion: ExpectedVersion,
});

/** A selection is one transaction holding row locks: bounded so it stays short (≈ 1 s for 500 on the 2-core machine). */
export const BULK_MAX_ITEMS = 500;
const BulkItem = z.strictObject({ commentId: Uuid, expectedVersion: ExpectedVersion });
export const BulkBody = z.strictObject({
  items: z
    .array(BulkItem)
    .min(1, 'must name at least one comment')
    .max(BULK_MAX_ITEMS, `must name at most ${BULK_MAX_ITEMS} comments`)
    .refine((items) => new Set(items.map((i) => i.commentId)).size === items.length, 'must not name a comment twice'),
  action: z.discriminatedUnion(
    'kind',
    [
      z.strictObject({
        kind: z.literal('decide'),
        disposition: DispositionCodeName,
        rationale: Rationale.default(''),
        adoptedText: AdoptedText.default(''),
        respondBy: Instant.optional(),
      }),
      z.strictObject({ kind: z.literal('assign'), assigneeId: Uuid.nullable() }),
      z.strictObject({ kind: z.literal('set_deadline'), respondBy: Instant }),
      z.strictObject({ kind: z.literal('finalise') }),
    ],
    { error: 'must have kind decide, assign, set_deadline or finalise' },
  ),
});

export const PileQuery = z.strictObject({
  state: z
    .enum(['undecided', 'draft', 'proposed', 'objected', 'final'], { error: 'must be undecided, draft, proposed, objected or final' })
    .optional()
    .describe('Only comments whose disposition is in this state'),
  clause: z.string().trim().min(1).max(40).optional().describe('A clause number ("7.1"), or "general" for comments on the whole document'),
  type: z.enum(['general', 'technical', 'editorial'], { error: 'must be general, technical or editorial' }).optional().describe('Only comments of this type'),
  affiliation: z.string().trim().min(1).max(160).optional().describe("Only comments by members of this organisation (the author's affiliation)"),
  assignee: z
    .union([Uuid, z.enum(['me', 'none'])], { error: 'must be a member id, me or none' })
    .optional()
    .describe('A member\'s id, "me", or "none" for unassigned comments'),
  /** Only comments made on this revision. */
  revision: int32Param({ min: 1, error: 'must be a revision number' }).optional(),
});

export const TableQuery = z.strictObject({ revision: int32Param({ min: 1, error: 'must be a revision number' }).optional() });
/** The decided dispositions of the comments made on one revision (all revisions when left out). */
export const DecidedQuery = z.strictObject({ revision: int32Param({ min: 1, error: 'must be a revision number' }).optional() });
export const SettingsBody = z.strictObject({ allowEarlyAdjudication: z.boolean({ error: 'must be true or false' }) });
export const PublishBody = z.strictObject({
  revision: int32({ min: 1, error: 'must be a revision number' }),
  label: z.string().trim().min(1).max(200).optional(),
});

const Person = z.object({ id: z.string(), name: z.string(), affiliation: z.string() });
const RevisionRef = z.object({ id: z.string(), sequence: z.number(), label: z.string() });

export const DispositionSchema = z
  .object({
    id: z.string().nullable().describe('null while the comment has no disposition row'),
    commentId: z.string(),
    documentId: z.string(),
    disposition: z.string().nullable(),
    status: z.string().describe('undecided, draft, proposed or final'),
    rationale: z.string(),
    adoptedText: z.string(),
    version: z.number(),
    assignee: Person.nullable(),
    draftedBy: Person.nullable(),
    proposedBy: Person.nullable(),
    proposedAt: z.string().nullable(),
    finalisedBy: Person.nullable(),
    finalisedAt: z.string().nullable(),
    finalisedOver: z
      .string()
      .nullable()
      .describe('objection or pending_answer when finalised before the commenter agreed (over an objection, or before any answer came)'),
    respondBy: z.string().nullable(),
    response: z.object({ kind: z.string(), text: z.string(), at: z.string() }).nullable(),
    implementedIn: RevisionRef.nullable(),
  })
  .describe('Disposition');

export const CommentSummarySchema = z.object({
  id: z.string(),
  revision: z.number(),
  clauseNumber: z.string().nullable(),
  clauseHeading: z.string().nullable(),
  type: z.string(),
  author: Person,
  body: z.string(),
  bodyHtml: z.string(),
  proposedChange: z.string(),
  quotedText: z.string().nullable(),
  createdAt: z.string(),
});

export const PileItemSchema = z.object({ comment: CommentSummarySchema, disposition: DispositionSchema });
export const ProgressSchema = z.object({ total: z.number(), decided: z.number(), final: z.number(), text: z.string() });
export const PileSchema = z.object({ items: z.array(PileItemSchema), progress: ProgressSchema, filteredProgress: ProgressSchema });

export const BulkResultSchema = z.object({
  ok: z.boolean(),
  results: z.array(
    z.object({
      commentId: z.string(),
      status: z.number(),
      code: z.string().nullable(),
      message: z.string().nullable(),
      disposition: DispositionSchema.nullable(),
    }),
  ),
});

export const PathSchema = z.object({
  comment: CommentSummarySchema,
  disposition: DispositionSchema,
  /** Where the comment stands in the implementing revision: the clause it now concerns. */
  implementedClause: z.object({ number: z.string(), heading: z.string() }).nullable(),
  steps: z.array(z.object({ step: z.string(), at: z.string().nullable(), text: z.string() })),
});

export const AwaitingSchema = z.object({
  items: z.array(
    z.object({
      group: z.object({ slug: z.string(), name: z.string(), acronym: z.string() }),
      document: z.object({ id: z.string(), title: z.string() }),
      comment: CommentSummarySchema,
      disposition: DispositionSchema,
    }),
  ),
});

export const ObjectionsSchema = z.object({ items: z.array(PileItemSchema) });
export const DecidedSchema = z.object({ items: z.array(DispositionSchema) });

export const ResolvedByRevisionSchema = z.object({
  revision: RevisionRef,
  clauses: z.array(z.object({ clauseId: z.string().nullable(), number: z.string(), heading: z.string(), comments: z.array(PileItemSchema) })),
});

export const SettingsSchema = z.object({ allowEarlyAdjudication: z.boolean() });

const Row = z.object({
  number: z.number(),
  commenter: z.string(),
  organisation: z.string(),
  clause: z.string(),
  paragraph: z.string(),
  type: z.string(),
  comment: z.string(),
  proposedChange: z.string(),
  disposition: z.string().nullable(),
  status: z.string(),
  rationale: z.string(),
  adoptedText: z.string(),
  response: z.object({ kind: z.string(), text: z.string() }).nullable(),
  implementedIn: z.string(),
  origin: z
    .object({ kind: z.enum(['member', 'liaison', 'public']), stakeholderGroup: z.string().nullable(), region: z.string().nullable() })
    .optional()
    .describe("Where the comment came from (outside comments: the respondent's stakeholder group and region)"),
});
const Counts = (keys: readonly string[]) => z.object(Object.fromEntries(keys.map((k) => [k, z.number()])));
export const StatisticsSchema = z.object({
  total: z.number(),
  byDisposition: Counts([...CODES, 'undecided']),
  byStatus: Counts(['undecided', 'proposed', 'final']),
  byType: Counts(['general', 'technical', 'editorial']),
  byClause: z.array(z.object({ clause: z.string(), count: z.number() })),
  byOrganisation: z.array(z.object({ organisation: z.string(), count: z.number() })),
  objections: z.number(),
});
export const TableSchema = z.object({
  groupName: z.string(),
  groupAcronym: z.string(),
  documentTitle: z.string(),
  revisionLabel: z.string(),
  generatedAt: z.string(),
  statistics: StatisticsSchema,
  rows: z.array(Row),
});

export const FinalReportSchema = z.object({
  group: z.object({ slug: z.string(), name: z.string(), acronym: z.string() }),
  document: z.object({ id: z.string(), title: z.string(), state: z.string() }),
  revision: RevisionRef,
  publishedAt: z.string(),
  publishedBy: z.object({ name: z.string(), affiliation: z.string() }).nullable(),
  clauses: z.array(z.object({ number: z.string(), heading: z.string(), html: z.string() })),
  statistics: StatisticsSchema,
});

// Named in the OpenAPI document's components, referred to wherever a route uses them.
nameSchemas({
  Disposition: DispositionSchema,
  CommentSummary: CommentSummarySchema,
  PileItem: PileItemSchema,
  Progress: ProgressSchema,
  DispositionPile: PileSchema,
  RevisionRef,
  DispositionStatistics: StatisticsSchema,
  DispositionTable: TableSchema,
  FinalReport: FinalReportSchema,
  AdjudicationSettings: SettingsSchema,
});
