// JSON shape of the group's phase (timeframe/phase.ts): sent alone, with the group, and in the
// socket event of a milestone reached.
import { z } from 'zod';
import { nameSchemas } from '../../lib/schemas.ts';
import { InstantSchema, RevisionRef } from '../periods/periods.presenter.ts';

export const PhaseSchema = z.object({
  at: InstantSchema,
  kind: z.enum(['preparation', 'comments_open', 'adjudication', 'published']),
  text: z.string().describe('"Comments open on rev 2 until 25 April 2016 23:59 UTC (26 April 2016 01:59 CEST)"'),
  documentId: z.string().nullable(), revision: RevisionRef.nullable(), periodId: z.string().nullable(), deadline: InstantSchema.nullable(),
  next: z.object({ periodId: z.string(), revision: RevisionRef, opensAt: InstantSchema, closesAt: InstantSchema }).nullable(),
});

// Named in the OpenAPI document's components, referred to wherever a route uses them.
nameSchemas({ Phase: PhaseSchema });
