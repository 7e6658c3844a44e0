// The deadline rush: a comment period's last minute replayed. 300 participants post, edit and
// reply, faster and faster, until 3 s past the deadline, while 1,000 sockets follow the document
// and 200 readers load its page data (the revision and the comment list), all from a worker thread
// on the other core. Printed per request kind: p50/p99 and answers; the fan-out (from a write's
// request until the last follower has its event); comments accepted before the instant and
// refused after it, checked against the database clock (no stored comment at or after it); 5xx
// (goal 0); lost events (goal 0: every follower gets every accepted write's event, sequence
// numbers without gaps). Then the same load on the bare baselines (bench/lib/bare-routes.ts with a
// plain socket.io broadcast after each write), in the same run.
//   npm run bench -- deadline-rush          the full rush (60 s, 300 / 1,000 / 200)
//   npm run bench -- deadline-rush quick    a fifth of it (15 s, 60 / 200 / 40)
// Convene runs with its production defaults: load shedding on, the per-account write limit
// (120 a minute) as configured. Only the per-IP request limit is lifted: every client here is 127.0.0.1.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { Server } from 'socket.io';
import { startBenchApp, signedInMember } from './lib/app.ts';
import { startBareRoutes } from './lib/bare-routes.ts';
import { benchDatabase, fmt, percentile } from './lib/harness.ts';
import type { RushInput, RushResult } from './lib/rush-clients.ts';
import { transact } from '../server/lib/use-case.ts';
import { createSession } from '../server/modules/auth/session.ts';
import { loadGroupAccess } from '../server/modules/groups/groups.policy.ts';
import { openPeriod } from '../server/modules/periods/periods.ts';
import { createDocument } from '../server/modules/revisions/documents.ts';
import { importMarkdown } from '../server/modules/revisions/lib/import-markdown.ts';
import { postRevision } from '../server/modules/revisions/post-revision.ts';

const DRAFT = Array.from(
  { length: 40 },
  (_, i) => `## ${Math.floor(i / 5) + 1}.${(i % 5) + 1} Clause ${i}\n\nText of clause ${i} about device security and key management.`,
).join('\n\n');

type BenchApp = Awaited<ReturnType<typeof startBenchApp>>['app'];

async function runRush(input: RushInput, setDeadline: () => Promise<{ deadlineAt: number }>): Promise<RushResult> {
  const worker = new Worker(new URL('./lib/rush-clients.ts', import.meta.url), { workerData: input });
  const messages: Array<unknown> = [];
  let wake: (() => void) | null = null;
  worker.on('message', (m) => {
    messages.push(m);
    wake?.();
  });
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  const next = () =>
    Promise.race([
      failed,
      new Promise<unknown>((resolve) => {
        if (messages.length) resolve(messages.shift());
        else wake = () => resolve(messages.shift());
      }),
    ]);
  await next(); // followers connected and subscribed
  const { deadlineAt } = await setDeadline();
  worker.postMessage({ start: Date.now(), deadlineAt });
  const result = (await next()) as RushResult;
  await worker.terminate();
  return result;
}

async function documentAtDeadline(app: BenchApp, access: Awaited<ReturnType<typeof loadGroupAccess>>, title: string) {
  const document = await createDocument(app.ctx, { access, title });
  const { revision } = await postRevision(app.ctx, { access, documentId: document.id, label: 'Draft', format: 'MARKDOWN', imported: importMarkdown(DRAFT) });
  await openPeriod(app.ctx, {
    access,
    documentId: document.id,
    sequence: 1,
    opens: { at: new Date(Date.now() - 3_600_000).toISOString() },
    closes: { at: new Date(Date.now() + 86_400_000).toISOString() },
  });
  /** Moves the period's close to `inMs` from the database's now; answers it on this machine's clock. */
  const closeIn = async (inMs: number) => {
    const [row] = await app.prisma.$queryRaw<[{ closesAt: Date; now: Date }]>`
      UPDATE "CommentPeriod" SET "closesAt" = now() + make_interval(secs => ${inMs / 1000}::double precision)
      WHERE "documentId" = ${document.id}::uuid RETURNING "closesAt", now() AS now`;
    return { deadlineAt: Date.now() + (row.closesAt.getTime() - row.now.getTime()), closesAt: row.closesAt };
  };
  return { document, revision, closeIn };
}

/** Comments (not replies) stored before and at-or-after the period's close, by the database's own timestamps. */
async function judgedByDatabase(app: BenchApp, documentId: string) {
  const [row] = await app.prisma.$queryRaw<[{ before: number; after: number }]>`
    SELECT count(*) FILTER (WHERE c."createdAt" < p."closesAt")::int AS before, count(*) FILTER (WHERE c."createdAt" >= p."closesAt")::int AS after
    FROM "Comment" c JOIN "CommentPeriod" p ON p."revisionId" = c."revisionId"
    WHERE c."documentId" = ${documentId}::uuid AND c."parentId" IS NULL`;
  return row;
}

function summarise(name: string, r: RushResult, db: { before: number; after: number }) {
  const lines = [`\n${name}`];
  let fivexx = 0;
  for (const [kind, k] of Object.entries(r.kinds).sort()) {
    const statuses = Object.entries(k.statuses)
      .map(([s, n]) => `${n}× ${s}`)
      .join(', ');
    const codes = Object.entries(k.codes)
      .map(([c, n]) => `${n}× ${c}`)
      .join(', ');
    fivexx += Object.entries(k.statuses).reduce((n, [s, c]) => n + (Number(s) >= 500 || Number(s) === 0 ? c : 0), 0);
    lines.push(
      `  ${kind.padEnd(26)} ${String(k.latencies.length).padStart(6)} requests  p50 ${fmt(percentile(k.latencies, 50)).padStart(7)} ms  p99 ${fmt(percentile(k.latencies, 99)).padStart(7)} ms  (${statuses}${codes ? `; ${codes}` : ''})`,
    );
  }
  const posts = r.kinds['comment POST'];
  const refused = posts?.codes.comment_period_closed ?? 0;
  lines.push(
    `  fan-out to ${r.followers} followers: p50 ${fmt(percentile(r.fanOutMs, 50))} ms, p99 ${fmt(percentile(r.fanOutMs, 99))} ms (request sent → last follower has the event), over ${r.acceptedWrites} accepted writes`,
  );
  lines.push(
    `  comments accepted before the deadline: ${db.before} (stored at or after it, by the database clock: ${db.after}); refused after it: ${refused} (409 comment_period_closed)`,
  );
  lines.push(`  5xx or failed requests: ${fivexx}; lost events: ${r.lostEvents}; sequence gaps or reorderings: ${r.outOfOrder}`);
  console.log(lines.join('\n'));
  return { fivexx, refused };
}

export default async function deadlineRushBench() {
  const quick = process.argv.includes('quick');
  const scale = quick ? 0.2 : 1;
  const participants = Math.round(300 * scale);
  const followersN = Math.round(1000 * scale);
  const readersN = Math.round(200 * scale);
  const rushMs = quick ? 15_000 : 60_000;
  const afterMs = 3_000;

  const db = await benchDatabase();
  const serverErrors = new Map<string, number>();
  const { app, url } = await startBenchApp(db.url, {
    env: { LOAD_SHEDDING: 'true' },
    productionLimits: true,
    onServerError: (error, request) => {
      const key = `${request.method} ${request.url.replace(/[0-9a-f-]{36}/g, ':id')}: ${error.message.slice(0, 160)}`;
      serverErrors.set(key, (serverErrors.get(key) ?? 0) + 1);
    },
  });
  let io: Server | null = null;
  let seq = 0;
  const bare = await startBareRoutes(db.url, {
    sessionSecret: app.ctx.config.sessionSecret,
    channel: `${app.ctx.config.realtimeChannel}_events`,
    onWrite: (documentId, name, comment) => {
      const stream = `document:${documentId}`;
      io?.to(stream).emit(name, { stream, seq: ++seq, at: new Date().toISOString(), data: comment });
    },
  });
  io = new Server(bare.app.server, { serveClient: false });
  io.on('connection', (socket) => {
    socket.on('subscribe', (ref: { kind: string; id: string }, ack: (a: unknown) => void) => {
      void socket.join(`${ref.kind}:${ref.id}`);
      ack({ ok: true });
    });
  });
  try {
    const { user, group } = await signedInMember(app, 'CONVENER');
    const access = await loadGroupAccess(app.ctx, group.slug, user);
    const people = Math.max(participants, followersN);
    const users = await app.prisma.user.createManyAndReturn({
      data: Array.from({ length: people }, (_, i) => ({ email: `rush-${i}@bench.test`, name: `Participant ${i}`, affiliation: `Member State ${i % 40}` })),
    });
    await app.prisma.membership.createMany({ data: users.map((u) => ({ groupId: group.id, userId: u.id, role: 'PARTICIPANT' as const })) });
    const sessions = await transact(app.ctx, async (tx) => {
      const out: Array<{ cookie: string; csrf: string }> = [];
      for (const u of users) {
        const { token, session } = await createSession(app.ctx, tx, { userId: u.id, ip: '127.0.0.1', userAgent: 'bench' });
        out.push({ cookie: `__Host-convene_session=${token}`, csrf: session.csrfToken });
      }
      return out;
    });
    const cookies = sessions.map((s) => s.cookie);
    console.log(
      `deadline rush${quick ? ' (quick: a fifth)' : ''}: ${participants} participants posting/editing/replying over the last ${rushMs / 1000} s and ${afterMs / 1000} s after, ` +
        `${followersN} sockets following, ${readersN} readers; load ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')} (1, 5, 15 min)`,
    );

    const results: Array<{ name: string; r: RushResult; judged: { before: number; after: number } }> = [];
    for (const kind of ['convene', 'bare'] as const) {
      const { document, revision, closeIn } = await documentAtDeadline(app, access, `Report (${kind})`);
      const input: RushInput = {
        kind,
        base: kind === 'convene' ? url : bare.url,
        documentPath: `/api/groups/${group.slug}/documents/${document.id}`,
        documentId: document.id,
        clauseIds: revision.clauses.map((c) => c.id),
        writers: sessions.slice(0, participants),
        followerCookies: cookies.slice(0, followersN),
        readerCookies: cookies.slice(0, readersN),
        rushMs,
        afterMs,
      };
      // The rush starts now: the deadline is rushMs from the database's now.
      const r = await runRush(input, () => closeIn(rushMs));
      results.push({
        name: kind === 'convene' ? 'Convene' : 'Bare baseline (Fastify + pg + socket.io broadcast)',
        r,
        judged: await judgedByDatabase(app, document.id),
      });
    }
    const [ours, theirs] = results.map((x) => ({ ...x, s: summarise(x.name, x.r, x.judged) }));
    for (const [key, n] of serverErrors) console.log(`  Convene 5xx: ${n}× ${key}`);
    console.log('\nratios (Convene / bare), per request kind: p50, p99');
    for (const kind of Object.keys(ours!.r.kinds).sort()) {
      const a = ours!.r.kinds[kind]!.latencies;
      const b = theirs!.r.kinds[kind]?.latencies ?? [];
      if (!b.length) continue;
      console.log(
        `  ${kind.padEnd(26)} p50 ${fmt(percentile(a, 50) / percentile(b, 50), 2)}×, p99 ${fmt(percentile(a, 99) / percentile(b, 99), 2)}×  (requests made: ${a.length} vs ${b.length})`,
      );
    }
    console.log(
      `  fan-out                    p50 ${fmt(percentile(ours!.r.fanOutMs, 50) / percentile(theirs!.r.fanOutMs, 50), 2)}×, p99 ${fmt(percentile(ours!.r.fanOutMs, 99) / percentile(theirs!.r.fanOutMs, 99), 2)}×`,
    );
    console.log(
      `goals: Convene 5xx ${ours!.s.fivexx} (${ours!.s.fivexx === 0 ? 'meets' : 'MISSES'} 0), lost events ${ours!.r.lostEvents + ours!.r.outOfOrder} (${ours!.r.lostEvents + ours!.r.outOfOrder === 0 ? 'meets' : 'MISSES'} 0), stored after the deadline ${ours!.judged.after} (${ours!.judged.after === 0 ? 'meets' : 'MISSES'} 0); load at end ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    io.close();
    await app.close();
    await bare.close().catch(() => {});
    await db.cleanup();
  }
}

if (import.meta.main) await deadlineRushBench();
