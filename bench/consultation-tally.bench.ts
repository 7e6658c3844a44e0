// The tally and results of a Member State consultation at the Union's full size: 193
// Administrations × 5 drafts, every one answered (a quarter of the refusals with reasons), the
// deadline passed. Server time of GET …/tally (the results page's data), of the results table as
// CSV and .docx, and of the circular's page, each measured with inject (no network) against the
// target (≤ 50 ms for the tally and results page), beside the bare `SELECT count(*) … GROUP BY`
// over the same rows on the same pool.
//   npm run bench -- consultation-tally
import { Prisma } from '../server/generated/prisma/client.ts';
import { signedInMember, startBenchApp } from './lib/app.ts';
import { benchDatabase, percentile } from './lib/harness.ts';

const ADMINISTRATIONS = 193;
const DRAFTS = 5;
const RUNS = 41;
export const TARGET_MS = 50;

type BenchApp = Awaited<ReturnType<typeof startBenchApp>>['app'];

const code = (i: number) => String.fromCharCode(65 + Math.floor(i / 676), 65 + (Math.floor(i / 26) % 26), 65 + (i % 26));

async function seed(app: BenchApp, groupId: string, userId: string) {
  const items = [];
  for (let d = 0; d < DRAFTS; d++) {
    items.push(
      await app.prisma.workItem.create({
        data: { groupId, acronym: `X.bench-${d}`, number: `X.${1330 + d}`, title: `Bench draft ${d}`, approvalProcess: 'TAP', status: 'CONSULTATION' },
      }),
    );
  }
  const consultation = await app.prisma.consultation.create({
    data: {
      groupId,
      reference: 'TSB Circular bench',
      issuedOn: new Date('2019-11-29'),
      subject: 'Bench',
      deadline: new Date(Date.now() + 3_600_000),
      thresholdPercent: 70,
      drafts: { create: items.map((w, position) => ({ workItemId: w.id, position })) },
    },
    include: { drafts: true },
  });
  await app.prisma.administration.createMany({
    data: Array.from({ length: ADMINISTRATIONS }, (_, i) => ({ code: code(i), name: `Member State ${code(i)}` })),
    skipDuplicates: true,
  });
  const admins = await app.prisma.administration.findMany({ take: ADMINISTRATIONS, orderBy: { code: 'asc' } });
  await app.prisma.consultationInvitee.createMany({ data: admins.map((a) => ({ consultationId: consultation.id, administrationId: a.id })) });
  await app.prisma.consultationFocalPoint.createMany({
    data: admins.slice(0, 1).map((a) => ({ consultationId: consultation.id, administrationId: a.id, userId })),
  });
  await app.prisma.consultationAnswer.createMany({
    data: admins.flatMap((a, i) =>
      consultation.drafts.map((d, j) => {
        const supports = (i * 7 + j * 13) % 10 < 8;
        return {
          consultationId: consultation.id,
          draftId: d.id,
          administrationId: a.id,
          position: supports ? ('ASSIGNS_AUTHORITY' as const) : ('DOES_NOT_ASSIGN_AUTHORITY' as const),
          option: supports ? ('NO_COMMENTS' as const) : null,
          text: supports ? '' : `Reasons of ${a.name}: clause ${j + 6} should address the threats of annex ${i % 4}.`,
          signedName: `Delegate ${a.code}`,
          signedRole: 'Head of Standards',
        };
      }),
    ),
  });
  await app.prisma.consultation.update({ where: { id: consultation.id }, data: { deadline: new Date(Date.now() - 1000) } });
  await app.prisma.$executeRawUnsafe('ANALYZE');
  return consultation;
}

async function time(run: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    if (i > 0) samples.push(performance.now() - start); // the first run warms up (JIT, pools, plans)
  }
  return { median: percentile(samples, 50), p95: percentile(samples, 95) };
}

export default async function consultationTallyBench() {
  const db = await benchDatabase();
  const { app } = await startBenchApp(db.url);
  try {
    const { user, group, headers } = await signedInMember(app, 'CONVENER');
    const c = await seed(app, group.id, user.id);
    const base = `/api/groups/${group.slug}/consultations/${c.id}`;
    const get = (url: string) => async () => {
      const res = await app.inject({ method: 'GET', url, headers: { cookie: headers.cookie } });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      return res;
    };
    const bare = await time(() =>
      app.prisma.$queryRaw(
        Prisma.sql`SELECT "draftId", count(*) AS replies, count(*) FILTER (WHERE position = 'ASSIGNS_AUTHORITY') AS support FROM "ConsultationAnswer" WHERE "consultationId" = ${c.id}::uuid GROUP BY "draftId"`,
      ),
    );
    const { loadConsultationAccess } = await import('../server/modules/consultations/consultation-access.ts');
    const { readTally } = await import('../server/modules/consultations/read-consultations.ts');
    const direct = await time(async () => JSON.stringify(await readTally(app.ctx, { access: await loadConsultationAccess(app.ctx, group.slug, c.id, user) })));
    console.log(`  readTally + JSON.stringify, no HTTP: median ${direct.median.toFixed(1)} ms`);
    const figures = {
      'GET …/tally (results page data)': await time(get(`${base}/tally`)),
      'GET …/consultations/:id (circular)': await time(get(base)),
      'GET …/results.csv': await time(get(`${base}/results.csv`)),
      'GET …/results.docx': await time(get(`${base}/results.docx`)),
    };
    console.log(
      `\nConsultation of ${ADMINISTRATIONS} Administrations × ${DRAFTS} drafts (${ADMINISTRATIONS * DRAFTS} answers), closed; server time by inject, ${RUNS - 1} runs:`,
    );
    console.log(`  bare SELECT count(*) … GROUP BY over the same rows: median ${bare.median.toFixed(2)} ms, p95 ${bare.p95.toFixed(2)} ms`);
    let missed = false;
    for (const [name, t] of Object.entries(figures)) {
      const target = name.includes('tally') || name.includes('circular');
      const verdict = target ? (t.median <= TARGET_MS ? `  (meets ≤ ${TARGET_MS} ms)` : `  ** over the ${TARGET_MS} ms target **`) : '';
      if (target && t.median > TARGET_MS) missed = true;
      console.log(
        `  ${name}: median ${t.median.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms, ratio to the bare GROUP BY ${(t.median / bare.median).toFixed(1)}×${verdict}`,
      );
    }
    console.log("  (figures from a shared 2-core machine under other engineers' load: ratios, not absolutes)");
    if (missed) process.exitCode = 1;
  } finally {
    await app.close();
    await db.cleanup();
  }
}

if (import.meta.main) await consultationTallyBench();
