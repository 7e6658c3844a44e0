// Every kind of mail Convene sends, held against what receivers apply: a real DKIM verifier
// (mailauth) with the selector's key served by a stub DNS, RFC 2919 List-Id with non-ASCII group
// names, and RFC 3834 Auto-Submitted so auto-responders stay quiet.
import { generateKeyPairSync } from 'node:crypto';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify } from '../../server/modules/notifications/notify.ts';
import { createTestApp, randomIp, unique, type TestApp } from '../helpers/app.ts';
import { addMilestone, createListGroup, deliveriesSettled, until } from '../helpers/digests.ts';
import { createCastedGroup, createUser, signIn } from '../helpers/factories.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';
import { runPython } from '../helpers/readers.ts';

const DOMAIN = 'convene.example.org';
const SELECTOR = 'mail2026';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicKeyB64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

// The DNS a receiver would ask: only the selector's TXT record exists.
async function resolver(name: string, rr: string) {
  if (rr === 'TXT' && name === `${SELECTOR}._domainkey.${DOMAIN}`) return [[`v=DKIM1; k=rsa; p=${publicKeyB64}`]];
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
}

let app: TestApp;
let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await createTestApp({
    env: {
      SMTP_URL: smtp.url,
      MAIL_FROM: `Convene <convene@${DOMAIN}>`,
      PUBLIC_URL: 'https://convene.example.org',
      DKIM_DOMAIN: DOMAIN,
      DKIM_SELECTOR: SELECTOR,
      DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\n/g, '\\n'),
    },
  });
});
afterAll(async () => {
  await app.close();
  await smtp.close();
});

/** The raw message last received for an address, waiting for it to arrive. */
async function rawTo(address: string, match: (raw: string) => boolean = () => true): Promise<string> {
  await app.ctx.events.drain();
  return until(
    async () => smtp.raw.findLast((r) => headerBlock(r).toLowerCase().includes(`to: ${address.toLowerCase()}`) && match(r)),
    15_000,
    `mail to ${address}`,
  );
}
const headerBlock = (raw: string) => raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
const header = (raw: string, name: string) => headerBlock(raw).match(new RegExp(`^${name}: (.*)$`, 'mi'))?.[1];
/** Python's mail library reads the phrase back (a reader's decoding, not ours). */
const decodePhrase = (phrase: string) =>
  runPython<string>(
    "import sys, json, email.header; print(json.dumps(str(email.header.make_header(email.header.decode_header(sys.stdin.read()))).strip('\"')))",
    phrase,
  );
const signedHeaders = (raw: string) =>
  ((header(raw, 'DKIM-Signature') ?? '').match(/(?:^|;\s*)h=([^;]+)/)?.[1] ?? '').toLowerCase().replace(/\s/g, '').split(':') ?? [];

async function expectVerified(raw: string) {
  const result = await dkimVerify(Buffer.from(raw), { resolver });
  const outcome = result.results.map((r) => ({ result: r.status.result, domain: r.signingDomain }));
  expect(outcome).toEqual([{ result: 'pass', domain: DOMAIN }]);
}

/** One of each kind of mail, collected once; each test then checks one standard over all of them. */
const kinds: Record<string, string> = {};
beforeAll(async () => {
  const user = await createUser(app, { name: 'Heung Youl Youm' });
  await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: user.email }, remoteAddress: randomIp() });
  kinds['sign-in link'] = await rawTo(user.email);

  const { group, convener, participant } = await createCastedGroup(app);
  const session = await signIn(app, convener.email, async (email) => {
    await rawTo(email);
    const mail = await until(async () => smtp.messages.findLast((m) => JSON.stringify(m.to).includes(email)), 5000, 'parsed sign-in mail');
    return mail.text!.match(/https?:\/\/\S+\/sign-in\/verify\?token=[\w-]+/)![0];
  });
  const invitee = `${unique('invitee')}@example.test`;
  const invited = await app.inject({
    method: 'POST',
    url: `/api/groups/${group.slug}/invitations`,
    headers: session.headers,
    payload: { invitees: [{ email: invitee, name: 'Arthur Invitee' }] },
  });
  expect(invited.statusCode).toBe(200);
  kinds.invitation = await rawTo(invitee);

  await notify(app.ctx, 'period_closing', participant.id, {
    title: 'Comments on the draft close in 24 hours',
    body: 'Agreed.',
    url: 'https://convene.example.org/x',
  });
  kinds.notification = await rawTo(participant.email);

  const listGroup = await createListGroup(app, { subscribers: 1 });
  const subscriber = `${unique('public')}@example.test`;
  const subscribed = await app.inject({
    method: 'POST',
    url: `/api/groups/${listGroup.group.slug}/digests/subscribe`,
    payload: { email: subscriber },
    remoteAddress: randomIp(),
  });
  expect(subscribed.statusCode).toBe(202);
  kinds['subscription confirmation'] = await rawTo(subscriber);

  await addMilestone(app, { group: listGroup.group, actor: listGroup.convener, inMs: 200, kind: 'meeting', label: 'Meeting' });
  await deliveriesSettled(app, listGroup.group.id);
  kinds['digest to the list'] = await rawTo(listGroup.listAddress);
  kinds['digest to a subscriber'] = await rawTo(listGroup.subscribers[0]!);
}, 60_000);

describe('DKIM', () => {
  it('signs every kind of mail, and each verifies with a real DKIM verifier', async () => {
    expect(Object.keys(kinds)).toHaveLength(6);
    for (const [kind, raw] of Object.entries(kinds)) {
      await expect(expectVerified(raw), kind).resolves.toBeUndefined();
    }
  });

  it('covers the identity, threading and Auto-Submitted headers in every mail, and the list headers in digests', () => {
    for (const raw of Object.values(kinds)) {
      expect(signedHeaders(raw)).toEqual(expect.arrayContaining(['from', 'to', 'subject', 'date', 'message-id', 'auto-submitted']));
    }
    expect(signedHeaders(kinds['digest to a subscriber']!)).toEqual(
      expect.arrayContaining(['list-id', 'list-unsubscribe', 'list-unsubscribe-post', 'list-archive']),
    );
    expect(signedHeaders(kinds['digest to the list']!)).toEqual(
      expect.arrayContaining(['list-id', 'list-archive', 'list-post', 'reply-to', 'in-reply-to', 'references']),
    );
  });

  it('fails verification once a signed list header is altered in transit', async () => {
    const tampered = kinds['digest to a subscriber']!.replace(/^List-Archive:\s*<[^>]+>/m, 'List-Archive: <https://evil.example/archive>');
    expect(tampered).not.toBe(kinds['digest to a subscriber']);
    const result = await dkimVerify(Buffer.from(tampered), { resolver });
    expect(result.results[0]!.status.result).toBe('fail');
  });
});

describe('Auto-Submitted', () => {
  it('marks every mail as auto-generated and asks auto-responders not to answer', () => {
    for (const [kind, raw] of Object.entries(kinds)) {
      expect(header(raw, 'Auto-Submitted'), kind).toBe('auto-generated');
      expect(header(raw, 'X-Auto-Response-Suppress'), kind).toBe('All');
    }
  });

  it('marks digests as list traffic, which vacation responders skip', () => {
    expect(header(kinds['digest to the list']!, 'Precedence')).toBe('list');
    expect(header(kinds['digest to a subscriber']!, 'Precedence')).toBe('list');
    expect(header(kinds['sign-in link']!, 'Precedence')).toBeUndefined();
  });
});

describe('List-Id (RFC 2919)', () => {
  for (const [language, name] of [
    ['Arabic', 'فريق المراسلة المعني بأمن إنترنت الأشياء'],
    ['Chinese', '物联网安全通信组'],
    ['ASCII', 'CG on "IoT" <security>'],
  ] as const) {
    it(`keeps the list identifier in plain ASCII when the group's name is ${language}`, async () => {
      const { group, convener, listAddress } = await createListGroup(app);
      await app.prisma.group.update({ where: { id: group.id }, data: { name } });
      await addMilestone(app, { group, actor: convener, inMs: 100, kind: 'meeting', label: 'Meeting' });
      await deliveriesSettled(app, group.id);
      const raw = await rawTo(listAddress);
      const listId = header(raw, 'List-Id')!;
      // A filter matches the bracketed identifier: it must be readable as it is.
      const [, phrase, id] = listId.match(/^(.*) <([^<>]+)>$/)!;
      expect(id).toBe(`${group.slug}.convene.example.org`);
      expect(/^[\x20-\x7e]*$/.test(listId)).toBe(true);
      expect(phrase).toBeTruthy();
      // Python's mail library decodes the phrase back to the name (quotes and brackets dropped).
      expect(await decodePhrase(phrase!)).toBe(
        name
          .replace(/["<>\\]/g, '')
          .replace(/\s+/g, ' ')
          .trim(),
      );
      await expectVerified(raw);
    });
  }
});
