// The clients of the deadline rush (bench/deadline-rush.bench.ts), in a worker thread so that they
// run on the other core instead of competing with the server's event loop: participants who post,
// edit and reply faster and faster as the deadline nears, readers who load the document page, and
// followers whose sockets receive every comment event. Posts its figures back when done.
import { parentPort, workerData } from 'node:worker_threads';
import { io as connectClient, type Socket } from 'socket.io-client';

export interface RushInput {
  kind: 'convene' | 'bare';
  base: string;
  documentPath: string;
  documentId: string;
  clauseIds: string[];
  writers: Array<{ cookie: string; csrf: string }>;
  /** Session cookies of the followers (Convene authorizes each socket); the bare server takes any. */
  followerCookies: string[];
  readerCookies: string[];
  rushMs: number;
  afterMs: number;
}

export interface RushResult {
  kinds: Record<string, { latencies: number[]; statuses: Record<number, number>; codes: Record<string, number> }>;
  fanOutMs: number[];
  lostEvents: number;
  outOfOrder: number;
  followers: number;
  acceptedWrites: number;
}

const input = workerData as RushInput & { deadlineAt: number };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const kinds: RushResult['kinds'] = {};
const record = (kind: string, ms: number, status: number, code?: string) => {
  kinds[kind] ??= { latencies: [], statuses: {}, codes: {} };
  const k = kinds[kind];
  k.latencies.push(ms);
  k.statuses[status] = (k.statuses[status] ?? 0) + 1;
  if (code) k.codes[code] = (k.codes[code] ?? 0) + 1;
};

// Fan-out: each accepted write's event, keyed by comment id and version, counted at every follower.
const sentAt = new Map<string, number>();
const arrivals = new Map<string, { count: number; last: number }>();
let outOfOrder = 0;

async function connectFollowers(): Promise<Socket[]> {
  const sockets: Socket[] = [];
  const origin: Record<string, string> = input.kind === 'convene' ? { origin: 'http://localhost:3000' } : {};
  for (let i = 0; i < input.followerCookies.length; i += 100) {
    const batch = input.followerCookies
      .slice(i, i + 100)
      .map((cookie) => connectClient(input.base, { transports: ['websocket'], extraHeaders: { cookie, ...origin }, forceNew: true, reconnection: false }));
    await Promise.all(batch.map((s) => new Promise<void>((resolve, reject) => s.once('connect', () => resolve()).once('connect_error', reject))));
    sockets.push(...batch);
  }
  await Promise.all(
    sockets.map(async (s) => {
      const ack = await s.timeout(60_000).emitWithAck('subscribe', { kind: 'document', id: input.documentId });
      if (!ack?.ok) throw new Error(`a follower could not subscribe: ${JSON.stringify(ack)}`);
    }),
  );
  const stream = `document:${input.documentId}`;
  for (const s of sockets) {
    // Every event of the stream carries the next sequence number: a gap is an event lost, a step back one out of order.
    let lastSeq = -1;
    s.onAny((_name: string, envelope: { stream?: string; seq?: number }) => {
      if (envelope?.stream !== stream || typeof envelope.seq !== 'number') return;
      if (lastSeq >= 0 && envelope.seq !== lastSeq + 1) outOfOrder++;
      lastSeq = envelope.seq;
    });
    const onEvent = (envelope: { data: { id: string; version: number } }) => {
      const now = performance.now();
      const key = `${envelope.data.id}:${envelope.data.version}`;
      const a = arrivals.get(key) ?? { count: 0, last: 0 };
      a.count++;
      a.last = now;
      arrivals.set(key, a);
    };
    s.on('comments.created', onEvent);
    s.on('comments.updated', onEvent);
  }
  return sockets;
}

async function call(kind: string, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const t0 = performance.now();
  try {
    const res = await fetch(`${input.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const ms = performance.now() - t0;
    const json = text.startsWith('{') ? (JSON.parse(text) as { code?: string; id?: string; version?: number }) : {};
    record(kind, ms, res.status, res.status >= 300 ? (json.code ?? String(res.status)) : undefined);
    return { status: res.status, json, t0 };
  } catch (error) {
    record(kind, performance.now() - t0, 0, (error as Error).message);
    return { status: 0, json: {} as { id?: string; version?: number }, t0 };
  }
}

const end = () => input.deadlineAt + input.afterMs;
const pool: string[] = [];

async function participant(w: RushInput['writers'][number], n: number) {
  const headers = { cookie: w.cookie, 'x-csrf-token': w.csrf, 'content-type': 'application/json' };
  const mine: Array<{ id: string; version: number }> = [];
  await sleep(Math.random() * 2000);
  let i = 0;
  while (Date.now() < end()) {
    const roll = Math.random();
    i++;
    if (!mine.length || roll < 0.5) {
      const body = `Participant ${n}, comment ${i}: key provisioning for constrained devices needs more detail.`;
      const r = await call('comment POST', 'POST', `${input.documentPath}/revisions/1/comments`, headers, {
        clauseId: input.clauseIds[(n + i) % input.clauseIds.length],
        type: 'technical',
        body,
        proposedChange: 'Add a subclause on key provisioning.',
      });
      if (r.status === 201 && r.json.id) {
        mine.push({ id: r.json.id, version: r.json.version ?? 1 });
        pool.push(r.json.id);
        sentAt.set(`${r.json.id}:${r.json.version}`, r.t0);
      }
    } else if (roll < 0.75) {
      const c = mine[Math.floor(Math.random() * mine.length)]!;
      const r = await call('comment PATCH', 'PATCH', `${input.documentPath}/comments/${c.id}`, headers, {
        version: c.version,
        body: `Edited by participant ${n} (${i}): key provisioning needs more detail.`,
      });
      if (r.status === 200 && r.json.version) {
        c.version = r.json.version;
        sentAt.set(`${c.id}:${r.json.version}`, r.t0);
      }
    } else {
      const parent = pool[Math.floor(Math.random() * pool.length)] ?? mine[0]!.id;
      const r = await call('reply POST', 'POST', `${input.documentPath}/comments/${parent}/replies`, headers, { body: `Reply from participant ${n}: agreed.` });
      if (r.status === 201 && r.json.id) sentAt.set(`${r.json.id}:${r.json.version ?? 1}`, r.t0);
    }
    // Faster as the deadline nears: about 3 s between a participant's actions at the start of the rush, 1 s at its end.
    const left = Math.max(0, input.deadlineAt - Date.now()) / input.rushMs;
    await sleep((0.5 + Math.random()) * (1000 + 2000 * left));
  }
}

async function reader(cookie: string) {
  const headers = { cookie };
  await sleep(Math.random() * 2000);
  while (Date.now() < end()) {
    await Promise.all([
      call('page data: revision GET', 'GET', `${input.documentPath}/revisions/1`, headers),
      call('page data: comments GET', 'GET', `${input.documentPath}/comments`, headers),
    ]);
    await sleep(1000 + Math.random() * 2000);
  }
}

const followers = await connectFollowers();
parentPort!.postMessage({ ready: true });
// The deadline is set once every follower is in (the database's clock decides; this is its instant on this machine's clock).
const { start, deadlineAt } = await new Promise<{ start: number; deadlineAt: number }>((resolve) => parentPort!.once('message', resolve));
input.deadlineAt = deadlineAt;
await sleep(Math.max(0, start - Date.now()));
await Promise.all([...input.writers.map((w, n) => participant(w, n)), ...input.readerCookies.map((c) => reader(c))]);
await sleep(3000); // the last events on their way
const fanOutMs: number[] = [];
let lostEvents = 0;
for (const [key, sent] of sentAt) {
  const a = arrivals.get(key);
  lostEvents += followers.length - (a?.count ?? 0);
  if (a) fanOutMs.push(a.last - sent);
}
for (const s of followers) s.close();
parentPort!.postMessage({ kinds, fanOutMs, lostEvents, outOfOrder, followers: followers.length, acceptedWrites: sentAt.size } satisfies RushResult);
