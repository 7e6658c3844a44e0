// A PATCH changes only what its body names: every other field reads back as it was. One test per
// PATCH route, and a check that every PATCH route the API describes has its test here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { adjudicationScene, sessionFor } from '../helpers/dispositions.ts';
import { createWorkItem } from '../helpers/consultations.ts';
import { createCastedGroup, createUser } from '../helpers/factories.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

const COVERED = [
  'PATCH /api/groups/{slug}',
  'PATCH /api/groups/{slug}/members/{userId}',
  'PATCH /api/groups/{slug}/milestones/{milestoneId}',
  'PATCH /api/groups/{slug}/work-items/{workItemId}',
  'PATCH /api/groups/{slug}/documents/{documentId}/comments/{commentId}',
  'PATCH /api/me',
  'PATCH /api/me/notification-settings',
];

/** A group whose every field differs from what a create without them would default to. */
async function groupWithEveryField() {
  const cast = await createCastedGroup(app);
  await app.prisma.group.update({ where: { id: cast.group.id }, data: { visibility: 'PUBLIC_OUTPUTS', languages: ['en', 'fr'] } });
  const convener = await sessionFor(app, cast.convener);
  const read = async () => {
    const res = await app.inject({ method: 'GET', url: `/api/groups/${cast.group.slug}`, headers: convener.headers });
    expect(res.statusCode, res.body).toBe(200);
    const { name, acronym, termsOfReference, parentBodies, mailingList, timeZone, visibility, languages } = res.json();
    return { name, acronym, termsOfReference, parentBodies, mailingList, timeZone, visibility, languages };
  };
  return { ...cast, convener, read };
}

describe('partial updates', () => {
  it('every PATCH route the API describes has a partial-update test here', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const patches = Object.entries<Record<string, unknown>>(doc.paths)
      .filter(([, ops]) => 'patch' in ops)
      .map(([path]) => `PATCH ${path}`);
    expect(patches.sort()).toEqual([...COVERED].sort());
  });

  it('PATCH /api/groups/{slug} with one field leaves every other field of the group as it was', async () => {
    const g = await groupWithEveryField();
    const before = await g.read();
    expect(before).toMatchObject({
      visibility: 'public_outputs',
      timeZone: 'Europe/Zurich',
      parentBodies: ['SG17', 'SG20'],
      termsOfReference: 'Prepare the report.',
    });
    expect(before.mailingList).toMatch(/@lists\.example\.test$/);

    const fields: Record<string, unknown> = {
      name: 'Renamed group',
      acronym: 'RNM',
      termsOfReference: 'New terms.',
      parentBodies: ['TSAG'],
      mailingList: 'other@lists.example.test',
      timeZone: 'Asia/Tokyo',
      visibility: 'private',
      languages: ['ar', 'zh'],
    };
    let expected = before;
    for (const [field, value] of Object.entries(fields)) {
      const res = await app.inject({ method: 'PATCH', url: `/api/groups/${g.group.slug}`, headers: g.convener.headers, payload: { [field]: value } });
      expect(res.statusCode, res.body).toBe(200);
      expected = { ...expected, [field]: value };
      expect(await g.read(), `after PATCH { ${field} }`).toEqual(expected);
    }
  });

  it('PATCH /api/groups/{slug} without visibility keeps a public group public and its list receiving digests', async () => {
    const g = await groupWithEveryField();
    const before = await g.read();
    const res = await app.inject({ method: 'PATCH', url: `/api/groups/${g.group.slug}`, headers: g.convener.headers, payload: { name: 'Only the name' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(await g.read()).toEqual({ ...before, name: 'Only the name' });
    const stored = await app.prisma.group.findUniqueOrThrow({ where: { id: g.group.id } });
    expect(stored.visibility).toBe('PUBLIC_OUTPUTS');
    expect(stored.mailingList).toBe(before.mailingList);
  });

  it('PATCH /api/groups/{slug}/members/{userId} changes the role and nothing else of the member', async () => {
    const g = await groupWithEveryField();
    const list = async () =>
      (
        (await app.inject({ method: 'GET', url: `/api/groups/${g.group.slug}/members`, headers: g.convener.headers })).json().members as Array<
          Record<string, string>
        >
      ).sort((a, b) => a.userId!.localeCompare(b.userId!));
    const before = await list();
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/groups/${g.group.slug}/members/${g.observer.id}`,
      headers: g.convener.headers,
      payload: { role: 'editor' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = await list();
    expect(after).toEqual(before.map((m) => (m.userId === g.observer.id ? { ...m, role: 'editor' } : m)));
    expect(await g.read()).toMatchObject({ visibility: 'public_outputs', timeZone: 'Europe/Zurich' });
  });

  it('PATCH /api/groups/{slug}/milestones/{milestoneId} with one field leaves the others as they were', async () => {
    const g = await groupWithEveryField();
    const created = await app.inject({
      method: 'POST',
      url: `/api/groups/${g.group.slug}/milestones`,
      headers: g.convener.headers,
      payload: { at: '2031-04-25T21:59:00Z', kind: 'meeting', label: 'Rapporteur meeting' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const read = async () => {
      const list = (await app.inject({ method: 'GET', url: `/api/groups/${g.group.slug}/milestones`, headers: g.convener.headers })).json();
      return list.milestones.find((m: { id: string }) => m.id === id);
    };
    let expected = await read();
    for (const [field, value] of Object.entries({ label: 'Renamed meeting', kind: 'other', at: '2031-05-02T21:59:00.000Z' })) {
      const res = await app.inject({
        method: 'PATCH',
        url: `/api/groups/${g.group.slug}/milestones/${id}`,
        headers: g.convener.headers,
        payload: { [field]: value },
      });
      expect(res.statusCode, res.body).toBe(200);
      expected = { ...expected, [field]: value };
      expect(await read(), `after PATCH { ${field} }`).toEqual(expected);
    }
    expect(await g.read()).toMatchObject({ visibility: 'public_outputs' });
  });

  it('PATCH /api/groups/{slug}/work-items/{workItemId} with one field leaves every other field of the work item as it was', async () => {
    const g = await groupWithEveryField();
    const created = await createWorkItem(app, g.group.slug, g.convener, {
      acronym: 'X.iotsec-2',
      number: 'X.1365',
      title: 'Security framework for IoT',
      question: '6/17',
      approvalProcess: 'tap',
      timing: '2018-02',
      scope: 'The scope.',
      summary: 'The summary.',
      baseText: 'The base text.',
      relations: 'X.1361',
      liaisons: 'ISO/IEC JTC 1/SC 27',
      supportingMembers: 'China Unicom',
      editors: [{ userId: g.editor.id, affiliation: 'An editor body' }],
    });
    const url = `/api/groups/${g.group.slug}/work-items/${created.id}`;
    const read = async () => {
      const res = await app.inject({ method: 'GET', url, headers: g.convener.headers });
      expect(res.statusCode, res.body).toBe(200);
      const { version, statusChangedAt, history, nextStatuses, ...fields } = res.json();
      return { version: version as number, fields };
    };
    let { version, fields: expected } = await read();
    const changes: Record<string, unknown> = {
      acronym: 'X.iotsec-3',
      number: 'X.1366',
      title: 'Renamed',
      question: '2/17',
      approvalProcess: 'aap',
      timing: '2019-09',
      scope: 'Another scope.',
      summary: 'Another summary.',
      baseText: 'Another base text.',
      relations: 'X.1362',
      liaisons: 'ETSI TC CYBER',
      supportingMembers: 'Another member',
    };
    for (const [field, value] of Object.entries(changes)) {
      const res = await app.inject({ method: 'PATCH', url, headers: g.convener.headers, payload: { [field]: value, expectedVersion: version } });
      expect(res.statusCode, res.body).toBe(200);
      const after = await read();
      expected = { ...expected, [field]: value };
      expect(after.fields, `after PATCH { ${field} }`).toEqual(expected);
      version = after.version;
    }
  });

  it('PATCH /api/groups/{slug}/documents/{documentId}/comments/{commentId} with one field leaves the others as they were', async () => {
    const s = await adjudicationScene(app, { periodOpen: true });
    const participant = await sessionFor(app, s.participant);
    const c = s.comments.c1;
    await app.prisma.comment.update({ where: { id: c.id }, data: { quotedText: 'Devices may be captured.' } });
    const read = async () => {
      const { type, body, proposedChange, quotedText, status, clauseId } = (
        await app.inject({ method: 'GET', url: s.commentUrl(c.id), headers: participant.headers })
      ).json();
      return { type, body, proposedChange, quotedText, status, clauseId };
    };
    let expected = await read();
    expect(expected).toMatchObject({ type: 'technical', proposedChange: 'Add "tamper-resistant storage".', quotedText: 'Devices may be captured.' });
    for (const [field, value] of Object.entries({
      body: 'Keys need tamper resistance.',
      type: 'editorial',
      proposedChange: 'Say "tamper-resistant".',
      quotedText: 'captured',
    })) {
      const res = await app.inject({ method: 'PATCH', url: s.commentUrl(c.id), headers: participant.headers, payload: { [field]: value } });
      expect(res.statusCode, res.body).toBe(200);
      expected = { ...expected, [field]: value };
      expect(await read(), `after PATCH { ${field} }`).toEqual(expected);
    }
  });

  it('PATCH /api/me with one field leaves the rest of my profile as it was', async () => {
    const me = await createUser(app, { name: 'Ana Lima', affiliation: 'SG17 / Brazil' });
    await app.prisma.user.update({ where: { id: me.id }, data: { locale: 'fr' } });
    const session = await sessionFor(app, me);
    const read = async () => {
      const { name, affiliation, locale, email } = (await app.inject({ method: 'GET', url: '/api/me', headers: session.headers })).json();
      return { name, affiliation, locale, email };
    };
    let expected = await read();
    expect(expected).toMatchObject({ name: 'Ana Lima', affiliation: 'SG17 / Brazil', locale: 'fr' });
    for (const [field, value] of Object.entries({ name: 'Ana M. Lima', affiliation: 'SG20 / Brazil', locale: 'ar' })) {
      const res = await app.inject({ method: 'PATCH', url: '/api/me', headers: session.headers, payload: { [field]: value } });
      expect(res.statusCode, res.body).toBe(200);
      expected = { ...expected, [field]: value };
      expect(await read(), `after PATCH { ${field} }`).toEqual(expected);
    }
  });

  it('PATCH /api/me/notification-settings with one kind leaves the other kinds as they were', async () => {
    const session = await sessionFor(app, await createUser(app));
    const url = '/api/me/notification-settings';
    const read = async () => (await app.inject({ method: 'GET', url, headers: session.headers })).json() as Record<string, string>;
    const kinds = Object.keys(await read());
    expect(kinds.length).toBeGreaterThan(1);
    // Away from the defaults first, one kind at a time, each step checked against all the others.
    let expected = await read();
    for (const [i, kind] of kinds.entries()) {
      const mode = ['daily', 'off', 'immediately'].find((m) => m !== expected[kind] && m !== (i % 2 ? 'daily' : 'off')) ?? 'off';
      const res = await app.inject({ method: 'PATCH', url, headers: session.headers, payload: { [kind]: mode } });
      expect(res.statusCode, res.body).toBe(200);
      expected = { ...expected, [kind]: mode };
      expect(await read(), `after PATCH { ${kind} }`).toEqual(expected);
    }
  });
});
