// The disposition of comments of a large document (2,000 comments, each with a final disposition
// and half with a response), exported through the HTTP routes — database query, row mapping,
// rendering and sending — against the targets: .docx ≤ 2 s, CSV ≤ 0.5 s. The baseline is the
// pure export library on 2,000 synthetic rows (no database, no HTTP) in the same run.
//   npm run bench -- dispositions
import { signedInMember, startBenchApp } from './lib/app.ts';
import { benchDatabase, percentile } from './lib/harness.ts';
import { benchDispositionExports, TARGET_MS } from './dispositions-export.bench.ts';
import { buildDispositionTable } from '../server/modules/dispositions/build-disposition-table.ts';
import { dispositionTableToDocx } from '../server/modules/dispositions/export/to-docx.ts';
import { dispositionTableToCsv } from '../server/modules/dispositions/export/to-csv.ts';

const COMMENTS = 2000;
const RUNS = 7;
const CODES = ['ACCEPTED', 'ACCEPTED_WITH_MODIFICATION', 'REJECTED', 'NOTED', 'DEFERRED'] as const;
const TYPES = ['GENERAL', 'TECHNICAL', 'EDITORIAL'] as const;

type BenchApp = Awaited<ReturnType<typeof startBenchApp>>['app'];

async function seedDocument(app: BenchApp, groupId: string, convenerId: string) {
  const authors = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      app.prisma.user.create({
        data: { email: `author-${i}-${groupId}@example.test`, name: `Expert ${i} Müller-Youm`, affiliation: `SG${17 + (i % 4)} / Member State ${i % 12}` },
      }),
    ),
  );
  const document = await app.prisma.document.create({ data: { groupId, title: 'Report on security and privacy aspects of IoT', createdById: convenerId } });
  const revision = await app.prisma.revision.create({
    data: {
      documentId: document.id,
      sequence: 1,
      label: 'Initial baseline',
      format: 'MARKDOWN',
      notes: [],
      postedById: convenerId,
      clauses: {
        create: Array.from({ length: 30 }, (_, i) => ({
          position: i,
          number: `${1 + Math.floor(i / 5)}.${i % 5}`,
          heading: `Clause ${i}`,
          html: '<p>Text.</p>',
          text: 'Text.',
        })),
      },
    },
    include: { clauses: true },
  });
  const body = (i: number) =>
    `Comment ${i}: the threat model omits firmware update; devices in the field are rarely patched, and "secure update" needs signatures, rollback and recovery.`;
  const comments = Array.from({ length: COMMENTS }, (_, i) => ({
    id: crypto.randomUUID(),
    documentId: document.id,
    revisionId: revision.id,
    clauseId: i % 10 === 0 ? null : revision.clauses[i % 30]!.id,
    authorId: authors[i % 40]!.id,
    type: TYPES[i % 3]!,
    body: body(i),
    bodyHtml: `<p>${body(i)}</p><ul><li>point one</li><li>point two</li></ul>`,
    proposedChange: `Add a clause on secure update (${i}), covering signatures, rollback and recovery.`,
  }));
  await app.prisma.comment.createMany({ data: comments });
  await app.prisma.disposition.createMany({
    data: comments.map((c, i) => ({
      commentId: c.id,
      documentId: document.id,
      code: CODES[i % 5]!,
      status: 'FINAL' as const,
      version: 3,
      updatedAt: new Date(),
      rationale: i % 5 === 0 ? '' : `Agreed in principle; merged into 7.2 rather than a new clause (${i}).`,
      adoptedText: i % 5 === 1 ? 'Devices shall verify the signature of a firmware image before installing it.' : '',
      responseKind: i % 2 === 0 ? (i % 4 === 0 ? ('AGREE' as const) : ('OBJECT' as const)) : null,
      responseText: i % 2 === 0 ? 'Fine with the merge.' : null,
      proposedById: convenerId,
      proposedAt: new Date(),
      finalisedById: convenerId,
      finalisedAt: new Date(),
    })),
  });
  return document;
}

async function timeDownload(url: string, headers: Record<string, string>) {
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i <= RUNS; i += 1) {
    const start = performance.now();
    const res = await fetch(url, { headers });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`${url} → ${res.status} ${body.toString('utf8', 0, 200)}`);
    if (i > 0) samples.push(performance.now() - start); // the first request warms up (JIT, pools)
    bytes = body.length;
  }
  return { median: percentile(samples, 50), p90: percentile(samples, 90), bytes };
}

export default async function dispositionsBench() {
  const db = await benchDatabase();
  const { app, url } = await startBenchApp(db.url);
  try {
    const { user, group, headers } = await signedInMember(app, 'CONVENER');
    const document = await seedDocument(app, group.id, user.id);
    const { cookie } = headers;
    const base = `${url}/api/groups/${group.slug}/documents/${document.id}/disposition-table`;
    const docx = await timeDownload(`${base}.docx`, { cookie });
    const csv = await timeDownload(`${base}.csv`, { cookie });
    const baseline = await benchDispositionExports();
    // Where the time goes: the same work in process, without HTTP.
    const phases = { query: [] as number[], docx: [] as number[], csv: [] as number[] };
    for (let i = 0; i < RUNS; i += 1) {
      let t = performance.now();
      const table = await buildDispositionTable(app.prisma, { group, document });
      phases.query.push(performance.now() - t);
      t = performance.now();
      await dispositionTableToDocx(table);
      phases.docx.push(performance.now() - t);
      t = performance.now();
      dispositionTableToCsv(table);
      phases.csv.push(performance.now() - t);
    }
    const line = (name: string, t: { median: number; p90: number; bytes: number }, target: number, pure: number) =>
      console.log(
        `  ${name}: median ${Math.round(t.median)} ms, p90 ${Math.round(t.p90)} ms, ${(t.bytes / 1024).toFixed(0)} KiB — target ≤ ${target} ms ${t.median <= target ? 'met' : 'MISSED'}; ` +
          `baseline (library only, synthetic rows) ${Math.round(pure)} ms, ratio ${(t.median / pure).toFixed(2)}×`,
      );
    console.log(`\nDisposition of comments, ${COMMENTS} comments with final dispositions, exported through HTTP from the database (${RUNS} runs):`);
    line('.docx', docx, TARGET_MS.docx, baseline.docxMs);
    line('CSV  ', csv, TARGET_MS.csv, baseline.csvMs);
    console.log(
      `  of which, in process: database query + row mapping ${Math.round(percentile(phases.query, 50))} ms, ` +
        `.docx rendering ${Math.round(percentile(phases.docx, 50))} ms, CSV rendering ${Math.round(percentile(phases.csv, 50))} ms (medians)`,
    );
    if (docx.median > TARGET_MS.docx || csv.median > TARGET_MS.csv) process.exitCode = 1;
  } finally {
    await app.close();
    await db.cleanup();
  }
}

if (import.meta.main) await dispositionsBench();
