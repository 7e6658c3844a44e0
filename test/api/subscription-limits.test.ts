// Subscribing by address without an account must not turn Convene into a mail cannon: the
// confirmation mails one address receives are limited (across groups and IPs, shared by every
// instance), requests from one IP are limited, and the answers are the same whatever the address's
// state, so neither the limit nor the answer tells anyone who subscribed. A real SMTP sink counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, randomIp, unique, type TestApp } from '../helpers/app.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';
import { createListGroup } from '../helpers/digests.ts';
import { createUser } from '../helpers/factories.ts';

let app: TestApp;
let sink: SmtpSink;
const PER_ADDRESS = 3;
const PER_IP = 5;

beforeAll(async () => {
  sink = await startSmtpSink();
  app = await createTestApp({
    env: { SMTP_URL: sink.url },
    limits: { subscribePerAddress: { max: PER_ADDRESS, windowMs: 60 * 60_000 }, subscribePerIp: { max: PER_IP, windowMs: 15 * 60_000 } },
  });
});
afterAll(async () => {
  await app?.close();
  await sink?.close();
});

const subscribe = (slug: string, email: string, ip = randomIp()) =>
  app.inject({ method: 'POST', url: `/api/groups/${slug}/digests/subscribe`, payload: { email }, remoteAddress: ip });
const mailsTo = (email: string) => sink.messages.filter((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address?.toLowerCase() === email);
/** The status and body a client sees, without what differs per request anyway. */
const answer = (res: Awaited<ReturnType<typeof subscribe>>) => ({
  status: res.statusCode,
  body: res.json(),
  retryAfter: res.headers['retry-after'] !== undefined,
});

describe('confirmation mails per address', () => {
  it('12 requests in a second for one pending address put at most the limit of mails in its inbox', async () => {
    const { group } = await createListGroup(app);
    const other = await createListGroup(app);
    const victim = `${unique('victim')}@example.test`;
    // Spread over two groups and twelve IPs, as an attacker would.
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => subscribe(i % 2 ? group.slug : other.group.slug, victim)));
    await app.ctx.events.drain();
    expect(mailsTo(victim).length).toBeGreaterThan(0);
    expect(mailsTo(victim).length).toBeLessThanOrEqual(PER_ADDRESS);
    expect(answers.filter((r) => r.statusCode === 202)).toHaveLength(PER_ADDRESS);
    const refused = answers.filter((r) => r.statusCode === 429);
    expect(refused).toHaveLength(12 - PER_ADDRESS);
    expect(refused[0]!.json()).toMatchObject({ code: 'rate_limited' });
    expect(refused[0]!.json().message).toMatch(/confirmation links? .* this address/);
    expect(Number(refused[0]!.headers['retry-after'])).toBeGreaterThan(0);
  });

  it("answers the same for an unknown address, an account's, a pending and a subscribed one, limit included", async () => {
    const { group, subscribers } = await createListGroup(app, { subscribers: 1 });
    const unknown = `${unique('new')}@example.test`;
    const pending = `${unique('pending')}@example.test`;
    await app.prisma.digestSubscription.create({
      data: { groupId: group.id, email: pending, state: 'PENDING', confirmExpiresAt: new Date(Date.now() + 86_400_000) },
    });
    const confirmed = subscribers[0]!;
    const account = (await createUser(app)).email;
    const run = async (email: string) => {
      const seen = [];
      for (let i = 0; i < PER_ADDRESS + 2; i++) seen.push(answer(await subscribe(group.slug, email)));
      return seen;
    };
    const [a, b, c, d] = [await run(unknown), await run(pending), await run(confirmed), await run(account)];
    expect(a.map((x) => x.status)).toEqual([...Array(PER_ADDRESS).fill(202), 429, 429]);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(d).toEqual(a);
    // The subscribed address got no mail; the others their confirmation links.
    await app.ctx.events.drain();
    expect(mailsTo(confirmed)).toHaveLength(0);
    expect(mailsTo(unknown).length).toBeGreaterThan(0);
  });
});

describe('requests per IP', () => {
  it('refuses one IP past its limit, for fresh addresses too, and leaves other IPs alone', async () => {
    const { group } = await createListGroup(app);
    const ip = randomIp();
    const statuses = [];
    for (let i = 0; i < PER_IP + 2; i++) statuses.push((await subscribe(group.slug, `${unique('spray')}@example.test`, ip)).statusCode);
    expect(statuses).toEqual([...Array(PER_IP).fill(202), 429, 429]);
    expect((await subscribe(group.slug, `${unique('spray')}@example.test`)).statusCode).toBe(202);
  });
});
