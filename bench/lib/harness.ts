// The bench harness: every figure is measured next to its baseline in the same run, on the same
// machine, and printed with their ratio — absolute numbers on a 2-core VM mean little alone.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
import { releaseExitHooks, startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/infra/embedded-postgres.ts';
import { applyMigrations } from '../../server/infra/migrations.ts';

export interface HttpFigure {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface HttpLoad {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  seconds?: number;
}

const AUTOCANNON = fileURLToPath(new URL('../../node_modules/autocannon/autocannon.js', import.meta.url));

/**
 * Drives an HTTP endpoint with autocannon (loopback only) and returns throughput and latency.
 * autocannon runs in its own process so that the load generator never competes with the
 * server under test for the same event loop (in-process, the figures mostly measure autocannon).
 */
export async function loadHttp(load: HttpLoad): Promise<HttpFigure> {
  const args = [AUTOCANNON, '--json', '-c', String(load.connections ?? 50), '-d', String(load.seconds ?? 5), '-m', load.method ?? 'GET'];
  for (const [k, v] of Object.entries(load.headers ?? {})) args.push('-H', `${k}=${v}`);
  if (load.body !== undefined) args.push('-b', load.body);
  args.push(load.url);
  const { stdout } = await execFileAsync(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(stdout);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
}

const LOAD_WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

/** Writes whose bodies change per request (bench/lib/load-worker.ts), measured as loadHttp measures. */
export async function loadScripted(load: import('./load-worker.ts').ScriptedLoad): Promise<HttpFigure> {
  const { stdout, stderr } = await execFileAsync(process.execPath, ['--disable-warning=ExperimentalWarning', LOAD_WORKER, JSON.stringify(load)], {
    maxBuffer: 16 * 1024 * 1024,
  });
  if (stderr && process.env.BENCH_STATUS) console.log(stderr);
  const result = JSON.parse(stdout);
  if (result.non2xx && process.env.BENCH_STATUS) console.log(`  statuses: ${JSON.stringify(result.statusCodeStats)}`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
}

/** Any load: autocannon's CLI for one fixed request, the load worker for scripted ones. */
export type AnyLoad = HttpLoad | ({ scripted: true } & import('./load-worker.ts').ScriptedLoad);
export const runLoad = (load: AnyLoad) => ('scripted' in load ? loadScripted(load) : loadHttp(load));

/**
 * A figure and its baseline measured in alternating rounds (figure, baseline, figure, …), each
 * side reported as its median round. On a shared 2-core machine one 5-second window can be
 * disturbed by anything else running; alternating spreads such a disturbance over both sides
 * instead of letting it decide the ratio.
 */
export async function alternateHttp(figure: AnyLoad, baseline: AnyLoad, rounds = 3): Promise<{ figure: HttpFigure; baseline: HttpFigure }> {
  const a: HttpFigure[] = [];
  const b: HttpFigure[] = [];
  for (let i = 0; i < rounds; i++) {
    a.push(await runLoad(figure));
    b.push(await runLoad(baseline));
  }
  return { figure: medianFigure(a), baseline: medianFigure(b) };
}

/** Each field's median over the rounds (errors summed). */
function medianFigure(rounds: HttpFigure[]): HttpFigure {
  const median = (key: 'rps' | 'p50' | 'p99') =>
    percentile(
      rounds.map((r) => r[key]),
      50,
    );
  return {
    rps: median('rps'),
    p50: median('p50'),
    p99: median('p99'),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    non2xx: rounds.reduce((n, r) => n + r.non2xx, 0),
  };
}

/** A throwaway embedded PostgreSQL with the migrations applied. */
export async function benchDatabase(options: { statements?: boolean } = {}): Promise<EmbeddedDatabase & { cleanup(): Promise<void> }> {
  releaseExitHooks(); // a missed target's exit code must survive (see releaseExitHooks)
  const dir = await mkdtemp(path.join(tmpdir(), 'convene-bench-'));
  const db = await startEmbeddedPostgres({
    dataDir: dir,
    port: 30000 + Math.floor(Math.random() * 9000),
    ephemeral: true,
    // `statements`: pg_stat_statements counts every statement (bench/profile.ts reads it).
    settings: options.statements ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track_planning': 'on' } : {},
  });
  await applyMigrations(db.url);
  return {
    ...db,
    cleanup: async () => {
      await db.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** Prints one comparison as a table row and returns the ratios. */
export function report(name: string, figure: HttpFigure, baseline: HttpFigure, targets: { minThroughputRatio?: number; maxP99Ratio?: number } = {}) {
  const throughput = figure.rps / baseline.rps;
  const p99 = figure.p99 / Math.max(baseline.p99, 0.001);
  // A figure made of refusals (shed load, rate limits) measures the refusal, not the work.
  const invalid = figure.non2xx || figure.errors || baseline.non2xx || baseline.errors;
  const verdict = invalid
    ? `INVALID: ${figure.non2xx + baseline.non2xx} non-2xx answers and ${figure.errors + baseline.errors} errors were counted as throughput`
    : [
        targets.minThroughputRatio !== undefined
          ? `throughput ${throughput >= targets.minThroughputRatio ? 'meets' : 'MISSES'} ≥ ${targets.minThroughputRatio}×`
          : '',
        targets.maxP99Ratio !== undefined ? `p99 ${p99 <= targets.maxP99Ratio ? 'meets' : 'MISSES'} ≤ ${targets.maxP99Ratio}×` : '',
      ]
        .filter(Boolean)
        .join(', ');
  console.log(`\n${name}`);
  console.log(
    `  figure:   ${fmt(figure.rps, 0)} req/s, p50 ${figure.p50} ms, p99 ${figure.p99} ms${figure.non2xx || figure.errors ? ` (${figure.non2xx} non-2xx, ${figure.errors} errors)` : ''}`,
  );
  console.log(`  baseline: ${fmt(baseline.rps, 0)} req/s, p50 ${baseline.p50} ms, p99 ${baseline.p99} ms`);
  console.log(`  ratio:    throughput ${fmt(throughput, 2)}×, p99 ${fmt(p99, 2)}×${verdict ? `  (${verdict})` : ''}`);
  return { throughput, p99 };
}

/** Median and percentile of a list of samples (ms). */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}
