// Digest delivery under faults, with Convene in child processes as it runs in production: the
// database restarting in the middle of a send, and the sending instance killed while another
// instance runs. The SMTP sink holds its answers on demand, so each fault lands while senders
// are known to be waiting on the SMTP server, and it counts a message only when its sender was
// still there to hear the 250.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { testConfig, uniqueJobsSchema, type TestApp } from '../helpers/app.ts';
import { addMilestone, createListGroup } from '../helpers/digests.ts';
import { startOwnPostgres, type OwnPostgres } from '../helpers/postgres.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

let server: OwnPostgres;
let databaseUrl: string;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  server = await startOwnPostgres();
  databaseUrl = await server.createDatabase('convene', { migrate: true });
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await server?.close();
});

const CONCURRENCY = 4;
const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address?.toLowerCase();

async function sinkFor(options: Parameters<typeof startSmtpSink>[0]) {
  const sink = await startSmtpSink(options);
  cleanups.push(() => sink.close());
  return sink;
}

/** An instance in this process that only enqueues (web-only), to create groups and read rows. */
async function webApp(jobsSchema: string) {
  const app = await buildApp({ config: testConfig({ JOBS_SCHEMA: jobsSchema, JOBS_WORKERS: 'false' }), databaseUrl });
  await app.ready();
  cleanups.push(() => app.close());
  return app;
}

interface Worker {
  child: ChildProcess;
  name: string;
  output: () => string;
}

/** A worker instance in a child process; its SMTP client introduces itself as `name` (EHLO). */
function spawnWorker(sink: SmtpSink, jobsSchema: string, name: string, env: Record<string, string> = {}) {
  const base = testConfig();
  let output = '';
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', path.resolve('test/fixtures/digest-worker.ts')], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      SMTP_URL: `${sink.url}/?name=${name}`,
      JOBS_SCHEMA: jobsSchema,
      JOBS_POLL_SECONDS: '0.5',
      SESSION_SECRET: base.sessionSecret,
      PUBLIC_URL: base.publicUrl,
      SEED: 'never',
      DIGEST_SEND_CONCURRENCY: String(CONCURRENCY),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return new Promise<Worker>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      output += d;
      if (d.toString().includes('ready')) resolve({ child, name, output: () => output });
    });
    child.stderr!.on('data', (d: Buffer) => {
      output += d;
    });
    child.on('exit', (code, signal) => reject(new Error(`worker ${name} exited before ready (${code ?? signal}):\n${output}`)));
  });
}

/**
 * Polls `probe` until it answers, failing at once if one of `workers` dies (with its output), or
 * at the deadline. Database errors while the server is down count as "not yet".
 */
async function whileAlive<T>(workers: Worker[], probe: () => Promise<T> | T, ms: number, what: string): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const dead = workers.find((w) => w.child.exitCode !== null || w.child.signalCode !== null);
    if (dead)
      throw new Error(`worker ${dead.name} died (${dead.child.exitCode ?? dead.child.signalCode}) while waiting for ${what}:\n${dead.output().slice(-4000)}`);
    const value = await Promise.resolve()
      .then(probe)
      .catch(() => null);
    if (value) return value as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const deliveryRows = (app: TestApp, groupId: string) => app.prisma.digestDelivery.findMany({ where: { digest: { groupId } } });

function expectEachOnce(sink: SmtpSink, everyone: string[]) {
  const recipients = sink.messages.map(to).sort();
  expect(recipients).toEqual([...everyone].sort());
  expect([...sink.byMessageId.values()].every((n) => n === 1)).toBe(true);
}

describe('digest delivery under faults', () => {
  it('survives a PostgreSQL restart in the middle of a digest and sends it to every recipient exactly once', async () => {
    const jobsSchema = uniqueJobsSchema();
    const sink = await sinkFor({ holdAfter: 8 });
    const web = await webApp(jobsSchema);
    const { group, convener, subscribers, listAddress } = await createListGroup(web, { subscribers: 30 });
    const everyone = [listAddress, ...subscribers];
    const sender = await spawnWorker(sink, jobsSchema, 'sender');

    await addMilestone(web, { group, actor: convener, inMs: 200 });
    await whileAlive([sender], () => sink.held().length === CONCURRENCY, 15_000, 'every lane to wait on the SMTP server');
    await server.stopFast();
    // The SMTP server answers while the database is down: those sends must still be recorded once.
    sink.release();
    await whileAlive([sender], () => sink.accepted() === 8 + CONCURRENCY, 10_000, 'the held messages to be accepted');
    await server.start();

    const rows = await whileAlive(
      [sender],
      async () => {
        const r = await deliveryRows(web, group.id);
        return r.length === everyone.length && r.every((d) => d.state === 'SENT') ? r : null;
      },
      20_000,
      'every delivery to be sent after the restart',
    );
    expect(rows).toHaveLength(everyone.length);
    await sink.waitFor(everyone.length);
    expectEachOnce(sink, everyone);
    expect(sender.child.exitCode).toBeNull();
  }, 60_000);

  it('is finished promptly by another running instance when the sender is killed mid-send, each recipient exactly once', async () => {
    const jobsSchema = uniqueJobsSchema();
    const sink = await sinkFor({ holdAfter: 10 });
    const web = await webApp(jobsSchema);
    const { group, convener, subscribers, listAddress } = await createListGroup(web, { subscribers: 40 });
    const everyone = [listAddress, ...subscribers];
    // Short leases so the test takes seconds; production leases are tens of seconds.
    const leases = { DELIVERY_LEASE_MS: '3000', DELIVERY_SWEEP_MS: '250' };
    const workers = await Promise.all(['instance-a', 'instance-b'].map((name) => spawnWorker(sink, jobsSchema, name, leases)));

    await addMilestone(web, { group, actor: convener, inMs: 200 });
    const held = await whileAlive(workers, () => (sink.held().length === CONCURRENCY ? sink.held() : null), 15_000, 'the sender to wait on the SMTP server');
    const senderName = held[0]!.ehlo;
    expect(held.every((m) => m.ehlo === senderName)).toBe(true);
    const sender = workers.find((w) => w.name === senderName)!;
    const survivor = workers.find((w) => w !== sender)!;
    // Every 250 answered so far is recorded: the kill lands where no acknowledgement can be lost.
    await whileAlive(
      workers,
      async () => (await deliveryRows(web, group.id)).filter((d) => d.state === 'SENT').length === sink.accepted(),
      10_000,
      'the accepted messages to be recorded',
    );

    const killedAt = Date.now();
    sender.child.kill('SIGKILL');
    await new Promise((r) => (sender.child.exitCode !== null || sender.child.signalCode !== null ? r(null) : sender.child.once('exit', r)));
    // The sink must have seen the dead sender hang up before it answers, or it would count as
    // delivered four messages whose 250 nobody heard.
    await whileAlive([survivor], () => sink.held().every((m) => m.senderGone), 5_000, 'the sink to see the killed sender hang up');
    sink.release();

    const rows = await whileAlive(
      [survivor],
      async () => {
        const r = await deliveryRows(web, group.id);
        return r.length === everyone.length && r.every((d) => d.state === 'SENT') ? r : null;
      },
      20_000,
      'the survivor to finish the digest',
    );
    const takeoverMs = Date.now() - killedAt;
    console.log(`digest finished by the surviving instance ${takeoverMs} ms after the sender was killed (lease 3000 ms)`);
    expect(rows).toHaveLength(everyone.length);
    await sink.waitFor(everyone.length);
    expectEachOnce(sink, everyone);
    expect(sink.acceptedFrom.get(survivor.name)).toBe(everyone.length - 10);
    expect(takeoverMs).toBeLessThan(15_000);
  }, 60_000);
});
