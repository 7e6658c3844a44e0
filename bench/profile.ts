// Where a hot route's time goes: Convene in this process under a CPU profile (run it with
// `node --cpu-prof --cpu-prof-dir=<dir> bench/profile.ts <route>`), autocannon in its own process,
// then the profile's self time summed by function and by file (top 25), and PostgreSQL's
// pg_stat_statements for the same load (calls, mean time, rows) when the extension is available.
// Routes: post (comment POST), reply, patch, disposition, group, revision, comments, awaiting, public.
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile.ts post && node bench/profile.ts --summarise /tmp/prof
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}

async function summarise(dir: string) {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  const profile = JSON.parse(await readFile(path.join(dir, files.sort().at(-1)!), 'utf8')) as { nodes: ProfileNode[] };
  const total = profile.nodes.reduce((n, x) => n + x.hitCount, 0);
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const n of profile.nodes) {
    const url = n.callFrame.url.replace(/^file:\/\/.*?\/(node_modules|server|bench)\//, '$1/');
    const area = url.startsWith('node_modules/')
      ? url
          .split('/')
          .slice(0, url.split('/')[1]!.startsWith('@') ? 3 : 2)
          .join('/')
      : url || '(native/idle)';
    byFn.set(
      `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber}`,
      (byFn.get(`${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber}`) ?? 0) + n.hitCount,
    );
    byFile.set(area, (byFile.get(area) ?? 0) + n.hitCount);
  }
  const top = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([k, v]) => `  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  console.log(`self time by package / file (${total} samples)\n${top(byFile)}\n\nself time by function\n${top(byFn)}`);
}

if (process.argv[2] === '--summarise') {
  await summarise(process.argv[3]!);
} else {
  const route = process.argv[2] ?? 'post';
  const { startBenchApp } = await import('./lib/app.ts');
  const { benchDatabase, loadHttp, runLoad } = await import('./lib/harness.ts');
  const { deadlineFixture } = await import('./hot-routes.bench.ts');
  const pg = (await import('pg')).default;
  const db = await benchDatabase({ statements: true });
  const serverErrors = new Map<string, number>();
  const { app, url } = await startBenchApp(db.url, {
    onServerError: (error) => serverErrors.set(error.message.slice(0, 200), (serverErrors.get(error.message.slice(0, 200)) ?? 0) + 1),
  });
  const stats = new pg.Client({ connectionString: db.url });
  try {
    await stats.connect();
    const hasStats = await stats.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').then(
      () => stats.query('SELECT pg_stat_statements_reset()').then(() => true),
      () => false,
    );
    const f = await deadlineFixture(app);
    const doc = `/api/groups/${f.group.slug}/documents/${f.document.id}`;
    const p = f.participantHeaders;
    const loads: Record<string, Parameters<typeof runLoad>[0]> = {
      post: {
        url: `${url}${doc}/revisions/1/comments`,
        method: 'POST',
        headers: p,
        body: JSON.stringify({
          clauseId: f.revision.clauses[3]!.id,
          type: 'technical',
          body: 'Key management needs **more** detail.',
          proposedChange: 'Add one.',
        }),
      },
      reply: { url: `${url}${doc}/comments/${f.comments[1]!.id}/replies`, method: 'POST', headers: p, body: JSON.stringify({ body: 'Agreed.' }) },
      group: { url: `${url}/api/groups/${f.group.slug}`, headers: p },
      revision: { url: `${url}${doc}/revisions/1`, headers: p },
      comments: { url: `${url}${doc}/comments`, headers: p },
      awaiting: { url: `${url}/api/me/dispositions/awaiting`, headers: p },
      public: { url: `${url}/api/public/groups/${f.group.slug}/documents/${f.published.id}/final` },
      patch: {
        scripted: true,
        base: url,
        method: 'PATCH',
        headers: p,
        targets: f.comments.map((c) => ({ path: `${doc}/comments/${c.id}`, body: { body: 'Edited.' } })),
        versionField: 'version',
        versions: f.comments.map(() => 1),
        connections: 50,
        seconds: 10,
      },
      disposition: {
        scripted: true,
        base: url,
        method: 'PUT',
        headers: f.convenerHeaders,
        targets: f.comments.slice(30).map((c) => ({ path: `${doc}/comments/${c.id}/disposition`, body: { disposition: 'accepted', rationale: 'Merged.' } })),
        versionField: 'expectedVersion',
        connections: 50,
        seconds: 10,
      },
    };
    const load = loads[route]!;
    const figure = 'scripted' in load ? await runLoad(load) : await loadHttp({ ...load, connections: 50, seconds: 10 });
    console.log(`${route}: ${figure.rps.toFixed(0)} req/s, p50 ${figure.p50} ms, p99 ${figure.p99} ms, ${figure.non2xx} non-2xx`);
    for (const [message, n] of serverErrors) console.log(`  5xx: ${n}× ${message}`);
    if (hasStats) {
      const { rows } = await stats.query(
        `SELECT calls, round(mean_exec_time::numeric, 3) AS mean_ms, round(total_exec_time::numeric) AS total_ms, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 140) AS query
         FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT ${Number(process.env.BENCH_STATEMENTS ?? 12)}`,
      );
      console.log('pg_stat_statements (top by total time):');
      for (const r of rows)
        console.log(`  ${String(r.calls).padStart(7)} calls  ${String(r.mean_ms).padStart(7)} ms mean  ${String(r.total_ms).padStart(6)} ms total  ${r.query}`);
    } else console.log('(pg_stat_statements not available: the bench database does not preload it)');
  } finally {
    await stats.end();
    await app.close();
    await db.cleanup();
  }
}
