// Requests and responses of the work-programme routes (also the client's types).
import { z } from 'zod';
import { enumIn } from '../../lib/enum-case.ts';
import { int32, NameText, nameSchemas, Slug, Uuid } from '../../lib/schemas.ts';

export const WORK_ITEM_STATUSES = [
  'new_work_item',
  'in_progress',
  'determined',
  'consented',
  'consultation',
  'approved',
  'agreed',
  'withdrawn',
  'deferred',
] as const;
export const APPROVAL_PROCESSES = ['tap', 'aap', 'agreement'] as const;

const LongText = z.string().max(20_000);
const Editor = z.strictObject({
  userId: Uuid,
  /** As A.1 prints it ("Korea (Republic of)", "China Unicom"); defaults to the person's own. */
  affiliation: NameText(200).optional(),
});

const fields = {
  acronym: NameText(60, { required: true }).describe('The work item name, e.g. X.iotsec-2'),
  number: NameText(60).nullable().optional().describe('The number once assigned, e.g. X.1365'),
  title: NameText(500, { required: true }),
  question: NameText(40).optional().describe('The Question, e.g. 6/17'),
  approvalProcess: enumIn(APPROVAL_PROCESSES),
  timing: NameText(40).optional().describe('Planned completion as A.1 writes it, e.g. 2018-02'),
  scope: LongText.optional(),
  summary: LongText.optional(),
  baseText: LongText.optional(),
  relations: LongText.optional(),
  liaisons: LongText.optional(),
  supportingMembers: LongText.optional(),
  editors: z.array(Editor).max(50).optional(),
  documentIds: z.array(Uuid).max(100).optional().describe("The group's documents that hold this text"),
};

export const CreateWorkItemBody = z.strictObject(fields);
export const UpdateWorkItemBody = CreateWorkItemBody.partial().extend({
  expectedVersion: int32({ min: 1, error: 'must be the version you read' }),
});
export const ChangeStatusBody = z.strictObject({
  to: enumIn(WORK_ITEM_STATUSES),
  note: z.string().trim().max(2000).optional(),
  expectedVersion: int32({ min: 1, error: 'must be the version you read' }),
});
export const WorkItemParams = z.strictObject({ slug: Slug, workItemId: Uuid.describe('The work item') });
export const ListWorkItemsQuery = z.strictObject({
  status: z.enum(WORK_ITEM_STATUSES).optional().describe('Only work items with this status'),
  approvalProcess: z.enum(APPROVAL_PROCESSES).optional().describe('Only work items approved by this process'),
  question: z.string().max(40).optional().describe('Only work items of this Question, e.g. 6/17'),
  q: z.string().max(200).optional().describe('Words in the acronym, number or title'),
});

const Person = z.object({ id: Uuid, name: z.string(), affiliation: z.string() });
export const WorkItemSummarySchema = z.object({
  id: Uuid,
  acronym: z.string(),
  number: z.string().nullable(),
  title: z.string(),
  question: z.string(),
  approvalProcess: z.enum(APPROVAL_PROCESSES),
  timing: z.string(),
  status: z.enum(WORK_ITEM_STATUSES),
  statusChangedAt: z.string(),
  version: z.number().int(),
  editors: z.array(Person),
});
export const StatusChangeSchema = z.object({
  id: Uuid,
  from: z.enum(WORK_ITEM_STATUSES).nullable(),
  to: z.enum(WORK_ITEM_STATUSES),
  note: z.string(),
  at: z.string(),
  by: z.object({ id: Uuid, name: z.string() }).nullable(),
});
export const LinkedDocumentSchema = z.object({
  id: Uuid,
  title: z.string(),
  group: z.object({ slug: z.string(), acronym: z.string() }).describe('The group that holds the document (this one, or one reporting to it)'),
  state: z.enum(['draft', 'published']),
  revisions: z.array(z.object({ sequence: z.number().int(), label: z.string(), postedAt: z.string() })),
  periods: z.array(z.object({ id: Uuid, revision: z.number().int(), opensAt: z.string(), closesAt: z.string() })),
  dispositions: z.object({ comments: z.number().int(), decided: z.number().int() }),
  finalReport: z.object({ revision: z.number().int(), publishedAt: z.string() }).nullable(),
});
export const WorkItemConsultationSchema = z.object({ id: Uuid, reference: z.string(), deadline: z.string() });
export const WorkItemSchema = WorkItemSummarySchema.extend({
  scope: z.string(),
  summary: z.string(),
  baseText: z.string(),
  relations: z.string(),
  liaisons: z.string(),
  supportingMembers: z.string(),
  createdAt: z.string(),
  nextStatuses: z.array(z.enum(WORK_ITEM_STATUSES)),
  history: z.array(StatusChangeSchema),
  documents: z.array(LinkedDocumentSchema),
  consultations: z.array(WorkItemConsultationSchema),
  abilities: z.object({ manage: z.boolean() }),
});
export const WorkItemListSchema = z.object({ workItems: z.array(WorkItemSummarySchema), abilities: z.object({ manage: z.boolean() }) });

nameSchemas({
  WorkItemSummary: WorkItemSummarySchema,
  WorkItem: WorkItemSchema,
  WorkItemList: WorkItemListSchema,
  WorkItemStatusChange: StatusChangeSchema,
  CreateWorkItem: CreateWorkItemBody,
  UpdateWorkItem: UpdateWorkItemBody,
  ChangeWorkItemStatus: ChangeStatusBody,
});

export type CreateWorkItemInput = z.output<typeof CreateWorkItemBody>;
export type UpdateWorkItemInput = z.output<typeof UpdateWorkItemBody>;
