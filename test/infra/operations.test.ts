import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../server/seed/load-seed.ts';
import { CG_IOTSEC } from '../../server/seed/seed-data.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createUser, signIn } from '../helpers/factories.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('operations', () => {
  it('answers /api/health with 200 after checking the database', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'ok', load: 'ok' });
  });

  it('sends security headers with a strict CSP on pages and API answers', async () => {
    for (const url of ['/', '/api/health']) {
      const res = await app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
    }
  });

  it('serves an OpenAPI document generated from the route schemas, and its browsable UI', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/groups/{slug}', '/api/groups/{slug}/invitations', '/api/auth/sign-in', '/api/health']),
    );
    // Every operation documents its success response and its errors.
    for (const [path, ops] of Object.entries<Record<string, { responses?: Record<string, unknown> }>>(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(Object.keys(op.responses ?? {}), `${method} ${path}`).not.toHaveLength(0);
      }
    }
    expect(doc.paths['/api/groups/{slug}'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Group' });
    expect(doc.components.schemas.Group.properties.termsOfReference).toBeTruthy();
    const ui = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });

  it('loads the CG-IoTsec seed with its conveners, experts and real timeframe, idempotently', async () => {
    await loadSeed(app.ctx);
    await loadSeed(app.ctx);
    const group = await app.prisma.group.findUniqueOrThrow({
      where: { slug: 'cg-iotsec' },
      include: { memberships: { include: { user: true } }, milestones: { orderBy: { at: 'asc' } } },
    });
    expect(group).toMatchObject({ acronym: 'CG-IoTsec', parentBodies: ['SG17', 'SG20'], mailingList: 'cg-iotsec@lists.itu.int' });
    const conveners = group.memberships
      .filter((m) => m.role === 'CONVENER')
      .map((m) => m.user.name)
      .sort();
    expect(conveners).toEqual(['Arkadiy Kremer', 'Nasser Al Marzouqi']);
    expect(group.memberships.map((m) => m.user.name)).toEqual(expect.arrayContaining(['Adriane LaPointe', 'Koji Nakao']));
    expect(group.milestones.map((m) => m.at.toISOString())).toEqual(CG_IOTSEC.milestones.map((m) => new Date(m.at).toISOString()));
    expect(group.milestones[1]!.at.toISOString()).toBe('2016-04-25T23:59:00.000Z');
    expect(await app.prisma.group.count({ where: { slug: { in: ['cg-iotsec', 'is3c-wg1-iot'] } } })).toBe(2);
    // A seeded convener signs in through the local mailbox and sees the group.
    const s = await signIn(app, 'arkadiy.kremer@example.org');
    const res = await app.inject({ method: 'GET', url: '/api/groups/cg-iotsec', headers: { cookie: s.cookie } });
    expect(res.json()).toMatchObject({ myRole: 'convener', abilities: { 'members.invite': true } });
  });

  it('lets the operator read the local mailbox (list, message, sandboxed HTML), and nobody else', async () => {
    const operator = await createUser(app, { isOperator: true });
    const user = await createUser(app);
    const op = await signIn(app, operator.email);
    const someone = await signIn(app, user.email);
    expect((await app.inject({ method: 'GET', url: '/api/admin/mailbox', headers: { cookie: someone.cookie } })).statusCode).toBe(403);
    const list = await app.inject({ method: 'GET', url: `/api/admin/mailbox?to=${encodeURIComponent(user.email)}`, headers: { cookie: op.cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.json().mode).toBe('mailbox');
    const [first] = list.json().messages;
    expect(first.subject).toBe('Your Convene sign-in link');
    const full = await app.inject({ method: 'GET', url: `/api/admin/mailbox/${first.id}`, headers: { cookie: op.cookie } });
    expect(full.json().text).toContain('/sign-in/verify?token=');
    expect(full.json().html).toContain('<html');
    const html = await app.inject({ method: 'GET', url: `/api/admin/mailbox/${first.id}/html`, headers: { cookie: op.cookie } });
    expect(html.headers['content-security-policy']).toMatch(/^sandbox/);
  });
});
