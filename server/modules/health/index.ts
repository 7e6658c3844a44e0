import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const Health = z.object({
  status: z.enum(['ok', 'degraded', 'unavailable']).describe('degraded: serving, but shedding load (other requests may get 503 server_busy)'),
  database: z.enum(['ok', 'slow', 'unreachable']).describe('slow: reachable, but SELECT 1 waited over a second (for a connection, under load)'),
  load: z.enum(['ok', 'shedding']),
});

const HEALTH_QUERY_PATIENCE_MS = 1_000;

const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/health',
    {
      // Never shed: an overloaded instance must still say how it is (plugins/load-shedding.ts).
      config: { rateLimit: false, session: 'none', shedLoad: false },
      schema: { tags: ['operations'], summary: 'Liveness and database check', response: { 200: Health, 503: Health } },
    },
    async (request, reply) => {
      const load = request.loadPressure ? ('shedding' as const) : ('ok' as const);
      try {
        // Under load the check's query waits behind the requests in the pool's queue: health still
        // answers within a second, and says so, rather than hang with them.
        let timer: NodeJS.Timeout | undefined;
        const answered = await Promise.race([
          app.prisma.$queryRaw`SELECT 1`.then(() => true),
          new Promise<false>((resolve) => {
            timer = setTimeout(() => resolve(false), HEALTH_QUERY_PATIENCE_MS);
          }),
        ]).finally(() => clearTimeout(timer));
        if (!answered) return { status: 'degraded' as const, database: 'slow' as const, load };
        return { status: load === 'ok' ? ('ok' as const) : ('degraded' as const), database: 'ok' as const, load };
      } catch (err) {
        app.log.error({ err }, 'health check: database unreachable');
        return reply.status(503).send({ status: 'unavailable', database: 'unreachable', load });
      }
    },
  );
};

// The module: only routes (encapsulated, in their own plugin).
export default fp(
  async (app) => {
    await app.register(healthRoutes);
  },
  { name: 'modules/health', dependencies: ['prisma'] },
);
