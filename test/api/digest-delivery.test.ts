// Delivery that loses nothing: several instances, downtime, crashes mid-send, SMTP faults.
// Each scenario has its own SMTP sink and job store (apps within one share a store on purpose), so
// the scenarios of a block, which mostly wait on timers and SMTP, run together.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { createTestApp, testConfig, uniqueJobsSchema } from '../helpers/app.ts';
import { startSmtpSink } from '../helpers/smtp.ts';
import { createUser, signIn } from '../helpers/factories.ts';
import { addMilestone, createListGroup, deliveriesSettled, until } from '../helpers/digests.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function sinkFor(options: Parameters<typeof startSmtpSink>[0] = {}) {
  const sink = await startSmtpSink(options);
  cleanups.push(() => sink.close());
  return sink;
}
async function appFor(env: Record<string, string>, limits = {}) {
  const app = await createTestApp({ env, limits });
  cleanups.push(() => app.close());
  return app;
}
const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address?.toLowerCase();

describe.concurrent('several instances and downtime', { timeout: 60_000 }, () => {
  it('sends one message per recipient when two instances share the database and job store', async () => {
    const sink = await sinkFor();
    const env = { SMTP_URL: sink.url, JOBS_SCHEMA: uniqueJobsSchema() };
    const [a, b] = [await appFor(env), await appFor(env)];
    const { group, convener, subscribers, listAddress } = await createListGroup(a, { subscribers: 40 });
    await addMilestone(b, { group, actor: convener, inMs: 700 });
    await deliveriesSettled(a, group.id);
    await sink.waitFor(41);
    await new Promise((r) => setTimeout(r, 500)); // anything extra would arrive now
    const recipients = sink.messages.map(to).sort();
    expect(recipients).toEqual([listAddress, ...subscribers].sort());
    expect([...sink.byMessageId.values()].every((n) => n === 1)).toBe(true);
    expect(await a.prisma.digest.count({ where: { groupId: group.id } })).toBe(1);
  });

  it('fires a milestone missed while the server was down once, at the next start, marked late', async () => {
    const sink = await sinkFor();
    const env = { SMTP_URL: sink.url, JOBS_SCHEMA: uniqueJobsSchema() };
    // The first instance runs no workers, so however slowly it closes, nothing fires the milestone
    // before the second starts: it is down at the instant.
    const first = await createTestApp({ env: { ...env, JOBS_WORKERS: 'false' } });
    const { group, convener, listAddress } = await createListGroup(first);
    const milestone = await addMilestone(first, { group, actor: convener, inMs: 500, label: 'Comments close' });
    await first.close();
    // Down past the instant and the lateness threshold (500 ms) after it.
    await new Promise((r) => setTimeout(r, Math.max(0, milestone.at.getTime() + 800 - Date.now())));
    expect(await first.prisma.digest.count({ where: { groupId: group.id } }).catch(() => 0)).toBe(0);
    const second = await appFor(env, { milestoneLateAfterMs: 500 });
    const [delivery] = await deliveriesSettled(second, group.id);
    expect(delivery!.digest.late).toBe(true);
    const mail = (await sink.waitFor(1)).find((m) => to(m) === listAddress)!;
    expect(mail.text).toContain('This digest is late');
    await new Promise((r) => setTimeout(r, 800));
    expect(await second.prisma.digest.count({ where: { groupId: group.id } })).toBe(1);
    expect(sink.messages.filter((m) => to(m) === listAddress)).toHaveLength(1);
  });
});

describe.concurrent('a sender killed mid-send', () => {
  const spawnWorker = (env: Record<string, string>) =>
    new Promise<ChildProcess>((resolve, reject) => {
      const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', path.resolve('test/fixtures/digest-worker.ts')], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) resolve(child);
      });
      child.on('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    });

  it('is restarted and every recipient ends with exactly one message (one Message-ID)', async () => {
    const sink = await sinkFor({ acceptDelayMs: 40 });
    const jobsSchema = uniqueJobsSchema();
    const base = testConfig();
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: inject('databaseUrl'),
      SMTP_URL: sink.url,
      JOBS_SCHEMA: jobsSchema,
      JOBS_POLL_SECONDS: '0.5',
      SESSION_SECRET: base.sessionSecret,
      PUBLIC_URL: base.publicUrl,
      SEED: 'never',
      DIGEST_SEND_CONCURRENCY: '4',
      // The killed child's claims must run out before the next instance takes its deliveries over.
      DELIVERY_LEASE_MS: '1500',
    };
    // This instance only enqueues (web-only); the children do the work.
    const web = await appFor({ JOBS_SCHEMA: jobsSchema, JOBS_WORKERS: 'false', SMTP_URL: sink.url });
    const { group, convener, subscribers, listAddress } = await createListGroup(web, { subscribers: 60 });
    const everyone = [listAddress, ...subscribers];

    const first = await spawnWorker(env);
    await addMilestone(web, { group, actor: convener, inMs: 300 });
    await until(async () => sink.accepted() >= 15, 15_000, 'the first child to be mid-send');
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const beforeRestart = sink.accepted();
    expect(beforeRestart).toBeLessThan(everyone.length);

    const second = await spawnWorker(env);
    cleanups.push(async () => {
      second.kill('SIGTERM');
    });
    await deliveriesSettled(web, group.id, 1, 30_000);
    await sink.waitFor(everyone.length, 10_000);
    await new Promise((r) => setTimeout(r, 300));

    // "Exactly once" as SMTP allows it: each recipient's copy has one deterministic Message-ID,
    // and every recipient got it. A second copy of the same Message-ID is possible only if the
    // kill landed between the sink's 250 and the sender's SENT record (about a millisecond per
    // in-flight message, so at most DIGEST_SEND_CONCURRENCY copies); the sink counts copies
    // per Message-ID so the bound is checked, not assumed.
    const byRecipient = new Map<string, Set<string>>();
    for (const m of sink.messages) byRecipient.set(to(m)!, (byRecipient.get(to(m)!) ?? new Set()).add(m.messageId!));
    expect([...byRecipient.keys()].sort()).toEqual([...everyone].sort());
    expect([...byRecipient.values()].every((ids) => ids.size === 1)).toBe(true);
    const extraCopies = [...sink.byMessageId.values()].reduce((n, c) => n + c - 1, 0);
    expect(extraCopies).toBeLessThanOrEqual(4);
    const rows = await web.prisma.digestDelivery.findMany({ where: { digest: { groupId: group.id } } });
    expect(rows.every((r) => r.state === 'SENT')).toBe(true);
  }, 60_000);
});

describe.concurrent('SMTP faults', { timeout: 60_000 }, () => {
  it('retries a 421 with backoff and delivers once', async () => {
    const sink = await sinkFor({ tempFailures: 2 });
    const app = await appFor({ SMTP_URL: sink.url });
    const { group, convener, listAddress } = await createListGroup(app);
    await addMilestone(app, { group, actor: convener, inMs: 300 });
    const [delivery] = await deliveriesSettled(app, group.id);
    expect(sink.tempFailuresLeft()).toBe(0);
    expect(delivery).toMatchObject({ state: 'SENT', attempts: 3, lastError: null });
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.messages.filter((m) => to(m) === listAddress)).toHaveLength(1);
  });

  it('records a permanent 5xx for one recipient, marks the address bouncing and delivers to the others', async () => {
    const bad = `gone-${Date.now()}@subscribers.test`;
    const sink = await sinkFor({ rejectRecipients: [bad] });
    const app = await appFor({ SMTP_URL: sink.url });
    const { group, convener, subscribers } = await createListGroup(app, { subscribers: 3 });
    await app.prisma.digestSubscription.create({ data: { groupId: group.id, email: bad, state: 'CONFIRMED' } });
    await addMilestone(app, { group, actor: convener, inMs: 300 });
    const rows = await deliveriesSettled(app, group.id);
    const failed = rows.find((r) => r.recipient === bad)!;
    expect(failed).toMatchObject({ state: 'FAILED', attempts: 1 });
    expect(failed.lastError).toMatch(/^550/);
    expect(rows.filter((r) => r.state === 'SENT')).toHaveLength(4);
    expect(await app.prisma.bouncingAddress.findUnique({ where: { email: bad } })).not.toBeNull();
    expect(sink.messages.map(to).sort()).toEqual([group.mailingList, ...subscribers].sort());

    // The next digest no longer goes to the bouncing address.
    await addMilestone(app, { group, actor: convener, inMs: 200, kind: 'meeting', label: 'Meeting' });
    const after = await deliveriesSettled(app, group.id, 2);
    expect(after.filter((r) => r.recipient === bad)).toHaveLength(1);
  });

  it('dead-letters a delivery when the SMTP server stays unreachable; the operator sees it and can retry', async () => {
    const sink = await sinkFor();
    await sink.close(); // nothing listens on this port any more
    const app = await appFor({ SMTP_URL: sink.url, DELIVERY_MAX_ATTEMPTS: '2', DELIVERY_RETRY_BASE_MS: '100' });
    const { group, convener } = await createListGroup(app);
    await addMilestone(app, { group, actor: convener, inMs: 200 });
    const [delivery] = await deliveriesSettled(app, group.id, 1, 20_000);
    expect(delivery).toMatchObject({ state: 'DEAD', attempts: 2 });
    expect(delivery!.lastError).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);

    // The SMTP server comes back on the same port; the operator finds the dead letter and retries it.
    const back = await sinkFor({ port: sink.port });
    const operator = await createUser(app, { isOperator: true });
    const session = await signIn(app, operator.email, async (email) => {
      const mail = await until(async () => {
        await app.ctx.events.drain();
        return back.messages.find((m) => to(m) === email);
      });
      return mail.text!.match(/https?:\/\/\S+\/sign-in\/verify\?token=[\w-]+/)![0];
    });
    const anonymous = await app.inject({ url: '/api/admin/deliveries?state=dead' });
    expect(anonymous.statusCode).toBe(401);
    const listed = await app.inject({ url: '/api/admin/deliveries?state=dead', headers: session.headers });
    expect(listed.json().deliveries.map((d: { id: string }) => d.id)).toContain(delivery!.id);
    const retried = await app.inject({ method: 'POST', url: `/api/admin/deliveries/${delivery!.id}/retry`, headers: session.headers });
    expect(retried.json()).toMatchObject({ state: 'pending', attempts: 0 });
    const [after] = await deliveriesSettled(app, group.id);
    expect(after).toMatchObject({ state: 'SENT' });
    expect(back.messages.filter((m) => to(m) === group.mailingList)).toHaveLength(1);
  });
});

describe('header injection', () => {
  it('never lets CR/LF from a group name or title reach a header', async () => {
    const sink = await sinkFor();
    const app = await appFor({ SMTP_URL: sink.url });
    const { group, convener, subscribers } = await createListGroup(app, { subscribers: 1 });
    await app.prisma.group.update({ where: { id: group.id }, data: { name: 'Evil\r\nBcc: victim@example.test', acronym: 'EVIL\r\nX-Injected: 1' } });
    await addMilestone(app, { group, actor: convener, inMs: 200, kind: 'meeting', label: 'Meeting\r\nX-Also: 1' });
    await deliveriesSettled(app, group.id);
    await sink.waitFor(2);
    for (const raw of sink.raw) {
      const headers = raw.split(/\r?\n\r?\n/)[0]!;
      expect(headers).not.toMatch(/^(Bcc|X-Injected|X-Also):/im);
    }
    expect(sink.messages.map(to).sort()).toEqual([group.mailingList, ...subscribers].sort());
  });
});
