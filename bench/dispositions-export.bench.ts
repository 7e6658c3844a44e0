// How long the disposition-of-comments exports take for a large group's table (2,000 comments),
// against the targets: Word ≤ 2 s, CSV ≤ 0.5 s, on the 2-core machine CI runs on.
//   npm run bench -- dispositions-export
import { dispositionTableToCsv } from '../server/modules/dispositions/export/to-csv.ts';
import { dispositionTableToDocx } from '../server/modules/dispositions/export/to-docx.ts';
import { syntheticTable } from '../test/unit/dispositions/fixtures.ts';

const ROWS = 2000;
const RUNS = 5;
export const TARGET_MS = { docx: 2000, csv: 500 } as const;

interface Timing {
  medianMs: number;
  bytes: number;
}

async function timeMedian(run: () => Promise<number> | number): Promise<Timing> {
  await run(); // warm-up: module loading and JIT compilation are not what we measure
  const samples: Array<{ ms: number; bytes: number }> = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    const bytes = await run();
    samples.push({ ms: performance.now() - start, bytes });
  }
  samples.sort((a, b) => a.ms - b.ms);
  const median = samples[Math.floor(RUNS / 2)] ?? { ms: Number.NaN, bytes: 0 };
  return { medianMs: median.ms, bytes: median.bytes };
}

async function measure(): Promise<{ docx: Timing; csv: Timing }> {
  const table = syntheticTable(ROWS);
  const docx = await timeMedian(async () => (await dispositionTableToDocx(table)).length);
  const csv = await timeMedian(() => Buffer.byteLength(dispositionTableToCsv(table), 'utf8'));
  return { docx, csv };
}

export async function benchDispositionExports(): Promise<{ docxMs: number; csvMs: number }> {
  const { docx, csv } = await measure();
  return { docxMs: docx.medianMs, csvMs: csv.medianMs };
}

function report(label: string, timing: Timing, targetMs: number): string {
  const verdict = timing.medianMs <= targetMs ? '' : '  ** over target **';
  return `${label} export, ${ROWS} rows: ${Math.round(timing.medianMs)} ms (target ≤ ${targetMs} ms), ` + `${(timing.bytes / 1024).toFixed(0)} KiB${verdict}`;
}

/** Run by `npm run bench -- dispositions-export` (or directly with node). */
export default async function dispositionExportBench() {
  const { docx, csv } = await measure();
  console.log(report('docx', docx, TARGET_MS.docx));
  console.log(report('CSV', csv, TARGET_MS.csv));
  if (docx.medianMs > TARGET_MS.docx || csv.medianMs > TARGET_MS.csv) process.exitCode = 1;
}

if (import.meta.main) await dispositionExportBench();
