// Quote stripping on replies written the way the common clients quote (fixtures in
// test/fixtures/mail/, written for this test after each client's quoting style): only what the
// member wrote is kept, whatever the client put below it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { attachedFiles, automaticReason, parseMail, replyText } from '../../../server/modules/mailin/read-mail.ts';
import { readCommentLines } from '../../../server/modules/mailin/reply-targets.ts';
import { loadConfig } from '../../../server/config.ts';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/mail');
const read = async (name: string) => parseMail(await readFile(path.join(FIXTURES, name)));

describe('the text of a reply', () => {
  it.each([
    ['Outlook ("-----Original Message-----", a closing and a name)', 'outlook.eml'],
    ['Gmail ("On … wrote:" wrapped over two lines, then > quotes)', 'gmail.eml'],
    ['Apple Mail ("Sent from my iPhone", then a > quoted header)', 'apple-mail.eml'],
    ['Thunderbird ("-- " signature, then "On …, … wrote:")', 'thunderbird.eml'],
  ])('keeps only what was written in a reply from %s', async (_client, file) => {
    const text = replyText(await read(file));
    expect(text.split('\n')[0]).toBe('Object: tamper resistance belongs in 7.1.');
    expect(text).not.toMatch(/Disposition: Rejected|Out of scope|wrote:|Original Message|iPhone|SG17/);
  });

  it('converts HTML-only mail to text, strips its quote, and lists attachments (which are not kept)', async () => {
    const mail = await read('html-only.eml');
    expect(replyText(mail)).toBe('Object: tamper resistance belongs in 7.1.');
    expect(attachedFiles(mail)).toEqual(['reasons.pdf']);
  });

  it('a person’s reply is not machine mail; an out-of-office is', async () => {
    expect(automaticReason(await read('outlook.eml'), 'p@example.test')).toBeNull();
    const ooo = await parseMail(Buffer.from('From: p@example.test\r\nAuto-Submitted: auto-replied\r\nSubject: Out of office\r\n\r\nAway.'));
    expect(automaticReason(ooo, 'p@example.test')).toBe('Auto-Submitted: auto-replied');
    const bounce = await parseMail(Buffer.from('From: someone@example.test\r\nSubject: x\r\n\r\nx'));
    expect(automaticReason(bounce, '')).toBe('null envelope sender');
  });

  // Older clients in the six languages still send their legacy charsets; each part and the
  // subject's encoded words must read as the member wrote them (the bytes below are those charsets').
  it.each([
    ['koi8-r', 'Возражаю: пункт 7.1 неясен.', '98/a0sHWwcA6INDVzsvUIDcuMSDOxdHTxc4u'],
    ['windows-1251', 'Возражаю: пункт 7.1 неясен.', 'wu7n8ODm4P46IO/z7eryIDcuMSDt5f/x5e0u'],
    ['gb2312', '反对：第7.1条不清楚。', 't7S21KO6tdo3LjHM9bK7x+Wz/qGj'],
    ['big5', '反對：第7.1條不清楚。', 'pM+576FHssQ3LjGx+KSjsk23oaFD'],
    ['windows-1256', 'اعتراض: البند 7.1 غير واضح.', 'x9rK0cfWOiDH4cjkzyA3LjEg2+3RIObH1s0u'],
    ['iso-8859-1', "Pas d'accord : la clause 7.1 est ambiguë.", 'UGFzIGQnYWNjb3JkIDogbGEgY2xhdXNlIDcuMSBlc3QgYW1iaWd16y4='],
    ['iso-8859-15', 'No estoy de acuerdo: la cláusula 7.1 (€).', 'Tm8gZXN0b3kgZGUgYWN1ZXJkbzogbGEgY2zhdXN1bGEgNy4xICikKS4='],
  ])('reads a reply written in %s, its subject too', async (charset, text, bytes) => {
    const raw = [
      'From: p@example.test',
      'To: reply+x@reply.test',
      `Subject: =?${charset}?B?${bytes}?=`,
      `Content-Type: text/plain; charset=${charset}`,
      'Content-Transfer-Encoding: base64',
      '',
      bytes,
      '',
    ].join('\r\n');
    const mail = await parseMail(Buffer.from(raw));
    expect(mail.subject).toBe(text);
    expect(replyText(mail)).toBe(text);
  });
});

describe('the labelled lines of a comment by mail', () => {
  it('reads Type and Proposed change, with the defaults when they are left out', () => {
    expect(readCommentLines({ subject: 'Re: Comment on clause 7.1 of the report', text: 'Spelling.\nType: ed\nProposed change: devices\nplural' })).toEqual({
      type: 'EDITORIAL',
      clause: '7.1',
      body: 'Spelling.',
      proposedChange: 'devices\nplural',
    });
    expect(readCommentLines({ subject: 'Digest', text: 'On the whole document.' })).toEqual({
      type: 'GENERAL',
      clause: null,
      body: 'On the whole document.',
      proposedChange: '',
    });
  });

  it('refuses an unknown type with the words to use', () => {
    expect(() => readCommentLines({ subject: '', text: 'x\nType: urgent' })).toThrow(/write general, technical or editorial/);
  });
});

describe('the intake configuration', () => {
  it('runs the SMTP receiver by default under npm start (development) only; reply addresses take the public host', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).mailIn).toMatchObject({ smtp: { host: '127.0.0.1', port: 2525 }, replyDomain: 'localhost' });
    const production = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), PUBLIC_URL: 'https://convene.example.org' });
    expect(production.mailIn).toMatchObject({ smtp: null, replyDomain: 'convene.example.org', pipeSecret: undefined, imap: null });
    expect(loadConfig({ NODE_ENV: 'test', MAIL_INBOUND_SMTP: 'on', MAIL_INBOUND_SMTP_PORT: '0' }).mailIn.smtp).toEqual({ host: '127.0.0.1', port: 0 });
    expect(() => loadConfig({ MAIL_INBOUND_SECRET: 'short' })).toThrow(/MAIL_INBOUND_SECRET must be at least 24 characters/);
  });
});
