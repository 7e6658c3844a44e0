// Names and affiliations are shown inside interface sentences and beside other people's words, so
// the bidirectional controls that reorder text around them (U+202E and its kin) are refused on
// every route that takes one: 400 invalid_request naming the field, issue invalid_characters,
// nothing stored. Marks copied in at the ends of a cell (U+200E/U+200F) are trimmed like spaces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, createUser, sessionFor, type Session } from '../helpers/factories.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.close();
});

// "Alice" followed by a right-to-left override: "Alice\u202Emoc.rorre" reads "Aliceerror.com".
const CONTROLS = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];
const spoof = (c: string) => `Alice${c} (ITU)`;

const refused = (res: { statusCode: number; json: () => Record<string, unknown> }, field: string) => {
  expect(res.statusCode, JSON.stringify(res.json())).toBe(400);
  expect(res.json()).toMatchObject({
    code: 'invalid_request',
    field,
    issue: { code: 'invalid_characters' },
    message: expect.stringMatching(new RegExp(`^${field.replaceAll('.', '\\.')}: must not contain bidirectional control characters`)),
  });
};

describe('bidirectional controls in names and affiliations', () => {
  let me: { id: string; email: string };
  let session: Session;
  beforeAll(async () => {
    me = await createUser(app, { name: 'Before', affiliation: 'Before Org' });
    session = await sessionFor(app, me.email);
  });

  it.each(CONTROLS.map((c) => [`U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`, c]))(
    'refuses %s inside a profile name or affiliation, storing nothing',
    async (_label, c) => {
      for (const field of ['name', 'affiliation']) {
        const res = await app.inject({ method: 'PATCH', url: '/api/me', headers: session.headers, payload: { [field]: spoof(c) } });
        refused(res, `body.${field}`);
      }
      const stored = await app.prisma.user.findUniqueOrThrow({ where: { id: me.id } });
      expect([stored.name, stored.affiliation]).toEqual(['Before', 'Before Org']);
    },
  );

  it('accepts a name mixing Arabic and Latin, and trims stray marks at its ends as it trims spaces', async () => {
    const res = await app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: session.headers,
      payload: { name: '\u200F أحمد Ahmed \u200E', affiliation: ' ‏ITU-T SG17‏ ' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'أحمد Ahmed', affiliation: 'ITU-T SG17' });
  });

  it("refuses them in a new group's name and its conveners' names and affiliations", async () => {
    const operator = await createUser(app, { isOperator: true });
    const op = await sessionFor(app, operator.email);
    const slugs: string[] = [];
    const body = (over: Record<string, unknown>) => {
      slugs.push(unique('cg'));
      return { slug: slugs.at(-1), name: 'Group', acronym: 'G', ...over };
    };
    refused(await app.inject({ method: 'POST', url: '/api/groups', headers: op.headers, payload: body({ name: spoof('\u202E') }) }), 'body.name');
    refused(await app.inject({ method: 'POST', url: '/api/groups', headers: op.headers, payload: body({ acronym: 'CG\u202EX' }) }), 'body.acronym');
    refused(
      await app.inject({
        method: 'POST',
        url: '/api/groups',
        headers: op.headers,
        payload: body({ conveners: [{ email: `${unique('c')}@example.test`, name: spoof('\u2067') }] }),
      }),
      'body.conveners.0.name',
    );
    refused(
      await app.inject({
        method: 'POST',
        url: '/api/groups',
        headers: op.headers,
        payload: body({ conveners: [{ email: `${unique('c')}@example.test`, affiliation: spoof('\u202B') }] }),
      }),
      'body.conveners.0.affiliation',
    );
    expect(await app.prisma.group.count({ where: { slug: { in: slugs } } })).toBe(0);
  });

  it("refuses them in a group's new name", async () => {
    const { group, convener } = await createCastedGroup(app);
    const s = await sessionFor(app, convener.email);
    refused(await app.inject({ method: 'PATCH', url: `/api/groups/${group.slug}`, headers: s.headers, payload: { name: spoof('\u202E') } }), 'body.name');
    expect((await app.prisma.group.findUniqueOrThrow({ where: { id: group.id } })).name).toBe(group.name);
  });

  it("refuses them in invitees' names and affiliations, and reports a pasted line that carries one", async () => {
    const { group, convener } = await createCastedGroup(app);
    const s = await sessionFor(app, convener.email);
    const email = `${unique('inv')}@example.test`;
    refused(
      await app.inject({
        method: 'POST',
        url: `/api/groups/${group.slug}/invitations`,
        headers: s.headers,
        payload: { invitees: [{ email, name: spoof('\u202E') }] },
      }),
      'body.invitees.0.name',
    );
    refused(
      await app.inject({
        method: 'POST',
        url: `/api/groups/${group.slug}/invitations`,
        headers: s.headers,
        payload: { invitees: [{ email, affiliation: spoof('\u2066') }] },
      }),
      'body.invitees.0.affiliation',
    );
    expect(await app.prisma.user.count({ where: { email } })).toBe(0);

    // A pasted CSV: the bad line is reported and not invited; a good line with marks at its cells' ends is.
    const good = `${unique('ok')}@example.test`;
    const res = await app.inject({
      method: 'POST',
      url: `/api/groups/${group.slug}/invitations`,
      headers: s.headers,
      payload: { list: `Mallory\u202Eeci\u202C, ACME, ${email}\n\u200Fسارة Sara\u200F, \u200FITU\u200F, ${good}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().invited).toEqual([expect.objectContaining({ email: good })]);
    expect(res.json().errors).toEqual([
      expect.objectContaining({ status: 400, code: 'invalid_request', message: expect.stringContaining('bidirectional control characters') }),
    ]);
    expect(await app.prisma.user.count({ where: { email } })).toBe(0);
    expect(await app.prisma.user.findUniqueOrThrow({ where: { email: good } })).toMatchObject({ name: 'سارة Sara', affiliation: 'ITU' });
  });
});
