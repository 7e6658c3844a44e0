// The browser client's weight on the wire: JavaScript transferred to Chromium for the sign-in
// page and a signed-in group home, as gzip (the target: ≤ 150 KB for the document view later)
// and as brotli (what Chromium actually negotiates here), against the uncompressed bundle.
// Run: npm run bench -- client
import http from 'node:http';
import type { Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { ensureClientBuilt } from '../scripts/build-client.ts';
import { signedInMember, startBenchApp } from './lib/app.ts';
import { benchDatabase, fmt } from './lib/harness.ts';

const TARGET_GZIP_KB = 150;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Transfer { url: string; type: string; transferred: number }

/** Loads a page with an empty cache and lists what it transferred (encoded body bytes). */
async function load(page: Page, url: string, ready: string): Promise<{ transfers: Transfer[]; ms: number }> {
  const transfers: Transfer[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    pending.push(response.request().sizes().then((sizes) => {
      transfers.push({ url: response.url(), type: response.request().resourceType(), transferred: sizes.responseBodySize });
    }).catch(() => {}));
  });
  const started = performance.now();
  await page.goto(url);
  await page.locator(ready).first().waitFor();
  const ms = performance.now() - started;
  await page.waitForLoadState('networkidle');
  await Promise.all(pending);
  return { transfers, ms };
}

/** Bytes of the body the server sends for this Accept-Encoding (node:http does not decode). */
function sizeWith(url: string, encoding: 'gzip' | 'identity'): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => { bytes += chunk.length; });
      res.on('end', () => resolve(bytes));
      res.on('error', reject);
    }).on('error', reject);
  });
}

export default async function clientBench() {
  await ensureClientBuilt({ log: (line) => console.log(line) });
  const db = await benchDatabase();
  const { app, url } = await startBenchApp(db.url);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  try {
    const { group, headers } = await signedInMember(app);
    const screens = [
      { name: 'sign-in (signed out)', path: '/sign-in', ready: 'form', cookie: null },
      { name: 'group home (signed in)', path: `/groups/${group.slug}`, ready: 'section.timeframe', cookie: headers.cookie },
    ];
    for (const screen of screens) {
      const context = await browser.newContext();
      // The session cookie as a header: __Host- cookies cannot be planted for http://127.0.0.1.
      if (screen.cookie) await context.setExtraHTTPHeaders({ cookie: screen.cookie });
      const page = await context.newPage();
      const { transfers, ms } = await load(page, `${url}${screen.path}`, screen.ready);
      const scripts = transfers.filter((t) => t.type === 'script');
      let gzip = 0;
      let raw = 0;
      for (const s of scripts) {
        gzip += await sizeWith(s.url, 'gzip');
        raw += await sizeWith(s.url, 'identity');
      }
      const transferred = scripts.reduce((sum, s) => sum + s.transferred, 0);
      const all = transfers.reduce((sum, t) => sum + t.transferred, 0);
      const kb = (n: number) => `${fmt(n / 1024)} KB`;
      console.log(`\nJavaScript for ${screen.name}: ${scripts.length} file(s)`);
      console.log(`  figure:   ${kb(gzip)} gzip (${kb(transferred)} as Chromium received it, brotli)`);
      console.log(`  baseline: ${kb(raw)} uncompressed`);
      console.log(`  ratio:    ${fmt(gzip / raw, 2)}× of uncompressed; ${fmt((gzip / 1024 / TARGET_GZIP_KB) * 100, 0)}% of the ${TARGET_GZIP_KB} KB gzip budget (${gzip / 1024 <= TARGET_GZIP_KB ? 'meets' : 'MISSES'})`);
      console.log(`  page:     ${kb(all)} transferred in ${transfers.length} responses; ready in ${fmt(ms, 0)} ms (cold cache, loopback)`);
      await context.close();
    }
  } finally {
    await browser.close();
    await app.close();
    await db.cleanup();
  }
}

if (import.meta.main) await clientBench();
