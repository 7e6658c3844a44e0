// A reply received is a reply kept: an instance killed (SIGKILL) after it answered "250" to a reply
// and before any worker processed it loses nothing — another instance on the same database and job
// store processes it, once. On an instance that processes what it stores itself, the way back is one
// job per receipt window, written with the window's first receipt and run after it closes.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { issueReply } from '../../server/modules/mailin/issue-reply.ts';
import { uuidv7Floor, uuidv7Time } from '../../server/lib/uuid.ts';
import { INBOUND_QUEUE, receiveMessage } from '../../server/modules/mailin/receive-message.ts';
import { deliver, processed } from '../helpers/mail-replies.ts';
import { testConfig, uniqueJobsSchema, type TestApp } from '../helpers/app.ts';
import { until } from '../helpers/digests.ts';
import { adjudicationScene } from '../helpers/dispositions.ts';

const DOMAIN = 'reply.crash.convene.test';
const apps: TestApp[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const a of apps) await a.close();
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function appWith(jobsSchema: string, workers: boolean, env: Record<string, string> = {}) {
  const app = await buildApp({
    config: testConfig({ JOBS_SCHEMA: jobsSchema, JOBS_WORKERS: String(workers), MAIL_REPLY_DOMAIN: DOMAIN, ...env }),
    databaseUrl: inject('databaseUrl'),
  });
  await app.ready();
  apps.push(app);
  app.mailIntake.resolver = async () => {
    throw Object.assign(new Error('no DNS here'), { code: 'ENOTFOUND' });
  };
  return app;
}

function spawnReceiver(jobsSchema: string, smtpPort: number) {
  const base = testConfig();
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', path.resolve('test/fixtures/web-instance.ts')], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: inject('databaseUrl'),
      JOBS_SCHEMA: jobsSchema,
      // It receives and stores; nothing on it would process what it received.
      JOBS_WORKERS: 'false',
      MAIL_INBOUND_SMTP: 'on',
      MAIL_INBOUND_SMTP_HOST: '127.0.0.1',
      MAIL_INBOUND_SMTP_PORT: String(smtpPort),
      MAIL_REPLY_DOMAIN: DOMAIN,
      SESSION_SECRET: base.sessionSecret,
      PUBLIC_URL: base.publicUrl,
      REALTIME_CHANNEL: base.realtimeChannel,
      SEED: 'never',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise<ChildProcess>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      output += d;
      if (/ready \d+/.test(output)) resolve(child);
    });
    child.stderr!.on('data', (d: Buffer) => {
      output += d;
    });
    child.on('exit', (code, signal) => reject(new Error(`receiver exited before ready (${code ?? signal}):\n${output}`)));
  });
}

it('a reply stored by an instance killed before processing it is processed once by another', async () => {
  const jobsSchema = uniqueJobsSchema();
  // The scene and the reply address, on an app that runs no workers either.
  const first = await appWith(jobsSchema, false);
  const scene = await adjudicationScene(first, { periodOpen: true });
  const reply = await issueReply(first.ctx, scene.participant.id, { purpose: 'clause_comment', targetId: scene.revision.id });

  const port = await freePort();
  const receiver = await spawnReceiver(jobsSchema, port);
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  const messageId = `<crash-${Date.now()}@client.example.test>`;
  const sent = await transport.sendMail({
    from: scene.participant.email,
    to: reply!.address,
    subject: 'Comment on clause 7.1',
    messageId,
    text: 'Kept across a crash.',
  });
  transport.close();
  expect(sent.response).toMatch(/^250/);
  const exited = new Promise((resolve) => receiver.once('exit', resolve));
  receiver.kill('SIGKILL');
  await exited;
  const stored = await first.prisma.inboundMessage.findUniqueOrThrow({ where: { messageId } });
  expect(stored.processedAt).toBeNull();

  // Another instance with workers takes the job from the store.
  const second = await appWith(jobsSchema, true);
  const row = await until(
    async () => {
      const r = await second.prisma.inboundMessage.findUnique({ where: { messageId }, omit: { raw: true } });
      return r?.processedAt ? r : null;
    },
    20_000,
    'the stored reply processed',
  );
  expect(row).toMatchObject({ outcome: 'accepted', deliveries: 1 });
  expect(await second.prisma.comment.count({ where: { body: 'Kept across a crash.', revisionId: scene.revision.id } })).toBe(1);
}, 40_000);

it('an instance that processes what it stores writes one job per receipt window, run after it closes; the job processes what is left', async () => {
  const jobsSchema = uniqueJobsSchema();
  const app = await appWith(jobsSchema, true, {
    MAIL_INBOUND_SMTP: 'on',
    MAIL_INBOUND_SMTP_HOST: '127.0.0.1',
    MAIL_INBOUND_SMTP_PORT: '0',
    MAIL_INBOUND_RECOVERY_SECONDS: '1',
  });
  const scene = await adjudicationScene(app, { periodOpen: true });
  const reply = await issueReply(app.ctx, scene.participant.id, { purpose: 'clause_comment', targetId: scene.revision.id });
  const jobs = () =>
    app.jobs.pool
      .query<{ id: string; data: { from?: string; to?: string; ids?: string[] }; start_after: Date; state: string }>(
        `SELECT id, data, start_after, state FROM "${jobsSchema}".job WHERE name = $1 ORDER BY created_on`,
        [INBOUND_QUEUE],
      )
      .then((r) => r.rows);

  // Three replies in a row: each processed at once by this instance, all three under one job.
  const sentAt = Date.now();
  const rows = [];
  for (const n of [1, 2, 3]) {
    const messageId = `<window-${n}-${sentAt}@client.example.test>`;
    const sent = await deliver(app, { from: scene.participant.email, to: reply!.address, subject: 'Comment on clause 7.1', messageId, text: `Window ${n}.` });
    expect(sent.response).toMatch(/^250/);
    rows.push(await processed(app, messageId));
  }
  expect(rows.map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
  const [job, ...others] = await jobs();
  expect(others).toHaveLength(0);
  const { from, to } = job!.data;
  for (const r of rows) expect(r.id >= from! && r.id < to!).toBe(true);
  // It waits for the window (10 s from the first receipt) to close, and the recovery delay after it.
  expect(uuidv7Time(to!) - uuidv7Time(from!)).toBe(10_000);
  expect(job!.start_after.getTime()).toBeGreaterThanOrEqual(uuidv7Time(to!) + 1_000 - 50);
  expect(job!.state).toBe('created');

  // A reply of the window that this instance stored and never processed (as when it is killed
  // between the two): stored here on the database alone, with an id inside the window.
  const leftId = uuidv7Floor(uuidv7Time(from!) + 5_000).replace(/0{12}$/, '000000000001');
  const leftMessageId = `<window-left-${sentAt}@client.example.test>`;
  const raw = Buffer.from(
    [
      `From: ${scene.participant.email}`,
      `To: ${reply!.address}`,
      'Subject: Comment on clause 7.1',
      `Message-ID: ${leftMessageId}`,
      '',
      'Left by a crash.',
      '',
    ].join('\r\n'),
  );
  await app.prisma.$executeRaw`INSERT INTO "InboundMessage" (id, "messageId", source, "envelopeFrom", "envelopeTo", raw)
    VALUES (${leftId}::uuid, ${leftMessageId}, 'smtp', ${scene.participant.email}, ARRAY[${reply!.address}]::text[], ${raw})`;

  // The window has closed (as if 11 s had passed): the job runs and processes that one, once.
  await app.jobs.pool.query(`UPDATE "${jobsSchema}".job SET start_after = now() WHERE id = $1`, [job!.id]);
  app.jobs.wake(INBOUND_QUEUE);
  expect(await processed(app, leftMessageId)).toMatchObject({ outcome: 'accepted', deliveries: 1 });
  await until(async () => ((await jobs())[0]!.state === 'completed' ? true : null), 15_000, 'the window job completed');
  expect(
    await app.prisma.comment.count({ where: { revisionId: scene.revision.id, body: { in: ['Window 1.', 'Window 2.', 'Window 3.', 'Left by a crash.'] } } }),
  ).toBe(4);
}, 40_000);

it('an instance that runs no workers stores each batch with a job of its own, to run at once', async () => {
  const jobsSchema = uniqueJobsSchema();
  const app = await appWith(jobsSchema, false);
  const stored = await receiveMessage(app.ctx, { raw: Buffer.from(`Message-ID: <own-job-${Date.now()}@x.test>\r\n\r\nHello.\r\n`), source: 'http' });
  const { rows } = await app.jobs.pool.query<{ data: { ids?: string[] }; start_after: Date; created_on: Date }>(
    `SELECT data, start_after, created_on FROM "${jobsSchema}".job WHERE name = $1`,
    [INBOUND_QUEUE],
  );
  expect(rows).toHaveLength(1);
  expect(rows[0]!.data.ids).toEqual([stored.id]);
  expect(rows[0]!.start_after.getTime() - rows[0]!.created_on.getTime()).toBeLessThan(1_000);
});
