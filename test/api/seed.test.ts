import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../server/seed/load-seed.ts';
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
