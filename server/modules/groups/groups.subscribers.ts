// After commit: the invitation e-mail.
import type { FastifyInstance } from 'fastify';
import { roleLabel } from './members.ts';

export function subscribeGroupEvents(app: FastifyInstance) {
  app.ctx.events.on('members.invited', async (e) => {
    const group = await app.prisma.group.findUniqueOrThrow({ where: { id: e.groupId } });
    if (app.config.env === 'development') app.log.info(`Invitation link for ${e.email}: ${e.url}`);
    await app.mailer.send({
      to: e.email,
      template: 'invitation',
      props: {
        name: e.name, url: e.url, signInUrl: `${app.config.publicUrl}/sign-in`, inviterName: e.inviterName,
        groupName: group.name, groupAcronym: group.acronym, roleLabel: roleLabel(e.role),
      },
    });
  });
}
