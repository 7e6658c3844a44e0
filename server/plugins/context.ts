// app.ctx: what use-case functions receive (database, events, config, logger), built once.
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { EventBus } from '../lib/domain-events.ts';
import type { Ctx } from '../lib/use-case.ts';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: Ctx;
    config: Config;
  }
}

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const events = new EventBus(app.log);
    app.decorate('config', config);
    app.decorate('ctx', { prisma: app.prisma, runStatement: app.runStatement, runPipelined: app.runPipelined, events, config, log: app.log });
    // Let after-commit subscribers (mail, realtime) finish before the database goes away.
    app.addHook('preClose', async () => {
      await events.drain();
    });
  },
  { name: 'context', dependencies: ['prisma'] },
);
