// Sessions come from sessionFor (signing in has its own tests in auth.test.ts); the invitation
// links here are followed as an invitee would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, createGroup, createUser, latestLink, sessionFor, tokenOf } from '../helpers/factories.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('seeing groups', () => {
  it('shows a member the group with its terms of reference, timeframe, role and abilities', async () => {
    const { group, participant } = await createCastedGroup(app);
    await app.prisma.milestone.create({
      data: { groupId: group.id, at: new Date('2016-04-25T23:59:00Z'), kind: 'COMMENTS_CLOSE', label: 'Closed for adjudication' },
    });
    const s = await sessionFor(app, participant.email);
    const res = await app.inject({ method: 'GET', url: `/api/groups/${group.slug}`, headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      slug: group.slug,
      termsOfReference: 'Prepare the report.',
      parentBodies: ['SG17', 'SG20'],
      myRole: 'participant',
      timeZone: 'Europe/Zurich',
      memberCount: 4,
    });
    expect(body.milestones).toEqual([expect.objectContaining({ at: '2016-04-25T23:59:00.000Z', kind: 'comments_close' })]);
    expect(body.abilities['members.invite']).toBe(false);
    const list = await app.inject({ method: 'GET', url: '/api/groups', headers: { cookie: s.cookie } });
    expect(list.json().groups.map((g: { slug: string }) => g.slug)).toContain(group.slug);
  });

  it('answers 404 for a private group to a non-member, the same as for a group that does not exist', async () => {
    const { group, outsider } = await createCastedGroup(app);
    const s = await sessionFor(app, outsider.email);
    const hidden = await app.inject({ method: 'GET', url: `/api/groups/${group.slug}`, headers: { cookie: s.cookie } });
    const missing = await app.inject({ method: 'GET', url: '/api/groups/no-such-group', headers: { cookie: s.cookie } });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toEqual(missing.json());
    for (const path of ['members', 'milestones', 'audit']) {
      expect((await app.inject({ method: 'GET', url: `/api/groups/${group.slug}/${path}`, headers: { cookie: s.cookie } })).statusCode).toBe(404);
    }
    const list = await app.inject({ method: 'GET', url: '/api/groups', headers: { cookie: s.cookie } });
    expect(list.json().groups.map((g: { slug: string }) => g.slug)).not.toContain(group.slug);
  });
});

describe('roles', () => {
  it('forbids a participant to change roles (403) and changes nothing', async () => {
    const { group, participant, observer } = await createCastedGroup(app);
    const s = await sessionFor(app, participant.email);
    const res = await app.inject({ method: 'PATCH', url: `/api/groups/${group.slug}/members/${observer.id}`, headers: s.headers, payload: { role: 'editor' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
    const m = await app.prisma.membership.findFirstOrThrow({ where: { groupId: group.id, userId: observer.id } });
    expect(m.role).toBe('OBSERVER');
  });

  it('lets a convener change a role and remove a member, with audit entries', async () => {
    const { group, convener, participant, observer } = await createCastedGroup(app);
    const s = await sessionFor(app, convener.email);
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/groups/${group.slug}/members/${observer.id}`,
      headers: s.headers,
      payload: { role: 'participant' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().role).toBe('participant');
    const del = await app.inject({ method: 'DELETE', url: `/api/groups/${group.slug}/members/${participant.id}`, headers: s.headers });
    expect(del.statusCode).toBe(204);
    const audit = await app.prisma.auditEntry.findMany({ where: { groupId: group.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['members.role_changed', 'members.removed']);
    expect(audit[0]).toMatchObject({ actorId: convener.id, before: { role: 'observer' }, after: { role: 'participant' } });
    expect(audit[0]!.at).toBeInstanceOf(Date);
  });

  it('keeps appointing conveners to the operator, and a group always has one convener', async () => {
    const { group, convener, participant } = await createCastedGroup(app);
    const s = await sessionFor(app, convener.email);
    const promote = await app.inject({
      method: 'PATCH',
      url: `/api/groups/${group.slug}/members/${participant.id}`,
      headers: s.headers,
      payload: { role: 'convener' },
    });
    expect(promote.statusCode).toBe(403);
    const operator = await createUser(app, { isOperator: true });
    const op = await sessionFor(app, operator.email);
    const demoteLast = await app.inject({
      method: 'PATCH',
      url: `/api/groups/${group.slug}/members/${convener.id}`,
      headers: op.headers,
      payload: { role: 'participant' },
    });
    expect(demoteLast.statusCode).toBe(409);
    expect(demoteLast.json().code).toBe('last_convener');
    expect((await app.prisma.membership.findFirstOrThrow({ where: { groupId: group.id, userId: convener.id } })).role).toBe('CONVENER');
  });

  it('refuses an unknown role with 400 naming the field', async () => {
    const { group, convener, observer } = await createCastedGroup(app);
    const s = await sessionFor(app, convener.email);
    const res = await app.inject({ method: 'PATCH', url: `/api/groups/${group.slug}/members/${observer.id}`, headers: s.headers, payload: { role: 'king' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'invalid_request', field: 'body.role' });
  });
});

describe('invitations', () => {
  it('invites a pasted list, reports a malformed address with 400 and still invites the rest', async () => {
    const { group, convener } = await createCastedGroup(app);
    const s = await sessionFor(app, convener.email);
    const a = `${unique('a')}@example.test`;
    const b = `${unique('b')}@example.test`;
    const list = `"Youm, Heung Youl", SG17 / Korea (Republic of), ${a}\nXia Junjie <${b}>\nnot-an-address@\n`;
    const res = await app.inject({ method: 'POST', url: `/api/groups/${group.slug}/invitations`, headers: s.headers, payload: { list } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.invited.map((i: { email: string }) => i.email).sort()).toEqual([a, b].sort());
    expect(body.errors).toEqual([expect.objectContaining({ status: 400, code: 'invalid_email', input: 'not-an-address@' })]);
    expect(body.summary).toBe('2 invited, 0 already members, 1 not invited.');
    const youm = await app.prisma.user.findUniqueOrThrow({ where: { email: a } });
    expect(youm).toMatchObject({ name: 'Youm, Heung Youl', affiliation: 'SG17 / Korea (Republic of)' });
    // The invitation mail carries a link that signs the invitee in and leads to the group.
    const link = await latestLink(app, a);
    const verify = await app.inject({
      method: 'POST',
      url: '/api/auth/verify',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${tokenOf(link)}`,
    });
    expect(verify.statusCode).toBe(303);
    expect(verify.headers.location).toBe(`/groups/${group.slug}`);
    const mail = await app.prisma.mailboxMessage.findFirstOrThrow({ where: { to: a } });
    expect(mail.subject).toBe(`Invitation to ${group.acronym} on Convene`);
  });

  it('makes re-inviting harmless', async () => {
    const { group, convener, observer } = await createCastedGroup(app);
    const s = await sessionFor(app, convener.email);
    const res = await app.inject({
      method: 'POST',
      url: `/api/groups/${group.slug}/invitations`,
      headers: s.headers,
      payload: { invitees: [{ email: observer.email.toUpperCase(), role: 'editor' }] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().alreadyMembers).toEqual([{ email: observer.email, role: 'observer' }]);
    expect((await app.prisma.membership.findFirstOrThrow({ where: { groupId: group.id, userId: observer.id } })).role).toBe('OBSERVER');
  });

  it('answers 400 with the summary when nobody could be invited', async () => {
    const { group, convener } = await createCastedGroup(app);
    const s = await sessionFor(app, convener.email);
    const res = await app.inject({
      method: 'POST',
      url: `/api/groups/${group.slug}/invitations`,
      headers: s.headers,
      payload: { invitees: [{ email: 'broken' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'nobody_invited', summary: '0 invited, 0 already members, 1 not invited.' });
  });

  it('does not let a participant invite', async () => {
    const { group, participant } = await createCastedGroup(app);
    const s = await sessionFor(app, participant.email);
    const email = `${unique('c')}@example.test`;
    const res = await app.inject({ method: 'POST', url: `/api/groups/${group.slug}/invitations`, headers: s.headers, payload: { invitees: [{ email }] } });
    expect(res.statusCode).toBe(403);
    expect(await app.prisma.user.count({ where: { email } })).toBe(0);
  });
});

describe('privacy', () => {
  it('never shows a participant the e-mail address of another member, in any response', async () => {
    const { group, convener, editor, participant, observer } = await createCastedGroup(app);
    const cs = await sessionFor(app, convener.email);
    await app.inject({
      method: 'POST',
      url: `/api/groups/${group.slug}/milestones`,
      headers: cs.headers,
      payload: { at: '2016-05-11T00:00:00Z', kind: 'conveners_draft_posted', label: 'Draft' },
    });
    const s = await sessionFor(app, participant.email);
    const others = [convener, editor, observer].map((u) => u.email);
    const urls = [
      '/api/groups',
      `/api/groups/${group.slug}`,
      `/api/groups/${group.slug}/members`,
      `/api/groups/${group.slug}/milestones`,
      `/api/groups/${group.slug}/audit`,
      '/api/auth/session',
      '/api/me',
      '/api/auth/sessions',
    ];
    for (const url of urls) {
      const res = await app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
      for (const email of others) expect(res.body, url).not.toContain(email);
    }
    const members = await app.inject({ method: 'GET', url: `/api/groups/${group.slug}/members`, headers: { cookie: s.cookie } });
    expect(members.json().members).toHaveLength(4);
    expect(members.json().members.find((m: { userId: string }) => m.userId === convener.id)).toEqual(
      expect.objectContaining({ name: 'Convener', affiliation: 'SG17 / Testland' }),
    );
  });

  it('shows conveners the addresses of their members', async () => {
    const { group, convener, participant } = await createCastedGroup(app);
    const s = await sessionFor(app, convener.email);
    const res = await app.inject({ method: 'GET', url: `/api/groups/${group.slug}/members`, headers: { cookie: s.cookie } });
    expect(res.json().members.find((m: { userId: string }) => m.userId === participant.id).email).toBe(participant.email);
  });
});

describe('operator and group settings', () => {
  it('lets the operator create a group with its conveners, and nobody else', async () => {
    const operator = await createUser(app, { isOperator: true });
    const someone = await createUser(app);
    const slug = unique('grp');
    const payload = {
      slug,
      name: 'Correspondence Group on Security and Privacy for IoT',
      acronym: 'CG-IoTsec',
      termsOfReference: 'ToR',
      parentBodies: ['SG17', 'SG20'],
      mailingList: 'cg-iotsec@lists.itu.int',
      timeZone: 'Europe/Zurich',
      visibility: 'public_outputs',
      conveners: [{ email: `${unique('conv')}@example.test`, name: 'Arkadiy Kremer' }],
    };
    const denied = await app.inject({ method: 'POST', url: '/api/groups', headers: (await sessionFor(app, someone.email)).headers, payload });
    expect(denied.statusCode, denied.body).toBe(403);
    const res = await app.inject({ method: 'POST', url: '/api/groups', headers: (await sessionFor(app, operator.email)).headers, payload });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ slug, visibility: 'public_outputs', timeZone: 'Europe/Zurich', memberCount: 1 });
    const again = await app.inject({ method: 'POST', url: '/api/groups', headers: (await sessionFor(app, operator.email)).headers, payload });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('group_slug_taken');
  });

  it('refuses an unknown time zone and unknown fields with 400 naming the field', async () => {
    const { group, convener } = await createCastedGroup(app);
    const s = await sessionFor(app, convener.email);
    const tz = await app.inject({ method: 'PATCH', url: `/api/groups/${group.slug}`, headers: s.headers, payload: { timeZone: 'Mars/Olympus' } });
    expect(tz.statusCode).toBe(400);
    expect(tz.json().field).toBe('body.timeZone');
    const extra = await app.inject({ method: 'PATCH', url: `/api/groups/${group.slug}`, headers: s.headers, payload: { name: 'x', colour: 'red' } });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().message).toContain('colour');
    expect((await app.prisma.group.findUniqueOrThrow({ where: { id: group.id } })).name).toBe(group.name);
  });

  it('manages the timeframe: add, move and delete milestones, each audited', async () => {
    const { group, convener, editor } = await createCastedGroup(app);
    const s = await sessionFor(app, convener.email);
    const created = await app.inject({
      method: 'POST',
      url: `/api/groups/${group.slug}/milestones`,
      headers: s.headers,
      payload: { at: '2016-04-25T23:59:00Z', kind: 'comments_close', label: 'Document closed for adjudication' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const moved = await app.inject({
      method: 'PATCH',
      url: `/api/groups/${group.slug}/milestones/${id}`,
      headers: s.headers,
      payload: { at: '2016-04-26T23:59:00+02:00' },
    });
    expect(moved.json().at).toBe('2016-04-26T21:59:00.000Z');
    const es = await sessionFor(app, editor.email);
    expect((await app.inject({ method: 'DELETE', url: `/api/groups/${group.slug}/milestones/${id}`, headers: es.headers })).statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: `/api/groups/${group.slug}/milestones/${id}`, headers: s.headers })).statusCode).toBe(204);
    const audit = await app.inject({ method: 'GET', url: `/api/groups/${group.slug}/audit`, headers: { cookie: s.cookie } });
    expect(audit.json().entries.map((e: { action: string }) => e.action)).toEqual(['milestones.deleted', 'milestones.updated', 'milestones.created']);
    const bad = await app.inject({
      method: 'POST',
      url: `/api/groups/${group.slug}/milestones`,
      headers: s.headers,
      payload: { at: '25 April', kind: 'comments_close', label: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('body.at');
  });

  it('lets only conveners and the operator read the audit log', async () => {
    const { group, editor } = await createCastedGroup(app);
    const s = await sessionFor(app, editor.email);
    expect((await app.inject({ method: 'GET', url: `/api/groups/${group.slug}/audit`, headers: { cookie: s.cookie } })).statusCode).toBe(403);
    const operator = await createUser(app, { isOperator: true });
    const op = await sessionFor(app, operator.email);
    expect((await app.inject({ method: 'GET', url: `/api/groups/${group.slug}/audit`, headers: { cookie: op.cookie } })).statusCode).toBe(200);
  });
});

describe('bad input', () => {
  it('answers malformed JSON with 400, an oversized body with 413, and never a 5xx', async () => {
    const { group, convener } = await createCastedGroup(app);
    const s = await sessionFor(app, convener.email);
    const malformed = await app.inject({
      method: 'PATCH',
      url: `/api/groups/${group.slug}`,
      headers: { ...s.headers, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('invalid_json');
    const huge = await app.inject({
      method: 'PATCH',
      url: `/api/groups/${group.slug}`,
      headers: { ...s.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ termsOfReference: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('body_too_large');
    const wrongType = await app.inject({ method: 'PATCH', url: `/api/groups/${group.slug}`, headers: s.headers, payload: { parentBodies: 'SG17' } });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().field).toBe('body.parentBodies');
    const badId = await app.inject({ method: 'DELETE', url: `/api/groups/${group.slug}/members/not-a-uuid`, headers: s.headers });
    expect(badId.statusCode).toBe(400);
    const unknownRoute = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(unknownRoute.statusCode).toBe(404);
    expect(unknownRoute.json().code).toBe('not_found');
  });

  it('answers 404 for an unknown group', async () => {
    const user = await createUser(app);
    const s = await sessionFor(app, user.email);
    const res = await app.inject({ method: 'GET', url: '/api/groups/does-not-exist', headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 'group_not_found', message: 'That group was not found.' });
  });

  it('keeps a private group invisible even to a group of the same name pattern', async () => {
    const a = await createUser(app);
    const g = await createGroup(app, [{ user: a, role: 'PARTICIPANT' }]);
    const b = await createUser(app);
    const s = await sessionFor(app, b.email);
    expect((await app.inject({ method: 'GET', url: `/api/groups/${g.slug}/members`, headers: { cookie: s.cookie } })).statusCode).toBe(404);
  });
});

describe('my groups', () => {
  it('lists each group with its phase and its next milestone by the database clock, so the list says what comes next', async () => {
    const { group, participant } = await createCastedGroup(app);
    const now = Date.now();
    await app.prisma.milestone.createMany({
      data: [
        { groupId: group.id, at: new Date(now - 86_400_000), kind: 'DRAFT_POSTED', label: 'Draft posted' },
        { groupId: group.id, at: new Date(now + 3 * 86_400_000), kind: 'COMMENTS_CLOSE', label: 'Closed for adjudication' },
        { groupId: group.id, at: new Date(now + 9 * 86_400_000), kind: 'FINAL_REPORT_PUBLISHED', label: 'Final report' },
      ],
    });
    const s = await sessionFor(app, participant.email);
    const list = await app.inject({ method: 'GET', url: '/api/groups', headers: { cookie: s.cookie } });
    expect(list.statusCode).toBe(200);
    const mine = list.json().groups.find((g: { slug: string }) => g.slug === group.slug);
    expect(mine).toMatchObject({
      myRole: 'participant',
      phase: { kind: 'comments_open' },
      nextMilestone: { kind: 'comments_close', label: 'Closed for adjudication' },
    });
  });
});
