// 10,000 outside comments on one document's consultation (2,000 respondents, five comments each:
// half pending, 40% published, 10% rejected; three questions answered by every respondent): the
// moderation queue's first page (with its total) and the analysis (counts by origin, stakeholder
// group and region, choice tallies), each as the server answers it (app.inject: routing,
// authorization, queries, serialisation; no network), against the bare indexed query over the same
// rows. Target: ≤ 100 ms server time each (median).
//   npm run bench -- outside-comments
import { Prisma } from '../server/generated/prisma/client.ts';
import { signedInMember, startBenchApp } from './lib/app.ts';
import { benchDatabase, percentile } from './lib/harness.ts';

const RESPONDENTS = 2000;
const PER_RESPONDENT = 5;
const RUNS = 15;
const TARGET_MS = 100;
const GROUPS = ['GOVERNMENT', 'PRIVATE_SECTOR', 'CIVIL_SOCIETY', 'TECHNICAL_COMMUNITY', 'ACADEMIA', 'INTERGOVERNMENTAL_ORGANISATION'] as const;
const REGIONS = ['AFRICA', 'ASIA_PACIFIC', 'EASTERN_EUROPE', 'LATIN_AMERICA_CARIBBEAN', 'WESTERN_EUROPE_AND_OTHERS'] as const;

type BenchApp = Awaited<ReturnType<typeof startBenchApp>>['app'];

async function seed(app: BenchApp, groupId: string, convenerId: string) {
  const document = await app.prisma.document.create({ data: { groupId, title: 'IoT security by design (draft)', createdById: convenerId } });
  const revision = await app.prisma.revision.create({
    data: {
      documentId: document.id,
      sequence: 1,
      label: 'Draft',
      format: 'MARKDOWN',
      notes: [],
      clauses: {
        create: Array.from({ length: 20 }, (_, i) => ({ position: i, number: `${i + 1}`, heading: `Clause ${i + 1}`, html: '<p>Text.</p>', text: 'Text.' })),
      },
    },
    include: { clauses: true },
  });
  const period = await app.prisma.commentPeriod.create({
    data: {
      documentId: document.id,
      revisionId: revision.id,
      opensAt: new Date(Date.now() - 86_400_000),
      closesAt: new Date(Date.now() + 30 * 86_400_000),
      openness: 'ANYONE',
      questions: {
        create: [
          {
            position: 0,
            prompt: 'Main challenges?',
            kind: 'MULTIPLE_CHOICE',
            choices: ['Architecture', 'Protocols', 'Specifications', 'ID management', 'Trust'],
          },
          { position: 1, prompt: 'Adopt the baseline?', kind: 'SINGLE_CHOICE', choices: ['Yes', 'With changes', 'No', 'Do not know'] },
          { position: 2, prompt: 'Avenues?', kind: 'FREE_TEXT', choices: [] },
        ],
      },
    },
    include: { questions: { orderBy: { position: 'asc' } } },
  });
  const users = Array.from({ length: RESPONDENTS }, (_, i) => ({
    id: crypto.randomUUID(),
    email: `respondent-${i}-${period.id}@example.org`,
    name: `Respondent ${i}`,
  }));
  await app.prisma.user.createMany({ data: users });
  const participants = users.map((u, i) => ({
    id: crypto.randomUUID(),
    periodId: period.id,
    userId: u.id,
    name: u.name,
    organisation: `Organisation ${i % 97}`,
    stakeholderGroup: GROUPS[i % GROUPS.length]!,
    region: REGIONS[i % REGIONS.length]!,
    countryCode: 'CH',
    publishName: i % 3 === 0,
  }));
  await app.prisma.outsideParticipant.createMany({ data: participants });
  const comments = participants.flatMap((p, i) =>
    Array.from({ length: PER_RESPONDENT }, (_, k) => {
      const n = i * PER_RESPONDENT + k;
      return {
        periodId: period.id,
        participantId: p.id,
        clauseId: revision.clauses[n % 20]!.id,
        type: 'TECHNICAL' as const,
        body: `Outside comment ${n}: labelling schemes should be mutually recognised where their criteria meet the baseline.`,
        state: n % 10 < 5 ? ('PENDING' as const) : n % 10 < 9 ? ('PUBLISHED' as const) : ('REJECTED' as const),
        rejectionReason: n % 10 === 9 ? ('SPAM' as const) : null,
      };
    }),
  );
  for (let i = 0; i < comments.length; i += 2000) await app.prisma.outsideComment.createMany({ data: comments.slice(i, i + 2000) });
  const [q1, q2, q3] = period.questions;
  await app.prisma.questionAnswer.createMany({
    data: participants.flatMap((p, i) => [
      { participantId: p.id, questionId: q1!.id, choices: [i % 5, (i + 2) % 5] },
      { participantId: p.id, questionId: q2!.id, choices: [i % 4] },
      { participantId: p.id, questionId: q3!.id, text: 'Regional presentations to policymakers.', choices: [] },
    ]),
  });
  await app.prisma.$executeRawUnsafe('ANALYZE');
  return { document, period };
}

async function time(fn: () => Promise<void>) {
  const samples: number[] = [];
  for (let i = 0; i <= RUNS; i += 1) {
    const start = performance.now();
    await fn();
    if (i > 0) samples.push(performance.now() - start); // the first run warms up (JIT, pools, plans)
  }
  return { median: percentile(samples, 50), p90: percentile(samples, 90) };
}

export default async function outsideCommentsBench() {
  const db = await benchDatabase();
  const { app } = await startBenchApp(db.url);
  try {
    const { user, group, headers } = await signedInMember(app, 'CONVENER');
    const { document, period } = await seed(app, group.id, user.id);
    const base = `/api/groups/${group.slug}/documents/${document.id}/periods/${period.id}`;
    const get = (url: string) => async () => {
      const res = await app.inject({ method: 'GET', url, headers: { cookie: headers.cookie } });
      if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    };
    const queue = await time(get(`${base}/moderation`));
    const analysis = await time(get(`${base}/analysis`));
    const filtered = await time(get(`${base}/analysis?stakeholderGroup=civil_society&region=africa`));
    // The baseline: one bare indexed query over the same rows (the queue's page, and a count by state).
    const bareQueue = await time(async () => {
      await app.prisma.$queryRaw(
        Prisma.sql`SELECT id, body FROM "OutsideComment" WHERE "periodId" = ${period.id}::uuid AND state = 'PENDING' ORDER BY id LIMIT 50`,
      );
    });
    const bareCount = await time(async () => {
      await app.prisma.$queryRaw(Prisma.sql`SELECT state, count(*) FROM "OutsideComment" WHERE "periodId" = ${period.id}::uuid GROUP BY state`);
    });
    // What any signed-in group request costs here (session, membership, routing, serialisation): the floor under both figures.
    const floor = await time(get(`/api/groups/${group.slug}`));
    const total = RESPONDENTS * PER_RESPONDENT;
    console.log(`\nOutside comments: ${total} on one consultation, ${RESPONDENTS} respondents, 3 questions each (${RUNS} runs, medians; shared machine):`);
    const line = (name: string, t: { median: number; p90: number }, bare: { median: number }) =>
      console.log(
        `  ${name}: median ${t.median.toFixed(1)} ms, p90 ${t.p90.toFixed(1)} ms — target ≤ ${TARGET_MS} ms ${t.median <= TARGET_MS ? 'met' : 'MISSED'}; ` +
          `bare indexed query ${bare.median.toFixed(1)} ms, ratio ${(t.median / bare.median).toFixed(1)}×`,
      );
    line('moderation queue (page of 50 + total)', queue, bareQueue);
    line('analysis (all)                      ', analysis, bareCount);
    line('analysis (civil society, Africa)    ', filtered, bareCount);
    console.log(`  floor: GET the group itself (session, membership, routing, serialisation) median ${floor.median.toFixed(1)} ms`);
    if (queue.median > TARGET_MS || analysis.median > TARGET_MS || filtered.median > TARGET_MS) process.exitCode = 1;
  } finally {
    await app.close();
    await db.cleanup();
  }
}

if (import.meta.main) await outsideCommentsBench();
