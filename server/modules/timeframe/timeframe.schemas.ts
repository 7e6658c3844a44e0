// JSON shapes of the timeframe: milestones (and what a convener may write to them) and the group's
// phase (timeframe/phase.ts), sent alone, with the group, and in the socket event of a milestone reached.
import { z } from 'zod';
import { enumIn } from '../../lib/enum-case.ts';
import { Instant, nameSchemas } from '../../lib/schemas.ts';
import { InstantSchema, RevisionRef } from '../periods/periods.presenter.ts';

export const MilestoneKindName = enumIn(
  ['draft_posted', 'comments_close', 'conveners_draft_posted', 'final_comments_close', 'final_report_published', 'meeting', 'other'],
  {
    error: 'must be one of draft_posted, comments_close, conveners_draft_posted, final_comments_close, final_report_published, meeting, other',
  },
);

export const MilestoneSchema = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.string(),
  label: z.string(),
  effect: z.string().nullable().describe('open_comments, close_comments, publish_revision, or null'),
  revisionId: z.string().nullable().describe('The revision the effect applies to'),
});
export const MilestoneBody = z.strictObject({ at: Instant, kind: MilestoneKindName, label: z.string().trim().min(1, 'must not be empty').max(200) });
export const Timeframe = z.object({ timeZone: z.string(), milestones: z.array(MilestoneSchema) });

export const PhaseSchema = z.object({
  at: InstantSchema,
  kind: z.enum(['preparation', 'comments_open', 'adjudication', 'published']),
  text: z.string().describe('"Comments open on rev 2 until 25 April 2016 23:59 UTC (26 April 2016 01:59 CEST)"'),
  documentId: z.string().nullable(),
  revision: RevisionRef.nullable(),
  periodId: z.string().nullable(),
  deadline: InstantSchema.nullable(),
  next: z.object({ periodId: z.string(), revision: RevisionRef, opensAt: InstantSchema, closesAt: InstantSchema }).nullable(),
});

// Named in the OpenAPI document's components, referred to wherever a route uses them.
nameSchemas({ Milestone: MilestoneSchema, Phase: PhaseSchema });
