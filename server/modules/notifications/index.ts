// Routes: my notification settings (per kind: immediately, daily summary, off).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors } from '../../lib/schemas.ts';
import { requireUser } from '../../plugins/authenticate.ts';
import { defineNotificationJobs, NOTIFICATION_KINDS, NOTIFICATION_MODES, notificationSettings, updateNotificationSettings } from './notify.ts';

const Mode = z.enum(NOTIFICATION_MODES);
const Settings = z.object(Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, Mode])) as Record<(typeof NOTIFICATION_KINDS)[number], typeof Mode>);

const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  defineNotificationJobs({ ctx: app.ctx, mailer: app.mailer, jobs: app.jobs });

  app.get('/api/me/notification-settings', {
    schema: { tags: ['notifications'], summary: 'My notification settings', response: { 200: Settings, ...errors } },
  }, async (request) => notificationSettings(app.ctx, requireUser(request).id));

  app.patch('/api/me/notification-settings', {
    schema: { tags: ['notifications'], summary: 'Change how I am notified, per kind', body: Settings.partial().strict(), response: { 200: Settings, ...errors } },
  }, async (request) => updateNotificationSettings(app.ctx, requireUser(request).id, request.body));
};

export default notificationRoutes;
