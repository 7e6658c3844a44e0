// Request and response shapes of open consultations: the period's openness, the public page, the
// respondent's profile, comments and answers, moderation and analysis.
import { z } from 'zod';
import { enumIn } from '../../lib/enum-case.ts';
import { Email, int32, NameText, nameSchemas, Uuid } from '../../lib/schemas.ts';
import { InstantSchema } from '../periods/periods.presenter.ts';
import { PeriodParams } from '../periods/periods.schemas.ts';

export const OPENNESS = ['members', 'invited_organisations', 'anyone'] as const;
export const MODERATION = ['immediate', 'after_review'] as const;
export const STAKEHOLDER_GROUPS = [
  'government',
  'private_sector',
  'civil_society',
  'technical_community',
  'academia',
  'intergovernmental_organisation',
] as const;
export const REGIONS = ['africa', 'asia_pacific', 'eastern_europe', 'latin_america_caribbean', 'western_europe_and_others'] as const;
export const QUESTION_KINDS = ['free_text', 'single_choice', 'multiple_choice'] as const;
export const COMMENT_TYPES = ['general', 'technical', 'editorial'] as const;
export const OUTSIDE_STATES = ['pending', 'published', 'rejected'] as const;
export const REJECTION_REASONS = ['spam', 'off_topic', 'other'] as const;
export const ORIGINS = ['member', 'liaison', 'public'] as const;

export const ConsultationParams = z.object({ periodId: Uuid.describe("The comment period's id") });
const OutsideCommentId = Uuid.describe("The outside comment's id (as the respondent and the moderators know it)");
export const OutsideCommentParams = ConsultationParams.extend({ outsideCommentId: OutsideCommentId });
export const ModerationParams = PeriodParams.extend({ outsideCommentId: OutsideCommentId });
export const ParticipantParams = PeriodParams.extend({ participantId: Uuid.describe("The outside participant's id") });

const QuestionInput = z.strictObject({
  prompt: z.string().trim().min(1, 'must not be empty').max(1000),
  kind: enumIn(QUESTION_KINDS),
  choices: z.array(z.string().trim().min(1, 'must not be empty').max(300)).max(20).default([]),
  required: z.boolean().default(false),
});

export const OpennessBody = z.strictObject({
  openness: enumIn(OPENNESS),
  outsideModeration: enumIn(MODERATION).prefault('after_review'),
  publishMemberComments: z.boolean().default(false),
  consultationIntro: z.string().max(20_000).default(''),
  questions: z.array(QuestionInput).max(50).optional().describe('Replaces the questions (refused once anyone answered)'),
});

export const QuestionSchema = z.object({
  id: z.string(),
  prompt: z.string(),
  kind: z.enum(QUESTION_KINDS),
  choices: z.array(z.string()),
  required: z.boolean(),
});

export const OpennessSchema = z.object({
  periodId: z.string(),
  openness: z.enum(OPENNESS),
  outsideModeration: z.enum(MODERATION),
  publishMemberComments: z.boolean(),
  consultationIntro: z.string(),
  questions: z.array(QuestionSchema),
  questionsAnswered: z.boolean().describe('Someone has answered: the questions can no longer be changed'),
  publicUrl: z.string().nullable().describe('The public consultation page (null unless open to anyone)'),
});

export const ConsultationLinkBody = z.strictObject({ email: Email });
export const LiaisonLinkBody = z.strictObject({ token: z.string().min(1).max(200) });

export const ParticipantBody = z.strictObject({
  name: NameText(200, { required: true }),
  organisation: NameText(300).default(''),
  stakeholderGroup: enumIn(STAKEHOLDER_GROUPS),
  countryCode: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be a two-letter country or economy code (ISO 3166-1), e.g. CH')
    .nullable()
    .default(null),
  region: enumIn(REGIONS).nullable().default(null),
  publishName: z.boolean(),
});

export const ParticipantSchema = z.object({
  id: z.string(),
  name: z.string(),
  organisation: z.string(),
  stakeholderGroup: z.enum(STAKEHOLDER_GROUPS),
  countryCode: z.string().nullable(),
  region: z.enum(REGIONS).nullable(),
  publishName: z.boolean(),
  liaison: z.boolean().describe('Answers for a liaison body (the organisation is the body)'),
  anonymised: z.boolean(),
});

export const OutsideCommentBody = z.strictObject({
  clauseId: Uuid.nullable().describe('null: on the whole draft'),
  type: enumIn(COMMENT_TYPES),
  body: z.string().trim().min(1, 'must not be empty'),
  proposedChange: z.string().default(''),
  quotedText: z.string().max(5000).nullable().default(null),
});

export const AnswersBody = z.strictObject({
  answers: z
    .array(
      z.strictObject({
        questionId: Uuid,
        text: z.string().max(20_000).optional(),
        choices: z
          .array(int32({ min: 0, max: 100 }))
          .max(20)
          .optional(),
      }),
    )
    .min(1)
    .max(50),
});

export const AttributionSchema = z.object({
  origin: z.enum(ORIGINS),
  name: z.string(),
  organisation: z.string(),
  named: z.boolean().describe('false: the author did not agree to publication; name describes them'),
  stakeholderGroup: z.enum(STAKEHOLDER_GROUPS).nullable(),
  region: z.enum(REGIONS).nullable(),
});

export const PublishedCommentSchema = z.object({
  id: z.string(),
  clauseId: z.string().nullable(),
  type: z.enum(COMMENT_TYPES).nullable(),
  bodyHtml: z.string(),
  proposedChange: z.string(),
  quotedText: z.string().nullable(),
  createdAt: z.string(),
  by: AttributionSchema,
});

export const MyCommentSchema = z.object({
  id: z.string(),
  clauseId: z.string().nullable(),
  type: z.enum(COMMENT_TYPES),
  body: z.string(),
  proposedChange: z.string(),
  quotedText: z.string().nullable(),
  state: z.enum(OUTSIDE_STATES),
  withdrawn: z.boolean(),
  createdAt: z.string(),
  commentId: z.string().nullable().describe('The comment in the group once published'),
  disposition: z
    .object({
      code: z.string().nullable(),
      status: z.string(),
      rationale: z.string(),
      version: z.number(),
      respondBy: z.string().nullable(),
      response: z.string().nullable(),
    })
    .nullable()
    .describe("The conveners' proposed or final disposition, once they shared it"),
});

export const ConsultationSchema = z.object({
  periodId: z.string(),
  group: z.object({ name: z.string(), acronym: z.string() }),
  document: z.object({ id: z.string(), title: z.string() }),
  revision: z.object({ sequence: z.number(), label: z.string() }),
  openness: z.enum(OPENNESS),
  moderation: z.enum(MODERATION),
  opensAt: InstantSchema,
  closesAt: InstantSchema,
  open: z.boolean(),
  intro: z.string(),
  clauses: z.array(z.object({ id: z.string(), number: z.string(), heading: z.string(), html: z.string() })),
  questions: z.array(QuestionSchema),
  comments: z.array(PublishedCommentSchema),
  liaisons: z.array(z.object({ id: z.string(), title: z.string(), purpose: z.string(), text: z.string(), deadline: z.string() })),
  me: z.object({
    kind: z.enum(['anonymous', 'outsider', 'participant', 'liaison_contact', 'member', 'operator']),
    email: z.string().nullable().describe('Your own address (only ever yours)'),
    participant: ParticipantSchema.nullable(),
    comments: z.array(MyCommentSchema),
    answers: z.array(z.object({ questionId: z.string(), text: z.string(), choices: z.array(z.number()) })),
  }),
});

export const RespondBody = z.strictObject({
  expectedVersion: int32({ min: 0 }),
  response: z.enum(['agree', 'object']),
  text: z.string().max(20_000).default(''),
});

export const QueueQuery = z.strictObject({
  state: enumIn(OUTSIDE_STATES).prefault('pending').describe('Which comments: pending (the queue), published or rejected'),
  after: Uuid.optional().describe('The last id of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size'),
});

export const QueueSchema = z.object({
  total: z.number(),
  items: z.array(
    z.object({
      id: z.string(),
      clauseId: z.string().nullable(),
      type: z.enum(COMMENT_TYPES),
      body: z.string(),
      proposedChange: z.string(),
      quotedText: z.string().nullable(),
      state: z.enum(OUTSIDE_STATES),
      rejectionReason: z.enum(REJECTION_REASONS).nullable(),
      moderationNote: z.string(),
      createdAt: z.string(),
      participant: z.object({
        id: z.string(),
        name: z.string(),
        organisation: z.string(),
        email: z.string().nullable().describe('Moderators are conveners: they see the address'),
        stakeholderGroup: z.enum(STAKEHOLDER_GROUPS),
        region: z.enum(REGIONS).nullable(),
        countryCode: z.string().nullable(),
        publishName: z.boolean(),
        liaison: z.boolean(),
      }),
    }),
  ),
  nextAfter: z.string().nullable(),
});

export const ModerateBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  reason: enumIn(REJECTION_REASONS).optional(),
  note: z.string().max(2000).default(''),
});

export const ModeratedSchema = z.object({ id: z.string(), state: z.enum(OUTSIDE_STATES), commentId: z.string().nullable() });

export const AnalysisQuery = z.strictObject({
  origin: z.enum(ORIGINS).optional().describe('Only comments from members, liaison bodies or the public'),
  stakeholderGroup: enumIn(STAKEHOLDER_GROUPS).optional().describe('Only respondents of this stakeholder group'),
  region: enumIn(REGIONS).optional().describe('Only respondents of this region'),
  questionId: Uuid.optional().describe('Only this question'),
});

const Counts = z.record(z.string(), z.number());
export const AnalysisSchema = z.object({
  byOrigin: z.object({ member: z.number(), liaison: z.number(), public: z.number() }),
  byState: Counts.describe('Outside comments by moderation state'),
  byStakeholderGroup: Counts,
  byRegion: Counts,
  questions: z.array(
    z.object({
      id: z.string(),
      prompt: z.string(),
      kind: z.enum(QUESTION_KINDS),
      answers: z.number(),
      choices: z.array(z.object({ label: z.string(), count: z.number() })),
    }),
  ),
});

nameSchemas({
  ConsultationQuestion: QuestionSchema,
  OutsideAttribution: AttributionSchema,
  PublishedOutsideComment: PublishedCommentSchema,
  MyOutsideComment: MyCommentSchema,
  ConsultationLink: ConsultationLinkBody,
  DispositionResponse: RespondBody,
  Openness: OpennessSchema,
  OpennessSettings: OpennessBody,
  Consultation: ConsultationSchema,
  OutsideParticipant: ParticipantSchema,
  OutsideParticipantProfile: ParticipantBody,
  OutsideCommentSubmission: OutsideCommentBody,
  ConsultationAnswers: AnswersBody,
  ModerationQueue: QueueSchema,
  Moderation: ModerateBody,
  ConsultationAnalysis: AnalysisSchema,
});
