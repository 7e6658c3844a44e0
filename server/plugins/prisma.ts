// Prisma 7 over the `pg` driver adapter: no native query engine to download.
import fp from 'fastify-plugin';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';

declare module 'fastify' {
  interface FastifyInstance { prisma: PrismaClient }
}

/**
 * How many distinct SQL texts get a server-side prepared statement on each connection. Parsing and
 * planning is a large part of a statement's cost (the comment insert's CTE took as long to plan as
 * to run: bench/comments.bench.ts), and Prisma's SQL is parameterised, so the same few hundred
 * texts repeat. The cap bounds PostgreSQL's per-connection memory should some path generate
 * ever-new texts (variable-length IN lists): past it, statements run unnamed, as before.
 */
const PREPARED_STATEMENT_CAP = 1000;

/** The same text always gets the same name (pg refuses one name for two texts on a connection). */
export function statementNamer(cap = PREPARED_STATEMENT_CAP): (query: { sql: string }) => string | undefined {
  const names = new Map<string, string>();
  return ({ sql }) => {
    const known = names.get(sql);
    if (known !== undefined || names.size >= cap) return known;
    const name = `convene_${names.size}`;
    names.set(sql, name);
    return name;
  };
}

export function createPrismaClient(connectionString: string, max = 10, onPoolError: (err: Error) => void = () => {}): PrismaClient {
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it on the next query.
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, max }, { onPoolError, statementNameGenerator: statementNamer() as (query: { sql: string }) => string }),
  });
}

export default fp<{ databaseUrl: string }>(async (app, { databaseUrl }) => {
  const prisma = createPrismaClient(databaseUrl, 10, (err) => app.log.warn({ err }, 'idle database connection lost'));
  await prisma.$connect();
  app.decorate('prisma', prisma);
  app.addHook('onClose', async () => { await prisma.$disconnect(); });
}, { name: 'prisma' });
