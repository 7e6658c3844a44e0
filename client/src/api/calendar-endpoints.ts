// Typed calls for the group home's calendar subscription. Types come from the server's own
// schemas (import type only); test/api/calendar.test.ts checks each route exists on the server.
import type { z } from 'zod';
import type { CalendarFeedLinkSchema, CalendarFeedStatusSchema } from '../../../server/modules/calendar/calendar.schemas.ts';
import { request } from './http.ts';
import type { Route } from './routes.ts';

export type CalendarFeedStatus = z.output<typeof CalendarFeedStatusSchema>;
export type CalendarFeedLink = z.output<typeof CalendarFeedLinkSchema>;

export const CALENDAR_ROUTES = {
  calendarFeed: ['GET', '/api/groups/:slug/calendar-feed'],
  issueCalendarFeed: ['POST', '/api/groups/:slug/calendar-feed'],
  revokeCalendarFeed: ['DELETE', '/api/groups/:slug/calendar-feed'],
} as const satisfies Record<string, Route>;

export const calendarApi = {
  status: (slug: string) => request<CalendarFeedStatus>(CALENDAR_ROUTES.calendarFeed, { params: { slug } }),
  /** Creates the link, or resets it (the previous one stops working). The answer is the only time the link is shown. */
  issue: (slug: string) => request<CalendarFeedLink>(CALENDAR_ROUTES.issueCalendarFeed, { params: { slug } }),
  revoke: (slug: string) => request<void>(CALENDAR_ROUTES.revokeCalendarFeed, { params: { slug } }),
};
