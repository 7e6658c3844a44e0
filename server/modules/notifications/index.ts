// Routes: my notification settings (per kind: immediately, daily summary, off).
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors } from '../../lib/schemas.ts';
import { requireUser } from '../../plugins/authenticate.ts';
import { defineNotificationJobs, notificationSettings, updateNotificationSettings } from './notify.ts';
import { NotificationSettings as Settings } from './notifications.schemas.ts';

const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/me/notification-settings',
    {
      schema: { tags: ['notifications'], summary: 'My notification settings', response: { 200: Settings, ...errors } },
    },
    async (request) => notificationSettings(app.ctx, requireUser(request).id),
  );

  app.patch(
    '/api/me/notification-settings',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Change how I am notified, per kind',
        body: Settings.partial().strict(),
        response: { 200: Settings, ...errors },
      },
    },
    async (request) => updateNotificationSettings(app.ctx, requireUser(request).id, request.body),
  );
};

// The module: its socket events, subscribers and jobs, then its routes (encapsulated, in their own plugin).
export default fp(
  async (app) => {
    defineNotificationJobs({ ctx: app.ctx, mailer: app.mailer, jobs: app.jobs });
    await app.register(notificationRoutes);
  },
  { name: 'modules/notifications', dependencies: ['jobs', 'mailer'] },
);
