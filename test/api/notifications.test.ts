// Personal notifications: per-member settings and the notify() function the comments and dispositions modules call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';
import { createUser, signIn } from '../helpers/factories.ts';
import { until } from '../helpers/digests.ts';
import { notify, queueDailySummaries } from '../../server/modules/notifications/notify.ts';

let app: TestApp;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
  app = await createTestApp({ env: { SMTP_URL: sink.url } });
});
afterAll(async () => {
  await app?.close();
  await sink?.close();
});

const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address?.toLowerCase();
const readLink = async (email: string) => {
  const mail = await until(async () => {
    await app.ctx.events.drain();
    return sink.messages.filter((m) => to(m) === email).at(-1);
  });
  return mail.text!.match(/https?:\/\/\S+\/sign-in\/verify\?token=[\w-]+/)![0];
};

describe('notification settings', () => {
  it('starts from defaults, changes per kind and refuses unknown modes', async () => {
    const user = await createUser(app);
    const session = await signIn(app, user.email, readLink);
    const initial = await app.inject({ url: '/api/me/notification-settings', headers: session.headers });
    expect(initial.json()).toEqual({
      comment_decided: 'immediately',
      thread_reply: 'daily',
      disposition_awaiting_response: 'immediately',
      period_closing: 'immediately',
    });
    const changed = await app.inject({ method: 'PATCH', url: '/api/me/notification-settings', payload: { thread_reply: 'off' }, headers: session.headers });
    expect(changed.json().thread_reply).toBe('off');
    const bad = await app.inject({ method: 'PATCH', url: '/api/me/notification-settings', payload: { thread_reply: 'hourly' }, headers: session.headers });
    expect(bad.statusCode).toBe(400);
    expect((await app.inject({ url: '/api/me/notification-settings' })).statusCode).toBe(401);
  });
});

describe('notify()', () => {
  it('mails at once, escaped; sends nothing when off; gathers daily ones into one summary', async () => {
    const user = await createUser(app);
    await app.prisma.notificationSetting.create({ data: { userId: user.id, kind: 'PERIOD_CLOSING', mode: 'OFF' } });
    const id = await notify(app.ctx, 'comment_decided', user.id, {
      title: 'Your comment on 7.1 was accepted',
      body: 'Rationale: <b>{{agreed}}</b>',
      url: 'https://convene.test/c/1',
    });
    expect(id).not.toBeNull();
    const [mail] = await until(async () => {
      const m = sink.messages.filter((x) => to(x) === user.email);
      return m.length && m;
    });
    expect(mail!.subject).toBe('Your comment on 7.1 was accepted');
    expect(mail!.html).toContain('&lt;b&gt;{{agreed}}&lt;&#x2F;b&gt;');
    expect(mail!.text).toContain('Rationale: <b>{{agreed}}</b>');

    expect(await notify(app.ctx, 'period_closing', user.id, { title: 'Closing soon', body: '', url: 'https://convene.test' })).toBeNull();
    await notify(app.ctx, 'thread_reply', user.id, { title: 'A reply in your thread on 5', body: 'First', url: 'https://convene.test/t/1' });
    await notify(app.ctx, 'thread_reply', user.id, { title: 'A reply in your thread on 6', body: 'Second', url: 'https://convene.test/t/2' });
    await new Promise((r) => setTimeout(r, 700));
    expect(sink.messages.filter((x) => to(x) === user.email)).toHaveLength(1);
    await queueDailySummaries(app.ctx);
    const summary = await until(async () => sink.messages.filter((x) => to(x) === user.email)[1], 25_000, 'the daily summary');
    expect(summary.subject).toBe('Your Convene summary: 2 updates');
    expect(summary.text).toContain('A reply in your thread on 6');
    expect(await app.prisma.notification.count({ where: { userId: user.id, mailedAt: null } })).toBe(0);
  }, 40_000);
});
