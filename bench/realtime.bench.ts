// Realtime fan-out: time from a comment POST (authenticated, deadline decided by the database, stored
// with its audit entry and realtime log row, NOTIFY on commit) until all 1,000 clients following the
// document have the comments.created event, against a bare socket.io broadcast of a same-sized event
// to 1,000 clients, in the same run and process. Run: npm run bench -- realtime
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connectClient, type Socket } from 'socket.io-client';
import { startBenchApp, signedInMember } from './lib/app.ts';
import { benchDatabase, fmt, percentile } from './lib/harness.ts';
import { transact } from '../server/lib/use-case.ts';
import { createSession } from '../server/modules/auth/session.ts';
import { loadGroupAccess } from '../server/modules/groups/groups.policy.ts';
import { createDocument } from '../server/modules/revisions/documents.ts';
import { postRevision } from '../server/modules/revisions/post-revision.ts';
import { openPeriod } from '../server/modules/periods/periods.ts';
import { importMarkdown } from '../server/modules/revisions/lib/import-markdown.ts';

const CLIENTS = 1_000;
const ROUNDS = 40;
const WARMUP = 5;

async function connectMany(count: number, url: string, headers: (i: number) => Record<string, string>): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch = Array.from({ length: Math.min(100, count - i) }, (_, j) =>
      connectClient(url, { transports: ['websocket'], extraHeaders: headers(i + j), forceNew: true, reconnection: false }),
    );
    await Promise.all(
      batch.map(
        (s) =>
          new Promise<void>((resolve, reject) => {
            s.once('connect', () => resolve());
            s.once('connect_error', reject);
          }),
      ),
    );
    sockets.push(...batch);
  }
  return sockets;
}

/** Resolves with the time the last of `sockets` received `event` matching `match`. */
// biome-ignore lint/suspicious/noExplicitAny: the two servers' events have different shapes; each caller reads its own
function arrivalAtAll(sockets: Socket[], event: string, match: (payload: any) => boolean): Promise<number> {
  let remaining = sockets.length;
  return new Promise((resolve, reject) => {
    // A bench must end: a shape mismatch or a lost event fails loudly instead of hanging.
    const timer = setTimeout(() => reject(new Error(`${remaining} of ${sockets.length} clients never received ${event}`)), 15_000);
    for (const s of sockets) {
      const onEvent = (payload: unknown) => {
        if (!match(payload)) return;
        s.off(event, onEvent);
        if (--remaining === 0) {
          clearTimeout(timer);
          resolve(performance.now());
        }
      };
      s.on(event, onEvent);
    }
  });
}

export default async function realtimeBench() {
  const db = await benchDatabase();
  const { app, url } = await startBenchApp(db.url);
  const bareHttp = createServer();
  const bare = new Server(bareHttp, { serveClient: false });
  await new Promise<void>((r) => bareHttp.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bareHttp.address() as AddressInfo).port}`;
  const all: Socket[] = [];
  try {
    const { user, group, headers } = await signedInMember(app);
    const access = await loadGroupAccess(app.ctx, group.slug, user);
    const document = await createDocument(app.ctx, { access, title: 'Bench report' });
    const { revision } = await postRevision(app.ctx, {
      access,
      documentId: document.id,
      label: 'Bench',
      format: 'MARKDOWN',
      imported: importMarkdown('## 7.1 Devices\n\nDevices may be captured and their keys extracted.'),
    });
    await openPeriod(app.ctx, {
      access,
      documentId: document.id,
      sequence: 1,
      opens: { at: new Date(Date.now() - 3_600_000).toISOString() },
      closes: { at: new Date(Date.now() + 86_400_000).toISOString() },
    });
    const commentUrl = `${url}/api/groups/${group.slug}/documents/${document.id}/revisions/1/comments`;
    // 1,000 different participants, each with a session, as 1,000 browsers would be.
    const users = await app.prisma.user.createManyAndReturn({
      data: Array.from({ length: CLIENTS }, (_, i) => ({ email: `viewer-${i}@bench.test`, name: `Viewer ${i}`, affiliation: 'SG17' })),
    });
    await app.prisma.membership.createMany({ data: users.map((u) => ({ groupId: group.id, userId: u.id, role: 'PARTICIPANT' as const })) });
    const cookies = await transact(app.ctx, async (tx) => {
      const out: string[] = [];
      for (const u of users)
        out.push(`__Host-convene_session=${(await createSession(app.ctx, tx, { userId: u.id, ip: '127.0.0.1', userAgent: 'bench' })).token}`);
      return out;
    });

    const ours = await connectMany(CLIENTS, url, (i) => ({ cookie: cookies[i]!, origin: 'http://localhost:3000' }));
    all.push(...ours);
    const acks = await Promise.all(ours.map((s) => s.timeout(30_000).emitWithAck('subscribe', { kind: 'document', id: document.id })));
    if (acks.some((a: { ok: boolean }) => !a.ok)) throw new Error('a bench client could not subscribe');
    const theirs = await connectMany(CLIENTS, bareUrl, () => ({}));
    all.push(...theirs);
    await new Promise((r) => setTimeout(r, 1_500)); // let the presence lists of 1,000 arrivals settle

    const oursMs: number[] = [];
    const bareMs: number[] = [];
    const postMs: number[] = [];
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      const label = `Bench comment ${round}: key provisioning needs more detail.`;
      const t0 = performance.now();
      const arrived = arrivalAtAll(ours, 'comments.created', (p) => p.data?.body === label);
      const res = await fetch(commentUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify({ clauseId: revision.clauses[0]!.id, type: 'technical', body: label, proposedChange: 'Add a subclause.' }),
      });
      const answered = performance.now();
      if (res.status !== 201) throw new Error(`comment POST answered ${res.status}: ${await res.text()}`);
      const comment = await res.json();
      const t1 = await arrived;
      // The bare broadcast carries an envelope of the same shape and size (the comment as presented).
      const payload = { stream: `document:${document.id}`, seq: round + 1, at: new Date().toISOString(), data: comment };
      const b0 = performance.now();
      const bareArrived = arrivalAtAll(theirs, 'bare', (p) => p.data.body === label);
      bare.emit('bare', payload);
      const b1 = await bareArrived;
      if (round >= WARMUP) {
        oursMs.push(t1 - t0);
        bareMs.push(b1 - b0);
        postMs.push(answered - t0);
      }
    }

    const median = (xs: number[]) => percentile(xs, 50);
    const ratio = median(oursMs) / median(bareMs);
    console.log(
      `\nRealtime: comment POST → comments.created at all ${CLIENTS} clients vs bare socket.io broadcast to ${CLIENTS} clients (${ROUNDS} rounds, ${WARMUP} warm-up)`,
    );
    console.log(
      `  figure:   median ${fmt(median(oursMs))} ms, p99 ${fmt(percentile(oursMs, 99))} ms (POST of a comment: session, access, deadline, insert + audit + log row + NOTIFY, then fan-out)`,
    );
    console.log(`            of which the POST until its answer: median ${fmt(median(postMs))} ms, p99 ${fmt(percentile(postMs, 99))} ms`);
    console.log(`  baseline: median ${fmt(median(bareMs))} ms, p99 ${fmt(percentile(bareMs, 99))} ms (io.emit of the same envelope)`);
    console.log(
      `  ratio:    median ${fmt(ratio, 2)}× (${ratio <= 1.5 ? 'meets' : 'MISSES'} ≤ 1.5×), p99 ${fmt(percentile(oursMs, 99) / percentile(bareMs, 99), 2)}×`,
    );
    if (process.env.BENCH_VERBOSE) console.log(oursMs.map((x) => x.toFixed(0)).join(' '), '\n', bareMs.map((x) => x.toFixed(0)).join(' '));
    return { medianRatio: ratio, oursMs, bareMs };
  } finally {
    for (const s of all) s.close();
    await app.close();
    await bare.close();
    await db.cleanup();
  }
}

if (import.meta.main) await realtimeBench();
