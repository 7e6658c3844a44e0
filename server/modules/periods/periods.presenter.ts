// JSON shapes of comment periods. Every instant is given in UTC and in
// the group's zone (presentInstant), so "25 April 2016 23:59 UTC" and "26 April 2016 01:59
// CEST" are never left for the client to work out.
import { z } from 'zod';
import { nameSchemas } from '../../lib/schemas.ts';
import type { CommentPeriod, PeriodExtension, User } from '../../generated/prisma/client.ts';
import { presentInstant } from '../../lib/instant.ts';
import { lower } from '../../lib/enum-case.ts';
import { PersonSchema, presentPerson } from '../users/users.presenter.ts';

type PeriodRow = CommentPeriod & { revision: { id: string; sequence: number; label: string }; extensions: Array<PeriodExtension & { actor: User | null }> };

export function presentPeriod(p: PeriodRow, timeZone: string, now?: Date) {
  return {
    id: p.id,
    documentId: p.documentId,
    revision: p.revision,
    opensAt: presentInstant(p.opensAt, timeZone),
    closesAt: presentInstant(p.closesAt, timeZone),
    openingMilestoneId: p.openingMilestoneId,
    closingMilestoneId: p.closingMilestoneId,
    ...(now ? { open: p.opensAt.getTime() <= now.getTime() && now.getTime() < p.closesAt.getTime() } : {}),
    openness: lower(p.openness),
    extensions: p.extensions.map((e) => ({
      id: e.id,
      previousClosesAt: e.previousClosesAt.toISOString(),
      newClosesAt: e.newClosesAt.toISOString(),
      reason: e.reason,
      by: e.actor ? presentPerson(e.actor) : null,
      at: e.at.toISOString(),
    })),
  };
}

export const InstantSchema = z.object({
  iso: z.string(),
  utc: z.string().describe('"25 April 2016 23:59 UTC"'),
  local: z.string().describe("In the group's zone, with its abbreviation"),
  timeZone: z.string(),
  offset: z.string().describe('"+02:00"'),
});
export const RevisionRef = z.object({ id: z.string(), sequence: z.number(), label: z.string() });
export const PeriodSchema = z.object({
  id: z.string(),
  documentId: z.string(),
  revision: RevisionRef,
  opensAt: InstantSchema,
  closesAt: InstantSchema,
  openingMilestoneId: z.string().nullable(),
  closingMilestoneId: z.string().nullable(),
  open: z.boolean().optional().describe('At the database clock, when listed'),
  openness: z
    .enum(['members', 'invited_organisations', 'anyone'])
    .describe('Who may comment besides the members: nobody, invited organisations (liaisons) or anyone'),
  extensions: z.array(
    z.object({ id: z.string(), previousClosesAt: z.string(), newClosesAt: z.string(), reason: z.string(), by: PersonSchema.nullable(), at: z.string() }),
  ),
});
// Named in the OpenAPI document's components, referred to wherever a route uses them.
nameSchemas({ PresentedInstant: InstantSchema, Period: PeriodSchema });
