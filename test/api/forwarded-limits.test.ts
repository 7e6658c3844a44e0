// Behind a reverse proxy the client's address is the entry the proxy appended to X-Forwarded-For,
// not one the client wrote itself; and a signed-in account's writes are limited whatever address
// they come from, in the store every instance shares.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, randomIp, type TestApp } from '../helpers/app.ts';
import { createUser, signIn } from '../helpers/factories.ts';
import { hitRateLimit, pruneRateLimits } from '../../server/lib/rate-limit.ts';

const PROXY = '192.0.2.10';
const WRITES = 4;
const REQUESTS = 5;
let app: TestApp;

beforeAll(async () => {
  app = await createTestApp({
    env: { TRUST_PROXY: PROXY },
    limits: { requestsPerMinute: REQUESTS, writesPerAccount: { max: WRITES, windowMs: 60_000 } },
  });
});
afterAll(async () => {
  await app?.close();
});

/** What one appending proxy sends on: whatever the client wrote, then the address it came from. */
const viaProxy = (client: string, spoofed?: string, headers: Record<string, string> = {}) => ({
  remoteAddress: PROXY,
  headers: { ...headers, 'x-forwarded-for': spoofed ? `${spoofed}, ${client}` : client },
});

describe('the per-IP limit behind one proxy (TRUST_PROXY names it)', () => {
  it('keys on the address the proxy appended: a spoofed X-Forwarded-For entry changes nothing', async () => {
    const client = randomIp();
    const statuses = [];
    for (let i = 0; i < REQUESTS + 1; i++) {
      const res = await app.inject({ url: '/api/auth/session', ...viaProxy(client, randomIp()) });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([...Array(REQUESTS).fill(200), 429]);
    // Another client behind the same proxy is not limited by the first one's requests.
    expect((await app.inject({ url: '/api/auth/session', ...viaProxy(randomIp()) })).statusCode).toBe(200);
  });

  it('believes no X-Forwarded-For from a client that connects directly', async () => {
    const direct = randomIp();
    const statuses = [];
    for (let i = 0; i < REQUESTS + 1; i++) {
      statuses.push((await app.inject({ url: '/api/auth/session', remoteAddress: direct, headers: { 'x-forwarded-for': randomIp() } })).statusCode);
    }
    expect(statuses).toEqual([...Array(REQUESTS).fill(200), 429]);
  });

  it("records the appended address as the request's IP (sign-in links keep it)", async () => {
    const client = randomIp();
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: `${Date.now()}@nowhere.test` },
      ...viaProxy(client, '1.2.3.4'),
    });
    expect(res.statusCode).toBe(202);
    const row = await app.prisma.signInToken.findFirstOrThrow({ where: { ip: { in: [client, '1.2.3.4', PROXY] } }, orderBy: { createdAt: 'desc' } });
    expect(row.ip).toBe(client);
  });
});

describe('writes per account', () => {
  it('answers 429 with Retry-After once a session reaches the limit, however the forwarded address rotates', async () => {
    const me = await createUser(app);
    const session = await signIn(app, me.email);
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof app.inject>> | undefined;
    for (let i = 0; i < WRITES + 2; i++) {
      // A new client address each time, as from a botnet or an address-hopping client: the per-IP limit cannot see it.
      const res = await app.inject({
        method: 'PATCH',
        url: '/api/me',
        payload: { affiliation: `Attempt ${i}` },
        headers: { ...session.headers, 'x-forwarded-for': `${randomIp()}, ${randomIp()}` },
        remoteAddress: PROXY,
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) refused = res;
    }
    expect(statuses).toEqual([...Array(WRITES).fill(200), 429, 429]);
    expect(refused!.json()).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/too many changes from your account/i) });
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused!.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Nothing past the limit was stored.
    expect((await app.prisma.user.findUniqueOrThrow({ where: { id: me.id } })).affiliation).toBe(`Attempt ${WRITES - 1}`);
    // Reads go on; another account's writes go on.
    expect((await app.inject({ url: '/api/me', ...viaProxy(randomIp(), undefined, session.headers) })).statusCode).toBe(200);
    const other = await createUser(app);
    const otherSession = await signIn(app, other.email);
    expect(
      (await app.inject({ method: 'PATCH', url: '/api/me', payload: { affiliation: 'Fine' }, ...viaProxy(randomIp(), undefined, otherSession.headers) }))
        .statusCode,
    ).toBe(200);
  });

  it("counts concurrent writes exactly: of twelve at once, the limit's number pass", async () => {
    const me = await createUser(app);
    const session = await signIn(app, me.email);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        app.inject({ method: 'PATCH', url: '/api/me', payload: { affiliation: `Burst ${i}` }, ...viaProxy(randomIp(), undefined, session.headers) }),
      ),
    );
    expect(answers.filter((r) => r.statusCode === 200)).toHaveLength(WRITES);
    expect(answers.filter((r) => r.statusCode === 429)).toHaveLength(12 - WRITES);
  });

  it('is counted in the store every instance shares: a second instance refuses the same account', async () => {
    const me = await createUser(app);
    const session = await signIn(app, me.email);
    const second = await createTestApp({ env: { TRUST_PROXY: PROXY }, limits: { writesPerAccount: { max: WRITES, windowMs: 60_000 } } });
    try {
      const statuses = [];
      for (let i = 0; i < WRITES + 1; i++) {
        const instance = i % 2 ? second : app;
        statuses.push(
          (
            await instance.inject({
              method: 'PATCH',
              url: '/api/me',
              payload: { affiliation: `Hop ${i}` },
              ...viaProxy(randomIp(), undefined, session.headers),
            })
          ).statusCode,
        );
      }
      expect(statuses).toEqual([...Array(WRITES).fill(200), 429]);
    } finally {
      await second.close();
    }
  });
});

describe('the shared store', () => {
  const limit = { max: 20, windowMs: 60_000 };

  it('lets hits far below the limit through without waiting, and still allows exactly the limit', async () => {
    const key = `test:${randomIp()}:sequential`;
    const verdicts = [];
    for (let i = 0; i < 30; i++) verdicts.push((await hitRateLimit(app.ctx, key, limit)).allowed);
    expect(verdicts).toEqual([...Array(20).fill(true), ...Array(10).fill(false)]);
    // Every hit is counted in the database, the early ones a moment later.
    await expect.poll(async () => (await app.prisma.rateLimitWindow.findUniqueOrThrow({ where: { key } })).hits).toBe(30);
  });

  it('allows exactly the limit to two instances taking turns, and to bursts on both at once', async () => {
    const second = await createTestApp();
    try {
      const turns = `test:${randomIp()}:turns`;
      const verdicts = [];
      for (let i = 0; i < 30; i++) verdicts.push((await hitRateLimit((i % 2 ? second : app).ctx, turns, limit)).allowed);
      expect(verdicts.filter(Boolean)).toHaveLength(20);
      const burst = `test:${randomIp()}:burst`;
      const all = await Promise.all(Array.from({ length: 40 }, (_, i) => hitRateLimit((i % 2 ? second : app).ctx, burst, limit)));
      expect(all.filter((v) => v.allowed)).toHaveLength(20);
      expect(all.filter((v) => !v.allowed).every((v) => v.retryAfterSeconds > 0 && v.retryAfterSeconds <= 60)).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('lets nothing through without waiting while hits it has not counted yet are in the database', async () => {
    // The store's statements wait at a gate the test opens, so that a hit arrives exactly while
    // others are being counted (as a late request does on a loaded machine).
    let open!: () => void;
    let gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const gated = {
      runStatement: (async (sql, options) => {
        await gate;
        return app.runStatement(sql, options);
      }) as typeof app.runStatement,
    };
    const key = `test:${randomIp()}:in-flight`;
    const four = { max: 4, windowMs: 60_000 };
    // The first is counted alone; the three behind it wait and are counted together.
    const first = hitRateLimit(gated, key, four);
    const queued = [hitRateLimit(gated, key, four), hitRateLimit(gated, key, four), hitRateLimit(gated, key, four)];
    const release = open;
    gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    release();
    expect(await first).toMatchObject({ allowed: true, hits: 1 });
    // The three are in the database now; this instance knows a count of 1, under half the limit.
    const late = hitRateLimit(gated, key, four);
    open();
    const verdicts = [await first, ...(await Promise.all(queued)), await late].map((v) => v.allowed);
    expect(verdicts).toEqual([true, true, true, true, false]);
  });

  it('prunes windows that ended more than a day ago and keeps the others', async () => {
    const old = `test:${randomIp()}:old`;
    const current = `test:${randomIp()}:current`;
    await app.prisma.rateLimitWindow.createMany({
      data: [
        { key: old, hits: 3, resetAt: new Date(Date.now() - 2 * 86_400_000) },
        { key: current, hits: 3, resetAt: new Date(Date.now() + 60_000) },
      ],
    });
    expect(await pruneRateLimits(app.ctx)).toBeGreaterThanOrEqual(1);
    expect((await app.prisma.rateLimitWindow.findMany({ where: { key: { in: [old, current] } } })).map((w) => w.key)).toEqual([current]);
  });
});
