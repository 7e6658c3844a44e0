// Pages load without a single error in the browser's console and without a failed request: a
// visitor who is not signed in is told so by the session endpoint's answer (not by a 401), and
// the icon every browser asks for is there.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './lib/harness.ts';
import { createDocumentGroup } from './lib/fixtures.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 90_000);
afterAll(async () => {
  await e2e?.close();
});

/** Console errors and 4xx/5xx answers from now on, as "status url" / the message. */
function watch(page: Page) {
  const errors: string[] = [];
  const failed: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  // A navigation cancels what the page before it still had under way (net::ERR_ABORTED): no failure.
  page.on('requestfailed', (request) => {
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') failed.push(`failed ${request.url()} ${request.failure()?.errorText}`);
  });
  return { errors, failed };
}

test('signed out, the sign-in page and the home page load with no console error and no 4xx/5xx answer', async () => {
  const page = await e2e.newPage();
  const seen = watch(page);
  for (const path of ['/', '/sign-in']) {
    await page.goto(path, { waitUntil: 'networkidle' });
    await expect.poll(() => page.locator('form').count()).toBeGreaterThan(0);
  }
  expect(seen.errors).toEqual([]);
  expect(seen.failed).toEqual([]);
  expect(e2e.problems).toEqual([]);
});

test('signed in, the document view loads with no console error and no 4xx/5xx answer', async () => {
  const g = await createDocumentGroup(e2e.app);
  const page = await e2e.newPage({ as: g.participant.email });
  const seen = watch(page);
  await page.goto(g.url, { waitUntil: 'networkidle' });
  await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
  await page.goto(`/groups/${g.group.slug}`, { waitUntil: 'networkidle' });
  expect(seen.errors).toEqual([]);
  expect(seen.failed).toEqual([]);
  expect(e2e.problems).toEqual([]);
});

test('every page names an SVG icon, and /favicon.ico leads to it', async () => {
  const page = await e2e.newPage();
  await page.goto('/sign-in');
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(href).toBe('/favicon.svg');
  const icon = await page.request.get(href!);
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toMatch(/^image\/svg\+xml/);
  expect(await icon.text()).toContain('<svg');
  const ico = await page.request.get('/favicon.ico');
  expect(ico.status()).toBe(200);
  expect(ico.url()).toMatch(/\/favicon\.svg$/);
  expect(ico.headers()['content-type']).toMatch(/^image\/svg\+xml/);
});
