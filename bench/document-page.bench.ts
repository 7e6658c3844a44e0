// The signed-in document view with 320 comments as Lighthouse 12 (mobile preset: simulated slow
// 4G and a 4× slower CPU) scores it, beside a static page of the same clauses and comments served
// from the same machine (no script, gzip). Prints, for each, the performance and accessibility
// scores, LCP, TBT, the number of elements, the page's HTML as transferred and in all, and the
// ratio of the view to the static page. Target: performance ≥ 90 and accessibility 100.
//
// Lighthouse runs as its CLI (its own Chromium, /usr/bin/chromium unless CHROME_PATH says
// otherwise), the session cookie given as an extra header (a __Host- cookie cannot be planted for
// http://127.0.0.1). Each page is scored RUNS times, alternating, and the median run by
// performance score is printed: on a shared 2-core machine a single run's TBT varies a lot.
// Run: npm run bench -- document-page
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { ensureClientBuilt } from '../scripts/build-client.ts';
import { documentWithComments } from './client.bench.ts';
import { signedInMember, startBenchApp } from './lib/app.ts';
import { benchDatabase, fmt } from './lib/harness.ts';

const COMMENTS = 320;
const RUNS = 5;
const TARGET_PERFORMANCE = 90;
const LIGHTHOUSE = fileURLToPath(new URL('../node_modules/lighthouse/cli/index.js', import.meta.url));
const execFileAsync = promisify(execFile);

interface Score {
  performance: number;
  accessibility: number;
  lcp: number;
  tbt: number;
  elements: number;
  htmlBytes: number;
  totalBytes: number;
}

async function lighthouse(url: string, headers: Record<string, string>): Promise<Score> {
  const dir = await mkdtemp(path.join(tmpdir(), 'convene-lh-'));
  const out = path.join(dir, 'report.json');
  try {
    await execFileAsync(
      process.execPath,
      [
        LIGHTHOUSE,
        url,
        '--quiet',
        '--output=json',
        `--output-path=${out}`,
        '--only-categories=performance,accessibility',
        `--chrome-flags=--headless --no-sandbox --disable-gpu --user-data-dir=${path.join(dir, 'profile')}`,
        `--extra-headers=${JSON.stringify(headers)}`,
      ],
      { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' }, maxBuffer: 64 * 1024 * 1024 },
    );
    const report = JSON.parse(await readFile(out, 'utf8'));
    const audit = (id: string) => report.audits[id].numericValue as number;
    const requests = report.audits['network-requests'].details.items as Array<{ url: string; transferSize: number; resourceType: string }>;
    const html = requests.find((r) => r.resourceType === 'Document');
    return {
      performance: Math.round(report.categories.performance.score * 100),
      accessibility: Math.round(report.categories.accessibility.score * 100),
      lcp: audit('largest-contentful-paint'),
      tbt: audit('total-blocking-time'),
      elements: audit('dom-size'),
      htmlBytes: html?.transferSize ?? NaN,
      totalBytes: audit('total-byte-weight'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The static page of the same text, gzipped as any static host would send it, base.css from the app. */
async function staticServer(html: string, appUrl: string) {
  const page = zlib.gzipSync(html);
  const server = http.createServer((req, res) => {
    if (req.url === '/assets/base.css') {
      res.writeHead(302, { location: `${appUrl}/assets/base.css` }).end();
      return;
    }
    if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

const median = (scores: Score[]) => [...scores].sort((a, b) => a.performance - b.performance || b.tbt - a.tbt)[Math.floor(scores.length / 2)]!;

function line(s: Score) {
  const kb = (n: number) => `${fmt(n / 1024)} KB`;
  return `performance ${s.performance}, accessibility ${s.accessibility}, LCP ${fmt(s.lcp / 1000, 2)} s, TBT ${fmt(s.tbt, 0)} ms, ${s.elements} elements, HTML ${kb(s.htmlBytes)}, all ${kb(s.totalBytes)}`;
}

export default async function documentPageBench() {
  await ensureClientBuilt({ log: (l) => console.log(l) });
  const db = await benchDatabase();
  const { app, url } = await startBenchApp(db.url, { browser: true });
  try {
    const { group, headers } = await signedInMember(app);
    const doc = await documentWithComments(app, group.slug, headers, COMMENTS);
    const baseline = await staticServer(doc.staticHtml, url);
    const view: Score[] = [];
    const plain: Score[] = [];
    try {
      for (let i = 0; i < RUNS; i++) {
        view.push(await lighthouse(`${url}${doc.path}`, { cookie: headers.cookie }));
        plain.push(await lighthouse(baseline.url, {}));
      }
    } finally {
      baseline.close();
    }
    const v = median(view);
    const b = median(plain);
    console.log(`\nDocument view with ${COMMENTS} comments, signed in: Lighthouse 12 mobile (median of ${RUNS} by performance score)`);
    console.log(`  figure:   ${line(v)}`);
    console.log(`  baseline: ${line(b)} (a static page of the same text)`);
    console.log(
      `  ratio:    performance ${fmt(v.performance / b.performance, 2)}×, LCP ${fmt(v.lcp / b.lcp, 2)}×, elements ${fmt(v.elements / b.elements, 2)}×, HTML ${fmt(v.htmlBytes / b.htmlBytes, 2)}×`,
    );
    console.log(
      `  target:   performance ≥ ${TARGET_PERFORMANCE} (${v.performance >= TARGET_PERFORMANCE ? 'meets' : 'MISSES'}), accessibility 100 (${v.accessibility === 100 ? 'meets' : 'MISSES'})`,
    );
    console.log(`  runs:     view ${view.map((s) => s.performance).join(', ')}; static ${plain.map((s) => s.performance).join(', ')}`);
  } finally {
    await app.close();
    await db.cleanup();
  }
}

if (import.meta.main) await documentPageBench();
