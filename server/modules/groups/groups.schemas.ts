import { z } from 'zod';
import { enumIn } from '../../lib/enum-case.ts';
import { Email, NameText, Slug, nameSchemas } from '../../lib/schemas.ts';
import { MilestoneSchema, PhaseSchema } from '../timeframe/timeframe.schemas.ts';
import { LOCALES } from '../../../locales/locales.ts';

export const RoleName = z.enum(['convener', 'editor', 'participant', 'observer'], { error: 'must be convener, editor, participant or observer' });

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
export const TimeZone = z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Europe/Zurich or UTC');

/** The group's working languages, main first: the digests to its list are written in each. */
export const GroupLanguages = z
  .array(z.enum(LOCALES, { error: `each must be one of ${LOCALES.join(', ')}` }))
  .min(1, 'name at least one language')
  .max(LOCALES.length)
  .refine((languages) => new Set(languages).size === languages.length, 'name each language once')
  .describe('UN language codes, the main language first');

// The editable fields without defaults: zod applies a `.default()` even inside `.partial()`, so a
// default here would make every PATCH reset the fields its body does not name.
export const GroupFields = z.strictObject({
  name: NameText(200, { required: true }),
  acronym: NameText(40, { required: true }),
  termsOfReference: z.string().max(50_000),
  parentBodies: z.array(z.string().trim().min(1).max(40)).max(10),
  mailingList: Email.nullable(),
  timeZone: TimeZone,
  visibility: enumIn(['private', 'public_outputs'], { error: 'must be private or public_outputs' }),
  languages: GroupLanguages,
});

/** A new group starts from these where the request names nothing. */
export const CreateGroupBody = GroupFields.extend({
  termsOfReference: GroupFields.shape.termsOfReference.default(''),
  parentBodies: GroupFields.shape.parentBodies.default([]),
  mailingList: GroupFields.shape.mailingList.default(null),
  timeZone: GroupFields.shape.timeZone.default('UTC'),
  visibility: GroupFields.shape.visibility.prefault('private'),
  languages: GroupFields.shape.languages.default(['en']),
  slug: Slug,
  conveners: z
    .array(z.strictObject({ email: Email, name: NameText(120, { required: true }).optional(), affiliation: NameText(160).optional() }))
    .max(10)
    .default([]),
});
export const UpdateGroupBody = GroupFields.partial().strict();

export const GroupSummarySchema = z.object({
  slug: z.string(),
  name: z.string(),
  acronym: z.string(),
  parentBodies: z.array(z.string()),
  visibility: z.string(),
  myRole: z.string().nullable(),
});
export const GroupSchema = GroupSummarySchema.extend({
  id: z.string(),
  termsOfReference: z.string(),
  mailingList: z.string().nullable(),
  timeZone: z.string(),
  languages: z.array(z.string()).describe('Working languages, main first'),
  memberCount: z.number(),
  milestones: z.array(MilestoneSchema),
  phase: PhaseSchema.describe('Where the group stands now, by the database clock'),
  abilities: z.record(z.string(), z.boolean()),
  createdAt: z.string(),
});
export const MemberSchema = z.object({
  userId: z.string(),
  name: z.string(),
  affiliation: z.string(),
  role: z.string(),
  since: z.string(),
  email: z.string().optional().describe('Only for conveners of the group and the operator'),
});

export const InviteBody = z
  .strictObject({
    invitees: z
      .array(
        z.strictObject({
          email: z.string().max(320),
          name: NameText(120).optional(),
          affiliation: NameText(160).optional(),
          role: RoleName.optional(),
        }),
      )
      .max(500)
      .optional()
      .describe('People to invite, one object each'),
    list: z
      .string()
      .max(200_000)
      .optional()
      .describe('A pasted list or CSV: one person per line, "email", "Name <email>" or "name, affiliation, email[, role]"'),
    role: RoleName.default('participant').describe('Role for entries that name none'),
  })
  .refine((b) => b.invitees?.length || b.list?.trim(), { message: 'give invitees or a list', path: ['invitees'] });

export const InviteResult = z.object({
  invited: z.array(z.object({ email: z.string(), role: z.string(), newAccount: z.boolean() })),
  alreadyMembers: z.array(z.object({ email: z.string(), role: z.string() })),
  errors: z.array(z.object({ input: z.string(), status: z.number(), code: z.string(), message: z.string() })),
  summary: z.string(),
});

/** A group as "My groups" lists it: where it stands and the next date, so the list says what is next. */
export const MyGroupSchema = GroupSummarySchema.extend({
  phase: PhaseSchema.describe('Where the group stands now, by the database clock'),
  nextMilestone: MilestoneSchema.nullable().describe('The first milestone still ahead, or null'),
});
export const GroupList = z.object({ groups: z.array(MyGroupSchema) });
export const MemberList = z.object({ members: z.array(MemberSchema) });
export const RoleBody = z.strictObject({ role: RoleName });

// Named in the OpenAPI document's components, referred to wherever a route uses them.
nameSchemas({ GroupSummary: GroupSummarySchema, MyGroup: MyGroupSchema, Group: GroupSchema, Member: MemberSchema, InviteResult });
