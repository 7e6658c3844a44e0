import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, sessionFor } from '../helpers/factories.ts';
import { inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

async function setup() {
  const cast = await createCastedGroup(app);
  const [convener, participant] = await Promise.all([sessionFor(app, cast.convener.email), sessionFor(app, cast.participant.email)]);
  const doc = await postDocument(app, cast.group.slug, convener);
  await postMarkdownRevision(app, cast.group.slug, doc.id, convener);
  return { cast, convener, participant, slug: cast.group.slug, documentId: doc.id, base: `/api/groups/${cast.group.slug}/documents/${doc.id}` };
}

describe('comment periods in the timeframe', () => {
  it('opens a period with two milestones carrying its effects, and keeps milestones.changed events', async () => {
    const s = await setup();
    const changed: unknown[] = [];
    app.ctx.events.on('milestones.changed', (e) => {
      changed.push(e);
    });
    const period = await openPeriodApi(app, s.slug, s.documentId, s.convener, 1, '2016-04-01T00:00:00Z', '2016-04-25T23:59:00Z');
    const res = await app.inject({ method: 'GET', url: `/api/groups/${s.slug}/milestones`, headers: { cookie: s.participant.cookie } });
    expect(res.json().milestones.map((m: { at: string; effect: string }) => [m.at, m.effect])).toEqual([
      ['2016-04-01T00:00:00.000Z', 'open_comments'],
      ['2016-04-25T23:59:00.000Z', 'close_comments'],
    ]);
    await app.ctx.events.drain();
    expect(changed).toContainEqual(expect.objectContaining({ groupId: s.cast.group.id, milestoneId: period.closingMilestoneId, change: 'created' }));
    const list = await app.inject({ method: 'GET', url: `${s.base}/periods`, headers: { cookie: s.participant.cookie } });
    expect(list.json().periods[0]).toMatchObject({
      open: false,
      closesAt: { utc: '25 April 2016 23:59 UTC', local: '26 April 2016 01:59 CEST', offset: '+02:00' },
    });
  });

  it('lets only conveners open, extend or close a period (403)', async () => {
    const s = await setup();
    const denied = await app.inject({
      method: 'POST',
      url: `${s.base}/periods`,
      headers: s.participant.headers,
      payload: { revision: 1, opensAt: inHours(-1), closesAt: inHours(5) },
    });
    expect(denied.statusCode).toBe(403);
    const period = await openPeriodApi(app, s.slug, s.documentId, s.convener, 1, inHours(-1), inHours(5));
    const ext = await app.inject({
      method: 'POST',
      url: `${s.base}/periods/${period.id}/extensions`,
      headers: s.participant.headers,
      payload: { closesAt: inHours(48), reason: 'Please' },
    });
    expect(ext.statusCode).toBe(403);
    const close = await app.inject({
      method: 'POST',
      url: `${s.base}/periods/${period.id}/close`,
      headers: s.participant.headers,
      payload: { reason: 'Please' },
    });
    expect(close.statusCode).toBe(403);
  });

  it('extends a period with a reason: audited, recorded, milestone moved, periods.extended raised', async () => {
    const s = await setup();
    const events: Array<{ periodId: string; reopened: boolean }> = [];
    app.ctx.events.on('periods.extended', (e) => {
      events.push(e);
    });
    const period = await openPeriodApi(app, s.slug, s.documentId, s.convener, 1, inHours(-1), inHours(5));
    const newClose = new Date(Date.now() + 72 * 3_600_000);
    newClose.setUTCHours(23, 59, 0, 0);
    const res = await app.inject({
      method: 'POST',
      url: `${s.base}/periods/${period.id}/extensions`,
      headers: s.convener.headers,
      payload: { closesAt: newClose.toISOString(), reason: 'SG20 Rapporteur meeting needs another week' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().closesAt.iso).toBe(newClose.toISOString());
    expect(res.json().extensions).toEqual([
      expect.objectContaining({
        reason: 'SG20 Rapporteur meeting needs another week',
        newClosesAt: newClose.toISOString(),
        by: expect.objectContaining({ id: s.cast.convener.id }),
      }),
    ]);
    const milestone = await app.prisma.milestone.findUniqueOrThrow({ where: { id: period.closingMilestoneId } });
    expect(milestone.at.toISOString()).toBe(newClose.toISOString());
    const audit = await app.prisma.auditEntry.findFirst({ where: { entityId: period.id, action: 'periods.extended' } });
    expect(audit?.after).toMatchObject({ reason: 'SG20 Rapporteur meeting needs another week' });
    await app.ctx.events.drain();
    expect(events.find((e) => e.periodId === period.id)).toMatchObject({ reopened: false });
  });

  it('refuses an extension that is not later, or has no reason (400)', async () => {
    const s = await setup();
    const period = await openPeriodApi(app, s.slug, s.documentId, s.convener, 1, inHours(-1), inHours(5));
    const earlier = await app.inject({
      method: 'POST',
      url: `${s.base}/periods/${period.id}/extensions`,
      headers: s.convener.headers,
      payload: { closesAt: inHours(4), reason: 'x' },
    });
    expect(earlier.json().code).toBe('extension_not_later');
    const noReason = await app.inject({
      method: 'POST',
      url: `${s.base}/periods/${period.id}/extensions`,
      headers: s.convener.headers,
      payload: { closesAt: inHours(50), reason: ' ' },
    });
    expect(noReason.statusCode).toBe(400);
  });

  it('reopens a closed period by extension, but never into another period of the same revision (409, nothing changed)', async () => {
    const s = await setup();
    const [firstCloses, secondOpens] = [inHours(-24), inHours(24)];
    const first = await openPeriodApi(app, s.slug, s.documentId, s.convener, 1, inHours(-48), firstCloses);
    await openPeriodApi(app, s.slug, s.documentId, s.convener, 1, secondOpens, inHours(72));
    const url = `${s.base}/periods/${first.id}/extensions`;
    const raised: Array<{ periodId: string; reopened: boolean }> = [];
    app.ctx.events.on('periods.extended', (e) => {
      raised.push(e);
    });
    const clash = await app.inject({
      method: 'POST',
      url,
      headers: s.convener.headers,
      payload: { closesAt: inHours(30), reason: 'Late contribution from SG20' },
    });
    expect(clash.statusCode, clash.body).toBe(409);
    expect(clash.json()).toMatchObject({
      code: 'extension_overlaps',
      message: expect.stringContaining('Revision 1 has another comment period from'),
      revision: 1,
      opensAt: secondOpens,
    });
    const stored = await app.prisma.commentPeriod.findUniqueOrThrow({ where: { id: first.id }, include: { extensions: true } });
    expect(stored.closesAt.toISOString()).toBe(firstCloses);
    expect(stored.extensions).toEqual([]);
    expect(await app.prisma.auditEntry.count({ where: { entityId: first.id, action: 'periods.extended' } })).toBe(0);
    // Up to the next period's opening is fine: the closed period reopens until then.
    const reopened = await app.inject({
      method: 'POST',
      url,
      headers: s.convener.headers,
      payload: { closesAt: secondOpens, reason: 'Late contribution from SG20' },
    });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({ closesAt: { iso: secondOpens } });
    // Recorded as a reopening, by the database's clock.
    const [extension] = reopened.json().extensions as Array<{ at: string; previousClosesAt: string }>;
    expect(Date.parse(extension!.at)).toBeGreaterThanOrEqual(Date.parse(extension!.previousClosesAt));
    const audit = await app.prisma.auditEntry.findFirstOrThrow({ where: { entityId: first.id, action: 'periods.extended' } });
    expect(audit.after).toMatchObject({ reopened: true, closesAt: secondOpens });
    await app.ctx.events.drain();
    expect(raised.find((e) => e.periodId === first.id)).toMatchObject({ reopened: true });
    const list = await app.inject({ method: 'GET', url: `${s.base}/periods`, headers: { cookie: s.participant.cookie } });
    expect(list.json().periods.map((p: { id: string; open: boolean }) => [p.id === first.id, p.open])).toEqual([
      [true, true],
      [false, false],
    ]);
  });

  it('refuses to move or delete a milestone that marks a period (409): the deadline moves only by extension', async () => {
    const s = await setup();
    const period = await openPeriodApi(app, s.slug, s.documentId, s.convener, 1, inHours(-1), inHours(5));
    const move = await app.inject({
      method: 'PATCH',
      url: `/api/groups/${s.slug}/milestones/${period.closingMilestoneId}`,
      headers: s.convener.headers,
      payload: { at: inHours(100) },
    });
    expect(move.statusCode).toBe(409);
    expect(move.json().code).toBe('milestone_bound_to_period');
    const del = await app.inject({ method: 'DELETE', url: `/api/groups/${s.slug}/milestones/${period.closingMilestoneId}`, headers: s.convener.headers });
    expect(del.statusCode).toBe(409);
    const rename = await app.inject({
      method: 'PATCH',
      url: `/api/groups/${s.slug}/milestones/${period.closingMilestoneId}`,
      headers: s.convener.headers,
      payload: { label: 'Renamed' },
    });
    expect(rename.statusCode).toBe(200);
  });

  it('opens a period on existing milestones of the timeframe', async () => {
    const s = await setup();
    const [a, b] = await Promise.all([
      app.prisma.milestone.create({ data: { groupId: s.cast.group.id, at: new Date('2016-05-11T00:00:00Z'), kind: 'CONVENERS_DRAFT_POSTED', label: 'Open' } }),
      app.prisma.milestone.create({ data: { groupId: s.cast.group.id, at: new Date('2016-05-25T23:59:00Z'), kind: 'FINAL_COMMENTS_CLOSE', label: 'Close' } }),
    ]);
    const res = await app.inject({
      method: 'POST',
      url: `${s.base}/periods`,
      headers: s.convener.headers,
      payload: { revision: 1, opensWithMilestoneId: a.id, closesWithMilestoneId: b.id },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ openingMilestoneId: a.id, closingMilestoneId: b.id, opensAt: { iso: '2016-05-11T00:00:00.000Z' } });
    expect((await app.prisma.milestone.findUniqueOrThrow({ where: { id: b.id } })).effect).toBe('CLOSE_COMMENTS');
    const both = await app.inject({
      method: 'POST',
      url: `${s.base}/periods`,
      headers: s.convener.headers,
      payload: { revision: 1, opensAt: inHours(1), opensWithMilestoneId: a.id, closesAt: inHours(2) },
    });
    expect(both.statusCode).toBe(400);
  });
});

describe('the phase of the group', () => {
  it('is derivable at any instant of the CG-IoTsec timeframe', async () => {
    const s = await setup();
    const rev2 = await postMarkdownRevision(app, s.slug, s.documentId, s.convener, '# 1 Scope\n\nRevised.', "Conveners' draft");
    await openPeriodApi(app, s.slug, s.documentId, s.convener, 1, '2016-04-01T00:00:00Z', '2016-04-25T23:59:00Z');
    await openPeriodApi(app, s.slug, s.documentId, s.convener, rev2.sequence, '2016-05-11T00:00:00Z', '2016-05-25T23:59:00Z');
    const phase = async (at: string) =>
      (await app.inject({ method: 'GET', url: `/api/groups/${s.slug}/phase?at=${at}`, headers: { cookie: s.participant.cookie } })).json();
    expect(await phase('2016-03-15T00:00:00Z')).toMatchObject({
      kind: 'preparation',
      text: 'Preparation: comments open on rev 1 at 1 April 2016 00:00 UTC (1 April 2016 02:00 CEST)',
    });
    const open = await phase('2016-04-25T23:58:59.999Z');
    expect(open).toMatchObject({
      kind: 'comments_open',
      revision: { sequence: 1 },
      deadline: { utc: '25 April 2016 23:59 UTC', local: '26 April 2016 01:59 CEST' },
    });
    expect(open.text).toBe('Comments open on rev 1 until 25 April 2016 23:59 UTC (26 April 2016 01:59 CEST)');
    expect((await phase('2016-04-25T23:59:00Z')).kind).toBe('adjudication');
    expect((await phase('2016-05-01T00:00:00Z')).text).toContain('comments open on rev 2 at 11 May 2016 00:00 UTC');
    expect((await phase('2016-05-20T00:00:00Z')).text).toBe('Comments open on rev 2 until 25 May 2016 23:59 UTC (26 May 2016 01:59 CEST)');
    // Publishing is the final report with its disposition table (no comments here, so nothing to decide).
    const pub = await app.inject({ method: 'POST', url: `${s.base}/final-report`, headers: s.convener.headers, payload: { revision: 2 } });
    expect(pub.statusCode, pub.body).toBe(201);
    const doc = await app.inject({ method: 'GET', url: s.base, headers: { cookie: s.participant.cookie } });
    expect(doc.json().document?.state ?? doc.json().state).toBe('published');
    expect((await phase(new Date(Date.now() + 60_000).toISOString())).kind).toBe('published');
  });

  it('is sent with the group, the same answer as the phase route (one derivation, by the database clock)', async () => {
    const s = await setup();
    await openPeriodApi(app, s.slug, s.documentId, s.convener, 1, inHours(-1), inHours(5));
    const [group, phase] = await Promise.all(
      [`/api/groups/${s.slug}`, `/api/groups/${s.slug}/phase`].map(async (url) =>
        (await app.inject({ method: 'GET', url, headers: { cookie: s.participant.cookie } })).json(),
      ),
    );
    expect(group.phase).toMatchObject({ kind: 'comments_open', revision: { sequence: 1 } });
    expect({ ...group.phase, at: null }).toEqual({ ...phase, at: null });
  });

  it('follows the dates of a timeframe that has no comment period, and the facts once one exists', async () => {
    const s = await setup();
    const milestone = (days: number, kind: 'DRAFT_POSTED' | 'COMMENTS_CLOSE' | 'FINAL_REPORT_PUBLISHED') => ({
      groupId: s.cast.group.id,
      at: new Date(Date.now() + days * 86_400_000),
      kind,
      label: kind,
    });
    await app.prisma.milestone.createMany({ data: [milestone(-3, 'DRAFT_POSTED'), milestone(2, 'COMMENTS_CLOSE'), milestone(40, 'FINAL_REPORT_PUBLISHED')] });
    const phase = async (at?: string) =>
      (await app.inject({ method: 'GET', url: `/api/groups/${s.slug}/phase${at ? `?at=${at}` : ''}`, headers: { cookie: s.participant.cookie } })).json();
    expect(await phase(new Date(Date.now() - 4 * 86_400_000).toISOString())).toMatchObject({ kind: 'preparation' });
    const open = await phase();
    expect(open.kind).toBe('comments_open');
    expect(Date.parse(open.deadline.iso) - Date.now()).toBeGreaterThan(86_400_000); // the planned close, in 2 days
    expect((await phase(new Date(Date.now() + 3 * 86_400_000).toISOString())).kind).toBe('adjudication');
    expect((await phase(new Date(Date.now() + 41 * 86_400_000).toISOString())).kind).toBe('published');
    // A comment period is a fact: from then on, the dates alone no longer decide.
    await openPeriodApi(app, s.slug, s.documentId, s.convener, 1, inHours(1), inHours(5));
    expect((await phase(new Date(Date.now() + 41 * 86_400_000).toISOString())).kind).toBe('adjudication');
    expect((await phase()).kind).toBe('preparation');
  });
});
