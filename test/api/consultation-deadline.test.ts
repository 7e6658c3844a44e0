// The consultation's deadline at its boundary, judged by the database clock: this file's app
// connects with a search_path whose now() reads a frozen instant the test sets (as
// comment-deadline.test.ts does), while the application's own clock is skewed by ±5 minutes.
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { testConfig, unique, type TestApp } from '../helpers/app.ts';
import { sessionFor, type Session } from '../helpers/factories.ts';
import { answer, assigns, consultationScene, type ConsultationScene } from '../helpers/consultations.ts';

const CLOCK = `test_clock_${unique('c').replace(/-/g, '_')}`;
// "2359 hours UTC on 29 February 2020" (TSB Circular 195).
const DEADLINE = new Date('2020-02-29T23:59:00Z');
let app: TestApp;
let scene: ConsultationScene;
let focal: Session;

const freeze = (at: Date | null) => app.prisma.$executeRawUnsafe(`UPDATE ${CLOCK}.frozen SET at = $1`, at);

beforeAll(async () => {
  const url = inject('databaseUrl');
  const setup = await buildApp({ config: testConfig(), databaseUrl: url });
  await setup.prisma.$executeRawUnsafe(`CREATE SCHEMA ${CLOCK}`);
  await setup.prisma.$executeRawUnsafe(`CREATE TABLE ${CLOCK}.frozen (at timestamptz)`);
  await setup.prisma.$executeRawUnsafe(`INSERT INTO ${CLOCK}.frozen VALUES (NULL)`);
  await setup.prisma.$executeRawUnsafe(
    `CREATE FUNCTION ${CLOCK}.now() RETURNS timestamptz LANGUAGE sql STABLE AS $$ SELECT coalesce((SELECT at FROM ${CLOCK}.frozen), pg_catalog.now()) $$`,
  );
  await setup.close();
  const clocked = new URL(url);
  clocked.searchParams.set('options', `-c search_path=${CLOCK},pg_catalog,public`);
  app = await buildApp({ config: testConfig(), databaseUrl: clocked.toString() });
  await app.ready();
  scene = await consultationScene(app, { draftCount: 1 });
  focal = await sessionFor(app, scene.focal.b.email);
  await app.prisma.consultation.update({ where: { id: scene.consultationId }, data: { deadline: DEADLINE } });
});
afterAll(async () => {
  vi.useRealTimers();
  await freeze(null);
  await app.prisma.$executeRawUnsafe(`DROP SCHEMA ${CLOCK} CASCADE`);
  await app.close();
});

async function answerAt(dbOffsetMs: number, appSkewMs: number) {
  await app.prisma.consultationAnswer.deleteMany({ where: { consultationId: scene.consultationId } });
  await freeze(new Date(DEADLINE.getTime() + dbOffsetMs));
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(DEADLINE.getTime() + dbOffsetMs + appSkewMs));
  try {
    return await answer(app, scene.base, focal, [assigns(scene.drafts[0]!.id)]);
  } finally {
    vi.useRealTimers();
  }
}

describe('the consultation deadline (database clock decides)', () => {
  it.each([
    [-1, 300_000],
    [-1, -300_000],
  ])('accepts an answer 1 ms before 2359 UTC (application clock skewed %s ms… %s ms) and stores the database instant', async (offset, skew) => {
    const res = await answerAt(offset, skew);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().answers[0].answeredAt).toBe(new Date(DEADLINE.getTime() - 1).toISOString());
    expect(await app.prisma.consultationAnswer.count({ where: { consultationId: scene.consultationId } })).toBe(1);
  });

  it.each([
    [0, -300_000],
    [1, -300_000],
    [1, 300_000],
  ])('refuses an answer at the deadline +%s ms (application clock skewed %s ms) with 409 and stores nothing', async (offset, skew) => {
    const res = await answerAt(offset, skew);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('consultation_closed');
    expect(await app.prisma.consultationAnswer.count({ where: { consultationId: scene.consultationId } })).toBe(0);
  });

  it('announces the outcome from the deadline on, by the same clock', async () => {
    await freeze(new Date(DEADLINE.getTime() - 1));
    expect((await app.inject({ method: 'GET', url: `${scene.base}/tally`, headers: { cookie: scene.convener.cookie } })).json().announced).toBe(false);
    await freeze(DEADLINE);
    expect((await app.inject({ method: 'GET', url: `${scene.base}/tally`, headers: { cookie: scene.convener.cookie } })).json().announced).toBe(true);
  });
});
