// Prisma 7 over the `pg` driver adapter: no native query engine to download.
import fp from 'fastify-plugin';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';

declare module 'fastify' {
  interface FastifyInstance { prisma: PrismaClient }
}

export function createPrismaClient(connectionString: string, max = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max }) });
}

export default fp<{ databaseUrl: string }>(async (app, { databaseUrl }) => {
  const prisma = createPrismaClient(databaseUrl);
  await prisma.$connect();
  app.decorate('prisma', prisma);
  app.addHook('onClose', async () => { await prisma.$disconnect(); });
}, { name: 'prisma' });
