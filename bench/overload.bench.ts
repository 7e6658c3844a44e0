// Overload: 400 connections reading a large comment list (pages of 200 of a document's 2,000
// comments) for 10 s, with load shedding on (the figure) and off (the baseline), same run, same
// database, three alternating rounds and their medians. Reported per side: how many requests were answered 200, shed with 503, or timed out
// (autocannon's 10 s); /api/health latency during the flood (polled every 250 ms on fresh
// connections); and the time from the end of the flood until a single list request and health
// answer again. Run: npm run bench -- overload
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { signedInMember, startBenchApp } from './lib/app.ts';
import { benchDatabase, fmt, percentile } from './lib/harness.ts';
import { createDocument } from '../server/modules/revisions/documents.ts';
import { postRevision } from '../server/modules/revisions/post-revision.ts';
import { importMarkdown } from '../server/modules/revisions/lib/import-markdown.ts';
import { loadGroupAccess } from '../server/modules/groups/groups.policy.ts';
import { uuidv7 } from '../server/lib/uuid.ts';

const execFileAsync = promisify(execFile);
const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));
const CONNECTIONS = 400;
const SECONDS = 10;
const ROUNDS = 3;
const DRAFT = Array.from({ length: 40 }, (_, i) => `## ${Math.floor(i / 5) + 1}.${(i % 5) + 1} Clause ${i}\n\nText of clause ${i} about device security.`).join(
  '\n\n',
);

interface Side {
  ok: number;
  shed: number;
  otherStatus: number;
  timeouts: number;
  errors: number;
  sent: number;
  health: { p50: number; p95: number; max: number; unanswered: number; samples: number; degraded: number };
  recoverMs: number;
  healthRecoverMs: number;
}

/** A single GET with a deadline: its status and how long it took (status 0: no answer in time). */
async function timedGet(url: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number; ms: number; body: string }> {
  const t0 = performance.now();
  try {
    const res = await fetch(url, { headers: { ...headers, connection: 'close' }, signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    return { status: res.status, ms: performance.now() - t0, body };
  } catch {
    return { status: 0, ms: performance.now() - t0, body: '' };
  }
}

async function flood(listUrl: string, headers: Record<string, string>, healthUrl: string): Promise<Side> {
  const args = [AUTOCANNON, '--json', '-c', String(CONNECTIONS), '-d', String(SECONDS), '-t', '10'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(listUrl);
  const health: { status: number; ms: number; degraded: boolean }[] = [];
  let flooding = true;
  const poller = (async () => {
    await new Promise((r) => setTimeout(r, 500)); // the flood has started
    while (flooding) {
      const started = performance.now();
      const h = await timedGet(healthUrl, {}, 20_000);
      health.push({ status: h.status, ms: h.ms, degraded: h.body.includes('"degraded"') });
      await new Promise((r) => setTimeout(r, Math.max(0, 250 - (performance.now() - started))));
    }
  })();
  const { stdout } = await execFileAsync(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 });
  const floodEnd = performance.now();
  flooding = false;
  const result = JSON.parse(stdout);
  // Recovery: how long after the flood until one reader is served again, and health answers.
  let recoverMs = NaN;
  let healthRecoverMs = NaN;
  for (;;) {
    const [list, h] = await Promise.all([timedGet(listUrl, headers, 30_000), Number.isNaN(healthRecoverMs) ? timedGet(healthUrl, {}, 30_000) : null]);
    if (h && h.status === 200) healthRecoverMs = performance.now() - floodEnd;
    if (list.status === 200) {
      recoverMs = performance.now() - floodEnd;
      break;
    }
    if (performance.now() - floodEnd > 60_000) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (Number.isNaN(healthRecoverMs)) healthRecoverMs = recoverMs;
  await poller;
  const stats = result.statusCodeStats as Record<string, { count: number }>;
  const count = (code: string) => stats[code]?.count ?? 0;
  const answered = health.filter((h) => h.status !== 0).map((h) => h.ms);
  return {
    ok: count('200'),
    shed: count('503'),
    otherStatus: Object.entries(stats)
      .filter(([c]) => c !== '200' && c !== '503')
      .reduce((n, [, s]) => n + s.count, 0),
    timeouts: result.timeouts,
    errors: result.errors,
    sent: result.requests.sent,
    health: {
      p50: percentile(answered, 50),
      p95: percentile(answered, 95),
      max: Math.max(...health.map((h) => h.ms)),
      unanswered: health.filter((h) => h.status === 0).length,
      samples: health.length,
      degraded: health.filter((h) => h.degraded).length,
    },
    recoverMs,
    healthRecoverMs,
  };
}

function print(name: string, s: Side) {
  const total = s.ok + s.shed + s.otherStatus + s.timeouts;
  const pct = (n: number) => `${fmt((100 * n) / Math.max(total, 1), 1)}%`;
  console.log(
    `  ${name}: ${s.sent} sent; 200: ${s.ok} (${pct(s.ok)}), 503: ${s.shed} (${pct(s.shed)}), timed out: ${s.timeouts} (${pct(s.timeouts)})${s.otherStatus ? `, other: ${s.otherStatus}` : ''}, errors ${s.errors}`,
  );
  console.log(
    `    /api/health during the flood: ${s.health.samples} polls, p50 ${fmt(s.health.p50, 0)} ms, p95 ${fmt(s.health.p95, 0)} ms, max ${fmt(s.health.max, 0)} ms, unanswered ${s.health.unanswered}, "degraded" ${s.health.degraded}`,
  );
  console.log(`    after the flood: a reader is served again after ${fmt(s.recoverMs, 0)} ms, health after ${fmt(s.healthRecoverMs, 0)} ms`);
}

export default async function overloadBench() {
  const db = await benchDatabase();
  // The figure runs the shipped defaults (server/config.ts); the baseline only turns shedding off.
  const shedding = await startBenchApp(db.url, { env: { LOAD_SHEDDING: 'true' } });
  const baseline = await startBenchApp(db.url, { env: { LOAD_SHEDDING: 'false' } });
  try {
    const { user, group, headers } = await signedInMember(shedding.app);
    const access = await loadGroupAccess(shedding.app.ctx, group.slug, user);
    const document = await createDocument(shedding.app.ctx, { access, title: 'Bench report with 2,000 comments' });
    const { revision } = await postRevision(shedding.app.ctx, {
      access,
      documentId: document.id,
      label: 'Bench',
      format: 'MARKDOWN',
      imported: importMarkdown(DRAFT),
    });
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      id: uuidv7(),
      documentId: document.id,
      revisionId: revision.id,
      clauseId: i % 10 === 0 ? null : revision.clauses[i % revision.clauses.length]!.id,
      authorId: user.id,
      type: (['GENERAL', 'TECHNICAL', 'EDITORIAL'] as const)[i % 3],
      body: `Comment ${i}: the clause should say more about key rotation and provisioning.`.repeat(3),
      bodyHtml: `<p>${`Comment ${i}: the clause should say more about key rotation and provisioning.`.repeat(3)}</p>`,
      proposedChange: 'Add a sentence on key rotation.',
      quotedText: null,
      createdAt: new Date(Date.UTC(2016, 3, 2) + i * 1000),
      updatedAt: new Date(Date.UTC(2016, 3, 2) + i * 1000),
    }));
    await shedding.app.prisma.comment.createMany({ data: rows });
    const path = `/api/groups/${group.slug}/documents/${document.id}/comments?limit=200`;
    const { cookie } = headers;
    for (const side of [shedding, baseline]) {
      // Inserting the comments kept the event loop busy: wait for a quiet sample.
      let warm = await timedGet(`${side.url}${path}`, { cookie }, 10_000);
      for (let i = 0; i < 30 && warm.status === 503; i++) {
        await new Promise((r) => setTimeout(r, 200));
        warm = await timedGet(`${side.url}${path}`, { cookie }, 10_000);
      }
      if (warm.status !== 200) throw new Error(`comment list answered ${warm.status}: ${warm.body.slice(0, 200)}`);
    }

    console.log(
      `\n${CONNECTIONS} connections on GET a page of 200 comments (of 2,000) for ${SECONDS} s, autocannon timeout 10 s; load shedding on vs off, ${ROUNDS} alternating rounds (the machine is shared: one round can be disturbed)`,
    );
    const ons: Side[] = [];
    const offs: Side[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // Shedding first: it leaves little behind, while the baseline's abandoned queue takes a while to drain.
      const on = await flood(`${shedding.url}${path}`, { cookie }, `${shedding.url}/api/health`);
      await new Promise((r) => setTimeout(r, 2_000));
      const off = await flood(`${baseline.url}${path}`, { cookie }, `${baseline.url}/api/health`);
      await new Promise((r) => setTimeout(r, 2_000));
      console.log(`round ${round}`);
      print('shedding on (figure)', on);
      print('shedding off (baseline)', off);
      ons.push(on);
      offs.push(off);
    }
    const median = (sides: Side[], pick: (s: Side) => number) => percentile(sides.map(pick), 50);
    const summary = (sides: Side[]) => ({
      timeouts: median(sides, (s) => s.timeouts),
      shed: median(sides, (s) => s.shed),
      ok: median(sides, (s) => s.ok),
      healthP95: median(sides, (s) => s.health.p95),
      unanswered: median(sides, (s) => s.health.unanswered),
      recoverMs: median(sides, (s) => s.recoverMs),
    });
    const on = summary(ons);
    const off = summary(offs);
    const ratio = (a: number, b: number) => (b > 0 ? fmt(a / b, 2) : 'n/a');
    console.log('\nmedian of the rounds');
    console.log(
      `  figure:   200: ${on.ok}, 503: ${on.shed}, timed out: ${on.timeouts}; health p95 ${fmt(on.healthP95, 0)} ms; reader served again ${fmt(on.recoverMs, 0)} ms after the flood`,
    );
    console.log(
      `  baseline: 200: ${off.ok}, 503: ${off.shed}, timed out: ${off.timeouts}; health p95 ${fmt(off.healthP95, 0)} ms; reader served again ${fmt(off.recoverMs, 0)} ms after the flood`,
    );
    console.log(`  ratio:    health p95 ${ratio(on.healthP95, off.healthP95)}×, recovery ${ratio(on.recoverMs, off.recoverMs)}×`);
    const targets = [
      ['no request timed out (503 instead)', on.shed > 0 && on.timeouts === 0],
      ["health always answered, p95 under half the baseline's", on.unanswered === 0 && on.healthP95 < off.healthP95 / 2],
      ['a reader served again within 1 s of the flood', on.recoverMs < 1_000],
    ] as const;
    console.log(`  target:   ${targets.map(([what, ok]) => `${what}: ${ok ? 'meets' : 'MISSES'}`).join('; ')}`);
  } finally {
    await shedding.app.close();
    await baseline.app.close();
    await db.cleanup();
  }
}

if (import.meta.main) await overloadBench();
