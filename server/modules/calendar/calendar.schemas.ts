import { z } from 'zod';
import { Slug, nameSchemas } from '../../lib/schemas.ts';

export const GroupParams = z.object({ slug: Slug });

// The token is checked in the handler, not here: a malformed token must get the very same 404
// as an unknown or revoked one, never a 400 that tells them apart.
export const FeedParams = z.object({ token: z.string().max(200) });

export const CalendarFeedStatusSchema = z
  .object({
    subscribed: z.boolean().describe('Whether you have a subscription link for this group'),
    issuedAt: z.string().nullable().describe('When the current link was issued (created or last reset)'),
  })
  .describe('CalendarFeedStatus');

export const CalendarFeedLinkSchema = CalendarFeedStatusSchema.extend({
  subscribed: z.literal(true),
  issuedAt: z.string(),
  httpsUrl: z.string().describe('The feed to paste into a calendar app; shown this once, the server keeps only its hash'),
  webcalUrl: z.string().describe('The same feed as webcal://, which opens the calendar app directly'),
}).describe('CalendarFeedLink');

// Named in the OpenAPI document's components, referred to wherever a route uses them.
nameSchemas({ CalendarFeedStatus: CalendarFeedStatusSchema, CalendarFeedLink: CalendarFeedLinkSchema });
