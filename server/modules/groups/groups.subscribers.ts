// After commit: in development, the invitation link on the console (the mail itself is a job
// queued with the invitation, see inviteMembers).
import type { FastifyInstance } from 'fastify';

export function subscribeGroupEvents(app: FastifyInstance) {
  if (app.config.env !== 'development') return;
  app.ctx.events.on('members.invited', (e) => {
    app.log.info(`Invitation link for ${e.email}: ${e.url}`);
  });
}
