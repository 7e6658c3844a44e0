// Soak: one Convene instance, run as in production (its own process, `node server/main.ts`,
// NODE_ENV=production, real SMTP to a local sink), under steady load for SOAK_MINUTES (default 20):
// SOAK_SOCKETS sockets (default 300) following a document, comments at SOAK_COMMENTS_PER_SECOND
// (default 5) from ten members, reads at SOAK_READS_PER_SECOND (default 20: the comment list and
// the group), and a digest to 50 subscribers every SOAK_DIGEST_MINUTES (default 3).
// Prints, at the start (after a one-minute warm-up) and at the end: the server's RSS and event-loop
// lag (p50/p99 of the last minute, from its own /metrics); then the 5xx and other failures, the
// events lost (comments.created a following socket never got), digests sent, comment latency.
// Goals: RSS growth < 10 %, 0 lost, 0 5xx. Load shedding is off (a soak measures work done).
//   npm run bench -- soak                    (20 minutes)
//   SOAK_MINUTES=3 npm run bench -- soak     (a short check)
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { io as connectClient, type Socket } from 'socket.io-client';
import { benchDatabase, fmt, percentile } from './lib/harness.ts';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { transact } from '../server/lib/use-case.ts';
import { createSession } from '../server/modules/auth/session.ts';
import { loadGroupAccess } from '../server/modules/groups/groups.policy.ts';
import { createDocument } from '../server/modules/revisions/documents.ts';
import { postRevision } from '../server/modules/revisions/post-revision.ts';
import { openPeriod } from '../server/modules/periods/periods.ts';
import { importMarkdown } from '../server/modules/revisions/lib/import-markdown.ts';
import { startSmtpSink } from '../test/helpers/smtp.ts';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const MINUTES = num('SOAK_MINUTES', 20);
const SOCKETS = num('SOAK_SOCKETS', 300);
const COMMENTS_PER_SECOND = num('SOAK_COMMENTS_PER_SECOND', 5);
const READS_PER_SECOND = num('SOAK_READS_PER_SECOND', 20);
const DIGEST_MINUTES = num('SOAK_DIGEST_MINUTES', 3);
const SUBSCRIBERS = 50;
const VIEWERS = 30; // sessions the sockets are spread over (10 sockets each: tabs and devices)
const COMMENTERS = 10; // below the per-account write limit (120 a minute) at the default rate
const SECRET = 'soak-secret-soak-secret-soak-secret-0123456789';
const METRICS_TOKEN = 'soak-metrics-token-soak-metrics-token-0123';
const PORT = 64000 + Math.floor(Math.random() * 1000);
const BASE = `http://127.0.0.1:${PORT}`;
const ORIGIN = 'http://localhost:3000';

const randomIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sample {
  at: number;
  rssMb: number;
  lagP50: number;
  lagP99: number;
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+)/)![1]) / 1024;
}

async function lag(): Promise<{ p50: number; p99: number }> {
  const text = await (await fetch(`${BASE}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const value = (name: string) => Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? NaN) * 1000;
  return { p50: value('convene_process_nodejs_eventloop_lag_p50_seconds'), p99: value('convene_process_nodejs_eventloop_lag_p99_seconds') };
}

export default async function soakBench() {
  const db = await benchDatabase();
  const sink = await startSmtpSink({ parse: false });
  const setupConfig = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: SECRET, JOBS_WORKERS: 'false', LOAD_SHEDDING: 'false' });
  const setup = await buildApp({ config: setupConfig, databaseUrl: db.url, logger: false });
  await setup.ready();
  const sockets: Socket[] = [];
  let child: ReturnType<typeof spawn> | null = null;
  let stopping = false;
  try {
    // ---- the group: a convener, commenters, viewers, subscribers, a document open for comment ----
    const people = await setup.prisma.user.createManyAndReturn({
      data: Array.from({ length: 1 + COMMENTERS + VIEWERS }, (_, i) => ({ email: `soak-${i}@bench.test`, name: `Soak ${i}`, affiliation: 'SG17' })),
    });
    const convener = people[0]!;
    const group = await setup.prisma.group.create({
      data: {
        slug: 'soak',
        name: 'Soak group',
        acronym: 'SOAK',
        parentBodies: ['SG17'],
        mailingList: 'soak@lists.bench.test',
        visibility: 'PUBLIC_OUTPUTS',
        memberships: { create: people.map((p, i) => ({ userId: p.id, role: i === 0 ? ('CONVENER' as const) : ('PARTICIPANT' as const) })) },
      },
    });
    await setup.prisma.digestSubscription.createMany({
      data: Array.from({ length: SUBSCRIBERS }, (_, i) => ({
        groupId: group.id,
        email: `sub-${i}@bench.test`,
        state: 'CONFIRMED' as const,
        confirmedAt: new Date(),
      })),
    });
    const access = await loadGroupAccess(setup.ctx, group.slug, convener);
    const document = await createDocument(setup.ctx, { access, title: 'Soak report' });
    const draft = Array.from({ length: 20 }, (_, i) => `## 7.${i + 1} Clause ${i + 1}\n\nDevices may be captured and their keys extracted (${i}).`).join(
      '\n\n',
    );
    const { revision } = await postRevision(setup.ctx, { access, documentId: document.id, label: 'Soak', format: 'MARKDOWN', imported: importMarkdown(draft) });
    await openPeriod(setup.ctx, {
      access,
      documentId: document.id,
      sequence: 1,
      opens: { at: new Date(Date.now() - 3_600_000).toISOString() },
      closes: { at: new Date(Date.now() + 7 * 86_400_000).toISOString() },
    });
    const cookies = await transact(setup.ctx, async (tx) => {
      const out: string[] = [];
      for (const p of people) out.push((await createSession(setup.ctx, tx, { userId: p.id, ip: '127.0.0.1', userAgent: 'soak' })).token);
      return out;
    });
    const csrfOf = new Map((await setup.prisma.session.findMany({ select: { userId: true, csrfToken: true } })).map((s) => [s.userId, s.csrfToken] as const));
    const headersOf = (i: number) => ({
      cookie: `__Host-convene_session=${cookies[i]}`,
      'x-csrf-token': csrfOf.get(people[i]!.id)!,
      'content-type': 'application/json',
      origin: ORIGIN,
    });
    await setup.close();

    // ---- the instance under test, as production runs it ----
    let output = '';
    child = spawn(process.execPath, ['--max-semi-space-size=64', '--disable-warning=ExperimentalWarning', 'server/main.ts'], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        PORT: String(PORT),
        PUBLIC_URL: ORIGIN,
        SESSION_SECRET: SECRET,
        METRICS_TOKEN,
        SMTP_URL: `${sink.url}?name=soak`,
        SEED: 'never',
        LOG_LEVEL: 'warn',
        TRUST_PROXY: 'loopback',
        LOAD_SHEDDING: 'false',
        JOBS_POLL_SECONDS: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    let crashed = false;
    child.once('exit', (code) => {
      if (stopping) return;
      crashed = true;
      console.error(`the instance exited with ${code}:\n${output.slice(-3000)}`);
    });
    for (let i = 0; ; i++) {
      if (crashed) throw new Error('the instance did not start');
      if (
        await fetch(`${BASE}/api/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 300) throw new Error('the instance did not answer /api/health within 60 s');
      await sleep(200);
    }

    // ---- 300 sockets following the document (RSS before and after: memory per socket) ----
    for (let i = 0; i < 20; i++) await fetch(`${BASE}/api/groups/${group.slug}`, { headers: { cookie: headersOf(0).cookie } }).then((r) => r.arrayBuffer());
    await sleep(2_000);
    const rssBeforeSockets = await rssMb(child.pid!);
    const received = new Map<Socket, Set<string>>();
    let disconnects = 0;
    for (let i = 0; i < SOCKETS; i += 50) {
      const batch = Array.from({ length: Math.min(50, SOCKETS - i) }, (_, j) => {
        const viewer = 1 + COMMENTERS + ((i + j) % VIEWERS);
        const s = connectClient(BASE, {
          transports: ['websocket'],
          extraHeaders: { cookie: `__Host-convene_session=${cookies[viewer]}`, origin: ORIGIN, 'x-forwarded-for': randomIp() },
          forceNew: true,
          reconnection: false,
        });
        const got = new Set<string>();
        received.set(s, got);
        s.on('comments.created', (e: { data: { id: string } }) => got.add(e.data.id));
        s.on('disconnect', () => disconnects++);
        return s;
      });
      await Promise.all(
        batch.map(
          (s) =>
            new Promise<void>((resolve, reject) => {
              s.once('connect', () => resolve());
              s.once('connect_error', reject);
            }),
        ),
      );
      const acks = await Promise.all(batch.map((s) => s.timeout(30_000).emitWithAck('subscribe', { kind: 'document', id: document.id })));
      if (acks.some((a: { ok: boolean }) => !a.ok)) throw new Error('a soak socket could not subscribe');
      sockets.push(...batch);
    }

    await sleep(2_000);
    const rssWithSockets = await rssMb(child.pid!);
    console.log(
      `Sockets: RSS ${fmt(rssBeforeSockets)} MB before, ${fmt(rssWithSockets)} MB with ${SOCKETS} following: ~${fmt(((rssWithSockets - rssBeforeSockets) * 1024) / SOCKETS, 0)} KB per socket`,
    );

    // ---- steady load ----
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const posted: string[] = [];
    const commentMs: number[] = [];
    const readMs: number[] = [];
    let failures = 0;
    let n = 0;
    const commentUrl = `${BASE}/api/groups/${group.slug}/documents/${document.id}/revisions/1/comments`;
    const postComment = async () => {
      const who = 1 + (n % COMMENTERS);
      const i = n++;
      const t0 = performance.now();
      try {
        const res = await fetch(commentUrl, {
          method: 'POST',
          headers: { ...headersOf(who), 'x-forwarded-for': randomIp() },
          body: JSON.stringify({
            clauseId: revision.clauses[i % revision.clauses.length]!.id,
            type: 'technical',
            body: `Soak comment ${i}: keys need more care.`,
          }),
        });
        count(res.status);
        if (res.status === 201) {
          posted.push((await res.json()).id);
          commentMs.push(performance.now() - t0);
        } else await res.text();
      } catch {
        failures++;
      }
    };
    const readUrls = [`${BASE}/api/groups/${group.slug}/documents/${document.id}/comments?limit=50`, `${BASE}/api/groups/${group.slug}`];
    let r = 0;
    const read = async () => {
      const viewer = 1 + COMMENTERS + (r % VIEWERS);
      const t0 = performance.now();
      try {
        const res = await fetch(readUrls[r++ % readUrls.length]!, { headers: { cookie: headersOf(viewer).cookie, 'x-forwarded-for': randomIp() } });
        count(res.status);
        await res.arrayBuffer();
        readMs.push(performance.now() - t0);
      } catch {
        failures++;
      }
    };
    let digests = 0;
    const digest = async () => {
      const res = await fetch(`${BASE}/api/groups/${group.slug}/milestones`, {
        method: 'POST',
        headers: { ...headersOf(0), 'x-forwarded-for': randomIp() },
        body: JSON.stringify({ at: new Date(Date.now() + 2_000).toISOString(), kind: 'comments_close', label: `Soak checkpoint ${++digests}` }),
      }).catch(() => null);
      if (!res) return void failures++;
      count(res.status);
      await res.text();
    };

    const samples: Sample[] = [];
    const sample = async () => {
      const l = await lag().catch(() => ({ p50: NaN, p99: NaN }));
      samples.push({ at: Date.now(), rssMb: await rssMb(child!.pid!), lagP50: l.p50, lagP99: l.p99 });
    };
    const pending = new Set<Promise<void>>();
    const track = (p: Promise<void>) => {
      pending.add(p);
      void p.finally(() => pending.delete(p));
    };
    const timers = [
      setInterval(() => track(postComment()), 1000 / COMMENTS_PER_SECOND),
      setInterval(() => track(read()), 1000 / READS_PER_SECOND),
      setInterval(() => track(digest()), DIGEST_MINUTES * 60_000),
      setInterval(() => track(sample()), 10_000),
    ];
    track(digest());
    console.log(
      `Soak: ${SOCKETS} sockets, ${COMMENTS_PER_SECOND} comments/s, ${READS_PER_SECOND} reads/s, a digest to ${SUBSCRIBERS} subscribers + the list every ${DIGEST_MINUTES} min, for ${MINUTES} min (machine shared with other work: see the load average)`,
    );
    const started = Date.now();
    while (Date.now() - started < MINUTES * 60_000) {
      await sleep(30_000);
      if (crashed) throw new Error('the instance crashed during the soak');
      const last = samples.at(-1);
      if (last)
        console.log(
          `  ${fmt((Date.now() - started) / 60_000)} min: RSS ${fmt(last.rssMb)} MB, lag p99 ${fmt(last.lagP99)} ms, ${posted.length} comments, ${sink.accepted()} mails, load ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')}`,
        );
    }
    for (const t of timers) clearInterval(t);
    await Promise.all(pending);
    // Every posted comment must reach every socket: give the last ones time to arrive.
    const expected = new Set(posted);
    const lostAt = () => [...received.values()].reduce((sum, got) => sum + [...expected].filter((id) => !got.has(id)).length, 0);
    for (let i = 0; i < 100 && lostAt() > 0; i++) await sleep(100);
    await sample();

    const window = (from: number, to: number) => samples.filter((s) => s.at >= from && s.at < to);
    const startWindow = window(started + 60_000, started + 120_000);
    const endWindow = samples.slice(-6);
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const rssStart = avg(startWindow.map((s) => s.rssMb));
    const rssEnd = avg(endWindow.map((s) => s.rssMb));
    const growth = ((rssEnd - rssStart) / rssStart) * 100;
    const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((a, [, c]) => a + c, 0);
    const other = [...statuses].filter(([s]) => s >= 400 && s < 500).reduce((a, [, c]) => a + c, 0);
    const lost = lostAt();
    console.log(`\nSoak over ${MINUTES} min (start = minute 1–2 after a warm-up minute; end = the last minute):`);
    console.log(`  RSS:            start ${fmt(rssStart)} MB, end ${fmt(rssEnd)} MB, growth ${fmt(growth)} % (${growth < 10 ? 'meets' : 'MISSES'} < 10 %)`);
    console.log(
      `  event-loop lag: start p50 ${fmt(avg(startWindow.map((s) => s.lagP50)))} / p99 ${fmt(avg(startWindow.map((s) => s.lagP99)))} ms, end p50 ${fmt(avg(endWindow.map((s) => s.lagP50)))} / p99 ${fmt(avg(endWindow.map((s) => s.lagP99)))} ms`,
    );
    console.log(`  5xx:            ${fivexx} (${fivexx === 0 ? 'meets' : 'MISSES'} 0); 4xx ${other}; network failures ${failures}`);
    console.log(`  lost events:    ${lost} of ${posted.length * SOCKETS} (${lost === 0 ? 'meets' : 'MISSES'} 0); socket disconnects ${disconnects}`);
    console.log(
      `  comments:       ${posted.length} posted, POST p50 ${fmt(percentile(commentMs, 50))} ms, p99 ${fmt(percentile(commentMs, 99))} ms; reads ${readMs.length}, p50 ${fmt(percentile(readMs, 50))} ms, p99 ${fmt(percentile(readMs, 99))} ms`,
    );
    console.log(`  digests:        ${digests} fired, ${sink.accepted()} messages accepted by SMTP (each: ${SUBSCRIBERS} subscribers + the list)`);
    console.log(`  statuses:       ${JSON.stringify(Object.fromEntries(statuses))}`);
    return { rssStart, rssEnd, growth, fivexx, lost, posted: posted.length };
  } finally {
    for (const s of sockets) s.close();
    if (child && child.exitCode === null) {
      stopping = true;
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    await sink.close();
    await db.cleanup();
  }
}

if (import.meta.main) await soakBench();
