// Inbound mail is parsed and authenticated in a worker thread (mail-reader.ts): what a thread reads
// must be exactly what the event loop would have read, its DNS lookups must reach the caller's
// resolver (errors keeping the code that tells "no such record" from "no DNS"), and stopping the
// threads fails what they were doing (their jobs retry it) rather than leaving it hanging.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { inlineReader, mailReader } from '../../../server/modules/mailin/mail-reader.ts';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/mail');

const asked: string[] = [];
const resolver = async (name: string, rrtype: string) => {
  asked.push(`${rrtype} ${name}`);
  if (name === 'example.test' && rrtype === 'TXT') return [['v=spf1 ip4:192.0.2.10 -all']];
  throw Object.assign(new Error(`no record for ${name}`), { code: 'ENOTFOUND' });
};
const threaded = mailReader({ threads: 1, resolver: () => resolver });
const inline = inlineReader(() => resolver);
afterAll(() => threaded.close());

it('reads each client’s reply in a thread exactly as on the event loop (headers, addresses, text, attachments)', async () => {
  for (const file of ['outlook.eml', 'gmail.eml', 'apple-mail.eml', 'thunderbird.eml', 'html-only.eml']) {
    const raw = await readFile(path.join(FIXTURES, file));
    const [there, here] = await Promise.all([threaded.read(raw), inline.read(raw)]);
    expect(there).toEqual(here);
    expect(there.mail.headers.subject).toHaveLength(1);
    expect(there.mail.from).toMatch(/^[^@\s]+@[^@\s]+$/);
    expect(there.text.split('\n')[0]).toBe('Object: tamper resistance belongs in 7.1.');
  }
});

it('checks SPF/DMARC in a thread with the caller’s resolver, with the same verdict as on the event loop', async () => {
  const raw = Buffer.from('From: p@example.test\r\nTo: reply+x@reply.test\r\nSubject: Re: 7.1\r\nMessage-ID: <a@example.test>\r\n\r\nAgree.\r\n');
  const envelope = { sender: 'p@example.test', helo: 'mx.example.test' };
  asked.length = 0;
  const pass = await threaded.authenticate(raw, { ...envelope, ip: '192.0.2.10' }, 'reply.test');
  expect(pass).toMatchObject({ by: 'mailauth', spf: 'pass' });
  // The lookups were the caller's; a missing DMARC record (ENOTFOUND) is "none", not a DNS failure.
  expect(asked).toContain('TXT example.test');
  expect(pass.dmarc).toBe('none');
  const fail = await threaded.authenticate(raw, { ...envelope, ip: '198.51.100.7' }, 'reply.test');
  expect(fail).toEqual(await inline.authenticate(raw, { ...envelope, ip: '198.51.100.7' }, 'reply.test'));
  expect(fail.spf).toBe('fail');
});

it('stopping the threads fails the reads in progress and refuses new ones: nothing waits for ever', async () => {
  const reader = mailReader({ threads: 1, resolver: () => resolver });
  const raw = await readFile(path.join(FIXTURES, 'gmail.eml'));
  await reader.read(raw);
  const pending = reader.read(raw);
  await reader.close();
  await expect(pending).rejects.toThrow(/stopped/);
  await expect(reader.read(raw)).rejects.toThrow(/stopped/);
});
