// Requests and responses of the consultation routes (also the client's types).
import { z } from 'zod';
import { enumIn } from '../../lib/enum-case.ts';
import { Email, Instant, int32, NameText, nameSchemas, Slug, Uuid } from '../../lib/schemas.ts';

export const POSITIONS = ['assigns_authority', 'does_not_assign_authority'] as const;
export const OPTIONS = ['no_comments', 'comments_attached'] as const;
export const OUTCOMES = ['meets', 'fails', 'no_replies'] as const;

const FocalPointInput = z.strictObject({ email: Email, name: NameText(200, { required: true }) });
export const AdministrationInput = z.strictObject({
  code: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be the ISO 3166-1 alpha-3 code of the Member State, e.g. CHE')
    .describe('ISO 3166-1 alpha-3, e.g. CHE'),
  name: NameText(200, { required: true }).describe('As the Union lists it, e.g. Switzerland'),
  focalPoints: z.array(FocalPointInput).min(1, 'must name at least one focal point').max(10),
});

export const CreateConsultationBody = z.strictObject({
  reference: NameText(120, { required: true }).describe('e.g. TSB Circular 195'),
  issuedOn: z.iso.date({ error: 'must be a date such as 2019-11-29' }),
  subject: z.string().trim().min(1, 'must not be empty').max(2000),
  ruleText: z.string().trim().max(4000).optional(),
  deadline: Instant.describe('Answers are accepted while the database clock is before it'),
  thresholdPercent: int32({ min: 0, max: 100, error: 'must be a percentage from 0 to 100' }).describe('Share of replies in support a draft needs, e.g. 70'),
  workItemIds: z.array(Uuid).min(1, 'must name at least one draft').max(50),
  administrations: z.array(AdministrationInput).max(250).optional(),
});
export const SetDraftsBody = z.strictObject({ workItemIds: z.array(Uuid).min(1, 'must name at least one draft').max(50) });
export const ExtendDeadlineBody = z.strictObject({
  deadline: Instant.describe('The new deadline, later than the current one'),
});
export const AddInviteesBody = z.strictObject({ administrations: z.array(AdministrationInput).min(1).max(250) });

export const AnswerInput = z.strictObject({
  draftId: Uuid,
  position: enumIn(POSITIONS),
  option: enumIn(OPTIONS).optional().describe('Required when assigning authority'),
  text: z.string().max(20_000).optional().describe('The comments, or the reasons and possible changes (required when not assigning authority)'),
  expectedVersion: int32({ min: 0, error: 'must be the version of the answer you read (0: none yet)' }),
});
export const SubmitAnswersBody = z.strictObject({
  answers: z.array(AnswerInput).min(1, 'must answer at least one draft').max(50),
  signedName: NameText(200, { required: true }),
  signedRole: NameText(200, { required: true }).describe('Official role/title'),
});

export const ConsultationParams = z.strictObject({ slug: Slug, consultationId: Uuid.describe('The consultation') });
export const GroupParams = z.strictObject({ slug: Slug });

const Administration = z.object({ id: Uuid, code: z.string(), name: z.string() });
export const DraftSchema = z.object({
  id: Uuid,
  workItemId: Uuid,
  acronym: z.string(),
  number: z.string().nullable(),
  title: z.string(),
  summary: z.string(),
  answers: z.number().int(),
});
export const AnswerSchema = z.object({
  draftId: Uuid,
  position: z.enum(POSITIONS),
  option: z.enum(OPTIONS).nullable(),
  text: z.string(),
  signedName: z.string(),
  signedRole: z.string(),
  version: z.number().int(),
  answeredAt: z.string(),
  answeredBy: z.object({ id: Uuid, name: z.string() }).nullable(),
});
export const InviteeSchema = Administration.extend({
  focalPoints: z.array(z.object({ id: Uuid, name: z.string(), email: z.string().optional().describe('Conveners and the operator only') })),
});
export const AttachmentSchema = z.object({
  id: Uuid,
  draftId: Uuid,
  administration: Administration,
  fileName: z.string(),
  contentType: z.enum(['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document']),
  size: z.number().int(),
  uploadedAt: z.string(),
  uploadedBy: z.object({ id: Uuid, name: z.string() }).nullable(),
});
export const AttachmentParams = ConsultationParams.extend({ attachmentId: Uuid.describe('The attachment') });
export const DraftParams = ConsultationParams.extend({ draftId: Uuid.describe('The draft of the consultation') });
export const ConsultationSummarySchema = z.object({
  id: Uuid,
  reference: z.string(),
  issuedOn: z.string(),
  subject: z.string(),
  deadline: z.string(),
  thresholdPercent: z.number().int(),
  closed: z.boolean(),
  group: z.object({ slug: z.string(), acronym: z.string(), name: z.string() }),
});
export const ConsultationSchema = ConsultationSummarySchema.extend({
  ruleText: z.string(),
  now: z.string().describe('The database clock when this was read'),
  drafts: z.array(DraftSchema),
  invitees: z.array(InviteeSchema),
  /** The reader's Administration when they are its focal point, with its answers. */
  mine: z.object({ administration: Administration, answers: z.array(AnswerSchema) }).nullable(),
  attachments: z
    .array(AttachmentSchema)
    .describe("Files attached to answers: all for the secretariat, and for everyone after the deadline; a focal point's own Administration's before it"),
  abilities: z.object({ manage: z.boolean(), answer: z.boolean(), readProgress: z.boolean(), readResults: z.boolean() }),
});
export const TallyRowSchema = z.object({
  draftId: Uuid,
  acronym: z.string(),
  number: z.string().nullable(),
  title: z.string(),
  replies: z.number().int(),
  inSupport: z.number().int().nullable(),
  notInSupport: z.number().int().nullable(),
  percentInSupport: z.number().nullable(),
  outcome: z.enum(OUTCOMES).nullable(),
  answered: z.array(Administration.extend({ answeredAt: z.string() })),
  reasons: z.array(z.object({ administration: z.string(), position: z.enum(POSITIONS), option: z.enum(OPTIONS).nullable(), text: z.string() })),
});
export const TallySchema = z.object({
  consultation: ConsultationSummarySchema,
  invited: z.number().int(),
  announced: z.boolean().describe('False before the deadline: counts of support and the outcome are withheld'),
  rows: z.array(TallyRowSchema),
  notAnswered: z.array(Administration),
});

nameSchemas({
  Consultation: ConsultationSchema,
  ConsultationSummary: ConsultationSummarySchema,
  ConsultationDraft: DraftSchema,
  ConsultationAnswer: AnswerSchema,
  ConsultationAttachment: AttachmentSchema,
  ConsultationInvitee: InviteeSchema,
  ConsultationTally: TallySchema,
  ConsultationTallyRow: TallyRowSchema,
  CreateConsultation: CreateConsultationBody,
  SetConsultationDrafts: SetDraftsBody,
  AddConsultationInvitees: AddInviteesBody,
  ExtendConsultationDeadline: ExtendDeadlineBody,
  SubmitConsultationAnswers: SubmitAnswersBody,
});

export type AdministrationInputValue = z.output<typeof AdministrationInput>;
export type CreateConsultationInput = z.output<typeof CreateConsultationBody>;
export type AnswerInputValue = z.output<typeof AnswerInput>;
