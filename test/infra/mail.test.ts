import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTemplates } from '../../server/plugins/mailer.ts';
import { createTestApp, randomIp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, createUser, signIn } from '../helpers/factories.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

let app: TestApp;
let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await createTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Convene <convene@example.test>' } });
});
afterAll(async () => {
  await app.close();
  await smtp.close();
});

async function linkFromSmtp(email: string): Promise<string> {
  await app.ctx.events.drain();
  const until = Date.now() + 5000;
  for (;;) {
    const mail = smtp.messages.findLast((m) => JSON.stringify(m.to).includes(email));
    const link = mail?.text?.match(/https?:\/\/\S+\/sign-in\/verify\?token=[\w-]+/)?.[0];
    if (link) return link;
    if (Date.now() > until) throw new Error(`no link mailed to ${email}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('mail over SMTP', () => {
  it('sends the sign-in link with an HTML and a text part', async () => {
    const user = await createUser(app, { name: 'Heung Youl Youm' });
    await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: user.email }, remoteAddress: randomIp() });
    await app.ctx.events.drain();
    const mail = (await smtp.waitFor(1)).find((m) => m.to && JSON.stringify(m.to).includes(user.email));
    expect(mail).toBeTruthy();
    expect(mail!.subject).toBe('Your Convene sign-in link');
    expect(mail!.from?.value[0]).toMatchObject({ name: 'Convene', address: 'convene@example.test' });
    expect(mail!.text).toContain('Hello Heung Youl Youm');
    expect(mail!.text).toMatch(/http:\/\/localhost:3000\/sign-in\/verify\?token=[\w-]{20,}/);
    expect(mail!.html).toMatch(/Sign in\s*<\/a>/);
    expect(mail!.messageId).toBeTruthy();
    // Nothing is kept in the local mailbox when SMTP is configured.
    expect(await app.prisma.mailboxMessage.count({ where: { to: user.email } })).toBe(0);
  });

  it('escapes user text in the HTML and keeps CR/LF out of headers', async () => {
    const { group, convener } = await createCastedGroup(app);
    await app.prisma.group.update({
      where: { id: group.id },
      data: { acronym: 'CG\r\nBcc: victim@example.test', name: '<script>alert(1)</script> {{url}} <mj-text>' },
    });
    const s = await signIn(app, convener.email, linkFromSmtp);
    const email = `invitee-${Date.now()}@example.test`;
    await app.inject({
      method: 'POST',
      url: `/api/groups/${group.slug}/invitations`,
      headers: s.headers,
      payload: { invitees: [{ email, name: '<img src=x onerror=alert(1)>' }] },
    });
    await app.ctx.events.drain();
    const all = await smtp.waitFor(3);
    const mail = all.find((m) => JSON.stringify(m.to).includes(email))!;
    expect(mail).toBeTruthy();
    expect(mail.subject).toBe('Invitation to CG Bcc: victim@example.test on Convene');
    expect(mail.headers.get('bcc')).toBeUndefined();
    expect(mail.html).not.toContain('<script>alert(1)</script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)');
    expect(mail.html).not.toContain('<img src=x');
    expect(mail.html).toContain('{{url}}'); // template syntax in user text stays text
    const raw = smtp.raw.find((r) => r.includes(email))!;
    const headerBlock = raw.split(/\r?\n\r?\n/)[0]!;
    expect(headerBlock).not.toMatch(/^Bcc:/im);
    expect(headerBlock).toMatch(/^Subject: Invitation to CG Bcc: victim@example.test on Convene$/m);
  });
});

describe('templates', () => {
  it('all compile with strict MJML validation, each with a text part', async () => {
    const compiled = await compileTemplates();
    const files = await readdir(new URL('../../emails/templates/', import.meta.url));
    // Each left to right and right to left (Arabic).
    expect(compiled.size).toBe(2 * files.filter((f) => f.endsWith('.mjml')).length);
    for (const [, t] of compiled) {
      expect(t.html).toMatch(/<html/);
      expect(t.text.length).toBeGreaterThan(20);
    }
  });

  it('never insert unescaped values (triple mustaches only for catalogue messages, escaped when filled)', async () => {
    const dir = new URL('../../emails/templates/', import.meta.url);
    for (const f of await readdir(dir)) {
      const source = await readFile(new URL(f, dir), 'utf8');
      expect(source.replace(/\{\{\{t\.[\w.]+\}\}\}/g, ''), f).not.toMatch(/\{\{\{|\{\{&/);
    }
  });
});
