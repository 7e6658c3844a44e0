// Shapes of the auth routes, shared with the browser client (which imports their types only).
import { z } from 'zod';
import { Email, nameSchemas } from '../../lib/schemas.ts';

export const SelfSchema = z.object({
  id: z.string(),
  name: z.string(),
  affiliation: z.string(),
  email: z.string(),
  locale: z.string(),
  isOperator: z.boolean(),
});
export const SessionView = z.object({ user: SelfSchema, csrfToken: z.string() });
/**
 * GET /api/auth/session without a live session (no cookie, an unknown or ended one): an answer,
 * not a 401, so a page that asks who is there logs no error for a visitor who is not signed in.
 */
export const SessionState = z.union([SessionView, z.object({ user: z.null(), csrfToken: z.null() })]);
export const SessionItem = z.object({
  id: z.string(),
  current: z.boolean(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  ip: z.string(),
  userAgent: z.string(),
});
export const SessionList = z.object({ sessions: z.array(SessionItem) });
export const SignInBody = z.strictObject({ email: Email, next: z.string().max(500).optional() });

// Named in the OpenAPI document's components, referred to wherever a route uses them.
nameSchemas({ Self: SelfSchema, Session: SessionView, SessionSummary: SessionItem, SessionList });
