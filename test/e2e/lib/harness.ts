// End-to-end harness: one real Convene server (buildApp on 127.0.0.1, the test database) and one
// Debian Chromium driven by playwright-core, shared by every test of a file. Browser contexts
// are the people: each gets its own cookies, locale and time zone.
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { inject } from 'vitest';
import { buildApp } from '../../../server/app.ts';
import { ensureClientBuilt } from '../../../scripts/build-client.ts';
import { randomIp, testConfig, type TestApp } from '../../helpers/app.ts';
import type { Config } from '../../../server/config.ts';
import { createSession, SESSION_COOKIE } from '../../../server/modules/auth/session.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SCREENSHOT_DIR = path.join(root, 'test-results', 'screenshots');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface E2E {
  app: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A fresh person at the keyboard: own cookies, language and time zone. */
  newPage(options?: BrowserContextOptions & { as?: string }): Promise<Page>;
  /** Content-Security-Policy violations and page errors seen so far (must stay empty). */
  problems: string[];
  close(): Promise<void>;
}

export async function startE2E(options: { limits?: Partial<Config['limits']> } = {}): Promise<E2E> {
  await ensureClientBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  // PUBLIC_URL must be known before the app is built (mail links, the Origin check).
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const app = await buildApp({ config: testConfig({ PUBLIC_URL: baseUrl }, options.limits), databaseUrl: inject('databaseUrl') });
  await app.listen({ host: '127.0.0.1', port });
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  /**
   * Signs a person in for a test that is not about signing in: a session opened in the database and
   * its cookie given to the browser, then the home page, where the mailed link would have landed.
   * The mailed-link flow (a mail job, the verify page, its form) cost two page loads per person; it
   * has its own tests (test/e2e/client.test.ts "signing in", test/api/auth.test.ts).
   */
  async function signInPage(page: Page, email: string) {
    const user = await app.prisma.user.findUniqueOrThrow({ where: { email } });
    const { token } = await createSession(app.ctx, app.prisma, { userId: user.id, ip: randomIp(), userAgent: 'Chromium (test harness)' });
    // Set by a response, as the server sets it: the DevTools protocol refuses a Secure cookie for an
    // http:// origin, which Chromium accepts from a response on 127.0.0.1 (a secure context).
    const handout = `${baseUrl}/__harness/session`;
    await page.route(handout, (route) =>
      route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/plain', 'set-cookie': `${SESSION_COOKIE}=${token}; Path=/; Secure; HttpOnly; SameSite=Lax` },
        body: '',
      }),
    );
    await page.goto(handout);
    await page.unroute(handout);
    await page.goto('/');
  }

  return {
    app,
    baseUrl,
    browser,
    problems,
    async newPage({ as, ...options } = {}) {
      const context = await browser.newContext({
        baseURL: baseUrl,
        locale: 'en-GB',
        timezoneId: 'Europe/Zurich',
        viewport: { width: 1200, height: 900 },
        ...options,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on('console', (message) => {
        if (/Content.Security.Policy|Refused to/i.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
      if (as) await signInPage(page, as);
      return page;
    },
    async close() {
      await Promise.all(contexts.map((c) => c.close().catch(() => {})));
      await browser.close();
      await app.close();
    },
  };
}

let axeSource: string | null = null;

/** Runs axe-core in the page against WCAG 2.0–2.2 A/AA and best practices; returns the violations. */
export async function axeViolations(page: Page): Promise<string[]> {
  axeSource ??= await readFile(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays in force.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, options: object) => Promise<{ violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] }> };
      }
    ).axe;
    // Clauses off screen skip their layout (content-visibility: auto) until scrolled to, so their
    // buttons measure 0×0 and axe's target-size check fails on where the page was scrolled. Check
    // the page as a reader meets it: everything laid out.
    const laidOut = document.createElement('style');
    laidOut.textContent = '* { content-visibility: visible !important; }';
    document.head.append(laidOut);
    try {
      return await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    } finally {
      laidOut.remove();
    }
  });
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
