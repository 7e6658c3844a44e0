// A reply received is a reply kept: an instance killed (SIGKILL) after it answered "250" to a reply
// and before any worker processed it loses nothing — another instance on the same database and job
// store processes it, once.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { issueReply } from '../../server/modules/mailin/issue-reply.ts';
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

async function appWith(jobsSchema: string, workers: boolean) {
  const app = await buildApp({
    config: testConfig({ JOBS_SCHEMA: jobsSchema, JOBS_WORKERS: String(workers), MAIL_REPLY_DOMAIN: DOMAIN }),
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
