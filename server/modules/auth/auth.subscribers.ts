// After commit: in development, the sign-in link on the console (the mail itself is a job queued
// with the link, see requestSignIn).
import type { FastifyInstance } from 'fastify';

export function subscribeAuthEvents(app: FastifyInstance) {
  if (app.config.env !== 'development') return;
  app.ctx.events.on('auth.sign_in_requested', ({ email, url }) => {
    app.log.info(`Sign-in link for ${email}: ${url}`);
  });
}
