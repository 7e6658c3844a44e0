// The deadline rule at its boundary, decided by the database clock. This file's app connects
// with a search_path that puts a test schema before pg_catalog, so the unqualified `now()` in
// the deciding SQL reads a frozen instant the test sets — while the application's own clock
// is skewed by ±5 minutes to show it plays no part.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi, inject } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { presentInstant } from '../../server/lib/instant.ts';
import { testConfig, unique, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, sessionFor, type Session } from '../helpers/factories.ts';
import { openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';

const CLOCK = `test_clock_${unique('c').replace(/-/g, '_')}`;
let app: TestApp;
let participant: Session;
let base: string;
let periodId: string;
let documentId: string;

async function freezeDatabaseClock(at: Date | null) {
  await app.prisma.$executeRawUnsafe(`UPDATE ${CLOCK}.frozen SET at = $1`, at);
}

beforeAll(async () => {
  const url = inject('databaseUrl');
  const setupApp = await buildApp({ config: testConfig(), databaseUrl: url });
  await setupApp.prisma.$executeRawUnsafe(`CREATE SCHEMA ${CLOCK}`);
  await setupApp.prisma.$executeRawUnsafe(`CREATE TABLE ${CLOCK}.frozen (at timestamptz)`);
  await setupApp.prisma.$executeRawUnsafe(`INSERT INTO ${CLOCK}.frozen VALUES (NULL)`);
  await setupApp.prisma.$executeRawUnsafe(
    `CREATE FUNCTION ${CLOCK}.now() RETURNS timestamptz LANGUAGE sql STABLE AS $$ SELECT coalesce((SELECT at FROM ${CLOCK}.frozen), pg_catalog.now()) $$`,
  );
  await setupApp.close();
  const clocked = new URL(url);
  clocked.searchParams.set('options', `-c search_path=${CLOCK},pg_catalog,public`);
  app = await buildApp({ config: testConfig(), databaseUrl: clocked.toString() });
  await app.ready();

  const cast = await createCastedGroup(app);
  const convener = await sessionFor(app, cast.convener.email);
  participant = await sessionFor(app, cast.participant.email);
  const doc = await postDocument(app, cast.group.slug, convener);
  documentId = doc.id;
  await postMarkdownRevision(app, cast.group.slug, doc.id, convener);
  periodId = (await openPeriodApi(app, cast.group.slug, doc.id, convener, 1, '2000-01-01T00:00:00Z', '2000-01-02T00:00:00Z')).id;
  base = `/api/groups/${cast.group.slug}/documents/${doc.id}`;
});
afterAll(async () => {
  vi.useRealTimers();
  await freezeDatabaseClock(null);
  await app.prisma.$executeRawUnsafe(`DROP SCHEMA ${CLOCK} CASCADE`);
  await app.close();
});

async function commentAt(deadline: Date, dbOffsetMs: number, appSkewMs: number) {
  await app.prisma.commentPeriod.update({ where: { id: periodId }, data: { opensAt: new Date(deadline.getTime() - 10 * 86_400_000), closesAt: deadline } });
  await freezeDatabaseClock(new Date(deadline.getTime() + dbOffsetMs));
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(deadline.getTime() + dbOffsetMs + appSkewMs));
  try {
    return await app.inject({
      method: 'POST',
      url: `${base}/revisions/1/comments`,
      headers: participant.headers,
      payload: { type: 'general', body: `offset ${dbOffsetMs} skew ${appSkewMs}` },
    });
  } finally {
    vi.useRealTimers();
  }
}

const ZURICH_DST = [
  new Date('2016-03-27T00:59:59.999Z'), // 01:59:59.999 CET, the last instant before the spring gap
  new Date('2016-03-27T01:00:00.000Z'), // 03:00 CEST: 02:00–02:59 local does not exist
  new Date('2016-10-30T00:30:00.000Z'), // 02:30 CEST, first pass of the repeated hour
  new Date('2016-10-30T01:30:00.000Z'), // 02:30 CET, second pass
];
const SPECIAL = [new Date('2016-04-25T23:59:00Z'), new Date('2020-02-29T23:59:00Z'), new Date('2016-02-29T23:59:00Z'), ...ZURICH_DST];

describe('the deadline boundary (database clock decides)', () => {
  it('accepts 1 ms before the deadline and refuses at and after it, whatever the application clock says', async () => {
    const deadline = fc.oneof(
      fc.constantFrom(...SPECIAL),
      // Up to a few days ahead: further, the skewed application clock would expire the test's session.
      fc.date({ min: new Date('2001-01-01T00:00:00Z'), max: new Date(Date.now() + 5 * 86_400_000), noInvalidDate: true }),
    );
    await fc.assert(
      fc.asyncProperty(deadline, fc.constantFrom(-1, 0, 1), fc.constantFrom(-300_000, 300_000), async (at, offset, skew) => {
        const before = await app.prisma.comment.count({ where: { documentId } });
        const res = await commentAt(at, offset, skew);
        const after = await app.prisma.comment.count({ where: { documentId } });
        if (offset < 0) {
          expect(res.statusCode, res.body).toBe(201);
          // The stored instant is the database's, not the application's.
          expect(res.json().createdAt).toBe(new Date(at.getTime() - 1).toISOString());
          expect(after).toBe(before + 1);
        } else {
          expect(res.statusCode, res.body).toBe(409);
          expect(res.json()).toMatchObject({ code: 'comment_period_closed', closesAt: at.toISOString() });
          expect(res.json().message).toContain(presentInstant(at, 'Europe/Zurich').utc);
          expect(after).toBe(before);
        }
      }),
      {
        numRuns: 40,
        examples: SPECIAL.flatMap(
          (d) =>
            [
              [d, -1, 300_000],
              [d, 0, -300_000],
              [d, 1, -300_000],
            ] as [Date, number, number][],
        ),
      },
    );
  });

  it('refuses a comment 5 minutes after the deadline even when the application clock is 5 minutes behind', async () => {
    const res = await commentAt(new Date('2016-04-25T23:59:00Z'), 300_000, -300_000);
    expect(res.statusCode).toBe(409);
  });

  it('accepts a comment 5 minutes before the deadline even when the application clock is 5 minutes ahead', async () => {
    const res = await commentAt(new Date('2016-04-25T23:59:00Z'), -300_000, 300_000);
    expect(res.statusCode).toBe(201);
  });

  it('states a 29 February deadline in UTC and in Zurich time', async () => {
    const res = await commentAt(new Date('2020-02-29T23:59:00Z'), 0, 0);
    expect(res.json().message).toContain('29 February 2020 23:59 UTC (1 March 2020 00:59 CET)');
  });

  it('states deadlines around the Zurich daylight-saving gap and overlap unambiguously', async () => {
    const messages = [];
    for (const at of ZURICH_DST) messages.push((await commentAt(at, 0, 0)).json().message as string);
    expect(messages[0]).toContain('27 March 2016 00:59 UTC (27 March 2016 01:59 CET)');
    expect(messages[1]).toContain('27 March 2016 01:00 UTC (27 March 2016 03:00 CEST)');
    expect(messages[2]).toContain('30 October 2016 00:30 UTC (30 October 2016 02:30 CEST)');
    expect(messages[3]).toContain('30 October 2016 01:30 UTC (30 October 2016 02:30 CET)');
  });
});

describe('instants shown in the group zone', () => {
  it('round-trips: the local wall time with its offset is the same instant (any minute, 2000–2040)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1) / 60_000, max: Date.UTC(2040, 0, 1) / 60_000 }), (minute) => {
        const at = new Date(minute * 60_000);
        const p = presentInstant(at, 'Europe/Zurich');
        const m = /^(\d{1,2}) (\w+) (\d{4}) (\d{2}):(\d{2}) /.exec(p.local)!;
        const month = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'].indexOf(m[2]!);
        const wall = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]));
        const [sign, hh, mm] = [p.offset[0] === '-' ? -1 : 1, Number(p.offset.slice(1, 3)), Number(p.offset.slice(4, 6))];
        expect(wall - sign * (hh * 60 + mm) * 60_000).toBe(at.getTime());
        expect(p.offset === '+01:00' || p.offset === '+02:00').toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
