// Prisma 7 over the `pg` driver adapter: no native query engine to download. The pool is ours,
// shared with `runStatement` for the one hot path that bypasses Prisma's runtime (the comment POST).
import fp from 'fastify-plugin';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from '../generated/prisma/client.ts';
import { guardCheckedOutClients } from '../lib/connection-loss.ts';
import type { RunPipelined, RunStatement } from '../lib/use-case.ts';
import { pipelined } from '../lib/pipelined.ts';

declare module 'fastify' {
  interface FastifyInstance {
    prisma: PrismaClient;
    runStatement: RunStatement;
    runPipelined: RunPipelined;
    pgPool: pg.Pool;
  }
}

// Declared in lib/ (use cases receive it through Ctx); re-exported for the modules.
export type { RunStatement, RunPipelined };

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

export function createDatabase(
  connectionString: string,
  max = 10,
  onPoolError: (err: Error) => void = () => {},
  options: { statementTimeoutMs?: number } = {},
) {
  // statement_timeout: under load no one request holds a connection (and the requests queued
  // behind it) longer than this; PostgreSQL cancels it (57014, answered 503 server_busy).
  const pool = new pg.Pool({ connectionString, max, ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}) });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it on the next query.
  pool.on('error', onPoolError);
  guardCheckedOutClients(pool);
  // One namer for both, so a text has one name on a connection whoever sends it.
  const name = statementNamer();
  // The adapter's type wants a name for every text; past the cap the namer returns undefined,
  // which pg runs as an unnamed (unprepared) statement.
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { statementNameGenerator: name as (query: { sql: string }) => string }) });
  const runStatement: RunStatement = async <T>(sql: Prisma.Sql, options?: { arrays?: boolean }) => {
    const query = { name: name({ sql: sql.text }), text: sql.text, values: sql.values as unknown[] };
    const result = await (options?.arrays ? pool.query({ ...query, rowMode: 'array' }) : pool.query(query));
    return result.rows as T[];
  };
  const runPipelined: RunPipelined = (fn) => pipelined(pool, fn, name);
  return { prisma, pool, runStatement, runPipelined };
}

export default fp<{ databaseUrl: string; statementTimeoutMs?: number }>(
  async (app, { databaseUrl, statementTimeoutMs }) => {
    const { prisma, pool, runStatement, runPipelined } = createDatabase(databaseUrl, 10, (err) => app.log.warn({ err }, 'idle database connection lost'), {
      statementTimeoutMs,
    });
    await prisma.$connect();
    app.decorate('prisma', prisma);
    app.decorate('runStatement', runStatement);
    app.decorate('runPipelined', runPipelined);
    // Load shedding reads how many requests wait for a connection (plugins/load-shedding.ts).
    app.decorate('pgPool', pool);
    app.addHook('onClose', async () => {
      await prisma.$disconnect();
      await pool.end();
    });
  },
  { name: 'prisma' },
);
