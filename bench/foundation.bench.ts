// Foundation figures: an authenticated GET of a group vs a bare Fastify route, and a write with
// its audit entry vs a bare Fastify + pg insert. Run: npm run bench -- foundation
import { startBareServer, signedInMember, startBenchApp } from './lib/app.ts';
import { benchDatabase, loadHttp, report } from './lib/harness.ts';

export default async function foundationBench() {
  const db = await benchDatabase();
  const { app, url } = await startBenchApp(db.url);
  const bare = await startBareServer(db.url);
  try {
    const { group, headers } = await signedInMember(app);
    // Warm up both servers (JIT, pools) before measuring.
    await loadHttp({ url: `${url}/api/groups/${group.slug}`, headers, seconds: 1 });
    await loadHttp({ url: `${bare.url}/bare`, seconds: 1 });

    const groupGet = await loadHttp({ url: `${url}/api/groups/${group.slug}`, headers, connections: 50, seconds: 5 });
    const bareGet = await loadHttp({ url: `${bare.url}/bare`, connections: 50, seconds: 5 });
    report('Authenticated GET /api/groups/:slug vs bare Fastify GET (50 connections)', groupGet, bareGet);

    const body = JSON.stringify({ affiliation: 'SG17 / Bench (Republic of)' });
    const write = await loadHttp({ url: `${url}/api/me`, method: 'PATCH', headers, body, connections: 50, seconds: 5 });
    const bareWrite = await loadHttp({
      url: `${bare.url}/bare-insert`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      connections: 50,
      seconds: 5,
    });
    report('PATCH /api/me (write + audit entry, one transaction) vs bare Fastify + pg INSERT (50 connections)', write, bareWrite);
  } finally {
    await app.close();
    await bare.close();
    await db.cleanup();
  }
}

if (import.meta.main) await foundationBench();
