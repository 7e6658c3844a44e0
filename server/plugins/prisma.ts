// Prisma 7 over the `pg` driver adapter: no native query engine to download.
import fp from 'fastify-plugin';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';

declare module 'fastify' {
  interface FastifyInstance { prisma: PrismaClient }
}

export function createPrismaClient(connectionString: string, max = 10, onPoolError: (err: Error) => void = () => {}): PrismaClient {
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it on the next query.
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max }, { onPoolError }) });
}

export default fp<{ databaseUrl: string }>(async (app, { databaseUrl }) => {
  const prisma = createPrismaClient(databaseUrl, 10, (err) => app.log.warn({ err }, 'idle database connection lost'));
  await prisma.$connect();
  app.decorate('prisma', prisma);
  app.addHook('onClose', async () => { await prisma.$disconnect(); });
}, { name: 'prisma' });
