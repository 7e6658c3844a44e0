// After commit: the sign-in e-mail (and, in development, the link on the console).
import type { FastifyInstance } from 'fastify';

export function subscribeAuthEvents(app: FastifyInstance) {
  app.ctx.events.on('auth.sign_in_requested', async ({ email, name, url }) => {
    if (app.config.env === 'development') app.log.info(`Sign-in link for ${email}: ${url}`);
    await app.mailer.send({ to: email, template: 'sign-in', props: { name, url } });
  });
}
