// The compose topology, with processes instead of containers (no container engine runs here): two
// instances of the real entry point (`node server/main.ts`, production mode, both running jobs) on
// one PostgreSQL, behind a reverse proxy process (http-proxy) that balances round-robin and pins a
// client that carries its cookie to one instance, as deploy/Caddyfile's `lb_policy cookie` does.
// Everything below goes through the proxy, as browsers' requests would.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import httpProxy from 'http-proxy';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../../server/plugins/prisma.ts';
import { DRAFT_MD } from '../helpers/documents.ts';
import { until } from '../helpers/digests.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

const ORIGIN = 'http://localhost:3000';
const children: ChildProcess[] = [];
let databaseName: string;
let databaseUrl: string;
let sink: SmtpSink;
let proxyServer: Server;
let proxyUrl: string;
let db: ReturnType<typeof createDatabase>;
const ports: Record<'a' | 'b', number> = { a: 0, b: 0 };
/** Which instance served each request and upgrade, in order (method, path, instance). */
const served: { method: string; path: string; instance: 'a' | 'b' }[] = [];
const sockets: Socket[] = [];

function startInstance(name: 'a' | 'b', port: number) {
  let output = '';
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'server/main.ts'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      PUBLIC_URL: ORIGIN,
      SESSION_SECRET: 'scale-out-secret-scale-out-secret-0123456789',
      SMTP_URL: `${sink.url}?name=${name}`,
      TRUST_PROXY: 'loopback',
      SEED: 'never',
      LOG_LEVEL: 'warn',
      JOBS_WORKERS: 'true',
      JOBS_POLL_SECONDS: '0.5',
      DELIVERY_SWEEP_MS: '500',
      LOAD_SHEDDING: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`instance ${name} exited with ${code}:\n${output.slice(-3000)}`)));
    const poll = async () => {
      if (
        await fetch(`http://127.0.0.1:${port}/api/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return resolve();
      if (child.exitCode === null) setTimeout(poll, 200);
    };
    void poll();
  });
}

/** The proxy: `convene_lb=a|b` pins a client to an instance; without it, round-robin. */
function startProxy() {
  const proxy = httpProxy.createProxyServer({ ws: true, xfwd: true });
  proxy.on('error', (_err, _req, res) => {
    if ('writeHead' in res && !res.headersSent) res.writeHead(502).end();
    else res.end();
  });
  let next = 0;
  const pick = (req: IncomingMessage): 'a' | 'b' => {
    const pinned = req.headers.cookie?.match(/(?:^|;\s*)convene_lb=([ab])/)?.[1] as 'a' | 'b' | undefined;
    const instance = pinned ?? (next++ % 2 === 0 ? 'a' : 'b');
    served.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, instance });
    return instance;
  };
  const server = createServer((req, res) => proxy.web(req, res, { target: `http://127.0.0.1:${ports[pick(req)]}` }));
  server.on('upgrade', (req, socket, head) => proxy.ws(req, socket, head, { target: `http://127.0.0.1:${ports[pick(req)]}` }));
  return new Promise<Server>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface Client {
  cookie: string;
  csrf: string;
}

/** A request through the proxy, pinned to an instance when asked (as a returning browser is). */
async function call(method: string, path: string, options: { as?: Client; on?: 'a' | 'b'; body?: unknown } = {}) {
  const cookies = [options.as?.cookie, options.on ? `convene_lb=${options.on}` : undefined].filter(Boolean).join('; ');
  return fetch(`${proxyUrl}${path}`, {
    method,
    headers: {
      ...(cookies ? { cookie: cookies } : {}),
      ...(options.as && method !== 'GET' ? { 'x-csrf-token': options.as.csrf } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      origin: ORIGIN,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
}

/** Signs in through the proxy with the link the instances mailed (to the SMTP sink). */
async function signIn(email: string): Promise<Client> {
  const seen = sink.messages.length;
  expect((await call('POST', '/api/auth/sign-in', { body: { email } })).status).toBe(202);
  const mail = await until(
    () => sink.messages.slice(seen).find((m) => m.to && JSON.stringify(m.to).includes(email) && /sign-in/i.test(m.subject ?? '')),
    15_000,
    'the sign-in mail',
  );
  const token = new URL(mail.text!.match(/https?:\/\/\S+\/sign-in\/verify\?token=[\w-]+/)![0]).searchParams.get('token');
  const res = await call('POST', '/api/auth/verify', { body: { token } });
  expect(res.status).toBe(200);
  const session = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('__Host-convene_session='))!
    .split(';')[0]!;
  return { cookie: session, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

function openSocket(client: Client, on: 'a' | 'b', transports: ('websocket' | 'polling')[] = ['websocket'], pin = true) {
  const socket = io(proxyUrl, {
    transports,
    extraHeaders: { cookie: [client.cookie, pin ? `convene_lb=${on}` : ''].filter(Boolean).join('; '), origin: ORIGIN },
    forceNew: true,
    reconnection: false,
    timeout: 10_000,
  });
  sockets.push(socket);
  return socket;
}

const connected = (s: Socket) =>
  new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });

let group: { id: string; slug: string };
let convener: Client;
let participant: Client;
let documentId: string;
let clauseId: string;

beforeAll(async () => {
  databaseName = `scale_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: inject('databaseUrl') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  await admin.end();
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${databaseName}`;
  databaseUrl = url.toString();
  sink = await startSmtpSink();
  const base = 63000 + Math.floor(Math.random() * 1900);
  ports.a = base;
  ports.b = base + 1;
  // Together, as a rollout starts them: each migrates (once between them) and starts its workers.
  await Promise.all([startInstance('a', ports.a), startInstance('b', ports.b)]);
  proxyServer = await startProxy();
  proxyUrl = `http://127.0.0.1:${(proxyServer.address() as AddressInfo).port}`;

  db = createDatabase(databaseUrl, 2);
  const [c, p] = await Promise.all(
    ['Convener', 'Participant'].map((name) =>
      db.prisma.user.create({ data: { email: `${name.toLowerCase()}-${randomBytes(3).toString('hex')}@example.test`, name, affiliation: 'SG17' } }),
    ),
  );
  group = await db.prisma.group.create({
    data: {
      slug: 'scale-out',
      name: 'Scale-out group',
      acronym: 'SCALE',
      parentBodies: ['SG17'],
      mailingList: 'scale-out@lists.example.test',
      visibility: 'PUBLIC_OUTPUTS',
      memberships: {
        create: [
          { userId: c!.id, role: 'CONVENER' },
          { userId: p!.id, role: 'PARTICIPANT' },
        ],
      },
    },
  });
  [convener, participant] = await Promise.all([signIn(c!.email), signIn(p!.email)]);
  const doc = await call('POST', `/api/groups/${group.slug}/documents`, { as: convener, body: { title: 'Report' } });
  expect(doc.status).toBe(201);
  documentId = ((await doc.json()) as { id: string }).id;
  const rev = await call('POST', `/api/groups/${group.slug}/documents/${documentId}/revisions`, {
    as: convener,
    body: { label: 'Baseline', source: DRAFT_MD },
  });
  expect(rev.status).toBe(201);
  clauseId = ((await rev.json()) as { clauses: { id: string; number: string }[] }).clauses.find((x) => x.number === '7.1')!.id;
  const period = await call('POST', `/api/groups/${group.slug}/documents/${documentId}/periods`, {
    as: convener,
    body: { revision: 1, opensAt: new Date(Date.now() - 3_600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() },
  });
  expect(period.status).toBe(201);
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
  proxyServer?.close();
  await db?.prisma.$disconnect();
  await db?.pool.end();
  await sink?.close();
  const admin = new pg.Client({ connectionString: inject('databaseUrl') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  await admin.end();
});

describe('two instances behind a proxy', () => {
  it('delivers a comment posted on one instance to a socket on the other', async () => {
    const socket = openSocket(participant, 'b');
    await connected(socket);
    const got: { data: { id: string; body: string } }[] = [];
    socket.on('comments.created', (e) => got.push(e));
    const ack = await socket.timeout(5_000).emitWithAck('subscribe', { kind: 'document', id: documentId });
    expect(ack.ok).toBe(true);

    const res = await call('POST', `/api/groups/${group.slug}/documents/${documentId}/revisions/1/comments`, {
      as: participant,
      on: 'a',
      body: { clauseId, type: 'technical', body: 'Posted on A, read on B.' },
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const event = await until(() => got.find((e) => e.data.id === id), 10_000, 'the comment on the socket held by B');
    expect(event.data.body).toBe('Posted on A, read on B.');
    // The proxy did split them: the comment was posted through A, the socket is held by B.
    expect(served.filter((s) => s.path.endsWith('/comments') && s.method === 'POST').map((s) => s.instance)).toEqual(['a']);
    expect(served.filter((s) => s.path.startsWith('/socket.io')).every((s) => s.instance === 'b')).toBe(true);
  });

  it('cuts the sockets on the other instance when a session signs out on one', async () => {
    const session = await signIn((await db.prisma.user.findFirstOrThrow({ where: { name: 'Participant' } })).email);
    const socket = openSocket(session, 'b');
    await connected(socket);
    const reason = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    // B has served the session (and cached it).
    expect((await call('GET', '/api/me', { as: session, on: 'b' })).status).toBe(200);
    expect((await call('POST', '/api/auth/sign-out', { as: session, on: 'a' })).status).toBe(204);
    expect(await reason).toBe('io server disconnect');
    expect((await call('GET', '/api/me', { as: session, on: 'b' })).status).toBe(401);
    // The other session of the same person is untouched.
    expect((await call('GET', '/api/me', { as: participant, on: 'b' })).status).toBe(200);
  });

  it('sends a digest once to each recipient although both instances run workers', async () => {
    const subscribers = ['one', 'two', 'three'].map((n) => `${n}-${randomBytes(3).toString('hex')}@subscribers.test`);
    await db.prisma.digestSubscription.createMany({
      data: subscribers.map((email) => ({ groupId: group.id, email, state: 'CONFIRMED' as const, confirmedAt: new Date() })),
    });
    const res = await call('POST', `/api/groups/${group.slug}/milestones`, {
      as: convener,
      body: { at: new Date(Date.now() + 1_000).toISOString(), kind: 'comments_close', label: 'Scale-out checkpoint' },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const deliveries = await until(
      async () => {
        const rows = await db.prisma.digestDelivery.findMany({ where: { digest: { groupId: group.id } } });
        return rows.length === subscribers.length + 1 && rows.every((r) => r.state === 'SENT') ? rows : null;
      },
      20_000,
      'every delivery sent',
    );
    expect(deliveries.map((d) => d.recipient).sort()).toEqual([...subscribers, 'scale-out@lists.example.test'].sort());
    expect(await db.prisma.digest.count({ where: { groupId: group.id } })).toBe(1);
    // Each recipient's message reached the SMTP server exactly once.
    for (const d of deliveries) expect(sink.byMessageId.get(d.messageId), d.recipient).toBe(1);
  });

  it('needs the sticky cookie for socket.io long-polling, and works with it', async () => {
    // Pinned: the handshake and every poll reach the instance that holds the engine.io session.
    const pinned = openSocket(participant, 'a', ['polling']);
    await connected(pinned);
    const ack = await pinned.timeout(5_000).emitWithAck('subscribe', { kind: 'document', id: documentId });
    expect(ack.ok).toBe(true);
    // Round-robin: the poll after the handshake reaches the other instance, which does not know the session.
    const unpinned = openSocket(participant, 'a', ['polling'], false);
    const failed = await new Promise<string>((resolve) => {
      unpinned.once('connect_error', (err) => resolve(`connect_error: ${err.message}`));
      unpinned.once('disconnect', (reason) => resolve(`disconnect: ${reason}`));
      unpinned.once('connect', () => {
        unpinned.once('disconnect', (reason) => resolve(`disconnect: ${reason}`));
      });
    });
    expect(failed).toMatch(/connect_error|disconnect/);
  });
});
