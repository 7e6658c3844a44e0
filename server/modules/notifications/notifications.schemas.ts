// The kinds of personal notification and how each may be delivered; the settings' JSON shape
// (its own file so the browser client can take the types without the server's code).
import { z } from 'zod';
import { nameSchemas } from '../../lib/schemas.ts';

export const NOTIFICATION_KINDS = ['comment_decided', 'thread_reply', 'disposition_awaiting_response', 'period_closing'] as const;
export const NOTIFICATION_MODES = ['immediately', 'daily', 'off'] as const;

export const NotificationMode = z.enum(NOTIFICATION_MODES);
export const NotificationSettings = z.object(
  Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, NotificationMode])) as Record<(typeof NOTIFICATION_KINDS)[number], typeof NotificationMode>,
);

// Named in the OpenAPI document's components, referred to wherever a route uses them.
nameSchemas({ NotificationSettings });
