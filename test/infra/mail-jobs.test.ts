// Every e-mail is a durable job, enqueued in the transaction of the change that causes it: an SMTP
// outage or a crash between the commit and the send delays the mail, never loses it, and a resend
// after a crash carries the same Message-ID.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, randomIp, testConfig, uniqueJobsSchema, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, createUser, sessionFromResponse, tokenOf } from '../helpers/factories.ts';
import { until } from '../helpers/digests.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function sinkFor(options: Parameters<typeof startSmtpSink>[0] = {}) {
  const sink = await startSmtpSink(options);
  cleanups.push(() => sink.close());
  return sink;
}
async function appWith(env: Record<string, string>) {
  const app = await createTestApp({ env });
  cleanups.push(() => app.close());
  return app;
}

const LINK = /https?:\/\/\S+\/sign-in\/verify\?token=[\w%-]+/;
const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address?.toLowerCase();
const mailsTo = (sink: SmtpSink, email: string) => sink.messages.filter((m) => to(m) === email);

/** The states of the mail jobs of a job store (its own schema per test app). */
async function mailJobStates(app: TestApp, schema: string): Promise<string[]> {
  const rows = await app.prisma.$queryRawUnsafe<{ state: string }[]>(`SELECT state::text FROM "${schema}".job WHERE name = 'mail'`);
  return rows.map((r) => r.state);
}

/** A port nobody listens on now, where a sink is opened later (above the ephemeral range). */
const quietPort = () => 63000 + Math.floor(Math.random() * 2000);

// Retries at once (DELIVERY_RETRY_BASE_MS 0: at the job queue's next poll), so no test waits out a
// backoff; the scenarios of a block are independent (own app, sink and job store) and run together.
const AT_ONCE = { DELIVERY_RETRY_BASE_MS: '0' };

describe.concurrent('mail while SMTP is down', { timeout: 60_000 }, () => {
  it('sends a sign-in link requested while the SMTP server is unreachable once it is back, exactly once', async () => {
    const port = quietPort();
    const schema = uniqueJobsSchema();
    // Attempts every half second: enough of them that the sink opens before they run out.
    const app = await appWith({ SMTP_URL: `smtp://127.0.0.1:${port}`, JOBS_SCHEMA: schema, ...AT_ONCE, DELIVERY_MAX_ATTEMPTS: '60' });
    const user = await createUser(app);
    const ip = randomIp();
    const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: user.email }, remoteAddress: ip });
    expect(res.statusCode).toBe(202);
    // The first attempt failed: the job waits for its retry instead of being lost.
    await until(async () => (await mailJobStates(app, schema)).includes('retry'), 10_000, 'the failed attempt to be scheduled for a retry');

    const sink = await sinkFor({ port });
    const [mail] = await until(() => (mailsTo(sink, user.email).length ? mailsTo(sink, user.email) : null), 20_000, 'the link once SMTP is back');
    await until(async () => (await mailJobStates(app, schema)).every((s) => s === 'completed'), 10_000, 'the job to complete');
    expect(mailsTo(sink, user.email)).toHaveLength(1);
    const link = mail!.text!.match(LINK)![0];
    const verified = await app.inject({ method: 'POST', url: '/api/auth/verify', payload: { token: tokenOf(link) }, remoteAddress: ip });
    expect(verified.statusCode).toBe(200);
  }, 60_000);

  it('sends an invitation refused with 421 by the SMTP server on a later attempt, once, with the same Message-ID', async () => {
    const sink = await sinkFor();
    const app = await appWith({ SMTP_URL: sink.url, ...AT_ONCE });
    const { group, convener } = await createCastedGroup(app);
    const ip = randomIp();
    await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: convener.email }, remoteAddress: ip });
    const signInMail = await until(() => mailsTo(sink, convener.email)[0], 10_000, 'the convener sign-in link');
    const session = sessionFromResponse(
      await app.inject({ method: 'POST', url: '/api/auth/verify', payload: { token: tokenOf(signInMail.text!.match(LINK)![0]) }, remoteAddress: ip }),
    );

    const email = `invitee-${Date.now()}@example.test`;
    sink.refuseNext(2);
    const invited = await app.inject({
      method: 'POST',
      url: `/api/groups/${group.slug}/invitations`,
      headers: session.headers,
      payload: { invitees: [{ email, name: 'Invitee' }] },
    });
    expect(invited.statusCode).toBe(200);
    const [mail] = await until(() => (mailsTo(sink, email).length ? mailsTo(sink, email) : null), 20_000, 'the invitation');
    expect(mail!.subject).toBe(`Invitation to ${group.acronym} on Convene`);
    expect(sink.tempFailuresLeft()).toBe(0);
    expect(mailsTo(sink, email)).toHaveLength(1);
    expect(sink.byMessageId.get(mail!.messageId!)).toBe(1);
    // Each refused attempt carried the Message-ID of the message finally accepted.
    expect(sink.refusedIds).toEqual([mail!.messageId, mail!.messageId]);
  }, 60_000);
});

describe.concurrent('mail that cannot be sent', { timeout: 60_000 }, () => {
  async function operatorOf(app: TestApp, sink: SmtpSink) {
    const operator = await createUser(app, { isOperator: true });
    const ip = randomIp();
    await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: operator.email }, remoteAddress: ip });
    const mail = await until(() => mailsTo(sink, operator.email)[0], 10_000, 'the operator sign-in link');
    return sessionFromResponse(
      await app.inject({ method: 'POST', url: '/api/auth/verify', payload: { token: tokenOf(mail.text!.match(LINK)![0]) }, remoteAddress: ip }),
    );
  }
  const deadLetters = async (app: TestApp, headers: Record<string, string>) => {
    const res = await app.inject({ method: 'GET', url: '/api/admin/mail/dead-letters', headers });
    expect(res.statusCode).toBe(200);
    return (res.json() as { messages: { to: string; template: string; error: string; attempts: number }[] }).messages;
  };

  it('dead-letters a message the SMTP server refuses for good at once, where the operator sees it without its link', async () => {
    const refused = `gone-${Date.now()}@example.test`;
    const sink = await sinkFor({ rejectRecipients: [refused] });
    const app = await appWith({ SMTP_URL: sink.url });
    const operator = await operatorOf(app, sink);
    const user = await createUser(app, { email: refused });
    await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: user.email }, remoteAddress: randomIp() });
    const [dead] = await until(
      async () => {
        const found = (await deadLetters(app, operator.headers)).filter((m) => m.to === refused);
        return found.length ? found : null;
      },
      10_000,
      'the dead letter',
    );
    expect(dead).toMatchObject({ to: refused, template: 'sign-in', attempts: 1 });
    expect(dead!.error).toMatch(/550/);
    expect(JSON.stringify(dead)).not.toMatch(/token=/);
    // Nobody else may read it.
    const member = await createUser(app);
    const ip = randomIp();
    await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: member.email }, remoteAddress: ip });
    const link = (await until(() => mailsTo(sink, member.email)[0], 10_000, 'the member link')).text!.match(LINK)![0];
    const session = sessionFromResponse(await app.inject({ method: 'POST', url: '/api/auth/verify', payload: { token: tokenOf(link) }, remoteAddress: ip }));
    expect((await app.inject({ method: 'GET', url: '/api/admin/mail/dead-letters', headers: session.headers })).statusCode).toBe(403);
  }, 60_000);

  it('dead-letters a message still refused with 421 after the last attempt', async () => {
    const sink = await sinkFor();
    const app = await appWith({ SMTP_URL: sink.url, DELIVERY_MAX_ATTEMPTS: '2', ...AT_ONCE });
    const operator = await operatorOf(app, sink);
    const user = await createUser(app);
    sink.refuseNext(100);
    await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: user.email }, remoteAddress: randomIp() });
    const [dead] = await until(
      async () => {
        const found = (await deadLetters(app, operator.headers)).filter((m) => m.to === user.email);
        return found.length ? found : null;
      },
      20_000,
      'the dead letter',
    );
    expect(dead).toMatchObject({ template: 'sign-in', attempts: 2 });
    expect(dead!.error).toMatch(/421/);
    expect(sink.refusedIds).toHaveLength(2);
  }, 60_000);
});

interface Instance {
  child: ChildProcess;
  port: number;
  output: () => string;
}

/** A whole instance in a child process; its SMTP client introduces itself as `name` (EHLO). */
function spawnInstance(sink: SmtpSink, jobsSchema: string, name: string): Promise<Instance> {
  const base = testConfig();
  let output = '';
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', path.resolve('test/fixtures/web-instance.ts')], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: inject('databaseUrl'),
      SMTP_URL: `${sink.url}/?name=${name}`,
      JOBS_SCHEMA: jobsSchema,
      JOBS_POLL_SECONDS: '0.5',
      JOBS_SUPERVISE_SECONDS: '1',
      ...AT_ONCE,
      SESSION_SECRET: base.sessionSecret,
      PUBLIC_URL: base.publicUrl,
      REALTIME_CHANNEL: base.realtimeChannel,
      SEED: 'never',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return new Promise<Instance>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      output += d;
      const port = /ready (\d+)/.exec(output)?.[1];
      if (port) resolve({ child, port: Number(port), output: () => output });
    });
    child.stderr!.on('data', (d: Buffer) => {
      output += d;
    });
    child.on('exit', (code, signal) => reject(new Error(`instance ${name} exited before ready (${code ?? signal}):\n${output}`)));
  });
}

async function kill(instance: Instance) {
  const exited = new Promise((resolve) => instance.child.once('exit', resolve));
  instance.child.kill('SIGKILL');
  await exited;
}

const post = (instance: Instance, url: string, body: object, headers: Record<string, string> = {}) =>
  fetch(`http://127.0.0.1:${instance.port}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function signInThrough(instance: Instance, sink: SmtpSink, email: string) {
  expect((await post(instance, '/api/auth/sign-in', { email })).status).toBe(202);
  const mail = await until(() => mailsTo(sink, email)[0], 10_000, `the sign-in link of ${email}`);
  const res = await post(instance, '/api/auth/verify', { token: tokenOf(mail.text!.match(LINK)![0]) });
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('__Host-convene_session='))!
    .split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken };
}

/**
 * Requests a mail on an instance whose SMTP server holds every answer, kills the instance with
 * SIGKILL while it waits for the 250, starts another, and returns what the sink then received.
 */
async function killedMidSend(sink: SmtpSink, first: Instance, jobsSchema: string, reader: TestApp, email: string) {
  await until(() => sink.held().some((m) => m.to.includes(email)), 10_000, 'the send to wait on the SMTP server');
  const acceptedBefore = sink.accepted();
  await kill(first);
  // Released only once the SMTP server has seen the sender hang up: the 250 then reaches nobody.
  await until(() => sink.held().every((m) => m.senderGone), 5_000, 'the SMTP server to see the killed sender go');
  sink.release();
  expect(sink.accepted()).toBe(acceptedBefore);
  expect(mailsTo(sink, email)).toHaveLength(0);

  await spawnInstance(sink, jobsSchema, 'second');
  const [mail] = await until(() => (mailsTo(sink, email).length ? mailsTo(sink, email) : null), 40_000, 'the mail after the restart');
  await until(async () => (await mailJobStates(reader, jobsSchema)).every((s) => s === 'completed'), 10_000, 'every mail job to complete');
  expect(mailsTo(sink, email)).toHaveLength(1);
  expect(sink.byMessageId.get(mail!.messageId!)).toBe(1);
  expect(sink.acceptedFrom.get('first') ?? 0).toBe(acceptedBefore);
  return mail!;
}

describe.concurrent('mail when the instance is killed right after the commit', () => {
  it('sends a sign-in link after the restart, exactly once', async () => {
    const reader = await appWith({ JOBS_WORKERS: 'false' });
    const user = await createUser(reader);
    const sink = await sinkFor({ holdAfter: 0 });
    const jobsSchema = uniqueJobsSchema();
    const first = await spawnInstance(sink, jobsSchema, 'first');
    expect((await post(first, '/api/auth/sign-in', { email: user.email })).status).toBe(202);

    const mail = await killedMidSend(sink, first, jobsSchema, reader, user.email);
    expect(mail.subject).toBe('Your Convene sign-in link');
    const verified = await reader.inject({
      method: 'POST',
      url: '/api/auth/verify',
      payload: { token: tokenOf(mail.text!.match(LINK)![0]) },
      remoteAddress: randomIp(),
    });
    expect(verified.statusCode).toBe(200);
  }, 90_000);

  it('sends an invitation after the restart, exactly once', async () => {
    const reader = await appWith({ JOBS_WORKERS: 'false' });
    const { group, convener } = await createCastedGroup(reader);
    // The convener's own sign-in link goes through; the invitation waits on the SMTP server.
    const sink = await sinkFor({ holdAfter: 1 });
    const jobsSchema = uniqueJobsSchema();
    const first = await spawnInstance(sink, jobsSchema, 'first');
    const headers = await signInThrough(first, sink, convener.email);
    const email = `invitee-${Date.now()}@example.test`;
    const invited = await post(first, `/api/groups/${group.slug}/invitations`, { invitees: [{ email, name: 'Invitee' }] }, headers);
    expect(invited.status).toBe(200);

    const mail = await killedMidSend(sink, first, jobsSchema, reader, email);
    expect(mail.subject).toBe(`Invitation to ${group.acronym} on Convene`);
    expect(mail.text).toMatch(LINK);
  }, 90_000);
});
