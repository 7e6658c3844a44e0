import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../server/seed/load-seed.ts';
import { CG_IOTSEC, LIVE_CG_IOTSEC } from '../../server/seed/seed-data.ts';
import { derivePhase } from '../../server/modules/timeframe/phase.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('demo data', () => {
  it('seeds the X.iotsec-2 draft as revision 1 of the CG-IoTsec report, its period on the 1–25 April 2016 milestones, idempotently', async () => {
    await loadSeed(app.ctx);
    await loadSeed(app.ctx);
    const group = await app.prisma.group.findUniqueOrThrow({ where: { slug: 'cg-iotsec' } });
    const documents = await app.prisma.document.findMany({
      where: { groupId: group.id },
      include: { revisions: { include: { clauses: { orderBy: { position: 'asc' } }, postedBy: true } }, periods: true },
    });
    expect(documents).toHaveLength(1);
    const [doc] = documents;
    expect(doc!.title).toBe('Report on security and privacy aspects of IoT');
    const rev = doc!.revisions[0]!;
    expect(rev.postedBy?.name).toBe('Arkadiy Kremer');
    const numbers = rev.clauses.map((c) => c.number);
    expect(numbers.slice(0, 2)).toEqual(['', '1']);
    expect(numbers).toEqual(expect.arrayContaining(['7.1', '7.2', '7.3', '8.1', '8.2', '8.3']));
    expect(rev.clauses.find((c) => c.number === '7.1')!.text.length).toBeGreaterThan(100);
    expect(doc!.periods.map((p) => [p.opensAt.toISOString(), p.closesAt.toISOString()])).toEqual([['2016-04-01T00:00:00.000Z', '2016-04-25T23:59:00.000Z']]);
    const phase = await derivePhase(app.ctx, group, '2016-04-10T12:00:00Z');
    expect(phase.text).toBe('Comments open on rev 1 until 25 April 2016 23:59 UTC (26 April 2016 01:59 CEST)');
    expect((await derivePhase(app.ctx, group, '2016-04-30T00:00:00Z')).kind).toBe('adjudication');
  });

  it('seeds a live copy of CG-IoTsec whose timeframe keeps the 2016 intervals from the day the database was created, comments open now', async () => {
    await loadSeed(app.ctx);
    const live = await app.prisma.group.findUniqueOrThrow({
      where: { slug: LIVE_CG_IOTSEC.slug },
      include: { milestones: { orderBy: { at: 'asc' } }, documents: { include: { periods: true, revisions: true } }, memberships: true },
    });
    const [{ now }] = await app.prisma.$queryRaw<[{ now: Date }]>`SELECT now() AS now`;
    const day = Math.floor(now.getTime() / 86_400_000) * 86_400_000;
    const at = live.milestones.map((m) => m.at.getTime());
    // Seeded once per database, by now or earlier today (the suite's database is fresh).
    expect(at[0]).toBe(day);
    const seedAt = CG_IOTSEC.milestones.map((m) => Date.parse(m.at));
    expect(at.map((t) => t - at[0]!)).toEqual(seedAt.map((t) => t - seedAt[0]!));
    expect(live.milestones.map((m) => m.kind)).toEqual(CG_IOTSEC.milestones.map((m) => m.kind));
    expect(live.memberships).toHaveLength(CG_IOTSEC.people.length);
    expect(live.mailingList).not.toBe(CG_IOTSEC.mailingList);
    const [doc] = live.documents;
    expect(doc!.revisions.map((r) => r.postedAt.getTime())).toEqual([day]);
    expect(doc!.periods.map((p) => [p.opensAt.getTime(), p.closesAt.getTime()])).toEqual([[at[0], at[1]]]);
    const phase = await derivePhase(app.ctx, live);
    expect(phase.kind).toBe('comments_open');
    // The real group stays as history.
    const history = await app.prisma.milestone.findMany({ where: { group: { slug: CG_IOTSEC.slug } }, orderBy: { at: 'asc' } });
    expect(history.map((m) => m.at.toISOString())).toEqual(CG_IOTSEC.milestones.map((m) => new Date(m.at).toISOString()));
  });
});

describe('demo work programme and consultations', () => {
  it("seeds SG17's programme: X.iotsec-2 with its A.1 fields, Circular 195 closed with its result, and a live consultation", async () => {
    await loadSeed(app.ctx);
    await loadSeed(app.ctx);
    const group = await app.prisma.group.findUniqueOrThrow({ where: { slug: 'itu-t-sg17' } });
    const iotsec2 = await app.prisma.workItem.findFirstOrThrow({
      where: { groupId: group.id, acronym: 'X.iotsec-2' },
      include: { editors: { include: { user: true } }, documents: true },
    });
    expect(iotsec2).toMatchObject({ question: '6/17', approvalProcess: 'TAP', timing: '2018-02', liaisons: 'ISO/IEC JTC 1/SC27' });
    expect(iotsec2.editors.map((e) => [e.user.name, e.affiliation])).toEqual([
      ['Heung Youl Youm', 'Korea (Republic of)'],
      ['Xia Junjie', 'China Unicom'],
    ]);
    expect(iotsec2.documents).toHaveLength(1);
    const c195 = await app.prisma.consultation.findFirstOrThrow({
      where: { groupId: group.id, reference: 'TSB Circular 195' },
      include: { drafts: { include: { workItem: true }, orderBy: { position: 'asc' } } },
    });
    expect(c195.deadline.toISOString()).toBe('2020-02-29T23:59:00.000Z');
    expect(c195.drafts.map((d) => d.workItem.number)).toEqual(['X.1332', 'X.1365', 'X.1372', 'X.1604', 'X.1605']);
    expect(await app.prisma.consultationAnswer.count({ where: { consultationId: c195.id } })).toBe(14 * 5);
    const live = await app.prisma.consultation.findFirstOrThrow({ where: { groupId: group.id, reference: 'TSB Circular 301 (demo)' } });
    expect(live.deadline.getTime()).toBeGreaterThan(Date.now() + 30 * 86_400_000);
    expect(await app.prisma.consultationFocalPoint.count({ where: { consultationId: live.id, user: { email: app.ctx.config.operatorEmail } } })).toBe(1);
  });
});

describe('demo data of open consultations', () => {
  it('gives the IS3C WG1 sub-group its draft report in a public consultation whose deadline is ahead, and X.iotsec-2 a liaison to ISO/IEC JTC 1/SC 27', async () => {
    await loadSeed(app.ctx);
    await loadSeed(app.ctx);
    const group = await app.prisma.group.findUniqueOrThrow({ where: { slug: 'is3c-wg1-iot' } });
    const [doc, ...others] = await app.prisma.document.findMany({ where: { groupId: group.id }, include: { periods: { include: { questions: true } } } });
    expect(others).toEqual([]);
    const period = doc!.periods[0]!;
    expect(period.openness).toBe('ANYONE');
    expect(period.closesAt.getTime()).toBeGreaterThan(Date.now());
    expect(period.questions.map((q) => q.kind).sort()).toEqual(['FREE_TEXT', 'MULTIPLE_CHOICE', 'SINGLE_CHOICE']);
    const page = await app.inject({ method: 'GET', url: `/api/open-periods/${period.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ open: true, group: { acronym: 'IS3C WG1 IoT' } });
    expect(page.json().clauses.map((c: { number: string }) => c.number)).toEqual(expect.arrayContaining(['5', '6.1']));

    const cg = await app.prisma.group.findUniqueOrThrow({ where: { slug: 'cg-iotsec' } });
    const liaisons = await app.prisma.liaison.findMany({ where: { groupId: cg.id }, include: { bodies: true } });
    expect(liaisons).toHaveLength(1);
    expect(liaisons[0]!.text).toContain('kindly seeking your comments on draft Rec. ITU-T X.iotsec-2');
    expect(liaisons[0]!.bodies.map((b) => b.name)).toEqual(['ISO/IEC JTC 1/SC 27']);
  });
});
