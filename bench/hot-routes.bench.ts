// Every hot route beside its fair baseline (bench/lib/bare-routes.ts: bare Fastify + pg running
// the SQL a hand-written handler needs for the same rows and the same JSON), in the same run:
// throughput and p99 ratios against the targets ≥ 0.5× and ≤ 2×. The data is a deadline's: a
// document of 40 clauses with 300 comments in an open period, 30 of them proposed a disposition
// and awaiting their commenter, and a second document whose final report is published.
//   npm run bench -- hot-routes            every route, 3 alternating 5 s rounds each
//   npm run bench -- hot-routes quick      1 round of 2 s each (a smoke run, not a figure)
//   BENCH_ROUTES=group,revision npm run bench -- hot-routes    only those
import os from 'node:os';
import { signedInMember, startBenchApp } from './lib/app.ts';
import { startBareRoutes } from './lib/bare-routes.ts';
import { type AnyLoad, benchDatabase, report, runLoad } from './lib/harness.ts';
import { transact } from '../server/lib/use-case.ts';
import { uuidv7 } from '../server/lib/uuid.ts';
import { createSession } from '../server/modules/auth/session.ts';
import { loadGroupAccess } from '../server/modules/groups/groups.policy.ts';
import { openPeriod } from '../server/modules/periods/periods.ts';
import { createDocument } from '../server/modules/revisions/documents.ts';
import { importMarkdown } from '../server/modules/revisions/lib/import-markdown.ts';
import { postRevision } from '../server/modules/revisions/post-revision.ts';
import { publishFinalReport } from '../server/modules/dispositions/final-report.ts';

const DRAFT = Array.from(
  { length: 40 },
  (_, i) =>
    `## ${Math.floor(i / 5) + 1}.${(i % 5) + 1} Clause ${i}\n\nText of clause ${i} about device security and key management. Devices shall authenticate every peer before exchanging keys.`,
).join('\n\n');
const COMMENTS = 300;
const AWAITING = 30;

type BenchApp = Awaited<ReturnType<typeof startBenchApp>>['app'];

export async function sessionFor(app: BenchApp, userId: string) {
  const { token, session } = await transact(app.ctx, (tx) => createSession(app.ctx, tx, { userId, ip: '127.0.0.1', userAgent: 'bench' }));
  return { cookie: `__Host-convene_session=${token}`, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' };
}

/** A group at its deadline: see the file's head. Returns what the routes need. */
export async function deadlineFixture(app: BenchApp, options: { comments?: number; periodClosesInMs?: number } = {}) {
  const { user: convener, group, headers: convenerHeaders } = await signedInMember(app, 'CONVENER');
  await app.prisma.group.update({ where: { id: group.id }, data: { visibility: 'PUBLIC_OUTPUTS', allowEarlyAdjudication: true } });
  const participant = await app.prisma.user.create({
    data: { email: `participant-${group.slug}@example.test`, name: 'Ms Participant', affiliation: 'Member State A' },
  });
  await app.prisma.membership.create({ data: { groupId: group.id, userId: participant.id, role: 'PARTICIPANT' } });
  const participantHeaders = await sessionFor(app, participant.id);
  const access = await loadGroupAccess(app.ctx, group.slug, convener);

  const document = await createDocument(app.ctx, { access, title: 'Report on security aspects of IoT' });
  const { revision } = await postRevision(app.ctx, { access, documentId: document.id, label: 'Draft', format: 'MARKDOWN', imported: importMarkdown(DRAFT) });
  await openPeriod(app.ctx, {
    access,
    documentId: document.id,
    sequence: 1,
    opens: { at: new Date(Date.now() - 3_600_000).toISOString() },
    closes: { at: new Date(Date.now() + (options.periodClosesInMs ?? 86_400_000)).toISOString() },
  });
  const n = options.comments ?? COMMENTS;
  const body = (i: number) => `Comment ${i}: key management for constrained devices needs more detail on provisioning and rotation.`;
  const comments = Array.from({ length: n }, (_, i) => ({
    id: uuidv7(),
    documentId: document.id,
    revisionId: revision.id,
    clauseId: i % 10 === 0 ? null : revision.clauses[i % revision.clauses.length]!.id,
    authorId: participant.id,
    type: (['GENERAL', 'TECHNICAL', 'EDITORIAL'] as const)[i % 3],
    body: body(i),
    bodyHtml: `<p>${body(i)}</p>`,
    proposedChange: 'Add a subclause on key provisioning.',
    createdAt: new Date(Date.now() - 3_000_000 + i * 1000),
    updatedAt: new Date(Date.now() - 3_000_000 + i * 1000),
  }));
  await app.prisma.comment.createMany({ data: comments });
  await app.prisma.disposition.createMany({
    data: comments.map((c, i) =>
      i < AWAITING
        ? {
            commentId: c.id,
            documentId: document.id,
            code: 'ACCEPTED' as const,
            status: 'PROPOSED' as const,
            version: 1,
            rationale: 'Agreed; merged into 7.2.',
            proposedById: convener.id,
            proposedAt: new Date(),
            updatedAt: new Date(),
          }
        : { commentId: c.id, documentId: document.id, version: 0, updatedAt: new Date() },
    ),
  });

  // The published document: every comment finally disposed of, then the final report.
  const published = await createDocument(app.ctx, { access, title: 'Published report on IoT security' });
  const { revision: pr } = await postRevision(app.ctx, {
    access,
    documentId: published.id,
    label: 'Final',
    format: 'MARKDOWN',
    imported: importMarkdown(DRAFT),
  });
  const finals = Array.from({ length: 40 }, (_, i) => ({
    id: uuidv7(),
    documentId: published.id,
    revisionId: pr.id,
    clauseId: pr.clauses[i % pr.clauses.length]!.id,
    authorId: participant.id,
    type: 'TECHNICAL' as const,
    body: body(i),
    bodyHtml: `<p>${body(i)}</p>`,
  }));
  await app.prisma.comment.createMany({ data: finals });
  await app.prisma.disposition.createMany({
    data: finals.map((c) => ({
      commentId: c.id,
      documentId: published.id,
      code: 'ACCEPTED' as const,
      status: 'FINAL' as const,
      version: 3,
      proposedById: convener.id,
      proposedAt: new Date(),
      finalisedById: convener.id,
      finalisedAt: new Date(),
      updatedAt: new Date(),
    })),
  });
  await publishFinalReport(app.ctx, { access, documentId: published.id, sequence: 1, label: 'Final report' });

  return { group, convener, participant, convenerHeaders, participantHeaders, document, revision, comments, published };
}

export default async function hotRoutesBench() {
  const quick = process.argv.includes('quick');
  const only = process.env.BENCH_ROUTES?.split(',');
  const rounds = quick ? 1 : 3;
  const seconds = quick ? 2 : 5;
  const db = await benchDatabase();
  const { app, url } = await startBenchApp(db.url);
  const bare = await startBareRoutes(db.url, { sessionSecret: app.ctx.config.sessionSecret, channel: `${app.ctx.config.realtimeChannel}_events` });
  try {
    const f = await deadlineFixture(app);
    const doc = `/api/groups/${f.group.slug}/documents/${f.document.id}`;
    const get = (path: string, headers: Record<string, string>): [AnyLoad, AnyLoad] => [
      { url: `${url}${path}`, headers, connections: 50, seconds },
      { url: `${bare.url}${path}`, headers, connections: 50, seconds },
    ];
    const scripted = (base: string, load: Omit<Extract<AnyLoad, { scripted: true }>, 'base' | 'connections' | 'seconds' | 'scripted'>): AnyLoad => ({
      scripted: true as const,
      base,
      connections: 50,
      seconds,
      ...load,
    });
    const undecided = f.comments.slice(AWAITING);
    const writes = (base: string) => ({
      dispositionPut: scripted(base, {
        method: 'PUT',
        headers: f.convenerHeaders,
        targets: undecided.map((c) => ({
          path: `${doc}/comments/${c.id}/disposition`,
          body: { disposition: 'accepted_with_modification', rationale: 'Merged into 7.2 rather than a new clause.' },
        })),
        versionField: 'expectedVersion',
      }),
      reply: scripted(base, {
        method: 'POST',
        headers: f.participantHeaders,
        targets: f.comments.slice(0, 20).map((c) => ({ path: `${doc}/comments/${c.id}/replies`, body: { body: 'Agreed with the **editor**; see 7.2.' } })),
      }),
      commentPatch: scripted(base, {
        method: 'PATCH',
        headers: f.participantHeaders,
        targets: f.comments.map((c) => ({ path: `${doc}/comments/${c.id}`, body: { body: 'Key management needs **more** detail on rotation.' } })),
        versionField: 'version',
        versions: f.comments.map(() => 1),
      }),
    });
    const [convene, baseline] = [writes(url), writes(bare.url)];
    // Each write bench starts from the versions the previous rounds left (the worker carries them within a round only).
    const cases: Array<{ key: string; name: string; pair: () => Promise<[AnyLoad, AnyLoad]> }> = [
      { key: 'group', name: 'GET /api/groups/:slug (group page)', pair: async () => get(`/api/groups/${f.group.slug}`, f.participantHeaders) },
      {
        key: 'revision',
        name: 'GET …/revisions/1 (document page data: 40 clauses, comment counts, carried comments)',
        pair: async () => get(`${doc}/revisions/1`, f.participantHeaders),
      },
      { key: 'comments', name: 'GET …/comments (comment list, first page of 50 of 300)', pair: async () => get(`${doc}/comments`, f.participantHeaders) },
      {
        key: 'awaiting',
        name: `GET /api/me/dispositions/awaiting (${AWAITING} proposals awaiting me)`,
        pair: async () => get('/api/me/dispositions/awaiting', f.participantHeaders),
      },
      {
        key: 'public',
        name: 'GET /api/public/…/final (public final report, anonymous)',
        pair: async () => get(`/api/public/groups/${f.group.slug}/documents/${f.published.id}/final`, {}),
      },
      {
        key: 'disposition',
        name: 'PUT …/comments/:id/disposition (convener proposes; audit + realtime event in the same transaction)',
        pair: async () => [await withVersions(convene.dispositionPut), await withVersions(baseline.dispositionPut)],
      },
      { key: 'reply', name: 'POST …/comments/:id/replies (reply; audit + realtime event)', pair: async () => [convene.reply, baseline.reply] },
      {
        key: 'patch',
        name: 'PATCH …/comments/:id (edit; earlier version kept, audit + realtime event)',
        pair: async () => [await withVersions(convene.commentPatch, 'comment'), await withVersions(baseline.commentPatch, 'comment')],
      },
    ];
    /**
     * The versions the database holds once the previous round's writes have all landed, so each
     * round's first write per target is not a conflict: a server that fell behind keeps committing
     * the requests it had queued after the load generator stopped, so read until two reads agree.
     */
    async function withVersions(load: AnyLoad, of: 'disposition' | 'comment' = 'disposition'): Promise<AnyLoad> {
      if (!('scripted' in load)) return load;
      let last = '';
      for (let i = 0; i < 50; i++) {
        const settled = await readVersions(load, of);
        const key = JSON.stringify(settled.versions);
        if (key === last) return settled;
        last = key;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error('the previous round’s writes did not settle within 10 s');
    }
    async function readVersions(load: Extract<AnyLoad, { scripted: true }>, of: 'disposition' | 'comment'): Promise<AnyLoad & { versions: number[] }> {
      const ids = load.targets.map((t) => /comments\/([0-9a-f-]{36})/.exec(t.path)![1]!);
      const rows =
        of === 'disposition'
          ? await app.prisma.disposition.findMany({ where: { commentId: { in: ids } }, select: { commentId: true, version: true } })
          : (await app.prisma.comment.findMany({ where: { id: { in: ids } }, select: { id: true, version: true } })).map((c) => ({
              commentId: c.id,
              version: c.version,
            }));
      const byId = new Map(rows.map((r) => [r.commentId, r.version]));
      return { ...load, versions: ids.map((id) => byId.get(id)!) };
    }

    console.log(
      `load: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (1, 5, 15 min) at start; ${rounds} alternating round(s) of ${seconds} s, 50 connections`,
    );
    const summary: string[] = [];
    for (const c of cases) {
      if (only && !only.includes(c.key)) continue;
      const [a] = await c.pair();
      // Warm up both (JIT, pools, plans) and check both answer 2xx before measuring.
      await runLoad({ ...a, seconds: 1 } as AnyLoad);
      await runLoad({ ...(await c.pair())[1], seconds: 1 } as AnyLoad);
      const results = { figure: [] as Awaited<ReturnType<typeof runLoad>>[], baseline: [] as Awaited<ReturnType<typeof runLoad>>[] };
      // This process's CPU per answered request: both servers live here and run one at a time, so
      // the delta over a round is that side's (Convene's includes the jobs its requests cause). On a
      // machine shared with other work this moves far less than throughput does.
      const cpu = { figure: [] as number[], baseline: [] as number[] };
      const measured = async (load: AnyLoad, into: number[]) => {
        const before = process.cpuUsage();
        const result = await runLoad(load);
        const used = process.cpuUsage(before);
        into.push((used.user + used.system) / 1000 / Math.max(1, result.rps * seconds));
        return result;
      };
      // Alternating; each side's loads are built just before it runs (a write's versions are the database's then).
      for (let i = 0; i < rounds; i++) {
        results.figure.push(await measured((await c.pair())[0], cpu.figure));
        results.baseline.push(await measured((await c.pair())[1], cpu.baseline));
      }
      const medianOf = (list: number[]) => [...list].sort((p, q) => p - q)[Math.floor(list.length / 2)]!;
      const cpuFigure = medianOf(cpu.figure);
      const cpuBaseline = medianOf(cpu.baseline);
      console.log(`  Node CPU per request: ${cpuFigure.toFixed(2)} ms vs ${cpuBaseline.toFixed(2)} ms (${(cpuFigure / cpuBaseline).toFixed(1)}×)`);
      const median = (list: typeof results.figure) => {
        const pick = (k: 'rps' | 'p50' | 'p99') => [...list.map((r) => r[k])].sort((p, q) => p - q)[Math.floor(list.length / 2)]!;
        return {
          rps: pick('rps'),
          p50: pick('p50'),
          p99: pick('p99'),
          errors: list.reduce((s, r) => s + r.errors, 0),
          non2xx: list.reduce((s, r) => s + r.non2xx, 0),
        };
      };
      const fig = median(results.figure);
      const base = median(results.baseline);
      const r = report(c.name, fig, base, { minThroughputRatio: 0.5, maxP99Ratio: 2 });
      summary.push(
        `| ${c.key} | ${fig.rps.toFixed(0)} req/s, p99 ${fig.p99} ms | ${base.rps.toFixed(0)} req/s, p99 ${base.p99} ms | ${r.throughput.toFixed(2)}× | ${r.p99.toFixed(2)}× | ${cpuFigure.toFixed(2)} / ${cpuBaseline.toFixed(2)} ms |${fig.non2xx || base.non2xx ? ` INVALID (${fig.non2xx}/${base.non2xx} non-2xx)` : ''}`,
      );
    }
    console.log('\n| route | Convene | bare baseline | throughput | p99 | Node CPU per request |\n|---|---|---|---|---|---|');
    console.log(summary.join('\n'));
    console.log(
      `load at end: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await app.close();
    await bare.close();
    await db.cleanup();
  }
}

if (import.meta.main) await hotRoutesBench();
